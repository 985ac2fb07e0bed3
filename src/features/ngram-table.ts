/**
 * The product model's word n-grams (bigrams, and trigrams for order 3): an
 * explicit list of n-grams of vocabulary word ids, and a trie of them (word →
 * bigram → trigram) kept in one open-addressing hash table of typed arrays.
 * Scoring a text looks n-grams up from consecutive word ids (what the token
 * scanner returns), so the hot loop builds no strings; a trigram is probed
 * only where its bigram is a node, and a probe reads one 12-byte record.
 * Predict speed is mostly cache misses here (IMDb: ~870k n-grams, a table of
 * ~20 MB), hence records rather than parallel arrays, and `distinct` probes
 * in phases: first every position's home record is read in a loop of
 * independent loads (so the CPU overlaps their cache misses, instead of
 * waiting for each behind the branches of the probe before it), then the
 * probes run on cached lines. The table is only read while scoring: a text's
 * repeated n-grams are found in a small set of its own, not by stamping the
 * shared table.
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
   * The trie's nodes in one open-addressing table, a 12-byte record a node:
   * [first, next, payload]. A bigram node's key is (a, b); a trigram node's
   * is (V + the slot of its bigram node, c), so a trigram is looked up only
   * after its first two words matched, and a hit reads one record (key and
   * id together). payload = 2 (g + 1) + (1 if trigrams follow), g = −1 for
   * a bigram node kept only as the prefix of trigrams. first = −1: empty.
   */
  private slots = EMPTY;
  private capacity = 0;
  // Scratch for distinct(): per position its bigram's slot, then its trigram's home slot; the ids found; the
  // ids of the current text already found.
  private bigramAt = new Int32Array(256);
  private trigramAt = new Int32Array(256);
  private found = new Int32Array(256);
  private readonly seen = new IdSet();

  /** `tuples`: three ids per n-gram (−1 third for a bigram), each id a word below vocabSize; a SentivecError names what is wrong. */
  constructor(tuples: Int32Array, order: number, vocabSize: number) {
    if (order !== 2 && order !== 3) throw new SentivecError(`n-gram order must be 2 or 3, got ${order}`);
    if (tuples.length % 3 !== 0) throw new SentivecError(`n-gram tuples: ${tuples.length} ids is not three per n-gram`);
    if (vocabSize > MAX_NGRAM_WORD_ID) throw new SentivecError(`n-grams need a vocabulary below ${MAX_NGRAM_WORD_ID} words, got ${vocabSize}`);
    this.order = order;
    this.size = tuples.length / 3;
    this.tuples = tuples;
    this.vocabSize = vocabSize;
    for (let g = 0; g < this.size; g++) {
      const a = tuples[3 * g];
      const b = tuples[3 * g + 1];
      const c = tuples[3 * g + 2];
      const words = a >= 0 && a < vocabSize && b >= 0 && b < vocabSize && (c === -1 || (order === 3 && c >= 0 && c < vocabSize));
      if (!words) throw new SentivecError(`n-gram ${g} (${a}, ${b}, ${c}) is not ${order === 3 ? 'two or three' : 'two'} word ids below ${vocabSize}`);
    }
    // Nodes: every n-gram, plus one prefix-only bigram node per distinct trigram prefix that is not a bigram
    // (none when trigrams were counted a priori and nothing was capped): sized for the n-grams, and rebuilt
    // larger in the rare case the prefixes fill it beyond MAX_FILL.
    for (let nodes = Math.max(1, this.size); nodes > 0; ) {
      this.capacity = Math.max(16, Math.ceil(nodes / MAX_LOAD));
      this.slots = new Int32Array(SLOT * this.capacity).fill(-1);
      nodes = this.build();
    }
  }

  /** Inserts every n-gram and returns 0; or, when the nodes would fill the table beyond MAX_FILL, stops and returns an estimate of the nodes needed. */
  private build(): number {
    const tuples = this.tuples;
    let nodes = 0;
    const limit = Math.floor(MAX_FILL * this.capacity);
    // Bigrams first, so a trigram finds its prefix node (or adds a prefix-only one).
    for (let g = 0; g < this.size; g++) {
      if (tuples[3 * g + 2] !== -1) continue;
      this.insert(g, tuples[3 * g], tuples[3 * g + 1]);
      nodes++;
    }
    for (let g = 0; g < this.size; g++) {
      if (tuples[3 * g + 2] === -1) continue;
      let prefix = this.find(tuples[3 * g], tuples[3 * g + 1]);
      if (prefix < 0) {
        if (++nodes > limit) return nodes + 2 * (this.size - g);
        prefix = this.insert(-1, tuples[3 * g], tuples[3 * g + 1]);
      }
      this.slots[SLOT * prefix + 2] |= 1;
      this.insert(g, this.vocabSize + prefix, tuples[3 * g + 2]);
      nodes++;
    }
    return 0;
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
    const n = end - start - 1;
    if (this.size === 0 || n < 1) return EMPTY;
    if (this.bigramAt.length < n) {
      this.bigramAt = new Int32Array(2 * n);
      this.trigramAt = new Int32Array(2 * n);
    }
    if (this.found.length < (this.order - 1) * n) this.found = new Int32Array(2 * (this.order - 1) * n);
    const { slots, capacity, bigramAt, trigramAt, found } = this;
    const V = this.vocabSize;
    // Phase 1: every position's bigram home slot, then one read of each (independent loads: their misses overlap).
    for (let i = 0; i < n; i++) bigramAt[i] = homeSlot(ids[start + i], ids[start + i + 1], capacity);
    let touched = 0;
    for (let i = 0; i < n; i++) touched |= slots[SLOT * bigramAt[i]];
    // Phase 2: the bigram probes on cached lines; where trigrams follow, the trigram's home slot, read the same way.
    for (let i = 0; i < n; i++) {
      const s = this.probe(bigramAt[i], ids[start + i], ids[start + i + 1]);
      bigramAt[i] = s;
      trigramAt[i] = s >= 0 && (slots[SLOT * s + 2] & 1) === 1 && i + 1 < n ? homeSlot(V + s, ids[start + i + 2], capacity) : -1;
    }
    for (let i = 0; i < n; i++) if (trigramAt[i] >= 0) touched |= slots[SLOT * trigramAt[i]];
    // Used, so the compiler cannot drop the reads: a record's first is −1 (empty) or ≥ 0, and so is their OR.
    if (touched < -1) throw new SentivecError('the n-gram table is corrupt');
    // Phase 3: the ids, at each position the bigram's then the trigram's, each the first time it occurs.
    const seen = this.seen.reset(2 * n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const s = bigramAt[i];
      if (s < 0) continue;
      const payload = slots[SLOT * s + 2];
      if (payload > 1 && seen.add((payload >> 1) - 1)) found[m++] = (payload >> 1) - 1;
      if (trigramAt[i] < 0) continue;
      const t = this.probe(trigramAt[i], V + s, ids[start + i + 2]);
      if (t >= 0 && seen.add((slots[SLOT * t + 2] >> 1) - 1)) found[m++] = (slots[SLOT * t + 2] >> 1) - 1;
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
    return this.probe(homeSlot(first, next, this.capacity), first, next);
  }

  /** The slot of node (first, next) searched from its home slot s, −1 when absent. */
  private probe(s: number, first: number, next: number): number {
    const slots = this.slots;
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

/** Ints in a node's record: first, next, payload (12 bytes). */
const SLOT = 3;
/** Nodes per slot for the n-grams: linear probing stays short (≈ 1.75 probes for a hit, 3.6 for a miss at 0.6). */
const MAX_LOAD = 0.6;
/** Nodes per slot at most, with the prefix-only nodes; beyond it the table is rebuilt larger. */
const MAX_FILL = 0.8;

/**
 * A set of n-gram ids, emptied in O(1) (a generation stamp per slot): the
 * ids already found in the current text. It is small (a text has hundreds of
 * n-grams), so it stays in the L1 cache, unlike a stamp in the big table.
 */
class IdSet {
  private keys = new Int32Array(1024);
  private stamps = new Int32Array(1024);
  private stamp = 0;
  private mask = 1023;
  /** 32 − log2(size): a key's slot is the top bits of its multiplicative hash. */
  private shift = 22;

  /** Empties the set, sized for up to n ids (at most half full); returns itself. */
  reset(n: number): this {
    if (2 * n > this.keys.length) {
      let size = this.keys.length;
      while (size < 2 * n) size *= 2;
      this.keys = new Int32Array(size);
      this.stamps = new Int32Array(size);
      this.mask = size - 1;
      this.shift = 32 - Math.log2(size);
      this.stamp = 0;
    }
    if (++this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    return this;
  }

  /** Adds id; true when it was not in the set. */
  add(id: number): boolean {
    const { keys, stamps, stamp, mask } = this;
    let s = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (;;) {
      if (stamps[s] !== stamp) {
        stamps[s] = stamp;
        keys[s] = id;
        return true;
      }
      if (keys[s] === id) return false;
      s = (s + 1) & mask;
    }
  }
}

/** The home slot of key (first, next) in a table of `capacity` slots: a 32-bit mix (murmur3's finalizer steps), scaled by multiplication. */
function homeSlot(first: number, next: number, capacity: number): number {
  let h = Math.imul(first, 0x9e3779b1) ^ next;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  // (h / 2^32) · capacity < capacity: the top bits choose the slot, no modulo.
  return Math.floor((h >>> 0) * (capacity / 4294967296));
}
