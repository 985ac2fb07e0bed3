/**
 * Cross-validation of a grid of settings on training rows only, keeping each
 * row's out-of-fold decision value at every grid point. The fold split is
 * assignFolds' (stratified, grouped when groups are given), so callers with
 * the same folds, seed and groups agree on which model saw which row.
 *
 * `scoreFold` gets one fold's training part and held-out part and returns
 * one decision array per grid point, in grid order: points that share a fit
 * (NBSVM's β, or the n-gram NBSVM's α sharing nothing) decide that themselves.
 * Accuracy is pooled over all held-out rows; `best` breaks ties towards the
 * earlier point (grids list the simpler, more regularized settings first).
 */
import type { CsrMatrix } from '../../features/csr.js';
import { takeRows } from '../../features/matrix.js';
import { SentivecError } from '../../util/errors.js';
import { assignFolds } from './folds.js';

export interface GridFold {
  xTrain: CsrMatrix;
  yTrain: Uint8Array;
  xEval: CsrMatrix;
}

export interface GridCvOptions {
  folds: number;
  seed: number;
  /** Group id per row: no group in two folds (folds.ts). */
  groups?: ArrayLike<number>;
}

export interface GridCvResult {
  /** Pooled CV accuracy per grid point. */
  accuracy: number[];
  /** Per grid point, each row's decision value from the fold model that did not see it. */
  oof: Float64Array[];
  /** The first point of highest accuracy. */
  best: number;
}

export function gridCrossValidate(X: CsrMatrix, y: ArrayLike<number>, points: number, opts: GridCvOptions, scoreFold: (fold: GridFold) => Float64Array[]): GridCvResult {
  const splits = foldSplits(y, opts);
  return poolFolds(y, splits, points, (f) => scoreFold(gridFold(X, y, splits[f])));
}

/** One fold's training and held-out rows, ascending. */
export interface FoldSplit {
  train: Int32Array;
  eval: Int32Array;
}

/** The folds' rows (assignFolds'), in fold order: what gridCrossValidate scores. */
export function foldSplits(y: ArrayLike<number>, opts: GridCvOptions): FoldSplit[] {
  const fold = assignFolds(y, opts.folds, opts.seed, opts.groups);
  return Array.from({ length: opts.folds }, (_, f) => {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? ev : tr).push(i);
    return { train: Int32Array.from(tr), eval: Int32Array.from(ev) };
  });
}

/** A split's matrices and training labels. */
export function gridFold(X: CsrMatrix, y: ArrayLike<number>, split: FoldSplit): GridFold {
  return { xTrain: takeRows(X, split.train), yTrain: Uint8Array.from(split.train, (i) => y[i]), xEval: takeRows(X, split.eval) };
}

/**
 * Pools each fold's decisions (`decisions(f)`: one array per grid point over
 * split f's held-out rows, asked for in fold order) into accuracies, the
 * out-of-fold values and the best point: gridCrossValidate when the folds
 * were scored elsewhere (another thread, nbsvm-fold-pool.ts).
 */
export function poolFolds(y: ArrayLike<number>, splits: readonly FoldSplit[], points: number, decisions: (f: number) => Float64Array[]): GridCvResult {
  if (points < 1) throw new SentivecError('grid cross-validation needs at least one grid point');
  const hits = new Float64Array(points);
  const oof = Array.from({ length: points }, () => new Float64Array(y.length));
  splits.forEach(({ eval: ev }, f) => {
    const d = decisions(f);
    if (d.length !== points) throw new SentivecError(`a fold scored ${d.length} grid points, expected ${points}`);
    d.forEach((dk, k) => {
      if (dk.length !== ev.length) throw new SentivecError(`grid point ${k} returned ${dk.length} scores for ${ev.length} rows`);
      for (let i = 0; i < ev.length; i++) {
        oof[k][ev[i]] = dk[i];
        if ((dk[i] > 0 ? 1 : 0) === y[ev[i]]) hits[k]++;
      }
    });
  });
  let best = 0;
  for (let k = 1; k < points; k++) if (hits[k] > hits[best]) best = k;
  return { accuracy: Array.from(hits, (h) => h / y.length), oof, best };
}
