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
  if (points < 1) throw new SentivecError('grid cross-validation needs at least one grid point');
  const fold = assignFolds(y, opts.folds, opts.seed, opts.groups);
  const hits = new Float64Array(points);
  const oof = Array.from({ length: points }, () => new Float64Array(y.length));
  for (let f = 0; f < opts.folds; f++) {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? ev : tr).push(i);
    const decisions = scoreFold({ xTrain: takeRows(X, tr), yTrain: Uint8Array.from(tr, (i) => y[i]), xEval: takeRows(X, ev) });
    if (decisions.length !== points) throw new SentivecError(`a fold scored ${decisions.length} grid points, expected ${points}`);
    decisions.forEach((d, k) => {
      if (d.length !== ev.length) throw new SentivecError(`grid point ${k} returned ${d.length} scores for ${ev.length} rows`);
      for (let i = 0; i < ev.length; i++) {
        oof[k][ev[i]] = d[i];
        if ((d[i] > 0 ? 1 : 0) === y[ev[i]]) hits[k]++;
      }
    });
  }
  let best = 0;
  for (let k = 1; k < points; k++) if (hits[k] > hits[best]) best = k;
  return { accuracy: Array.from(hits, (h) => h / y.length), oof, best };
}
