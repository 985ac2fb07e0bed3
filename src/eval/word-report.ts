/**
 * What the word vectors "feel like": the paper's Table 1 (nearest neighbours
 * of a few target words) and a polarity check against aclImdb's imdbEr.txt
 * (each token's expected rating): for the most polar vocabulary words, the
 * share of their nearest neighbours on the same side of the mean rating.
 */
import type { WordMatrix } from '../features/word-matrix.js';
import { unitRowInto } from '../features/unit-rows.js';
import type { TokenizedDocs } from '../text/documents.js';
import { WordVectors } from '../models/embeddings/index.js';

export const TABLE1_WORDS: readonly string[] = ['melancholy', 'ghastly', 'lackluster', 'romantic', 'witty', 'tedious', 'masterpiece'];

/** imdb.vocab and imdbEr.txt are line-aligned: word i has expected rating i. */
export function parseExpectedRatings(vocabText: string, erText: string): Map<string, number> {
  const words = vocabText.split('\n');
  const ratings = erText.split('\n');
  const out = new Map<string, number>();
  for (let i = 0; i < Math.min(words.length, ratings.length); i++) {
    const r = Number(ratings[i]);
    if (words[i] !== '' && ratings[i].trim() !== '' && Number.isFinite(r)) out.set(words[i], r);
  }
  return out;
}

/**
 * Expected rating of each vocabulary word from labeled documents only (the
 * mean star rating over its occurrences, as imdbEr.txt was built), so that
 * model options can be compared on polarity without reading the test set.
 * Words that never occur in a labeled document get no rating.
 */
export function expectedRatingsFromDocs(words: readonly string[], docs: TokenizedDocs, stars: Uint8Array): Map<string, number> {
  const sum = new Float64Array(words.length);
  const n = new Float64Array(words.length);
  for (let d = 0; d < docs.count; d++) {
    if (stars[d] === 0) continue;
    for (let t = docs.offsets[d]; t < docs.offsets[d + 1]; t++) {
      sum[docs.tokens[t]] += stars[d];
      n[docs.tokens[t]]++;
    }
  }
  const out = new Map<string, number>();
  words.forEach((w, i) => {
    if (n[i] > 0) out.set(w, sum[i] / n[i]);
  });
  return out;
}

export function neighbourTable(words: readonly string[], r: WordMatrix, targets: readonly string[], k = 5): Record<string, string[]> {
  const kv = new WordVectors(words, r);
  const table: Record<string, string[]> = {};
  for (const t of targets) if (words.includes(t)) table[t] = kv.mostSimilar(t, k).map((n) => n.word);
  return table;
}

/**
 * Polarity agreement@k: among vocabulary words with an expected rating, take
 * the `top` farthest from the mean rating; for each, the share of its k
 * nearest neighbours (cosine, among rated vocabulary words) on its side of
 * the mean. Returns the average share.
 */
export function polarityAgreement(words: readonly string[], r: WordMatrix, ratings: Map<string, number>, opts: { top?: number; k?: number } = {}): number {
  const top = opts.top ?? 200;
  const k = opts.k ?? 10;
  const rated = words.map((w, i) => ({ w, i, er: ratings.get(w) })).filter((x): x is { w: string; i: number; er: number } => x.er !== undefined);
  if (rated.length <= k) return Number.NaN;
  const mean = rated.reduce((s, x) => s + x.er, 0) / rated.length;
  const dim = r.dim;
  const unit = new Float32Array(rated.length * dim);
  rated.forEach((x, j) => unitRowInto(r.data, x.i * dim, unit, j * dim, dim));
  const polar = rated.map((_, j) => j).sort((a, b) => Math.abs(rated[b].er - mean) - Math.abs(rated[a].er - mean)).slice(0, top);
  let total = 0;
  const sims = new Float64Array(rated.length);
  for (const q of polar) {
    for (let j = 0; j < rated.length; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += unit[q * dim + d] * unit[j * dim + d];
      sims[j] = j === q ? -Infinity : s;
    }
    const nearest = Array.from(sims.keys()).sort((a, b) => sims[b] - sims[a]).slice(0, k);
    const side = rated[q].er > mean;
    total += nearest.filter((j) => rated[j].er > mean === side).length / k;
  }
  return total / polar.length;
}
