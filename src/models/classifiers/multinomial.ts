/**
 * Multinomial (softmax) logistic regression for k ≥ 2 classes,
 *   min_{W, b} ½‖W‖²_F + C Σ_i [log Σ_c e^{z_ic} − z_{i,y_i}],   z_i = W x_i + b,
 * by L-BFGS (lbfgs.ts). The intercepts b are not penalised (scikit-learn's
 * convention for lbfgs), so the class priors are learnt freely. One softmax,
 * not k one-vs-rest fits: its probabilities sum to 1 and are calibrated in
 * the sense of the log-loss it minimises.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { checkCsr } from './sparse-rows.js';
import { lbfgs } from './lbfgs.js';
import { softmaxLoss } from './softmax-loss.js';

export interface MultinomialOptions {
  /** Inverse regularization strength. Default 1. */
  C?: number;
  /** ‖∇‖∞ relative to its start (lbfgs.ts). Default 1e-4: held-out accuracy and log-loss no longer move (measured on airline tweets), at half the iterations of 1e-5. */
  tol?: number;
  maxIter?: number;
}

export class MultinomialLogisticRegression {
  readonly C: number;
  readonly tol: number;
  readonly maxIter: number;
  /** k × features, class-major. */
  coef: Float64Array = new Float64Array(0);
  intercepts: Float64Array = new Float64Array(0);
  classes = 0;
  nIter = 0;
  converged = false;

  constructor(opts: MultinomialOptions = {}) {
    this.C = opts.C ?? 1;
    this.tol = opts.tol ?? 1e-4;
    this.maxIter = opts.maxIter ?? 500;
    if (!(this.C > 0) || !Number.isFinite(this.C)) throw new SentivecError(`C must be a positive number, got ${this.C}`);
  }

  /**
   * y: class indices 0..k−1; k defaults to max(y) + 1. `start`: a fitted
   * model on the same rows and columns (another C) to start from — a warm
   * start along a C grid, the optimum moves little between neighbours.
   */
  fit(X: CsrMatrix, y: ArrayLike<number>, k?: number, start?: MultinomialLogisticRegression): this {
    checkCsr(X);
    if (y.length !== X.rows) throw new SentivecError(`got ${y.length} labels for ${X.rows} rows`);
    let top = 0;
    for (let i = 0; i < y.length; i++) {
      if (!Number.isInteger(y[i]) || y[i] < 0) throw new SentivecError(`labels must be class indices 0..k−1; row ${i} has ${y[i]}`);
      if (y[i] > top) top = y[i];
    }
    const K = k ?? top + 1;
    if (K < 2 || top >= K) throw new SentivecError(`need at least two classes (got labels up to ${top} for k = ${K})`);
    const F = X.cols;
    // x = [W (F × K, feature-major), b (K)] (softmax-loss.ts).
    const loss = softmaxLoss(X, y, K, this.C);
    const fg = (x: Float64Array, g: Float64Array): number => {
      let f = 0;
      for (let i = 0; i < K * F; i++) {
        f += 0.5 * x[i] * x[i];
        g[i] = x[i];
      }
      g.fill(0, K * F);
      return f + loss(x, g);
    };
    const x0 = new Float64Array(K * F + K);
    if (start && start.classes === K && start.coef.length === K * F) {
      for (let c = 0; c < K; c++) for (let j = 0; j < F; j++) x0[j * K + c] = start.coef[c * F + j];
      x0.set(start.intercepts, K * F);
    }
    // The tolerance is relative to the gradient at 0 (the cold start), wherever the search starts.
    const scale = Math.max(1, this.C * dataGradientAtZero(X, y, K));
    const r = lbfgs(fg, x0, { gradientTol: this.tol, maxIter: this.maxIter, scale });
    this.coef = new Float64Array(K * F);
    for (let c = 0; c < K; c++) for (let j = 0; j < F; j++) this.coef[c * F + j] = r.x[j * K + c];
    this.intercepts = r.x.slice(K * F);
    this.classes = K;
    this.nIter = r.iter;
    this.converged = r.converged;
    return this;
  }

