/**
 * A rating corpus's labeled documents back on the rating scale: the corpus
 * keeps each rating as (r − min)/(max − min) in [0, 1] (the word vectors'
 * soft target); the rating heads and their error need r itself.
 */
import type { RecordCorpus } from '../../text/record-corpus.js';

/** The rating values of the labeled rows, and the distinct ones ascending. */
export function ratingsOf(corpus: RecordCorpus, rows: Int32Array, scale: { min: number; max: number }): { values: Float64Array; levels: number[] } {
  // Rounded to 9 significant digits: (r − min)/(max − min) and back is not always exact in floating point.
  const values = Float64Array.from(rows, (d) => Number((scale.min + corpus.targets[d] * (scale.max - scale.min)).toPrecision(9)));
  return { values, levels: [...new Set(values)].sort((a, b) => a - b) };
}
