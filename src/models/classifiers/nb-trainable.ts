/**
 * NB-weighted logistic regression with trainable NB weights ("NBSVM++",
 * fast.ai's machine-learning course, lesson 5): a document's score is
 *   z = b + Σ_{j: x_j ≠ 0} (w_j + a) · r_j / s,
 * over binarized features x, where r starts at the Naive-Bayes log-count
 * ratios (features/nb-ratios.ts, fitted on the same training rows, so a CV
 * fold never lets held-out labels into them) and w at small uniform noise.
 * Both w and r (and b) are then trained on the logistic loss, so the model
 * starts at the MNB direction (at w = 0 the weights are a·r/s) and moves
 * only as far as the data pull it: r scales the step each feature takes, and
 * rare n-grams keep roughly their NB weight instead of being shrunk to 0 as an
 * L2 penalty would. There is no penalty; the regularization is the short,
 * annealed schedule (learning rate and epochs chosen by CV on train).
 *
 * a = 0.4 and s = 10 are fast.ai's w_adj and r_adj. Optimizer: minibatch
 * Adam, learning rate falling from `lr` to 0 along half a cosine over all
 * steps (fast.ai's one-cycle-per-fit), each epoch a fresh shuffle. Adam is
 * lazy (as PyTorch's SparseAdam): a step updates only the columns its
 * minibatch touches, since a dense step would sweep all ~4.4 M trigram
 * columns 400 times an epoch.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { NbRatios } from '../../features/nb-ratios.js';
import { SentivecError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { describeOptions, int, num, resolveOptions, type GivenOptions, type OptionDescription, type OptionTable, type OptionValues } from '../../util/options.js';
import { LINEAR_OPTIONS } from './linear-base.js';

/** fast.ai's w_adj: the offset added to every trainable weight. */
const W_ADJ = 0.4;
/** fast.ai's r_adj: the divisor of every ratio. */
const R_ADJ = 10;
/** w starts uniform in ±INIT (fast.ai's embedding init). */
const INIT = 0.1;
const ADAM_B1 = 0.9;
const ADAM_B2 = 0.999;
const ADAM_EPS = 1e-8;

export const NB_TRAINABLE_OPTIONS = {
  alpha: num({ min: 0, minExclusive: true, default: 1, description: 'NB smoothing α of the starting ratios r (Wang & Manning 2012)' }),
  lr: num({ min: 0, minExclusive: true, default: 0.05, description: "Adam's starting learning rate, annealed to 0 along half a cosine" }),
  epochs: int({ min: 1, default: 3, description: 'passes over the training rows (the schedule spans them all)' }),
  batch: int({ min: 1, default: 64, description: 'rows per Adam step' }),
  seed: LINEAR_OPTIONS.seed,
} satisfies OptionTable;

export type NbTrainableOptions = OptionValues<typeof NB_TRAINABLE_OPTIONS>;

/** The settings CV chooses among (each its own fit), in order of preference: the shorter schedules first. */
export interface NbTrainableGrid {
  lrs: readonly number[];
  epochs: readonly number[];
}

/** Learning rate and epochs tried by the `nbsvm-pp` row (5-fold CV on IMDb train, BENCHMARKS.md #11, picked these ranges). */
export const DEFAULT_NB_TRAINABLE_GRID: Readonly<NbTrainableGrid> = { lrs: [0.02, 0.05], epochs: [2, 3] };

/** The trainable parameters: per-column w and r, and the intercept b. */
export interface NbTrainableParams {
  w: Float64Array;
  r: Float64Array;
  b: number;
}

/** z for row i of X. */
function rowScore(X: CsrMatrix, i: number, p: NbTrainableParams): number {
  let z = p.b;
  for (let q = X.indptr[i]; q < X.indptr[i + 1]; q++) {
    const j = X.indices[q];
    if (X.data[q] !== 0) z += ((p.w[j] + W_ADJ) * p.r[j]) / R_ADJ;
  }
  return z;
}

/** log(1 + e^(−m)) without overflow. */
function softplusNeg(m: number): number {
  return m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
}

/** Mean logistic loss of `rows` of X under p (labels 0/1). */
export function nbTrainableLoss(X: CsrMatrix, y: ArrayLike<number>, rows: ArrayLike<number>, p: NbTrainableParams): number {
  let loss = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    loss += softplusNeg((y[i] === 1 ? 1 : -1) * rowScore(X, i, p));
  }
  return loss / rows.length;
}

/** Gradient scratch: dense per-column sums, and the columns they are nonzero on. */
export interface NbTrainableGradient {
  w: Float64Array;
  r: Float64Array;
  b: number;
  /** The first `count` entries are the columns touched, each once. */
  touched: Int32Array;
  count: number;
  mark: Uint8Array;
}

export function emptyGradient(cols: number): NbTrainableGradient {
  return { w: new Float64Array(cols), r: new Float64Array(cols), b: 0, touched: new Int32Array(cols), count: 0, mark: new Uint8Array(cols) };
}

