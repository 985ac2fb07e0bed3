/**
 * What LinearSVC and LogisticRegression share: the options both take, the
 * fitted state (sklearn-style: coef, intercept, the dual variables, the
 * iterations run, whether the solver converged), fit() around a dual solver,
 * and the decision function. A subclass supplies its options' extra checks
 * and its solver.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { describeOptions, int, num, resolveOptions, type GivenOptions, type OptionDescription, type OptionTable } from '../../util/options.js';
import { checkCsr } from './sparse-rows.js';

/** The options LinearSVC and LogisticRegression share, declared once (src/util/options.ts). */
export const LINEAR_OPTIONS = {
  C: num({ min: 0, minExclusive: true, default: 1, description: 'inverse regularization strength: the cost of margin violations (liblinear -c)' }),
  tol: num({ min: 0, minExclusive: true, default: 0.1, description: 'stopping tolerance of the dual solver (liblinear -e)' }),
  bias: num({ default: 1, description: 'liblinear -B: append a constant feature of this value; ≤ 0 means no intercept' }),
  maxIter: int({ min: 1, default: 1000, description: 'outer iterations (passes over the training rows)' }),
  seed: int({ default: 1, description: 'seeds the per-pass permutation, so a seed fixes the solution bit for bit' }),
} satisfies OptionTable;

export type LinearOptions = GivenOptions<typeof LINEAR_OPTIONS>;

/** What a dual solver returns; `bias` 0 means no bias feature. */
export interface DualSolution {
  w: Float64Array;
  /** The bias feature's weight. */
  wb: number;
  alpha: Float64Array;
  iter: number;
  converged: boolean;
  dualObjective: number;
}

export abstract class LinearClassifier {
  readonly C: number;
  readonly tol: number;
  readonly bias: number;
  readonly maxIter: number;
  readonly seed: number;

  /** Weights, one per column of the training matrix. */
  coef: Float64Array = new Float64Array(0);
  /** w_bias · bias (0 without a bias feature); decision = coef·x + intercept. */
  intercept = 0;
  /** Dual variables α, one per training row (sklearn's dual_coef_ without the sign). */
  alpha: Float64Array = new Float64Array(0);
  /** The dual objective at the solution (LIBLINEAR prints this value). */
  dualObjective = Number.NaN;
  nIter = 0;
  converged = false;
  private fitted = false;

  protected constructor(
    private readonly name: string,
    opts: LinearOptions,
  ) {
    const o = resolveOptions(name, LINEAR_OPTIONS, opts);
    this.C = o.C;
    this.tol = o.tol;
    this.bias = o.bias;
    this.maxIter = o.maxIter;
    this.seed = o.seed;
  }

  /** The shared options as set, with their defaults and descriptions. */
  describe(): Record<string, OptionDescription> {
    return describeOptions(LINEAR_OPTIONS, { C: this.C, tol: this.tol, bias: this.bias, maxIter: this.maxIter, seed: this.seed });
  }

  /** The solver: ±1 labels, the bias feature's value (0: none), a fresh generator seeded with `seed`. */
  protected abstract solve(X: CsrMatrix, sign: Float64Array, bias: number, rng: Rng): DualSolution;

  fit(X: CsrMatrix, y: ArrayLike<number>): this {
    const sign = binaryLabels(X, y);
    const bias = this.bias > 0 ? this.bias : 0;
    const r = this.solve(X, sign, bias, new Rng(this.seed));
    this.coef = r.w;
    this.intercept = r.wb * bias;
    this.alpha = r.alpha;
    this.nIter = r.iter;
    this.converged = r.converged;
    this.dualObjective = r.dualObjective;
    this.fitted = true;
    return this;
  }

  decisionFunction(X: CsrMatrix): Float64Array {
    if (!this.fitted) throw new SentivecError(`${this.name}: call fit() before predicting`);
    return linearScores(X, this.coef, this.intercept);
  }

  /** 1 where the decision value is > 0 (LIBLINEAR's rule), else 0. */
  predict(X: CsrMatrix): Uint8Array {
    return thresholdScores(this.decisionFunction(X));
  }
}

/** ±1 per row from 0/1 labels; throws SentivecError on anything else. */
export function binaryLabels(X: CsrMatrix, y: ArrayLike<number>): Float64Array {
  checkCsr(X);
  if (y.length !== X.rows) throw new SentivecError(`got ${y.length} labels for ${X.rows} rows`);
  const sign = new Float64Array(y.length);
  let nPos = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) throw new SentivecError(`labels must be 0 or 1; row ${i} has ${v}`);
    sign[i] = v === 1 ? 1 : -1;
    nPos += v;
  }
  if (nPos === 0 || nPos === y.length) throw new SentivecError('training labels must contain both classes 0 and 1');
  return sign;
}

/** coef·x_i + intercept per row; the matrix must have as many columns as coef. */
export function linearScores(X: CsrMatrix, coef: Float64Array, intercept: number): Float64Array {
  checkCsr(X);
  if (X.cols !== coef.length) throw new SentivecError(`model has ${coef.length} features but the matrix has ${X.cols} columns`);
  const { indptr, indices, data } = X;
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = intercept;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) s += coef[indices[p]] * data[p];
    out[i] = s;
  }
  return out;
}

export function thresholdScores(scores: Float64Array): Uint8Array {
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] > 0 ? 1 : 0;
  return out;
}

export function positive(name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new SentivecError(`${name} must be a positive number, got ${v}`);
  return v;
}
