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
import { binaryScores, type CsrMatrix } from '../../features/csr.js';
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
  lr: num({ min: 0, minExclusive: true, default: 0.02, description: "Adam's starting learning rate, annealed to 0 along half a cosine" }),
  epochs: int({ min: 1, default: 2, description: 'passes over the training rows (the schedule spans them all)' }),
  batch: int({ min: 1, default: 64, description: 'rows per Adam step' }),
  seed: LINEAR_OPTIONS.seed,
} satisfies OptionTable;

export type NbTrainableOptions = OptionValues<typeof NB_TRAINABLE_OPTIONS>;

/** The settings CV chooses among (each its own fit), in order of preference: the shorter schedules first. */
export interface NbTrainableGrid {
  lrs: readonly number[];
  epochs: readonly number[];
}

/**
 * Learning rate and epochs tried by the `nbsvm-pp` row. 5-fold CV on IMDb
 * train, trigrams (BENCHMARKS.md #11): lr 0.02 with 2 / 3 epochs 92.08 /
 * 92.05, against 91.34 (0.05, 2), 91.95 (0.03, 2), 91.59 (0.02, 1), 91.68
 * (0.01, 2): the step count × rate has one sweet spot, so the grid spends
 * its 2 fits per fold around it.
 */
export const DEFAULT_NB_TRAINABLE_GRID: Readonly<NbTrainableGrid> = { lrs: [0.02], epochs: [2, 3] };

/**
 * Everything the fit keeps per column, interleaved so that one column's
 * values share a 64-byte cache line: the fit touches ~40k scattered columns of
 * ~4.4 M per step, and eight separate arrays cost eight cache misses each.
 */
const STRIDE = 8;
const W = 0;
const R = 1;
const GW = 2;
const GR = 3;
const MW = 4;
const VW = 5;
const MR = 6;
const VR = 7;

/** The fit's state: per column w, r, their gradient sums and Adam moments (STRIDE apart); b and its own. */
export class NbTrainableState {
  readonly cols: number;
  readonly data: Float64Array;
  b = 0;
  gb = 0;
  /** The first `count` entries of `touched` are the columns with a gradient, each once. */
  readonly touched: Int32Array;
  count = 0;
  private readonly mark: Uint8Array;
  /** b's Adam moments. */
  private mb = 0;
  private vb = 0;

  constructor(w: ArrayLike<number>, r: ArrayLike<number>) {
    if (w.length !== r.length) throw new SentivecError(`w has ${w.length} columns and r ${r.length}`);
    this.cols = w.length;
    this.data = new Float64Array(STRIDE * w.length);
    for (let j = 0; j < w.length; j++) {
      this.data[STRIDE * j + W] = w[j];
      this.data[STRIDE * j + R] = r[j];
    }
    this.touched = new Int32Array(w.length);
    this.mark = new Uint8Array(w.length);
  }

  w(j: number): number {
    return this.data[STRIDE * j + W];
  }

  r(j: number): number {
    return this.data[STRIDE * j + R];
  }

  /** The gradient sums of column j since the last step: [∂/∂w_j, ∂/∂r_j]. */
  gradient(j: number): [number, number] {
    return [this.data[STRIDE * j + GW], this.data[STRIDE * j + GR]];
  }

  set(j: number, w: number, r: number): void {
    this.data[STRIDE * j + W] = w;
    this.data[STRIDE * j + R] = r;
  }

  /** z for row i of X. */
  score(X: CsrMatrix, i: number): number {
    const s = this.data;
    let z = this.b;
    for (let q = X.indptr[i]; q < X.indptr[i + 1]; q++) {
      const k = STRIDE * X.indices[q];
      if (X.data[q] !== 0) z += ((s[k + W] + W_ADJ) * s[k + R]) / R_ADJ;
    }
    return z;
  }

  /** Mean logistic loss of `rows` of X (labels 0/1). */
  loss(X: CsrMatrix, y: ArrayLike<number>, rows: ArrayLike<number>): number {
    let loss = 0;
    for (let k = 0; k < rows.length; k++) loss += softplusNeg((y[rows[k]] === 1 ? 1 : -1) * this.score(X, rows[k]));
    return loss / rows.length;
  }

