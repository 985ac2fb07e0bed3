/**
 * Out-of-fold decision values: each training row scored by a model fitted on
 * the other folds only. They are what a stacked ensemble (stacking.ts) learns
 * its member weights from: a member's score on rows its own fit has seen would
 * be overconfident, and the stacker would trust the member that overfits most.
 * The folds are stratifiedKFold's for the seed, so members scored with the
 * same folds and seed agree on which model saw which row.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { stratifiedKFold, type SplitFeaturizer } from './model-selection.js';

/** What a member exposes: a fit on the fold's rows, then real-valued scores (> 0: positive). */
export interface ScoringModel {
  fit(X: CsrMatrix, y: ArrayLike<number>): unknown;
  decisionFunction(X: CsrMatrix): Float64Array;
}

export interface OutOfFoldOptions {
  folds: number;
  seed: number;
}

export function outOfFoldDecisions(makeModel: () => ScoringModel, featurize: SplitFeaturizer, y: ArrayLike<number>, opts: OutOfFoldOptions): Float64Array {
  const fold = stratifiedKFold(y, opts.folds, opts.seed);
  const out = new Float64Array(y.length);
  for (let f = 0; f < opts.folds; f++) {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? ev : tr).push(i);
    const { train, eval: held } = featurize(Int32Array.from(tr), Int32Array.from(ev));
    const model = makeModel();
    model.fit(train, Uint8Array.from(tr, (i) => y[i]));
    const d = model.decisionFunction(held);
    if (d.length !== ev.length) throw new SentivecError(`model returned ${d.length} scores for ${ev.length} rows`);
    for (let i = 0; i < ev.length; i++) out[ev[i]] = d[i];
  }
  return out;
}
