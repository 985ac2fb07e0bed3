/**
 * What a blueprint's cross-validation and a final fit cost, projected from the
 * data's size rather than read off a clock: the leaderboard's budget
 * decisions use it, so the same data, options and seed take the same path,
 * and pick the same model, on a loaded machine as on a quiet one (a clock
 * made the winner depend on the load).
 *
 * The two terms, and why they scale as they do:
 * - the word vectors: every epoch scores each training document's θ against
 *   the whole vocabulary (the paper's softmax over |V|), so a fit costs about
 *   documents × |V| × β × epochs;
 * - the bag head: the inner C search fits the sparse rows once per grid
 *   value, so it costs about the training tokens times the columns each
 *   token makes (1 for words, n for words and n-grams up to order n: a
 *   token starts at most one n-gram of each order).
 * The constants are wall seconds on the reference machine (2 cores, quiet),
 * measured with 5-fold cross-validation of `vectors-bnc` and `bnc` on 400
 * IMDb reviews (|V| 5,253, 90,921 tokens): 14.2 and 0.67 CPU seconds, the
 * vectors on two threads. `--budget` is in those seconds.
 */
import type { Blueprint, BlueprintSettings } from './blueprint.js';

/** Wall seconds per (document × vocabulary word × dimension × epoch) of a word-vector fit. */
const VECTOR_SECONDS_PER_UNIT = 2.0e-9;
/** Wall seconds per training token (per column it makes) of the bag head and its C search. */
const BAG_SECONDS_PER_TOKEN = 1.8e-6;

export interface CostInputs {
  /** Labeled and text-only documents the cross-validation (or fit) sees. */
  labeled: number;
  unlabeled: number;
  vocabularySize: number;
  /** Mean tokens per document of the corpus. */
  tokensPerDocument: number;
  folds: number;
  settings: Pick<BlueprintSettings, 'dim' | 'epochs'>;
}

/** What the cost depends on: word vectors or not, and the n-gram order of the bag (absent: words only). */
export type CostedBlueprint = Pick<Blueprint, 'usesVectors'> & { readonly ngrams?: number };

/** Projected wall seconds of one epoch of the word vectors on `documents` documents. */
export function vectorEpochSeconds(documents: number, c: Pick<CostInputs, 'vocabularySize' | 'settings'>): number {
  return VECTOR_SECONDS_PER_UNIT * documents * c.vocabularySize * c.settings.dim;
}

/** Projected wall seconds of one fit of `bp` on `labeled` labeled rows plus the text-only documents (inner C search included). */
export function projectedFitSeconds(bp: CostedBlueprint, c: Omit<CostInputs, 'folds'>, withVectors = bp.usesVectors): number {
  const vectors = withVectors ? vectorEpochSeconds(c.labeled + c.unlabeled, c) * c.settings.epochs : 0;
  const bag = BAG_SECONDS_PER_TOKEN * c.labeled * c.tokensPerDocument * Math.max(1, bp.ngrams ?? 1);
  return vectors + bag;
}

/** Projected wall seconds of a k-fold cross-validation of `bp` (each fold fits on (k−1)/k of the labeled documents). */
export function projectedCvSeconds(bp: CostedBlueprint, c: CostInputs): number {
  const share = c.folds > 1 ? (c.folds - 1) / c.folds : 1;
  return c.folds * projectedFitSeconds(bp, { ...c, labeled: c.labeled * share });
}

/** Fewest epochs, then fewest documents, a shown-only vector fit is cut to before it ignores the budget. */
const SHOWN_MIN_EPOCHS = 3;
const SHOWN_MIN_DOCUMENTS = 1000;

/**
 * Epochs and documents for word vectors the classifier does not read (only
 * shown: neighbors, explain) within `seconds`: all documents with fewer
 * epochs first (down to 3), then fewer documents (down to 1,000), then the
 * floor even if it overruns. One epoch of IMDb's 75k documents over a
 * 20k-word vocabulary projects to minutes, more than the leaderboard.
 */
export function shownVectorFit(seconds: number, documents: number, c: Pick<CostInputs, 'vocabularySize' | 'settings'>): { epochs: number; documents: number } {
  const perDocumentEpoch = vectorEpochSeconds(1, c);
  const maxEpochs = c.settings.epochs;
  const epochs = Math.min(maxEpochs, Math.floor(seconds / (perDocumentEpoch * documents)));
  if (epochs >= Math.min(SHOWN_MIN_EPOCHS, maxEpochs)) return { epochs, documents };
  const minEpochs = Math.min(SHOWN_MIN_EPOCHS, maxEpochs);
  const affordable = Math.floor(seconds / (perDocumentEpoch * minEpochs));
  return { epochs: minEpochs, documents: Math.min(documents, Math.max(SHOWN_MIN_DOCUMENTS, affordable)) };
}
