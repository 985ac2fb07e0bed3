/**
 * The honest error of a rating model (train --task regression | ordinal):
 * one blueprint (the leaderboard ranks classifiers by accuracy, a rating
 * model is judged by its error) cross-validated with its rating head, every
 * label-reading step (word vectors' sentiment term, naive-Bayes ratios, the
 * head's penalty) refitted inside each fold (cross-validate.ts); the
 * out-of-fold predicted ratings give the MAE and its interval
 * (rating-estimate.ts).
 */
import type { RecordCorpus } from '../../text/record-corpus.js';
import { crossValidateBlueprint, type CrossValidationPlan } from './cross-validate.js';
import type { Blueprint, RatingFit } from './blueprint.js';
import { ratingEstimate, type RatingEstimate } from './rating-estimate.js';

export interface RatingCrossValidation {
  estimate: RatingEstimate;
  /** Penalty chosen in each fold. */
  penalties: number[];
  fitSeconds: number;
}

export function crossValidateRating(bp: Blueprint, corpus: RecordCorpus, plan: CrossValidationPlan & { rating: RatingFit }, values: Float64Array, onFold?: (done: number) => void): RatingCrossValidation {
  const cv = crossValidateBlueprint(bp, { ...plan, corpus, onFold });
  return { estimate: ratingEstimate(cv.scores, values, cv.fold, cv.folds), penalties: cv.C, fitSeconds: cv.fitSeconds };
}
