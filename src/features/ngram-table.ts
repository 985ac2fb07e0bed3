/**
 * The product model's word n-grams (bigrams, and trigrams for order 3): an
 * explicit list of n-grams of vocabulary word ids, and a compact
 * open-addressing hash table from (w1, w2[, w3]) to the n-gram's id, in typed
 * arrays. Scoring a text looks n-grams up from consecutive word ids (what the
 * token scanner returns), so the hot loop builds no strings.
 *
 * Why an explicit list rather than the hashed buckets of ngrams.ts: a model
 * file must name what each weight is for (explain shows "not bad", not a
 * bucket), and nothing a text contains can collide with a trained n-gram.
 * The list is cut by a document-frequency floor and a size cap (`fit`),
 * counted on text alone: no label is read, so it may be built once per
 * corpus, outside the cross-validation folds.
 *
 * N-grams run over the text's in-vocabulary words: an out-of-vocabulary token
 * is skipped as the bag of words skips it, so "a ZZZ movie" gives "a movie"
 * both in training (the corpus keeps vocabulary ids only) and in prediction.
 */
import type { TokenizedDocs } from '../text/documents.js';
import { SentivecError } from '../util/errors.js';
import { NgramVocabulary } from './ngram-vocabulary.js';

export interface NgramTableOptions {
  /** Longest n-gram: 2 (bigrams) or 3 (bigrams and trigrams). */
  order: number;
  /** Keep n-grams in at least this many documents. */
  minDf: number;
  /** Keep at most this many n-grams, the most frequent by document frequency. */
  maxNgrams: number;
}

/** What `fit` counted and kept, per order (index 0: bigrams, 1: trigrams). */
export interface NgramTableStats {
  counted: number[];
  kept: number[];
}

/** Word ids are stored as float32 in the model file (its sections are floats): exact below 2^24. */
export const MAX_NGRAM_WORD_ID = 2 ** 24;

const EMPTY = new Int32Array(0);

export class NgramTable {
  readonly order: number;
  /** Number of n-grams. */
  readonly size: number;
  /** Three word ids per n-gram; the third is −1 for a bigram. */
  readonly tuples: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  // Scratch for distinct(): a stamp per n-gram (clearing is O(1)) and the ids found.
  private readonly stamp: Int32Array;
  private stampValue = 0;
  private found = new Int32Array(256);

