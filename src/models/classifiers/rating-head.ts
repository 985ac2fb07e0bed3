/**
 * The head of a rating model (train --task regression | ordinal): ridge
 * regression (ridge.ts) predicting the rating itself, clipped to the scale,
 * or threshold ordinal regression (ordinal.ts) predicting a level. Its
 * penalty (ridge α, ordinal C) is chosen like the classifiers' C: by a
 * stratified inner cross-validation on the rows it is given (stratified by
 * level), on held-out mean absolute error, the figure the model reports; a
 * best value on an edge of the grid extends the grid (c-search.ts). Each
 * split's fits start from its fit at the previous penalty.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { takeRows } from '../../features/matrix.js';
import { RATING_TASKS, type RatingTask } from '../../corpus/labels.js';
import { SentivecError } from '../../util/errors.js';
import { choice, numbers, type OptionTable } from '../../util/options.js';
import { searchC } from './c-search.js';
import { stratifiedKFold } from './model-selection.js';
import { OrdinalRegression, levelOf } from './ordinal.js';
import { RidgeRegression } from './ridge.js';

/** The tasks whose head is fitted here (one score); binary and classes are the classifiers'. */
export type ScoreTask = 'regression' | 'ordinal';

export const RATING_HEAD_OPTIONS = {
  task: choice<RatingTask>(RATING_TASKS, {
    default: 'binary',
    description:
      'what a rating model predicts: binary (above / below the middle of the scale, the middle as unlabeled text), regression (the rating, ridge regression), ordinal (the rating level, thresholds on one score) or classes (every rating value a class)',
  }),
  alphaGrid: numbers({ min: 0, minExclusive: true, default: [0.1, 0.3, 1, 3, 10, 30], description: 'candidate ridge α of --task regression (a best α on an edge of the grid extends it)' }),
  ordinalCGrid: numbers({ min: 0, minExclusive: true, default: [0.3, 1, 3], description: 'candidate C of --task ordinal (a best C on an edge of the grid extends it)' }),
} satisfies OptionTable;

export interface RatingTargets {
  task: ScoreTask;
  /** The rating of each row. */
  values: ArrayLike<number>;
  /** The rating values that occur, ascending (the ordinal levels). */
  levels: readonly number[];
  min: number;
  max: number;
}

export interface PenaltyScore {
  /** Ridge α, or ordinal C. */
  penalty: number;
  /** Pooled held-out mean absolute error. */
  mae: number;
}

export interface RatingHead {
  task: ScoreTask;
  penalty: number;
  /** Every penalty tried, ascending (empty when it was fixed or there were too few rows). */
  scores: PenaltyScore[];
  folds: number;
  /** Weights on X's columns and the score's intercept (0 for ordinal: the thresholds hold it). */
  coef: Float64Array;
  intercept: number;
  /** Ordinal: L − 1 ascending thresholds on the score; regression: none. */
  thresholds: number[];
  /** The predicted rating of each row. */
  predict(X: CsrMatrix): Float64Array;
}

export interface RatingHeadOptions {
  grid: readonly number[];
  /** A fixed penalty skips the inner cross-validation. */
  penalty: number | null;
  folds: number;
  seed: number;
}

/** A score → the rating it predicts. */
export function ratingOfScore(score: number, head: Pick<RatingHead, 'task' | 'thresholds'>, levels: readonly number[], min: number, max: number): number {
  return head.task === 'ordinal' ? levels[levelOf(score, head.thresholds)] : Math.min(max, Math.max(min, score));
}

/** Level index of each row's rating (an error names a rating that is not a level). */
export function levelIndex(t: RatingTargets): Int32Array {
  return Int32Array.from({ length: t.values.length }, (_, i) => {
    const l = t.levels.indexOf(t.values[i]);
    if (l < 0) throw new SentivecError(`row ${i}: rating ${t.values[i]} is not one of the levels ${t.levels.join(', ')}`);
    return l;
  });
}

type Fitted = RidgeRegression | OrdinalRegression;

