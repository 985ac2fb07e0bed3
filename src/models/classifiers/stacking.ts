/**
 * Late fusion by stacking (Wolpert 1992): a logistic regression whose inputs
 * are the members' decision values, one column per member. It is fitted on
 * the members' out-of-fold values on the training rows (out-of-fold.ts), never
 * on values from models that saw the row, and its own C is chosen by a second
 * cross-validation over those values, so the member weights are a nested-CV
 * choice on training data. At prediction time it reads the members' scores
 * from their models fitted on all training rows.
 *
 * Each column is standardized with the out-of-fold mean and deviation first:
 * members score on different scales (an SVM margin, a log-odds), and one C
 * should regularize their weights alike.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { denseToCsr } from '../../features/matrix.js';
import { SentivecError } from '../../util/errors.js';
import { LogisticRegression } from './logistic.js';
import { selectC, type CSelectionResult } from './model-selection.js';

/** The stacker's C candidates: few columns, so the grid spans strong to no regularization. */
export const STACKER_C_GRID: readonly number[] = [0.001, 0.01, 0.1, 1, 10];
/** A handful of columns: a tight tolerance costs nothing and keeps the weights exact. */
const STACKER_TOL = 1e-4;

export interface StackerOptions {
  folds: number;
  seed: number;
  grid?: readonly number[];
}

export class Stacker {
  readonly members: number;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;
  private readonly model: LogisticRegression;
  /** The stacker's C and the CV accuracy of every candidate (on out-of-fold scores). */
  readonly selection: CSelectionResult;

  private constructor(mean: Float64Array, scale: Float64Array, model: LogisticRegression, selection: CSelectionResult) {
    this.members = mean.length;
    this.mean = mean;
    this.scale = scale;
    this.model = model;
    this.selection = selection;
  }

  /** `oof[m][i]`: member m's out-of-fold decision value for training row i. */
  static fit(oof: readonly Float64Array[], y: ArrayLike<number>, opts: StackerOptions): Stacker {
    if (oof.length === 0) throw new SentivecError('stacking needs at least one member');
    for (const col of oof) if (col.length !== y.length) throw new SentivecError(`a member has ${col.length} out-of-fold scores for ${y.length} rows`);
    const m = oof.length;
    const mean = new Float64Array(m);
    const scale = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      let s = 0;
      let s2 = 0;
      for (const v of oof[k]) {
        s += v;
        s2 += v * v;
      }
      mean[k] = s / y.length;
      const sd = Math.sqrt(Math.max(0, s2 / y.length - mean[k] ** 2));
      scale[k] = sd > 0 ? 1 / sd : 1;
    }
    const X = standardized(oof, mean, scale);
    // Other folds than the members' (seed + 1): the stacker's C is scored on splits its inputs were not made on.
    const selection = selectC((C) => new LogisticRegression({ C, seed: opts.seed, tol: STACKER_TOL }), X, y, { grid: opts.grid ?? STACKER_C_GRID, folds: opts.folds, seed: opts.seed + 1 });
    return new Stacker(mean, scale, new LogisticRegression({ C: selection.C, seed: opts.seed, tol: STACKER_TOL }).fit(X, y), selection);
  }

  /** The weight of each member's standardized score. */
  get weights(): Float64Array {
    return this.model.coef.slice();
  }

  /** Log-odds of the positive class from the members' scores on some rows (`scores[m][i]`). */
  decisionFunction(scores: readonly Float64Array[]): Float64Array {
    if (scores.length !== this.members) throw new SentivecError(`stacker has ${this.members} members, got ${scores.length} score columns`);
    return this.model.decisionFunction(standardized(scores, this.mean, this.scale));
  }

  predict(scores: readonly Float64Array[]): Uint8Array {
    return Uint8Array.from(this.decisionFunction(scores), (v) => (v > 0 ? 1 : 0));
  }
}

/** Rows × members design matrix of standardized scores. */
function standardized(scores: readonly Float64Array[], mean: Float64Array, scale: Float64Array): CsrMatrix {
  const m = scores.length;
  const n = scores[0].length;
  const z = new Float32Array(n * m);
  for (let k = 0; k < m; k++) {
    if (scores[k].length !== n) throw new SentivecError('members scored different numbers of rows');
    for (let i = 0; i < n; i++) z[i * m + k] = (scores[k][i] - mean[k]) * scale[k];
  }
  return denseToCsr(z, m);
}
