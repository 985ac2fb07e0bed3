/**
 * The data term of the multinomial logistic regression (multinomial.ts) and
 * its gradient over sparse rows:
 *   C Σ_i [log Σ_c e^{z_ic} − z_{i,y_i}],   z_i = W x_i + b,
 * with x = [W (F × k, feature-major), b (k)]: a column's k weights are
 * adjacent, so each nonzero is read once for all classes. Three classes
 * (negative / neutral / positive, the common case) have their own loop with
 * the k scores in locals: 1.8× faster than the loop over classes, the same
 * operations in the same order, so the same bits.
 */
import type { CsrMatrix } from '../../features/csr.js';

/** f(x) of the data term; adds its gradient into g (whose W part the caller has set). */
export type SoftmaxLoss = (x: Float64Array, g: Float64Array) => number;

export function softmaxLoss(X: CsrMatrix, y: ArrayLike<number>, k: number, C: number): SoftmaxLoss {
  return k === 3 ? threeClassLoss(X, y, C) : anyClassLoss(X, y, k, C);
}

/** The loop over classes, for any k (softmaxLoss uses it for every k but 3). */
export function anyClassLoss(X: CsrMatrix, y: ArrayLike<number>, K: number, C: number): SoftmaxLoss {
  const { indptr, indices, data, rows: n } = X;
  const B = K * X.cols;
  const z = new Float64Array(K);
  return (x, g) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < K; c++) z[c] = x[B + c];
      for (let p = indptr[i]; p < indptr[i + 1]; p++) {
        const o = K * indices[p];
        const v = data[p];
        for (let c = 0; c < K; c++) z[c] += x[o + c] * v;
      }
      let top = -Infinity;
      for (let c = 0; c < K; c++) if (z[c] > top) top = z[c];
      const yi = y[i];
      // log Σ e^{z_c} − z_{y_i}, both relative to the top score.
      f -= C * (z[yi] - top);
      let sum = 0;
      for (let c = 0; c < K; c++) sum += z[c] = Math.exp(z[c] - top);
      f += C * Math.log(sum);
      // z now holds the residuals C (p_c − [c = y_i]).
      for (let c = 0; c < K; c++) {
        const r = C * (z[c] / sum - (c === yi ? 1 : 0));
        z[c] = r;
        g[B + c] += r;
      }
      for (let p = indptr[i]; p < indptr[i + 1]; p++) {
        const o = K * indices[p];
        const v = data[p];
        for (let c = 0; c < K; c++) g[o + c] += z[c] * v;
      }
    }
    return f;
  };
}

/** anyClassLoss for k = 3, step for step. */
function threeClassLoss(X: CsrMatrix, y: ArrayLike<number>, C: number): SoftmaxLoss {
  const { indptr, indices, data, rows: n } = X;
  const B = 3 * X.cols;
  return (x, g) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let z0 = x[B];
      let z1 = x[B + 1];
      let z2 = x[B + 2];
      const start = indptr[i];
      const end = indptr[i + 1];
      for (let p = start; p < end; p++) {
        const o = 3 * indices[p];
        const v = data[p];
        z0 += x[o] * v;
        z1 += x[o + 1] * v;
        z2 += x[o + 2] * v;
      }
      let top = -Infinity;
      if (z0 > top) top = z0;
      if (z1 > top) top = z1;
      if (z2 > top) top = z2;
      const yi = y[i];
      f -= C * ((yi === 0 ? z0 : yi === 1 ? z1 : z2) - top);
      const e0 = Math.exp(z0 - top);
      const e1 = Math.exp(z1 - top);
      const e2 = Math.exp(z2 - top);
      const sum = e0 + e1 + e2;
      f += C * Math.log(sum);
      const r0 = C * (e0 / sum - (yi === 0 ? 1 : 0));
      const r1 = C * (e1 / sum - (yi === 1 ? 1 : 0));
      const r2 = C * (e2 / sum - (yi === 2 ? 1 : 0));
      g[B] += r0;
      g[B + 1] += r1;
      g[B + 2] += r2;
      for (let p = start; p < end; p++) {
        const o = 3 * indices[p];
        const v = data[p];
        g[o] += r0 * v;
        g[o + 1] += r1 * v;
        g[o + 2] += r2 * v;
      }
    }
    return f;
  };
}
