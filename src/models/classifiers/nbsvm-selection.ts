/**
 * NBSVM's α (NB smoothing), C and β (interpolation) by stratified k-fold
 * cross-validation on training rows only. Each fold refits the NB ratios on
 * its training part and fits one linear model per (α, floor, loss,
 * intercept, C), scoring every β on it (nbsvm-fold.ts); the folds run on
 * `threads` threads (nbsvm-fold-pool.ts), with the same result on any number.
 * Accuracy is pooled over all held-out rows; ties keep the earlier grid value
 * (grids are listed in order of preference: the simpler, more regularised
 * model first).
 *
 * The same fits give each row's out-of-fold decision value at the chosen
 * point (`oof`): what a stacked ensemble learns its weights from, computed
 * from training rows only and at no extra cost.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { foldSplits, gridFold, poolFolds, type GridCvResult } from './grid-cv.js';
import { defaultCvThreads } from './model-selection.js';
import type { NbLoss } from './nbsvm.js';
import { scoreNbSvmFold, type NbSvmFit, type NbSvmFoldPlan } from './nbsvm-fold.js';
import { scoreFoldsInParallel } from './nbsvm-fold-pool.js';

export interface NbSvmGrid {
  alphas: readonly number[];
  /** Document-frequency floors tried (NbSvm's minDf; default: 1 only). */
  minDfs?: readonly number[];
  Cs: readonly number[];
  betas: readonly number[];
  /** The linear models tried on x̂ ∘ r (default: the SVM only). */
  losses?: readonly NbLoss[];
  /** liblinear -B values tried: 1 an intercept, 0 none (default: 1 only). */
  biases?: readonly number[];
}

/**
 * α = 1 (Wang & Manning's); logistic regression on x̂ ∘ r with no intercept
 * (Mesnil et al.'s liblinear call); the n-grams' document-frequency floor
 * minDf ∈ {1, 2} (2 drops the n-grams of a single training review);
 * C ∈ {0.3, 1}; β ∈ {0, 0.25, 0.5, 0.75} (0.75 is Wang & Manning's own
 * interpolation, their β = 0.25). 5-fold CV on IMDb train, trigrams
 * (BENCHMARKS.md #11, session g): at C 0.3, β 0 / 0.25 / 0.5 / 0.75 gave
 * 91.70 / 91.75 / 91.84 / 92.02%, and minDf 2 at C 1 91.84 / 91.89 / 92.02 /
 * 92.11%; an intercept lost in session f (91.64 against 91.78%) and leaves
 * the grid. β changes no fit, so this is 4 fits per fold, as before.
 */
export const DEFAULT_NBSVM_GRID: Readonly<NbSvmGrid> = { alphas: [1], minDfs: [1, 2], losses: ['logistic'], biases: [0], Cs: [0.3, 1], betas: [0, 0.25, 0.5, 0.75] };

export interface NbSvmScore {
  alpha: number;
  minDf: number;
  loss: NbLoss;
  bias: number;
  C: number;
  beta: number;
  accuracy: number;
}

export interface NbSvmSelection {
  alpha: number;
  minDf: number;
  loss: NbLoss;
  bias: number;
  C: number;
  beta: number;
  /** Pooled CV accuracy of every grid point. */
  scores: NbSvmScore[];
  /** Each training row's decision value from the fold model that did not see it, at the chosen (α, C, β). */
  oof: Float64Array;
}

export interface NbSvmSelectOptions {
  folds: number;
  seed: number;
  /** Group id per row: no group in two folds (folds.ts). */
  groups?: ArrayLike<number>;
  /** Leading real-valued columns of X (document vectors), passed to NbSvm.fit. */
  rawColumns?: number;
  /** Called after each (fold, α, floor, loss, bias, C) fit, for progress. */
  onFit?: (done: number, total: number) => void;
  /**
   * Threads scoring folds (nbsvm-fold-pool.ts). Default min(2, cores), or 1
   * below PARALLEL_MIN_ROWS rows (defaultCvThreads); pass 1 when another thread of the run is
   * busy (reproduce's dv-ngrams worker). The result does not depend on it.
   */
  threads?: number;
}

export function selectNbSvm(X: CsrMatrix, y: ArrayLike<number>, grid: NbSvmGrid, opts: NbSvmSelectOptions): NbSvmSelection {
  const losses = grid.losses ?? ['squared-hinge'];
  const biases = grid.biases ?? [1];
  const minDfs = grid.minDfs ?? [1];
  if (grid.alphas.length === 0 || minDfs.length === 0 || grid.Cs.length === 0 || grid.betas.length === 0 || losses.length === 0 || biases.length === 0) throw new SentivecError('NBSVM selection: every grid needs at least one value');
  // One entry per fit, in grid order (α outermost, then the floor, C innermost); every β is scored on each fit.
  const fits: NbSvmFit[] = [];
  for (const alpha of grid.alphas) for (const minDf of minDfs) for (const loss of losses) for (const bias of biases) for (const C of grid.Cs) fits.push({ alpha, minDf, loss, bias, C });
  const points: NbSvmScore[] = fits.flatMap((f) => grid.betas.map((beta) => ({ ...f, beta, accuracy: 0 })));
  const plan: NbSvmFoldPlan = { fits, betas: [...grid.betas], seed: opts.seed, rawColumns: opts.rawColumns ?? 0 };
  const total = opts.folds * fits.length;
  const splits = foldSplits(y, opts);
  const threads = opts.threads ?? defaultCvThreads(y.length);
  if (!Number.isInteger(threads) || threads < 1) throw new SentivecError(`threads must be a positive integer, got ${threads}`);
  let cv: GridCvResult;
  if (threads > 1 && opts.folds > 1) {
    const scored = scoreFoldsInParallel(X, y, splits, plan, points.length, threads, (done) => opts.onFit?.(done, total));
    cv = poolFolds(y, splits, points.length, scored);
  } else {
    let done = 0;
    cv = poolFolds(y, splits, points.length, (f) => scoreNbSvmFold(gridFold(X, y, splits[f]), plan, () => opts.onFit?.(++done, total)));
  }
  points.forEach((p, k) => (p.accuracy = cv.accuracy[k]));
  const best = points[cv.best];
  return { alpha: best.alpha, minDf: best.minDf, loss: best.loss, bias: best.bias, C: best.C, beta: best.beta, scores: points, oof: cv.oof[cv.best] };
}
