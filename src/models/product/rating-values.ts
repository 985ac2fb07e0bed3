/**
 * A rating corpus's labeled documents back on the rating scale: the corpus
 * keeps each rating as (r − min)/(max − min) in [0, 1] (the word vectors'
 * soft target); the rating heads and their error need r itself.
 */
import type { RecordCorpus } from '../../text/record-corpus.js';
import type { ScoreTask } from '../classifiers/rating-head.js';
import type { RatingFit } from './blueprint.js';

/** The rating values of the labeled rows, and the distinct ones ascending. */
export function ratingsOf(corpus: RecordCorpus, rows: Int32Array, scale: { min: number; max: number }): { values: Float64Array; levels: number[] } {
  // Rounded to 9 significant digits: (r − min)/(max − min) and back is not always exact in floating point.
  const values = Float64Array.from(rows, (d) => Number((scale.min + corpus.targets[d] * (scale.max - scale.min)).toPrecision(9)));
  return { values, levels: [...new Set(values)].sort((a, b) => a - b) };
}

/** A rating head's fit for the corpus's labeled documents: their levels, the scale, the penalty chosen from `grid` by inner CV. */
export function ratingFit(corpus: RecordCorpus, scale: { min: number; max: number; task: ScoreTask }, grid: readonly number[]): RatingFit {
  const rows: number[] = [];
  for (let d = 0; d < corpus.targets.length; d++) if (!Number.isNaN(corpus.targets[d])) rows.push(d);
  return { task: scale.task, levels: ratingsOf(corpus, Int32Array.from(rows), scale).levels, min: scale.min, max: scale.max, grid, penalty: null };
}
