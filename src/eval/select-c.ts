import type { CsrMatrix } from '../features/csr.js';
import { takeRows } from '../features/matrix.js';
import { LinearSVC, type LinearSvcOptions } from '../models/linear/svm.js';
import { stratifiedKFold, accuracy } from '../models/linear/model-selection.js';

/**
 * Builds features for one CV split: anything fitted (e.g. delta-idf) must be
 * fitted on `trainRows` only, so the validation fold stays unseen.
 */
export type SplitFeaturizer = (trainRows: Int32Array, evalRows: Int32Array) => { train: CsrMatrix; eval: CsrMatrix };

/** Featurizer for features that need no fitting: just select rows. */
export function fixedFeatures(x: CsrMatrix): SplitFeaturizer {
  return (tr, ev) => ({ train: takeRows(x, tr), eval: takeRows(x, ev) });
}

export interface CSelection {
  C: number;
  scores: { C: number; accuracy: number }[];
}

/**
 * k-fold cross-validation of the SVM's C on training data only; ties go to
 * the smaller C (stronger regularization).
 */
export function chooseC(
  featurize: SplitFeaturizer,
  y: Uint8Array,
  opts: { grid: readonly number[]; folds: number; seed: number; svm?: LinearSvcOptions },
): CSelection {
  const fold = stratifiedKFold(y, opts.folds, opts.seed);
  const correct = new Float64Array(opts.grid.length);
  for (let f = 0; f < opts.folds; f++) {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? ev : tr).push(i);
    const trRows = Int32Array.from(tr);
    const evRows = Int32Array.from(ev);
    const { train, eval: evalX } = featurize(trRows, evRows);
    const yTr = Uint8Array.from(tr, (i) => y[i]);
    const yEv = Uint8Array.from(ev, (i) => y[i]);
    opts.grid.forEach((C, g) => {
      const model = new LinearSVC({ ...opts.svm, C, seed: opts.seed }).fit(train, yTr);
      correct[g] += accuracy(yEv, model.predict(evalX)) * ev.length;
    });
  }
  const scores = opts.grid.map((C, g) => ({ C, accuracy: correct[g] / y.length }));
  let best = scores[0];
  for (const s of scores) if (s.accuracy > best.accuracy || (s.accuracy === best.accuracy && s.C < best.C)) best = s;
  return { C: best.C, scores };
}