function fitOne(t: RatingTargets, X: CsrMatrix, values: ArrayLike<number>, levels: Int32Array, penalty: number, start: Fitted | undefined): Fitted {
  if (t.task === 'regression') return new RidgeRegression({ alpha: penalty }).fit(X, values, start instanceof RidgeRegression ? start : undefined);
  return new OrdinalRegression({ C: penalty }).fit(X, levels, t.levels.length, start instanceof OrdinalRegression ? start : undefined);
}

function ratingsOf(t: RatingTargets, model: Fitted, X: CsrMatrix): Float64Array {
  if (model instanceof RidgeRegression) return Float64Array.from(model.predict(X), (s) => Math.min(t.max, Math.max(t.min, s)));
  return Float64Array.from(model.predict(X), (l) => t.levels[l]);
}

export function fitRatingHead(X: CsrMatrix, t: RatingTargets, opts: RatingHeadOptions): RatingHead {
  if (t.values.length !== X.rows) throw new SentivecError(`got ${t.values.length} ratings for ${X.rows} rows`);
  if (t.levels.length < 2) throw new SentivecError(`a rating model needs at least two distinct ratings, got ${t.levels.join(', ')}`);
  const levels = levelIndex(t);
  // Levels smaller than the fold count still get spread over folds (stratifiedKFold deals round-robin); at least 2 rows per fold.
  const folds = Math.min(opts.folds, Math.floor(X.rows / 2));
  let penalty = opts.penalty;
  let scores: PenaltyScore[] = [];
  if (penalty === null && folds >= 2) {
    const chosen = choosePenalty(X, t, levels, opts.grid, folds, opts.seed);
    penalty = chosen.penalty;
    scores = chosen.scores;
  }
  const model = fitOne(t, X, t.values, levels, penalty ?? opts.grid[Math.floor(opts.grid.length / 2)], undefined);
  const head = {
    task: t.task,
    penalty: model instanceof RidgeRegression ? model.alpha : model.C,
    scores,
    folds: scores.length > 0 ? folds : 0,
    coef: model.coef,
    intercept: model instanceof RidgeRegression ? model.intercept : 0,
    thresholds: model instanceof OrdinalRegression ? [...model.thresholds] : [],
  };
  return { ...head, predict: (Xe) => ratingsOf(t, model, Xe) };
}

function choosePenalty(X: CsrMatrix, t: RatingTargets, levels: Int32Array, grid: readonly number[], folds: number, seed: number): { penalty: number; scores: PenaltyScore[] } {
  const fold = stratifiedKFold(levels, folds, seed);
  const splits = Array.from({ length: folds }, (_, f) => {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < levels.length; i++) (fold[i] === f ? ev : tr).push(i);
    return { xTr: takeRows(X, tr), vTr: Float64Array.from(tr, (i) => t.values[i]), lTr: Int32Array.from(tr, (i) => levels[i]), xEv: takeRows(X, ev), vEv: Float64Array.from(ev, (i) => t.values[i]) };
  });
  const last: (Fitted | undefined)[] = splits.map(() => undefined);
  const evaluate = (todo: readonly number[]): (PenaltyScore & { C: number })[] =>
    todo.map((penalty) => {
      let error = 0;
      splits.forEach((s, f) => {
        const model = fitOne(t, s.xTr, s.vTr, s.lTr, penalty, last[f]);
        last[f] = model;
        const predicted = ratingsOf(t, model, s.xEv);
        for (let i = 0; i < predicted.length; i++) error += Math.abs(predicted[i] - s.vEv[i]);
      });
      return { C: penalty, penalty, mae: error / levels.length };
    });
  // Ridge: a larger α is the more regularized; ordinal: a smaller C. Equal errors keep the more regularized.
  const simpler = (a: number, b: number): boolean => (t.task === 'regression' ? a > b : a < b);
  const { best, tried } = searchC({
    grid,
    evaluate,
    better: (a, b) => a.mae < b.mae || (a.mae === b.mae && simpler(a.penalty, b.penalty)),
    extension: { rounds: 3, mode: 'all', value: (edge, f) => Number((edge * f).toPrecision(3)) },
  });
  return { penalty: best.penalty, scores: [...tried].sort((a, b) => a.penalty - b.penalty).map(({ penalty, mae }) => ({ penalty, mae })) };
}
