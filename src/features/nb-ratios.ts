/**
 * Naive-Bayes log-count ratios (Wang & Manning 2012):
 *   p = α + Σ_{i: y_i = c} x_i,   q = α + Σ_{i: y_i ≠ c} x_i,
 *   r = log( (p / ‖p‖₁) / (q / ‖q‖₁) ),
 * over binarized features x. They read labels, so they are fitted on the
 * training rows only (inside every cross-validation fold).
 *
 * Written one-vs-rest: `classSums` collects the per-class feature sums once,
 * and `ratios(c)` is class c against all the others, so k classes cost one
 * pass over the data and k cheap vectors. With two classes (0 = negative,
 * 1 = positive), ratios(1) is the usual r and ratios(0) = −ratios(1) exactly.
 */
import type { CsrMatrix } from './csr.js';
import { SentivecError } from '../util/errors.js';

export class NbRatios {
  readonly alpha: number;
  readonly classes: number;
  /** sums[c * cols + j]: Σ x̂_ij over rows of class c (counts: Int32 halves the memory of 2^24 hashed columns). */
  private readonly sums: Int32Array;
  private readonly cols: number;

  private constructor(alpha: number, classes: number, cols: number, sums: Int32Array) {
    this.alpha = alpha;
    this.classes = classes;
    this.cols = cols;
    this.sums = sums;
  }

  /**
   * Per-class sums of the (binarized: any nonzero counts 1) features of the
   * rows of X with labels y ∈ {0, …, classes − 1}.
   */
  static fit(X: CsrMatrix, y: ArrayLike<number>, opts: { alpha: number; classes?: number }): NbRatios {
    const alpha = opts.alpha;
    if (!(alpha > 0) || !Number.isFinite(alpha)) throw new SentivecError(`NB smoothing α must be a positive number, got ${alpha}`);
    const k = opts.classes ?? 2;
    if (!Number.isInteger(k) || k < 2) throw new SentivecError(`NB ratios need at least 2 classes, got ${k}`);
    if (y.length !== X.rows) throw new SentivecError(`got ${y.length} labels for ${X.rows} rows`);
    const sums = new Int32Array(k * X.cols);
    for (let i = 0; i < X.rows; i++) {
      const c = y[i];
      if (!Number.isInteger(c) || c < 0 || c >= k) throw new SentivecError(`labels must be integers in 0..${k - 1}; row ${i} has ${c}`);
      const base = c * X.cols;
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) if (X.data[p] !== 0) sums[base + X.indices[p]] += 1;
    }
    return new NbRatios(alpha, k, X.cols, sums);
  }

  /**
   * r for class c against the rest (binary: c = 1 gives the usual positive-vs-negative r).
   * `counted`: when given, only columns j with counted[j] = 1 count towards
   * ‖p‖₁ and ‖q‖₁ — the ratios of the matrix without the other columns'
   * entries (a document-frequency floor, NbSvm) without refitting the counts.
   */
  ratios(c = 1, counted?: Uint8Array): Float64Array {
    if (!Number.isInteger(c) || c < 0 || c >= this.classes) throw new SentivecError(`class ${c} outside 0..${this.classes - 1}`);
    const d = this.cols;
    const k = this.classes;
    const sums = this.sums;
    // ‖p‖₁ and ‖q‖₁ first; then only columns seen in training need logs
    // (an unseen column has p_j = q_j = α, so r_j is the norms' term alone).
    let pNorm = d * this.alpha;
    let qNorm = d * this.alpha;
    if (counted && counted.length !== d) throw new SentivecError(`${counted.length} column flags for ${d} columns`);
    for (let m = 0; m < k; m++) {
      let s = 0;
      // Integer counts: the sum is exact in any order, so leaving columns out matches counting a matrix without them.
      if (counted) for (let j = 0; j < d; j++) s += counted[j] * sums[m * d + j];
      else for (let j = m * d; j < (m + 1) * d; j++) s += sums[j];
      if (m === c) pNorm += s;
      else qNorm += s;
    }
    const shift = Math.log(qNorm) - Math.log(pNorm);
    const r = new Float64Array(d).fill(shift);
    for (let j = 0; j < d; j++) {
      let p = 0;
      let all = 0;
      for (let m = 0; m < k; m++) {
        const v = sums[m * d + j];
        all += v;
        if (m === c) p = v;
      }
      if (all === 0) continue;
      r[j] = Math.log(p + this.alpha) - Math.log(all - p + this.alpha) + shift;
    }
    return r;
  }
}

/** x̂ ∘ r: binarized X (nonzeros → 1) with column j scaled by r_j. */
export function nbScale(X: CsrMatrix, r: Float64Array): CsrMatrix {
  if (r.length !== X.cols) throw new SentivecError(`${r.length} NB ratios for ${X.cols} columns`);
  const nnz = X.indptr[X.rows];
  const data = new Float64Array(nnz);
  for (let p = 0; p < nnz; p++) data[p] = X.data[p] !== 0 ? r[X.indices[p]] : 0;
  return { rows: X.rows, cols: X.cols, indptr: X.indptr, indices: X.indices, data };
}