  /** Adds the gradient of `loss` over `rows` (its mean) to the gradient sums. */
  addGradient(X: CsrMatrix, y: ArrayLike<number>, rows: ArrayLike<number>): void {
    const s = this.data;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const z = this.score(X, i);
      // d/dz of log(1 + e^(−(2y−1)z)) is σ(z) − y.
      const scale = ((z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))) - y[i]) / rows.length / R_ADJ;
      this.gb += scale * R_ADJ;
      for (let q = X.indptr[i]; q < X.indptr[i + 1]; q++) {
        if (X.data[q] === 0) continue;
        const j = X.indices[q];
        if (this.mark[j] === 0) {
          this.mark[j] = 1;
          this.touched[this.count++] = j;
        }
        const c = STRIDE * j;
        s[c + GW] += scale * s[c + R];
        s[c + GR] += scale * (s[c + W] + W_ADJ);
      }
    }
  }

  /** One lazy Adam step at `rate` (step number t ≥ 1) on the touched columns and b; clears the gradient sums. */
  adamStep(rate: number, t: number): void {
    const s = this.data;
    const c1 = 1 - ADAM_B1 ** t;
    const c2 = 1 - ADAM_B2 ** t;
    for (let k = 0; k < this.count; k++) {
      const j = this.touched[k];
      this.mark[j] = 0;
      const c = STRIDE * j;
      const gw = s[c + GW];
      const gr = s[c + GR];
      s[c + MW] = ADAM_B1 * s[c + MW] + (1 - ADAM_B1) * gw;
      s[c + VW] = ADAM_B2 * s[c + VW] + (1 - ADAM_B2) * gw * gw;
      s[c + W] -= (rate * (s[c + MW] / c1)) / (Math.sqrt(s[c + VW] / c2) + ADAM_EPS);
      s[c + MR] = ADAM_B1 * s[c + MR] + (1 - ADAM_B1) * gr;
      s[c + VR] = ADAM_B2 * s[c + VR] + (1 - ADAM_B2) * gr * gr;
      s[c + R] -= (rate * (s[c + MR] / c1)) / (Math.sqrt(s[c + VR] / c2) + ADAM_EPS);
      s[c + GW] = 0;
      s[c + GR] = 0;
    }
    this.count = 0;
    this.mb = ADAM_B1 * this.mb + (1 - ADAM_B1) * this.gb;
    this.vb = ADAM_B2 * this.vb + (1 - ADAM_B2) * this.gb * this.gb;
    this.b -= (rate * (this.mb / c1)) / (Math.sqrt(this.vb / c2) + ADAM_EPS);
    this.gb = 0;
  }
}

/** log(1 + e^(−m)) without overflow. */
function softplusNeg(m: number): number {
  return m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
}

export class NbTrainable {
  readonly options: NbTrainableOptions;
  private weights = new Float64Array(0);
  private bias = 0;
  private fitted = false;

  constructor(options: GivenOptions<typeof NB_TRAINABLE_OPTIONS> = {}) {
    this.options = resolveOptions('NB logistic regression with trainable weights', NB_TRAINABLE_OPTIONS, options);
  }

  describe(): Record<string, OptionDescription> {
    return describeOptions(NB_TRAINABLE_OPTIONS, this.options);
  }

  get intercept(): number {
    return this.bias;
  }

  /** X: binary features (any nonzero counts as present); y: 0/1. */
  fit(X: CsrMatrix, y: ArrayLike<number>): this {
    if (y.length !== X.rows) throw new SentivecError(`got ${y.length} labels for ${X.rows} rows`);
    const { alpha, lr, epochs, batch, seed } = this.options;
    const rng = new Rng(seed);
    const w = Float64Array.from({ length: X.cols }, () => (2 * rng.next() - 1) * INIT);
    const state = new NbTrainableState(w, NbRatios.fit(X, y, { alpha }).ratios(1));
    const order = Int32Array.from({ length: X.rows }, (_, i) => i);
    const steps = epochs * Math.ceil(X.rows / batch);
    let t = 0;
    for (let e = 0; e < epochs; e++) {
      rng.shuffle(order);
      for (let start = 0; start < X.rows; start += batch) {
        state.addGradient(X, y, order.subarray(start, Math.min(X.rows, start + batch)));
        state.adamStep(lr * 0.5 * (1 + Math.cos((Math.PI * t) / steps)), ++t);
      }
    }
    this.weights = Float64Array.from({ length: X.cols }, (_, j) => ((state.w(j) + W_ADJ) * state.r(j)) / R_ADJ);
    this.bias = state.b;
    this.fitted = true;
    return this;
  }

  /** (w_j + a) r_j / s per column: a document's score is the sum over its present columns plus `intercept`. */
  featureWeights(): Float64Array {
    if (!this.fitted) throw new SentivecError('NbTrainable: call fit() before predicting');
    return this.weights.slice();
  }

  decisionFunction(X: CsrMatrix): Float64Array {
    if (!this.fitted) throw new SentivecError('NbTrainable: call fit() before predicting');
    return binaryScores(X, this.weights, this.bias);
  }

  predict(X: CsrMatrix): Uint8Array {
    return Uint8Array.from(this.decisionFunction(X), (s) => (s > 0 ? 1 : 0));
  }
}
