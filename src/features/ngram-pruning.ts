/**
 * N-gram pruning by weight, the way fastText's `quantize -cutoff` keeps the
 * rows of largest norm: of a fitted table's n-grams keep the fraction q with
 * the largest |weight| (k heads: the largest |weight| over the heads), and
 * build a table of those alone.
 *
 * Why: predict's n-gram lookup waits on cache and TLB misses in a table of
 * ~870k IMDb n-grams (23 MB of records); a table of a tenth of them fits the
 * caches far better (issue #11, BENCHMARKS.md "#11 n-gram pruning"), and most
 * n-grams carry weights too small to change a decision.
 *
 * A pruned n-gram is no longer a term of a text: bnc = 1/√(distinct terms)
 * counts only the n-grams the table holds, so pruning changes every text's
 * scale, not only the dropped weights. Whoever judges a pruned model must
 * therefore score texts with the pruned table (ngram-keep.ts does, in every
 * fold), not with the full table and zeroed weights.
 *
 * Which fraction: train chooses it on its cross-validation folds
 * (ngram-keep.ts); the grid and its default are NGRAM_KEEP_OPTIONS.
 */
import { SentivecError } from '../util/errors.js';
import { numbers, type OptionTable } from '../util/options.js';
import { NgramTable } from './ngram-table.js';

export const NGRAM_KEEP_OPTIONS = {
  ngramKeep: numbers({
    min: 0, minExclusive: true, max: 1,
    default: [1, 0.5, 0.3, 0.2, 0.1, 0.05],
    description:
      "train's n-gram blueprints: fractions of the n-grams to keep, the largest |weight| first; with several, train's cross-validation scores each (every fold's model pruned and its held-out texts rescored) and keeps the smallest within one standard error of the best; one fraction is used as it is, 1 keeps all",
  }),
} satisfies OptionTable;

/** N-gram ids of `size` n-grams ordered by decreasing |weight| (the largest over `heads` head-major weights); ties: the lower id first. */
export function rankByWeight(weights: Float64Array, heads: number, size: number): Int32Array {
  if (weights.length !== heads * size) throw new SentivecError(`n-gram pruning: ${weights.length} weights for ${size} n-grams and ${heads} heads`);
  const magnitude = new Float64Array(size);
  for (let h = 0; h < heads; h++) {
    for (let g = 0; g < size; g++) magnitude[g] = Math.max(magnitude[g], Math.abs(weights[h * size + g]));
  }
  return Int32Array.from({ length: size }, (_, g) => g).sort((a, b) => magnitude[b] - magnitude[a] || a - b);
}

/** How many of `size` n-grams a fraction keeps: ⌈fraction · size⌉ (the tolerance keeps 0.3 · 10 at 3, not 4). */
export function keptCount(fraction: number, size: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new SentivecError(`the kept fraction of n-grams must be > 0 and ≤ 1, got ${fraction}`);
  return Math.min(size, Math.ceil(fraction * size - 1e-9));
}

export interface PrunedNgrams {
  table: NgramTable;
  /** The kept n-grams' weights, heads × kept, head-major (the new table's ids). */
  weights: Float64Array;
  /** The kept n-grams' ids in the full table, ascending (new id i is old id kept[i]). */
  kept: Int32Array;
}

/**
 * The table of the first `count` n-grams of `ranked` (rankByWeight's order) and their weights, new ids in
 * the order of the old ones. A trigram whose bigram is dropped keeps its bigram as a prefix-only node of
 * the table (ngram-table.ts), so it is still found and scored; the bigram itself no longer is. All of
 * them (count ≥ size): the table itself. `vocabSize`: the table's vocabulary's.
 */
export function pruneNgrams(table: NgramTable, vocabSize: number, weights: Float64Array, heads: number, ranked: Int32Array, count: number): PrunedNgrams {
  const G = table.size;
  if (weights.length !== heads * G || ranked.length !== G) throw new SentivecError(`n-gram pruning: ${weights.length} weights and ${ranked.length} ranks for ${G} n-grams and ${heads} heads`);
  if (count >= G) return { table, weights, kept: Int32Array.from({ length: G }, (_, g) => g) };
  const kept = ranked.slice(0, count).sort();
  const all = table.tuples;
  const tuples = new Int32Array(3 * count);
  const kw = new Float64Array(heads * count);
  for (let i = 0; i < count; i++) {
    const g = kept[i];
    tuples.set(all.subarray(3 * g, 3 * g + 3), 3 * i);
    for (let h = 0; h < heads; h++) kw[h * count + i] = weights[h * G + g];
  }
  return { table: new NgramTable(tuples, table.order, vocabSize), weights: kw, kept };
}