/** Adds the gradient of nbTrainableLoss over `rows` (its mean) into g. */
export function addGradient(X: CsrMatrix, y: ArrayLike<number>, rows: ArrayLike<number>, p: NbTrainableParams, g: NbTrainableGradient): void {
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const z = rowScore(X, i, p);
    // d/dz of log(1 + e^(−(2y−1)z)) is σ(z) − y.
    const dz = (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))) - y[i];
    const scale = dz / rows.length;
    g.b += scale;
    for (let q = X.indptr[i]; q < X.indptr[i + 1]; q++) {
      const j = X.indices[q];
      if (X.data[q] === 0) continue;
      if (g.mark[j] === 0) {
        g.mark[j] = 1;
        g.touched[g.count++] = j;
      }
      g.w[j] += (scale * p.r[j]) / R_ADJ;
      g.r[j] += (scale * (p.w[j] + W_ADJ)) / R_ADJ;
    }
  }
}

export class NbTrainable {
  readonly options: NbTrainableOptions;
  private params: NbTrainableParams = { w: new Float64Array(0), r: new Float64Array(0), b: 0 };
  private fitted = false;

  constructor(options: GivenOptions<typeof NB_TRAINABLE_OPTIONS> = {}) {
    this.options = resolveOptions('NB logistic regression with trainable weights', NB_TRAINABLE_OPTIONS, options);
  }

  describe(): Record<string, OptionDescription> {
    return describeOptions(NB_TRAINABLE_OPTIONS, this.options);
  }

  get intercept(): number {
    return this.params.b;
  }

  /** X: binary features (any nonzero counts as present); y: 0/1. */
  fit(X: CsrMatrix, y: ArrayLike<number>): this {
    if (y.length !== X.rows) throw new SentivecError(`got ${y.length} labels for ${X.rows} rows`);
    const { alpha, lr, epochs, batch, seed } = this.options;
    const d = X.cols;
    const rng = new Rng(seed);
    const p: NbTrainableParams = { w: new Float64Array(d), r: NbRatios.fit(X, y, { alpha }).ratios(1), b: 0 };
    for (let j = 0; j < d; j++) p.w[j] = (2 * rng.next() - 1) * INIT;
    const m = { w: new Float64Array(d), r: new Float64Array(d), b: 0 };
    const v = { w: new Float64Array(d), r: new Float64Array(d), b: 0 };
    const g = emptyGradient(d);
    const order = Int32Array.from({ length: X.rows }, (_, i) => i);
    const steps = epochs * Math.ceil(X.rows / batch);
    let t = 0;
    for (let e = 0; e < epochs; e++) {
      rng.shuffle(order);
      for (let start = 0; start < X.rows; start += batch) {
        addGradient(X, y, order.subarray(start, Math.min(X.rows, start + batch)), p, g);
        const rate = lr * 0.5 * (1 + Math.cos((Math.PI * t) / steps));
        t++;
        const c1 = 1 - ADAM_B1 ** t;
        const c2 = 1 - ADAM_B2 ** t;
        const step = (mo: Float64Array, ve: Float64Array, x: Float64Array, gr: Float64Array, j: number): void => {
          mo[j] = ADAM_B1 * mo[j] + (1 - ADAM_B1) * gr[j];
          ve[j] = ADAM_B2 * ve[j] + (1 - ADAM_B2) * gr[j] * gr[j];
          x[j] -= (rate * (mo[j] / c1)) / (Math.sqrt(ve[j] / c2) + ADAM_EPS);
          gr[j] = 0;
        };
        for (let k = 0; k < g.count; k++) {
          const j = g.touched[k];
          g.mark[j] = 0;
          step(m.w, v.w, p.w, g.w, j);
          step(m.r, v.r, p.r, g.r, j);
        }
        g.count = 0;
        m.b = ADAM_B1 * m.b + (1 - ADAM_B1) * g.b;
        v.b = ADAM_B2 * v.b + (1 - ADAM_B2) * g.b * g.b;
        p.b -= (rate * (m.b / c1)) / (Math.sqrt(v.b / c2) + ADAM_EPS);
        g.b = 0;
      }
    }
    this.params = p;
    this.fitted = true;
    return this;
  }

  /** (w_j + a) r_j / s per column: a document's score is the sum over its present columns plus `intercept`. */
  featureWeights(): Float64Array {
    if (!this.fitted) throw new SentivecError('NbTrainable: call fit() before predicting');
    const { w, r } = this.params;
    return Float64Array.from(w, (wj, j) => ((wj + W_ADJ) * r[j]) / R_ADJ);
  }

  decisionFunction(X: CsrMatrix): Float64Array {
    if (!this.fitted) throw new SentivecError('NbTrainable: call fit() before predicting');
    if (X.cols !== this.params.w.length) throw new SentivecError(`model has ${this.params.w.length} features but the matrix has ${X.cols} columns`);
    return Float64Array.from({ length: X.rows }, (_, i) => rowScore(X, i, this.params));
  }

  predict(X: CsrMatrix): Uint8Array {
    return Uint8Array.from(this.decisionFunction(X), (s) => (s > 0 ? 1 : 0));
  }
}
