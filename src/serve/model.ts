/**
 * What the HTTP service needs from a model: a structural slice of
 * SentimentModel, so tests can serve a small fake with exact weights while
 * production serves a loaded model.
 */
import type { SentimentModel } from '../models/product/sentiment-model.js';
import type { WordVectors } from '../models/embeddings/index.js';
import type { Estimate } from '../models/product/estimate.js';

export type { Explanation, MapPoint, Prediction, TokenContribution, WordInfo, WordWeight } from '../models/product/sentiment-model.js';

export type ServedModel = Pick<SentimentModel, 'labels' | 'predict' | 'explain' | 'word' | 'map'> & {
  readonly vectors: Pick<WordVectors, 'size' | 'dim'>;
  /** Display names of the labels (train --label-names); absent: the labels themselves. */
  readonly names?: readonly string[];
  /** Configuration and training figures, served as they are (JSON). */
  readonly info: { readonly estimate?: Estimate | null };
};

/** What the service needs of each target of a multi-target model (train --target): its labels and answers. */
export type ServedTarget = Pick<ServedModel, 'labels' | 'names' | 'predict' | 'explain' | 'info'>;

/** Every target of a multi-target model, the first being the model the other routes serve. */
export type ServedTargets = readonly { readonly name: string; readonly model: ServedTarget }[];