  /**
   * The mean of fitted models on the same columns (e.g. a C search's fits on its splits at the chosen C):
   * a start for the fit on all their rows. Undefined when there are none or they do not agree in shape.
   */
  static mean(models: readonly unknown[], C: number): MultinomialLogisticRegression | undefined {
    const fits = models.filter((m): m is MultinomialLogisticRegression => m instanceof MultinomialLogisticRegression);
    if (fits.length === 0 || fits.length !== models.length || fits.some((m) => m.classes !== fits[0].classes || m.coef.length !== fits[0].coef.length)) return undefined;
    const mean = new MultinomialLogisticRegression({ C });
    mean.classes = fits[0].classes;
    mean.coef = new Float64Array(fits[0].coef.length);
    mean.intercepts = new Float64Array(fits[0].intercepts.length);
    for (const m of fits) {
      for (let i = 0; i < m.coef.length; i++) mean.coef[i] += m.coef[i] / fits.length;
      for (let c = 0; c < m.intercepts.length; c++) mean.intercepts[c] += m.intercepts[c] / fits.length;
    }
    return mean;
  }

  /** n × k decision values, row-major. */
  decisionFunction(X: CsrMatrix): Float64Array {
    return multiScores(X, this.coef, this.intercepts);
  }

  /** n × k probabilities, row-major. */
  predictProba(X: CsrMatrix): Float64Array {
    return softmaxRows(this.decisionFunction(X), this.classes);
  }

  predict(X: CsrMatrix): Int32Array {
    return argmaxRows(this.decisionFunction(X), this.classes);
  }
}

/** ‖∇‖∞ of the data term at W = 0, b = 0 per unit of C, by matrix and labels (a C search fits the same rows at every C). */
const zeroGradients = new WeakMap<CsrMatrix, { y: ArrayLike<number>; k: number; value: number }>();

/** At W = 0 every class has probability 1/k, so the gradient is C Σ_i (1/k − [c = y_i]) x_i: C times a constant of the data. */
function dataGradientAtZero(X: CsrMatrix, y: ArrayLike<number>, k: number): number {
  const known = zeroGradients.get(X);
  if (known && known.y === y && known.k === k) return known.value;
  const F = X.cols;
  const g = new Float64Array(k * F + k);
  for (let i = 0; i < X.rows; i++) {
    for (let c = 0; c < k; c++) {
      const r = 1 / k - (c === y[i] ? 1 : 0);
      g[k * F + c] += r;
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) g[k * X.indices[p] + c] += r * X.data[p];
    }
  }
  let value = 0;
  for (const v of g) value = Math.max(value, Math.abs(v));
  zeroGradients.set(X, { y, k, value });
  return value;
}

/** n × k scores W x_i + b, row-major; W is k × cols, class-major. */
export function multiScores(X: CsrMatrix, coef: Float64Array, intercepts: Float64Array): Float64Array {
  checkCsr(X);
  const K = intercepts.length;
  const F = X.cols;
  if (coef.length !== K * F) throw new SentivecError(`model has ${coef.length / Math.max(1, K)} features per class but the matrix has ${F} columns`);
  const out = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    for (let c = 0; c < K; c++) {
      let s = intercepts[c];
      const o = c * F;
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) s += coef[o + X.indices[p]] * X.data[p];
      out[i * K + c] = s;
    }
  }
  return out;
}

/** Softmax of each row of an n × k matrix (a new array). */
export function softmaxRows(scores: Float64Array, k: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let o = 0; o < scores.length; o += k) {
    let top = -Infinity;
    for (let c = 0; c < k; c++) top = Math.max(top, scores[o + c]);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[o + c] = Math.exp(scores[o + c] - top);
    for (let c = 0; c < k; c++) out[o + c] /= sum;
  }
  return out;
}

/** The largest entry's column per row (ties: the lower class). */
export function argmaxRows(scores: Float64Array, k: number): Int32Array {
  const out = new Int32Array(scores.length / k);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (scores[i * k + c] > scores[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

