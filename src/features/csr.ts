import { SentivecError } from '../util/errors.js';

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

/** Binary matrix × column weights + intercept; columns below `raw` count their value, not their presence. */
export function binaryScores(X: CsrMatrix, weights: Float64Array, intercept: number, raw = 0): Float64Array {
  if (X.cols !== weights.length) throw new SentivecError(`model has ${weights.length} features but the matrix has ${X.cols} columns`);
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = intercept;
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      const j = X.indices[p];
      if (j < raw) s += weights[j] * X.data[p];
      else if (X.data[p] !== 0) s += weights[j];
    }
    out[i] = s;
  }
  return out;
}
