import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { takeRows } from '../../features/matrix.js';
import { availableParallelism } from 'node:os';
import { parallelHits } from './parallel-cv.js';
import { makeEstimator, type EstimatorSpec } from './estimators.js';
import { moreAccurateThenSmallerC, searchC } from './c-search.js';

export type { EstimatorSpec } from './estimators.js';

import { assignFolds } from './folds.js';

export { stratifiedKFold } from './folds.js';

export { takeRows } from '../../features/matrix.js';

/** Fraction of positions where the two label vectors agree. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) throw new SentivecError(`accuracy: ${yTrue.length} true labels vs ${yPred.length} predictions`);
  if (yTrue.length === 0) throw new SentivecError('accuracy of an empty set is undefined');
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

export interface Classifier {
  fit(X: CsrMatrix, y: ArrayLike<number>): unknown;
  predict(X: CsrMatrix): Uint8Array;
}

/**
 * Builds features for one CV split: anything fitted on labels (e.g. delta-idf)
 * must be fitted on `trainRows` only, so the held-out fold stays unseen.
 */
export type SplitFeaturizer = (trainRows: Int32Array, evalRows: Int32Array) => { train: CsrMatrix; eval: CsrMatrix };

/** The matrix behind each fixedFeatures featurizer, so the parallel path can copy rows straight into shared memory. */
const fixedSource = new WeakMap<SplitFeaturizer, CsrMatrix>();

/** Featurizer for features that need no fitting: just select rows. */
export function fixedFeatures(X: CsrMatrix): SplitFeaturizer {
  const featurize: SplitFeaturizer = (tr, ev) => ({ train: takeRows(X, tr), eval: takeRows(X, ev) });
  fixedSource.set(featurize, X);
  return featurize;
}

export interface CSelectionResult {
  C: number;
  /** Pooled cross-validation accuracy per grid value, in grid order. */
  scores: { C: number; accuracy: number }[];
}

/** Below this many rows a default thread count runs on one thread: starting workers would cost more than the fits. */
export const PARALLEL_MIN_ROWS = 2000;

/** Threads a CV search uses when the caller names none: min(2, cores), or one below PARALLEL_MIN_ROWS rows. */
export function defaultCvThreads(rows: number): number {
  return rows < PARALLEL_MIN_ROWS ? 1 : Math.min(2, availableParallelism());
}

export interface SelectCOptions {
  grid: readonly number[];
  folds: number;
  seed: number;
  /**
   * Threads for the (fold, C) fits when the model is an EstimatorSpec (a
   * closure cannot cross into a worker, so a `makeModel` function always runs
   * on this thread). Default min(2, cores), or 1 below 2,000 rows. The result
   * does not depend on it.
   */
  threads?: number;
  /** Group id per row: stratified group k-fold, no group in two folds (folds.ts). */
  groups?: ArrayLike<number>;
}

/**
 * k-fold stratified cross-validation of C, on the rows given (pass training
 * data only). Accuracy is pooled over all held-out rows; ties go to the
 * smaller C, the more regularized model (c-search.ts). Every fit of a given C gets the same
 * options (so the same seed) whatever its fold.
 */
export function selectC(
  model: ((C: number) => Classifier) | EstimatorSpec,
  data: CsrMatrix | SplitFeaturizer,
  y: ArrayLike<number>,
  opts: SelectCOptions,
): CSelectionResult {
  if (opts.grid.length === 0) throw new SentivecError('selectC: empty grid of C values');
  for (const C of opts.grid) if (!(C > 0) || !Number.isFinite(C)) throw new SentivecError(`selectC: C must be positive, got ${C}`);
  if (typeof data !== 'function' && y.length !== data.rows) throw new SentivecError(`got ${y.length} labels for ${data.rows} rows`);
  if (opts.threads !== undefined && (!Number.isInteger(opts.threads) || opts.threads < 1)) throw new SentivecError(`threads must be a positive integer, got ${opts.threads}`);
  const featurize = typeof data === 'function' ? data : fixedFeatures(data);
  const fold = assignFolds(y, opts.folds, opts.seed, opts.groups);
  let correct: Float64Array;
  if (typeof model === 'function') {
    correct = sequentialHits(model, featurize, y, fold, opts.grid, opts.folds);
  } else {
    // Built once here so bad options fail on this thread, before any worker starts.
    makeEstimator(model, opts.grid[0]);
    const threads = opts.threads ?? defaultCvThreads(y.length);
    correct = threads > 1
      ? parallelHits(model, typeof data === 'function' ? (fixedSource.get(data) ?? data) : data, y, fold, opts.grid, opts.folds, threads)
      : sequentialHits((C) => makeEstimator(model, C), featurize, y, fold, opts.grid, opts.folds);
  }
  const scores = opts.grid.map((C, g) => ({ C, accuracy: correct[g] / y.length }));
  const { best } = searchC({ grid: opts.grid, evaluate: () => scores, better: moreAccurateThenSmallerC });
  return { C: best.C, scores };
}

/** Held-out hits per grid value, summed over folds, on this thread. */
function sequentialHits(
  makeModel: (C: number) => Classifier,
  featurize: SplitFeaturizer,
  y: ArrayLike<number>,
  fold: Int32Array,
  grid: readonly number[],
  folds: number,
): Float64Array {
  const correct = new Float64Array(grid.length);
  for (let f = 0; f < folds; f++) {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? ev : tr).push(i);
    const { train: xTr, eval: xEv } = featurize(Int32Array.from(tr), Int32Array.from(ev));
    const yTr = Float64Array.from(tr, (i) => y[i]);
    const yEv = Float64Array.from(ev, (i) => y[i]);
    for (let g = 0; g < grid.length; g++) {
      const model = makeModel(grid[g]);
      model.fit(xTr, yTr);
      const pred = model.predict(xEv);
      if (pred.length !== ev.length) throw new SentivecError(`model returned ${pred.length} predictions for ${ev.length} rows`);
      for (let i = 0; i < ev.length; i++) if (pred[i] === yEv[i]) correct[g]++;
    }
  }
  return correct;
}
