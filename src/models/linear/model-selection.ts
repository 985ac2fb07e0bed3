import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { takeRows } from '../../features/matrix.js';

/**
 * Fold index in [0, k) per row. Each class is shuffled (seeded) and dealt
 * round-robin, and the dealing position carries over from one class to the
 * next, so every fold's per-class count and total size differ by at most one
 * from any other fold's.
 */
export function stratifiedKFold(y: ArrayLike<number>, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new SentivecError(`number of folds must be an integer >= 2, got ${k}`);
  if (k > y.length) throw new SentivecError(`cannot split ${y.length} rows into ${k} folds`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const rows = byClass.get(y[i]);
    if (rows) rows.push(i);
    else byClass.set(y[i], [i]);
  }
  const rng = new Rng(seed);
  const fold = new Int32Array(y.length);
  let deal = 0;
  // Sorted so the result does not depend on which class appears first.
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(Int32Array.from(byClass.get(label) ?? []));
    for (let r = 0; r < rows.length; r++) fold[rows[r]] = deal++ % k;
  }
  return fold;
}

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

/** Featurizer for features that need no fitting: just select rows. */
export function fixedFeatures(X: CsrMatrix): SplitFeaturizer {
  return (tr, ev) => ({ train: takeRows(X, tr), eval: takeRows(X, ev) });
}

export interface CSelectionResult {
  C: number;
  /** Pooled cross-validation accuracy per grid value, in grid order. */
  scores: { C: number; accuracy: number }[];
}

/**
 * k-fold stratified cross-validation of C, on the rows given (pass training
 * data only). Accuracy is pooled over all held-out rows; ties go to the
 * smaller C, the more regularized model.
 */
export function selectC(
  makeModel: (C: number) => Classifier,
  data: CsrMatrix | SplitFeaturizer,
  y: ArrayLike<number>,
  opts: { grid: readonly number[]; folds: number; seed: number },
): CSelectionResult {
  if (opts.grid.length === 0) throw new SentivecError('selectC: empty grid of C values');
  for (const C of opts.grid) if (!(C > 0) || !Number.isFinite(C)) throw new SentivecError(`selectC: C must be positive, got ${C}`);
  if (typeof data !== 'function' && y.length !== data.rows) throw new SentivecError(`got ${y.length} labels for ${data.rows} rows`);
  const featurize = typeof data === 'function' ? data : fixedFeatures(data);
  const fold = stratifiedKFold(y, opts.folds, opts.seed);
  const correct = new Float64Array(opts.grid.length);
  for (let f = 0; f < opts.folds; f++) {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? ev : tr).push(i);
    const { train: xTr, eval: xEv } = featurize(Int32Array.from(tr), Int32Array.from(ev));
    const yTr = Float64Array.from(tr, (i) => y[i]);
    const yEv = Float64Array.from(ev, (i) => y[i]);
    for (let g = 0; g < opts.grid.length; g++) {
      const model = makeModel(opts.grid[g]);
      model.fit(xTr, yTr);
      const pred = model.predict(xEv);
      if (pred.length !== ev.length) throw new SentivecError(`model returned ${pred.length} predictions for ${ev.length} rows`);
      for (let i = 0; i < ev.length; i++) if (pred[i] === yEv[i]) correct[g]++;
    }
  }
  const scores = opts.grid.map((C, g) => ({ C, accuracy: correct[g] / y.length }));
  let best = scores[0];
  let bestHits = correct[0];
  // Integer hit counts, so equal scores tie exactly.
  for (let g = 1; g < scores.length; g++) {
    if (correct[g] > bestHits || (correct[g] === bestHits && scores[g].C < best.C)) {
      best = scores[g];
      bestHits = correct[g];
    }
  }
  return { C: best.C, scores };
}
