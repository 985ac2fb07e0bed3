/**
 * What a blueprint's cross-validation costs, projected from the data's size
 * rather than read off a clock: the leaderboard's budget decisions use it, so
 * the same data, options and seed take the same path, and pick the same
 * model, on a loaded machine as on a quiet one (a clock made the winner
 * depend on the load).
 *
 * The two terms, and why they scale as they do:
 * - the word vectors: every epoch scores each training document's θ against
 *   the whole vocabulary (the paper's softmax over |V|), so a fit costs about
 *   documents × |V| × β × epochs;
 * - the bag-of-words head: the inner C search fits the sparse rows once per
 *   grid value, so it costs about the training tokens; with word n-grams up
 *   to order n (the nbsvm blueprints) a token starts up to n terms, so about
 *   n times that.
 * The constants are wall seconds on the reference machine (2 cores, quiet),
 * measured with 5-fold cross-validation of `vectors-bnc` and `bnc` on 400
 * IMDb reviews (|V| 5,253, 90,921 tokens): 14.2 and 0.67 CPU seconds, the
 * vectors on two threads. `--budget` is in those seconds.
 */
import type { Blueprint, BlueprintSettings } from './blueprint.js';

/** Wall seconds per (document × vocabulary word × dimension × epoch) of a word-vector fit. */
const VECTOR_SECONDS_PER_UNIT = 2.0e-9;
/** Wall seconds per training token of the bag-of-words head and its C search. */
const BAG_SECONDS_PER_TOKEN = 1.8e-6;

export interface CostInputs {
  /** Labeled and text-only documents the cross-validation sees. */
  labeled: number;
  unlabeled: number;
  vocabularySize: number;
  /** Mean tokens per document of the corpus. */
  tokensPerDocument: number;
  folds: number;
  settings: Pick<BlueprintSettings, 'dim' | 'epochs'>;
}

/** Projected wall seconds of a k-fold cross-validation of `bp` (each fold fits on (k−1)/k of the labeled documents). */
export function projectedCvSeconds(bp: Pick<Blueprint, 'usesVectors' | 'ngrams'>, c: CostInputs): number {
  const share = c.folds > 1 ? (c.folds - 1) / c.folds : 1;
  const vectors = bp.usesVectors ? VECTOR_SECONDS_PER_UNIT * (c.labeled * share + c.unlabeled) * c.vocabularySize * c.settings.dim * c.settings.epochs : 0;
  const bag = BAG_SECONDS_PER_TOKEN * c.labeled * share * c.tokensPerDocument * (bp.ngrams ?? 1);
  return c.folds * (vectors + bag);
}