  /** `tuples`: three ids per n-gram (−1 third for a bigram), each id a word below vocabSize; a SentivecError names what is wrong. */
  constructor(tuples: Int32Array, order: number, vocabSize: number) {
    if (order !== 2 && order !== 3) throw new SentivecError(`n-gram order must be 2 or 3, got ${order}`);
    if (tuples.length % 3 !== 0) throw new SentivecError(`n-gram tuples: ${tuples.length} ids is not three per n-gram`);
    if (vocabSize > MAX_NGRAM_WORD_ID) throw new SentivecError(`n-grams need a vocabulary below ${MAX_NGRAM_WORD_ID} words, got ${vocabSize}`);
    this.order = order;
    this.size = tuples.length / 3;
    this.tuples = tuples;
    let cap = 16;
    while (cap < 2 * this.size) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let g = 0; g < this.size; g++) {
      const a = tuples[3 * g];
      const b = tuples[3 * g + 1];
      const c = tuples[3 * g + 2];
      const word = (w: number): boolean => Number.isInteger(w) && w >= 0 && w < vocabSize;
      if (!word(a) || !word(b) || !(c === -1 ? true : word(c) && order === 3)) throw new SentivecError(`n-gram ${g} (${a}, ${b}, ${c}) is not ${order === 3 ? 'two or three' : 'two'} word ids below ${vocabSize}`);
      let slot = slotOf(a, b, c) & this.mask;
      while (this.slots[slot] >= 0) {
        if (this.same(this.slots[slot], a, b, c)) throw new SentivecError(`n-gram ${g} (${a}, ${b}, ${c}) is listed twice`);
        slot = (slot + 1) & this.mask;
      }
      this.slots[slot] = g;
    }
    this.stamp = new Int32Array(this.size);
  }

  /**
   * The n-grams of order 2..order found in at least `minDf` of `docs` (word
   * ids), the `maxNgrams` most frequent if there are more (ties: bigrams
   * first, then first seen). Counting is NgramVocabulary's (a priori: a
   * trigram is counted only where both its bigrams are frequent).
   */
  static fit(docs: TokenizedDocs, words: readonly string[], options: NgramTableOptions): { table: NgramTable; stats: NgramTableStats } {
    const { order, minDf, maxNgrams } = options;
    if (!Number.isInteger(maxNgrams) || maxNgrams < 0) throw new SentivecError(`the n-gram cap must be a non-negative integer, got ${maxNgrams}`);
    const vocab = NgramVocabulary.fit(docs, words, { minOrder: 2, maxOrder: order, minDf });
    let keep = Array.from({ length: vocab.size }, (_, j) => j);
    if (keep.length > maxNgrams) keep = keep.sort((i, j) => vocab.df[j] - vocab.df[i] || i - j).slice(0, maxNgrams).sort((i, j) => i - j);
    const tuples = new Int32Array(3 * keep.length).fill(-1);
    const kept = [0, 0];
    keep.forEach((j, g) => {
      const t = vocab.tokens[j];
      tuples.set(t, 3 * g);
      kept[t.length - 2]++;
    });
    return { table: new NgramTable(tuples, order, words.length), stats: { counted: vocab.counts.counted.slice(1), kept: kept.slice(0, order - 1) } };
  }

  /** The id of n-gram (a, b) or (a, b, c); −1 when it is not in the table. */
  id(a: number, b: number, c = -1): number {
    let slot = slotOf(a, b, c) & this.mask;
    for (;;) {
      const g = this.slots[slot];
      if (g < 0 || this.same(g, a, b, c)) return g;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The n-gram's words, joined by spaces. */
  name(g: number, words: readonly string[]): string {
    const t = this.tuples;
    return t[3 * g + 2] < 0 ? `${words[t[3 * g]]} ${words[t[3 * g + 1]]}` : `${words[t[3 * g]]} ${words[t[3 * g + 1]]} ${words[t[3 * g + 2]]}`;
  }

  /**
   * The distinct n-grams of word ids ids[start, end), in order of first
   * occurrence: a view of a buffer the next call reuses.
   */
  distinct(ids: ArrayLike<number>, start = 0, end = ids.length): Int32Array {
    if (this.size === 0 || end - start < 2) return EMPTY;
    this.stampValue++;
    if (this.stampValue === 0x7fffffff) {
      this.stamp.fill(0);
      this.stampValue = 1;
    }
    if (this.found.length < (this.order - 1) * (end - start)) this.found = new Int32Array(2 * (this.order - 1) * (end - start));
    const found = this.found;
    let m = 0;
    for (let p = start; p + 1 < end; p++) {
      const g = this.id(ids[p], ids[p + 1]);
      if (g >= 0 && this.stamp[g] !== this.stampValue) {
        this.stamp[g] = this.stampValue;
        found[m++] = g;
      }
      if (this.order < 3 || p + 2 >= end) continue;
      const t = this.id(ids[p], ids[p + 1], ids[p + 2]);
      if (t >= 0 && this.stamp[t] !== this.stampValue) {
        this.stamp[t] = this.stampValue;
        found[m++] = t;
      }
    }
    return found.subarray(0, m);
  }

  /** Every n-gram occurrence in word ids, by position then length: [id, first position, length] triples. */
  occurrences(ids: ArrayLike<number>): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let p = 0; p + 1 < ids.length; p++) {
      const g = this.id(ids[p], ids[p + 1]);
      if (g >= 0) out.push([g, p, 2]);
      const t = this.order >= 3 && p + 2 < ids.length ? this.id(ids[p], ids[p + 1], ids[p + 2]) : -1;
      if (t >= 0) out.push([t, p, 3]);
    }
    return out;
  }

  /** The model file's section: the tuples as float32 (exact: ids are below 2^24). */
  toSection(): Float32Array {
    return Float32Array.from(this.tuples);
  }

  static fromSection(section: Float32Array, order: number, vocabSize: number): NgramTable {
    const at = section.findIndex((v) => !Number.isInteger(v));
    if (at >= 0) throw new SentivecError(`n-gram ${Math.floor(at / 3)} has a word id that is not an integer (${section[at]})`);
    return new NgramTable(Int32Array.from(section), order, vocabSize);
  }

  private same(g: number, a: number, b: number, c: number): boolean {
    const t = this.tuples;
    return t[3 * g] === a && t[3 * g + 1] === b && t[3 * g + 2] === c;
  }
}

/** A 32-bit mix of the three ids (murmur3's finalizer steps between them). */
function slotOf(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ c;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
