/**
 * Ridge regression (L2-regularised least squares) on sparse rows with an
 * unpenalised intercept:
 *   min_w ½‖X_c w − (y − ȳ)‖² + ½α‖w‖²,   intercept = ȳ − mᵀw,
 * X_c the column-centred X with column means m. X_c is never formed (it
 * would be dense): X_c w = Xw − 1·(mᵀw) and X_cᵀr = Xᵀr − m·Σr. The normal
 * equations (X_cᵀX_c + αI) w = X_cᵀ(y − ȳ) are positive definite, so
 * conjugate gradients solve them with two sparse products per iteration,
 * and a solution at a neighbouring α is a good start (the α path of the
 * inner cross-validation, rating-head.ts).
 */
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { checkCsr } from './sparse-rows.js';
import { int, num, resolveOptions, type GivenOptions, type OptionTable, type OptionValues } from '../../util/options.js';

export const RIDGE_OPTIONS = {
  alpha: num({ min: 0, minExclusive: true, default: 1, description: "regularization strength α (scikit-learn's Ridge alpha)" }),
  // 1e-4: held-out error no longer moves.
  tol: num({ min: 0, minExclusive: true, default: 1e-4, description: 'stop when ‖residual‖ ≤ tol · ‖X_cᵀ(y − ȳ)‖' }),
  maxIter: int({ min: 1, default: 1000, description: 'conjugate-gradient iterations at most' }),
} satisfies OptionTable;

export type RidgeOptions = GivenOptions<typeof RIDGE_OPTIONS>;

export class RidgeRegression {
  readonly options: OptionValues<typeof RIDGE_OPTIONS>;
  coef: Float64Array = new Float64Array(0);
  intercept = 0;
  nIter = 0;

  constructor(opts: RidgeOptions = {}) {
    this.options = resolveOptions('RidgeRegression', RIDGE_OPTIONS, opts);
  }

  get alpha(): number {
    return this.options.alpha;
  }

  /** `start`: a model fitted on the same columns (another α) to start from. */
  fit(X: CsrMatrix, y: ArrayLike<number>, start?: RidgeRegression): this {
    checkCsr(X);
    const n = X.rows;
    const F = X.cols;
    if (y.length !== n) throw new SentivecError(`got ${y.length} targets for ${n} rows`);
    if (n === 0) throw new SentivecError('ridge regression needs at least one row');
    let yMean = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i])) throw new SentivecError(`target of row ${i} is ${y[i]}; expected a finite number`);
      yMean += y[i] / n;
    }
    const m = new Float64Array(F);
    for (let p = 0; p < X.indptr[n]; p++) m[X.indices[p]] += X.data[p] / n;
    const { alpha, tol, maxIter } = this.options;
    const rows = new Float64Array(n);
    // A v = X_cᵀ X_c v + α v (writes into out).
    const apply = (v: Float64Array, out: Float64Array): void => {
      centredTimes(X, m, v, rows);
      centredTransposeTimes(X, m, rows, out);
      for (let j = 0; j < F; j++) out[j] += alpha * v[j];
    };
    const b = new Float64Array(F);
    for (let i = 0; i < n; i++) rows[i] = y[i] - yMean;
    centredTransposeTimes(X, m, rows, b);
    const w = start && start.coef.length === F ? Float64Array.from(start.coef) : new Float64Array(F);
    const r = new Float64Array(F);
    const Ap = new Float64Array(F);
    apply(w, Ap);
    for (let j = 0; j < F; j++) r[j] = b[j] - Ap[j];
    const d = Float64Array.from(r);
    let rr = dot(r, r);
    const stop = (tol * Math.sqrt(dot(b, b))) ** 2;
    let iter = 0;
    while (rr > stop && iter < maxIter) {
      apply(d, Ap);
      const step = rr / dot(d, Ap);
      for (let j = 0; j < F; j++) {
        w[j] += step * d[j];
        r[j] -= step * Ap[j];
      }
      const next = dot(r, r);
      const beta = next / rr;
      rr = next;
      for (let j = 0; j < F; j++) d[j] = r[j] + beta * d[j];
      iter++;
    }
    this.coef = w;
    this.intercept = yMean - dot(m, w);
    this.nIter = iter;
    return this;
  }

  predict(X: CsrMatrix): Float64Array {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = this.intercept;
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) s += X.data[p] * this.coef[X.indices[p]];
      out[i] = s;
    }
    return out;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/** out = X v − 1·(mᵀv). */
function centredTimes(X: CsrMatrix, m: Float64Array, v: Float64Array, out: Float64Array): void {
  const shift = dot(m, v);
  for (let i = 0; i < X.rows; i++) {
    let s = -shift;
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) s += X.data[p] * v[X.indices[p]];
    out[i] = s;
  }
}

/** out = Xᵀ r − m·Σr. */
function centredTransposeTimes(X: CsrMatrix, m: Float64Array, r: Float64Array, out: Float64Array): void {
  let total = 0;
  for (let i = 0; i < X.rows; i++) total += r[i];
  for (let j = 0; j < out.length; j++) out[j] = -m[j] * total;
  for (let i = 0; i < X.rows; i++) {
    const ri = r[i];
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) out[X.indices[p]] += X.data[p] * ri;
  }
}
