/**
 * Training rows laid out for the dual coordinate-descent solvers (LinearSVC,
 * LogisticRegression) and the two loops over one row they spend their time in.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';

/**
 * Training rows laid out for the dual solvers. Their time goes into the two
 * loops over one row (rows come in random order, so each is a fresh stream
 * from RAM, and V8 guards every typed-array access), hence:
 * - `indices` are 16-bit when the column count allows (10 instead of 12
 *   bytes streamed per nonzero);
 * - each row ends in a run of equal values, entries [split[i], end) all
 *   equal to tail[i]; that part's dot product is one multiply by tail[i]
 *   after a plain sum of gathered weights, and its `data` is never read
 *   (2 bytes and two array accesses per nonzero, against LIBLINEAR's 16-byte
 *   feature_node). Binary cosine-normalized rows (bnc) are all tail; the
 *   [z | bnc] rows of the "+ BoW" features are a 50-entry head and a bnc tail.
 * - when every row starts with columns 0, 1, …, k−1 in order (a dense block
 *   such as z above, or dense LSA/LDA features), the first `dense` entries
 *   (k rounded down to a multiple of 4, and never reaching into a tail) are
 *   read as w[0..dense) without gathering through `indices`. Summation order
 *   is unchanged, so results are bit for bit those of the gathered loop.
 */
export interface SolverRows {
  indptr: Int32Array;
  indices: Int32Array | Uint16Array;
  data: Float64Array;
  dense: number;
  split: Int32Array;
  tail: Float64Array;
  sqNorm: Float64Array;
}

export function solverRows(X: CsrMatrix): SolverRows {
  const split = new Int32Array(X.rows);
  const tail = new Float64Array(X.rows);
  const sqNorm = new Float64Array(X.rows);
  rowStats(X.indptr, X.data, split, tail, sqNorm);
  const indices = checkedIndices(X);
  return { indptr: X.indptr, indices, data: X.data, dense: densePrefix(X.indptr, indices, split), split, tail, sqNorm };
}

/** Length of the leading run of columns 0, 1, 2, … shared by all rows and ending before every tail, rounded down to a multiple of 4. */
function densePrefix(indptr: Int32Array, indices: Int32Array | Uint16Array, split: Int32Array): number {
  let k = Infinity;
  for (let i = 0; i < split.length && k > 0; i++) {
    const a = indptr[i];
    const e = Math.min(split[i], a + k);
    let p = a;
    while (p < e && indices[p] === p - a) p++;
    k = p - a;
  }
  return split.length === 0 ? 0 : k & ~3;
}

/** Range-checked (an index past `cols` would be a silent no-op write and a NaN read), 16-bit if possible. */
function checkedIndices(X: CsrMatrix): Int32Array | Uint16Array {
  const nnz = X.indptr[X.rows];
  const src = X.indices;
  const cols = X.cols;
  let bad = false;
  if (cols > 65536) {
    for (let p = 0; p < nnz; p++) bad ||= src[p] < 0 || src[p] >= cols;
    if (bad) throw new SentivecError(`column indices must lie in [0, ${cols})`);
    return src;
  }
  const narrow = new Uint16Array(nnz);
  for (let p = 0; p < nnz; p++) {
    const c = src[p];
    bad ||= c < 0 || c >= cols;
    narrow[p] = c;
  }
  if (bad) throw new SentivecError(`column indices must lie in [0, ${cols})`);
  return narrow;
}

function rowStats(indptr: Int32Array, data: Float64Array, split: Int32Array, tail: Float64Array, sqNorm: Float64Array): void {
  for (let i = 0; i < split.length; i++) {
    const a = indptr[i];
    const b = indptr[i + 1];
    let sq = 0;
    for (let p = a; p < b; p++) sq += data[p] * data[p];
    sqNorm[i] = sq;
    const v = a < b ? data[b - 1] : 0;
    let p = b;
    while (p > a && data[p - 1] === v) p--;
    split[i] = p;
    tail[i] = v;
  }
}

/** wᵀx_i (without the bias feature). */
export function rowDot(r: SolverRows, w: Float64Array, i: number): number {
  const { indices, data } = r;
  const split = r.split[i];
  const end = r.indptr[i + 1];
  // Unrolled by four: V8 re-checks each typed array (map, bounds, interrupt)
  // once per loop trip, so fewer trips mean fewer checks per nonzero; four
  // accumulators also break the serial chain of adds.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let p = r.indptr[i];
  const dense = r.dense;
  for (let k = 0; k < dense; k += 4, p += 4) {
    s0 += w[k] * data[p];
    s1 += w[k + 1] * data[p + 1];
    s2 += w[k + 2] * data[p + 2];
    s3 += w[k + 3] * data[p + 3];
  }
  for (const e = split - 3; p < e; p += 4) {
    s0 += w[indices[p]] * data[p];
    s1 += w[indices[p + 1]] * data[p + 1];
    s2 += w[indices[p + 2]] * data[p + 2];
    s3 += w[indices[p + 3]] * data[p + 3];
  }
  for (; p < split; p++) s0 += w[indices[p]] * data[p];
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (const e = end - 3; p < e; p += 4) {
    t0 += w[indices[p]];
    t1 += w[indices[p + 1]];
    t2 += w[indices[p + 2]];
    t3 += w[indices[p + 3]];
  }
  for (; p < end; p++) t0 += w[indices[p]];
  return s0 + s1 + (s2 + s3) + (t0 + t1 + (t2 + t3)) * r.tail[i];
}

/** w += d·x_i (without the bias feature). */
export function rowAxpy(r: SolverRows, d: number, w: Float64Array, i: number): void {
  const { indices, data } = r;
  const split = r.split[i];
  const end = r.indptr[i + 1];
  let p = r.indptr[i];
  const dense = r.dense;
  for (let k = 0; k < dense; k += 4, p += 4) {
    w[k] += d * data[p];
    w[k + 1] += d * data[p + 1];
    w[k + 2] += d * data[p + 2];
    w[k + 3] += d * data[p + 3];
  }
  for (const e = split - 3; p < e; p += 4) {
    w[indices[p]] += d * data[p];
    w[indices[p + 1]] += d * data[p + 1];
    w[indices[p + 2]] += d * data[p + 2];
    w[indices[p + 3]] += d * data[p + 3];
  }
  for (; p < split; p++) w[indices[p]] += d * data[p];
  const dv = d * r.tail[i];
  for (const e = end - 3; p < e; p += 4) {
    w[indices[p]] += dv;
    w[indices[p + 1]] += dv;
    w[indices[p + 2]] += dv;
    w[indices[p + 3]] += dv;
  }
  for (; p < end; p++) w[indices[p]] += dv;
}

/** Cheap structural checks: a malformed matrix would otherwise read out of bounds silently. */
export function checkCsr(X: CsrMatrix): void {
  const nnz = X.indptr[X.rows];
  if (X.indptr.length !== X.rows + 1 || X.indptr[0] !== 0 || X.indices.length < nnz || X.data.length < nnz) {
    throw new SentivecError('malformed CSR matrix (indptr/indices/data lengths disagree)');
  }
}
