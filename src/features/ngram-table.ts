/**
 * The product model's word n-grams (bigrams, and trigrams for order 3): an
 * explicit list of n-grams of vocabulary word ids, and a trie of them (word →
 * bigram → trigram) kept in one open-addressing hash table of typed arrays.
 * Scoring a text looks n-grams up from consecutive word ids (what the token
 * scanner returns), so the hot loop builds no strings; a trigram is probed
 * only where its bigram is a node, and a probe reads one 16-byte record.
 * Predict speed is mostly cache misses here (IMDb: ~870k n-grams, a table of
 * ~30 MB), hence records rather than parallel arrays.
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
  private readonly vocabSize: number;
  /**
   * The trie's nodes in one open-addressing table, a 16-byte record a node:
   * [first, next, payload, stamp]. A bigram node's key is (a, b); a trigram
   * node's is (V + the slot of its bigram node, c), so a trigram is looked up
   * only after its first two words matched, and a hit reads one record (key,
   * id and document stamp together). payload = 2 (g + 1) + (1 if trigrams
   * follow), g = −1 for a bigram node kept only as the prefix of trigrams.
   * first = −1: empty.
   */
  private readonly slots: Int32Array;
  private readonly capacity: number;
  // Scratch for distinct(): the stamp of the current document (clearing is O(1)) and the ids found.
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
    this.vocabSize = vocabSize;
    let bigrams = 0;
    for (let g = 0; g < this.size; g++) {
      const a = tuples[3 * g];
      const b = tuples[3 * g + 1];
      const c = tuples[3 * g + 2];
      const words = a >= 0 && a < vocabSize && b >= 0 && b < vocabSize && (c === -1 || (order === 3 && c >= 0 && c < vocabSize));
      if (!words) throw new SentivecError(`n-gram ${g} (${a}, ${b}, ${c}) is not ${order === 3 ? 'two or three' : 'two'} word ids below ${vocabSize}`);
      if (c === -1) bigrams++;
    }
    // Nodes: every n-gram, plus at most one prefix-only bigram node per trigram.
    this.capacity = Math.max(16, Math.ceil((this.size + (this.size - bigrams)) / MAX_LOAD));
    this.slots = new Int32Array(SLOT * this.capacity);
    for (let s = 0; s < this.capacity; s++) this.slots[SLOT * s] = -1;
    // Bigrams first, so a trigram finds its prefix node (or adds a prefix-only one).
    for (let g = 0; g < this.size; g++) if (tuples[3 * g + 2] === -1) this.insert(g, tuples[3 * g], tuples[3 * g + 1]);
    for (let g = 0; g < this.size; g++) {
      if (tuples[3 * g + 2] === -1) continue;
      let prefix = this.find(tuples[3 * g], tuples[3 * g + 1]);
      if (prefix < 0) prefix = this.insert(-1, tuples[3 * g], tuples[3 * g + 1]);
      this.slots[SLOT * prefix + 2] |= 1;
      this.insert(g, vocabSize + prefix, tuples[3 * g + 2]);
    }
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
    const s = this.find(a, b);
    if (s < 0) return -1;
    if (c === -1) return (this.slots[SLOT * s + 2] >> 1) - 1;
    const t = this.find(this.vocabSize + s, c);
    return t < 0 ? -1 : (this.slots[SLOT * t + 2] >> 1) - 1;
  }

  /** The n-gram's words, joined by spaces. */
  name(g: number, words: readonly string[]): string {
    const t = this.tuples;
    return t[3 * g + 2] < 0 ? `${words[t[3 * g]]} ${words[t[3 * g + 1]]}` : `${words[t[3 * g]]} ${words[t[3 * g + 1]]} ${words[t[3 * g + 2]]}`;
  }

  /**
   * The distinct n-grams of word ids ids[start, end), in order of first
   * occurrence (at each position the bigram, then the trigram): a view of a
   * buffer the next call reuses.
   */
  distinct(ids: ArrayLike<number>, start = 0, end = ids.length): Int32Array {
    if (this.size === 0 || end - start < 2) return EMPTY;
    const slots = this.slots;
    if (++this.stampValue === 0x7fffffff) {
      for (let s = 0; s < this.capacity; s++) slots[SLOT * s + 3] = 0;
      this.stampValue = 1;
    }
    const stamp = this.stampValue;
    if (this.found.length < (this.order - 1) * (end - start)) this.found = new Int32Array(2 * (this.order - 1) * (end - start));
    const found = this.found;
    const V = this.vocabSize;
    let m = 0;
    for (let p = start; p + 1 < end; p++) {
      const s = this.find(ids[p], ids[p + 1]);
      if (s < 0) continue;
      const payload = slots[SLOT * s + 2];
      if (payload > 1 && slots[SLOT * s + 3] !== stamp) {
        slots[SLOT * s + 3] = stamp;
        found[m++] = (payload >> 1) - 1;
      }
      if ((payload & 1) === 0 || p + 2 >= end) continue;
      const t = this.find(V + s, ids[p + 2]);
      if (t >= 0 && slots[SLOT * t + 3] !== stamp) {
        slots[SLOT * t + 3] = stamp;
        found[m++] = (slots[SLOT * t + 2] >> 1) - 1;
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
    const tuples = new Int32Array(section.length);
    for (let i = 0; i < section.length; i++) {
      const v = section[i];
      // (v | 0) === v: an integer in int32 range (ids are below 2^24), the cheaper test on a million ids.
      if ((v | 0) !== v) throw new SentivecError(`n-gram ${Math.floor(i / 3)} has a word id that is not an integer (${v})`);
      tuples[i] = v;
    }
    return new NgramTable(tuples, order, vocabSize);
  }

  /** The slot of node (first, next), −1 when absent. */
  private find(first: number, next: number): number {
    const slots = this.slots;
    let s = homeSlot(first, next, this.capacity);
    for (;;) {
      const f = slots[SLOT * s];
      if (f === first && slots[SLOT * s + 1] === next) return s;
      if (f === -1) return -1;
      if (++s === this.capacity) s = 0;
    }
  }

  /** Adds node (first, next) for n-gram g (−1: a prefix only) and returns its slot; an n-gram listed twice is a SentivecError. */
  private insert(g: number, first: number, next: number): number {
    const slots = this.slots;
    let s = homeSlot(first, next, this.capacity);
    while (slots[SLOT * s] !== -1) {
      if (slots[SLOT * s] === first && slots[SLOT * s + 1] === next) {
        const t = this.tuples;
        throw new SentivecError(`n-gram ${g} (${t[3 * g]}, ${t[3 * g + 1]}, ${t[3 * g + 2]}) is listed twice`);
      }
      if (++s === this.capacity) s = 0;
    }
    slots[SLOT * s] = first;
    slots[SLOT * s + 1] = next;
    slots[SLOT * s + 2] = 2 * (g + 1);
    return s;
  }
}

/** Ints in a node's record: first, next, payload, stamp (16 bytes, four to a cache line). */
const SLOT = 4;
/** Nodes per slot at most: linear probing stays short (≈ 1.75 probes for a hit, 3.6 for a miss at 0.6). */
const MAX_LOAD = 0.6;

/** The home slot of key (first, next) in a table of `capacity` slots: a 32-bit mix (murmur3's finalizer steps), scaled by multiplication. */
function homeSlot(first: number, next: number, capacity: number): number {
  let h = Math.imul(first, 0x9e3779b1) ^ next;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  // (h / 2^32) · capacity < capacity: the top bits choose the slot, no modulo.
  return Math.floor((h >>> 0) * (capacity / 4294967296));
}
