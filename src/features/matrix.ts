import type { CsrMatrix } from './csr.js';
import type { TokenizedDocs } from '../text/documents.js';
import { SentivecError } from '../util/errors.js';

/** Allocates a typed array (in a SharedArrayBuffer when worker threads will read it). */
export type ArrayAlloc = <T extends Float64Array | Int32Array>(ctor: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number }, n: number) => T;

const exactAlloc: ArrayAlloc = (ctor, n) => new ctor(new ArrayBuffer(n * ctor.BYTES_PER_ELEMENT));

/**
 * Each document's term counts as CSR rows, entries in the order of the words'
 * first occurrence (countMatrix sorts them; the word vectors keep this order,
 * which fixes their sums' rounding).
 */
export function countRows(docs: TokenizedDocs, vocabSize: number, alloc: ArrayAlloc = exactAlloc): { indptr: Int32Array; indices: Int32Array; data: Float64Array } {
  const indptr = alloc(Int32Array, docs.count + 1);
  const seen = new Int32Array(vocabSize).fill(-1);
  let nnz = 0;
  for (let d = 0; d < docs.count; d++) {
    for (let p = docs.offsets[d]; p < docs.offsets[d + 1]; p++) {
      const w = docs.tokens[p];
      if (!(w >= 0 && w < vocabSize)) throw new SentivecError(`document ${d} has token id ${w}, outside the vocabulary of ${vocabSize}`);
      if (seen[w] !== d) {
        seen[w] = d;
        nnz++;
      }
    }
    indptr[d + 1] = nnz;
  }
  const indices = alloc(Int32Array, nnz);
  const data = alloc(Float64Array, nnz);
  const slot = new Int32Array(vocabSize);
  seen.fill(-1);
  for (let d = 0; d < docs.count; d++) {
    let k = indptr[d];
    for (let p = docs.offsets[d]; p < docs.offsets[d + 1]; p++) {
      const w = docs.tokens[p];
      if (seen[w] !== d) {
        seen[w] = d;
        slot[w] = k;
        indices[k++] = w;
      }
      data[slot[w]] += 1;
    }
  }
  return { indptr, indices, data };
}

/** Document-term count matrix (SMART "n" term frequency before any weighting), columns sorted within each row. */
export function countMatrix(docs: TokenizedDocs, vocabSize: number): CsrMatrix {
  const { indptr, indices, data } = countRows(docs, vocabSize);
  for (let d = 0; d < docs.count; d++) sortRow(indices, data, indptr[d], indptr[d + 1]);
  return { rows: docs.count, cols: vocabSize, indptr, indices, data };
}

/** Insertion sort of one row by column (rows are short: ~130 entries). */
function sortRow(indices: Int32Array, data: Float64Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const c = indices[i];
    const v = data[i];
    let j = i - 1;
    while (j >= start && indices[j] > c) {
      indices[j + 1] = indices[j];
      data[j + 1] = data[j];
      j--;
    }
    indices[j + 1] = c;
    data[j + 1] = v;
  }
}

/** Same sparsity pattern, new values. */
export function withData(x: CsrMatrix, data: Float64Array): CsrMatrix {
  return { rows: x.rows, cols: x.cols, indptr: x.indptr, indices: x.indices, data };
}

/** Row i as a dense vector (tests and small inspections only). */
export function denseRow(x: CsrMatrix, i: number): Float64Array {
  const out = new Float64Array(x.cols);
  for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) out[x.indices[p]] = x.data[p];
  return out;
}

/** The rows at `rows`, in that order. */
export function takeRows(x: CsrMatrix, rows: ArrayLike<number>): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!Number.isInteger(r) || r < 0 || r >= x.rows) throw new SentivecError(`row ${r} out of range [0, ${x.rows})`);
    indptr[i + 1] = indptr[i] + x.indptr[r + 1] - x.indptr[r];
  }
  const indices = new Int32Array(indptr[rows.length]);
  const data = new Float64Array(indptr[rows.length]);
  for (let i = 0; i < rows.length; i++) {
    const a = x.indptr[rows[i]];
    const b = x.indptr[rows[i] + 1];
    indices.set(x.indices.subarray(a, b), indptr[i]);
    data.set(x.data.subarray(a, b), indptr[i]);
  }
  return { rows: rows.length, cols: x.cols, indptr, indices, data };
}

/**
 * [Z | X]: a dense block (rows × dim, row-major) followed by a sparse block.
 * Stored as CSR so every classifier sees one matrix type.
 */
export function hstackDense(z: Float32Array, dim: number, x: CsrMatrix): CsrMatrix {
  if (z.length !== x.rows * dim) throw new RangeError(`dense block has ${z.length} values, expected ${x.rows}×${dim}`);
  const indptr = new Int32Array(x.rows + 1);
  for (let i = 0; i < x.rows; i++) indptr[i + 1] = indptr[i] + dim + x.indptr[i + 1] - x.indptr[i];
  const nnz = indptr[x.rows];
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  for (let i = 0; i < x.rows; i++) {
    let k = indptr[i];
    for (let j = 0; j < dim; j++) {
      indices[k] = j;
      data[k++] = z[i * dim + j];
    }
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
      indices[k] = dim + x.indices[p];
      data[k++] = x.data[p];
    }
  }
  return { rows: x.rows, cols: dim + x.cols, indptr, indices, data };
}

/** A dense row-major block as CSR (all entries stored). */
export function denseToCsr(z: Float32Array, dim: number): CsrMatrix {
  const rows = z.length / dim;
  const empty: CsrMatrix = {
    rows,
    cols: 0,
    indptr: new Int32Array(rows + 1),
    indices: new Int32Array(0),
    data: new Float64Array(0),
  };
  return hstackDense(z, dim, empty);
}
