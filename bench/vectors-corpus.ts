/**
 * Synthetic review corpus at the paper's shape for the word-vector benchmarks:
 * word frequencies Zipfian over |V|, documents mixing a Zipfian background
 * with a few of 50 planted topics, log-normal lengths, and star ratings whose
 * polarity shifts the use of 200 planted sentiment words. The first
 * `labeled` documents get 1–4 or 7–10 stars, the rest 0 (unlabeled).
 */
import type { TokenizedDocs } from '../src/text/documents.js';
import { Rng } from '../src/util/rng.js';
import { cumulative, draw } from './sampling.js';

export interface SyntheticCorpus {
  docs: TokenizedDocs;
  stars: Float64Array;
  vocabSize: number;
  /** Planted positive / negative word ids. */
  positive: number[];
  negative: number[];
}

export function syntheticReviews(opts: { docs: number; labeled: number; vocab: number; meanLength: number; seed: number }): SyntheticCorpus {
  const { docs: D, vocab: V, meanLength } = opts;
  const rng = new Rng(opts.seed);
  const topics = 50;
  const zipf = Float64Array.from({ length: V }, (_, r) => 1 / (r + 10));
  const background = cumulative(zipf);
  const topicCums = Array.from({ length: topics }, () => {
    const perm = rng.shuffle(Int32Array.from({ length: V }, (_, i) => i));
    const w = new Float64Array(V);
    for (let r = 0; r < V; r++) w[perm[r]] = zipf[r] * (r < 300 ? 20 : 1);
    return cumulative(w);
  });
  // Sentiment words: mid-frequency ranks, alternately positive and negative.
  const positive: number[] = [];
  const negative: number[] = [];
  for (let i = 0; i < 200; i++) (i % 2 === 0 ? positive : negative).push(100 + i * Math.floor((V - 200) / 400));
  const offsets = new Int32Array(D + 1);
  const tokens: number[] = [];
  const stars = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    const pos = rng.next() < 0.5;
    stars[d] = d < opts.labeled ? (pos ? 7 + rng.int(4) : 1 + rng.int(4)) : 0;
    const len = Math.max(5, Math.round(meanLength * Math.exp(0.6 * rng.normal() - 0.18)));
    const mine = [rng.int(topics), rng.int(topics), rng.int(topics)];
    for (let i = 0; i < len; i++) {
      const u = rng.next();
      if (u < 0.05) {
        // Polarity words: 80% from the document's side.
        const side = rng.next() < 0.8 === pos ? positive : negative;
        tokens.push(side[rng.int(side.length)]);
      } else if (u < 0.5) tokens.push(draw(background, rng.next()));
      else tokens.push(draw(topicCums[mine[rng.int(3)]], rng.next()));
    }
    offsets[d + 1] = tokens.length;
  }
  return { docs: { count: D, offsets, tokens: Int32Array.from(tokens) }, stars, vocabSize: V, positive, negative };
}
