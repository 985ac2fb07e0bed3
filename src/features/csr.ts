/**
 * Compressed sparse row matrix: row i's entries are
 * indices[indptr[i] .. indptr[i+1]) with values data[...] (column indices
 * ascending within a row). Documents are rows, vocabulary terms are columns.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}
