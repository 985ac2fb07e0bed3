/**
 * Documents as the distinct words and n-grams a document vector learns to
 * predict (models/embeddings/doc-vectors.ts): each document's n-grams (up to
 * `order`) hashed as in ngrams.ts, kept once per document, and renumbered to
 * a dense id space of the n-grams that occur in at least `minCount` of the
 * documents the vectors learn from. Counting reads text only, never a label;
 * n-grams seen only in other documents (e.g. held-out ones) are dropped from
 * them, so nothing about held-out text shapes the targets.
 */
import { DocumentBuilder, remapDocs, type TokenizedDocs } from '../text/documents.js';
import { SentivecError } from '../util/errors.js';
import { NgramHasher } from './ngrams.js';

export interface NgramTargetOptions {
  order: number;
  bits: number;
  /** Documents an n-gram must occur in (among the learning documents) to be a target. */
  minCount: number;
}

export class NgramTargets {
  readonly hasher: NgramHasher;
  /** Bucket → target id, −1 for buckets below minCount. */
  private readonly map: Int32Array;
  /** Documents each target occurs in (among the learning documents). */
  readonly counts: Float64Array;

  private constructor(hasher: NgramHasher, map: Int32Array, counts: Float64Array) {
    this.hasher = hasher;
    this.map = map;
    this.counts = counts;
  }

  get size(): number {
    return this.counts.length;
  }

  /** Counts the n-grams of `learn` (documents as token ids, `tokenHashes[id]` each token's hash) and keeps those in ≥ minCount of them. */
  static fit(learn: readonly TokenizedDocs[], tokenHashes: Uint32Array, opts: NgramTargetOptions): NgramTargets {
    if (!Number.isInteger(opts.minCount) || opts.minCount < 1) throw new SentivecError(`n-gram targets: minCount must be a positive integer, got ${opts.minCount}`);
    const hasher = new NgramHasher({ order: opts.order, bits: opts.bits });
    const df = new Int32Array(hasher.buckets);
    for (const docs of learn) {
      const buckets = NgramTargets.bucketDocs(hasher, docs, tokenHashes);
      for (let p = 0; p < buckets.tokens.length; p++) df[buckets.tokens[p]]++;
    }
    const map = new Int32Array(hasher.buckets).fill(-1);
    const counts: number[] = [];
    for (let b = 0; b < df.length; b++) {
      if (df[b] >= opts.minCount) {
        map[b] = counts.length;
        counts.push(df[b]);
      }
    }
    return new NgramTargets(hasher, map, Float64Array.from(counts));
  }

  /** The documents as target ids (distinct, ascending bucket order), n-grams without an id left out. */
  transform(docs: TokenizedDocs, tokenHashes: Uint32Array): TokenizedDocs {
    return remapDocs(NgramTargets.bucketDocs(this.hasher, docs, tokenHashes), this.map);
  }

  private static bucketDocs(hasher: NgramHasher, docs: TokenizedDocs, tokenHashes: Uint32Array): TokenizedDocs {
    const out = new DocumentBuilder();
    hasher.eachDocument(docs, tokenHashes, (buckets) => out.push(buckets));
    return out.finish();
  }
}
