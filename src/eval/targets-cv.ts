/**
 * `sentivec cv` on several targets of the same texts with one shared set of
 * word vectors (issue #14 item 3; `--target-vectors shared`, the default), so
 * that the estimate describes the model `train --target` writes: each target
 * is cross-validated on the product's blueprints exactly as train's
 * leaderboard cross-validates it (its own folds, stratified by its own
 * labels), and every fold's word vectors carry every target's sentiment term,
 * each with its own ψ, read on that fold's training documents only
 * (co-targets.ts, blueprint.ts): no label of any target of a held-out row is
 * read, so each target's estimate stays honest.
 */
import { coTargetOf, type CoTarget } from '../models/product/co-targets.js';
import type { RatingFit } from '../models/product/blueprint.js';
import type { RecordCorpus } from '../text/record-corpus.js';
import { SentivecError } from '../util/errors.js';
import { silentReporter } from '../util/log.js';
import { crossValidateBlueprints, type BlueprintCvOptions, type BlueprintCvResult } from './blueprint-cv.js';

/** One target: its name (its field), the corpus read with that field as the label or rating, and its rating head (regression, ordinal). */
export interface CvTarget {
  name: string;
  corpus: RecordCorpus;
  rating?: RatingFit;
}

export type TargetsCvOptions = Omit<BlueprintCvOptions, 'rating' | 'coTargets'>;

/** Every target's cross-validation, in order, each fold's word vectors fitted with all targets' terms. */
export function crossValidateTargets(targets: readonly CvTarget[], opts: TargetsCvOptions): { name: string; result: BlueprintCvResult }[] {
  if (targets.length === 0) throw new SentivecError('cv: no target given');
  const [first] = targets;
  const odd = targets.find((t) => t.corpus.docs.count !== first.corpus.docs.count || t.corpus.vocabulary.size !== first.corpus.vocabulary.size);
  if (odd) {
    throw new SentivecError(
      `target '${odd.name}' was read as ${odd.corpus.docs.count} documents and ${odd.corpus.vocabulary.size} words, target '${first.name}' as ${first.corpus.docs.count} and ${first.corpus.vocabulary.size}: the targets must be fields of the same records`,
    );
  }
  const reporter = opts.reporter ?? silentReporter;
  const co: CoTarget[] = targets.map((t) => coTargetOf(t.corpus));
  return targets.map((t, i) => {
    reporter.event('target', { name: t.name, index: i + 1, of: targets.length });
    const coTargets = co.filter((_, j) => j !== i);
    return { name: t.name, result: crossValidateBlueprints(t.corpus, { ...opts, ...(t.rating ? { rating: t.rating } : {}), coTargets }) };
  });
}
