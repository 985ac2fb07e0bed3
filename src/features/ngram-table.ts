/**
 * The product model's word n-grams (bigrams, and trigrams for order 3): an
 * explicit list of n-grams of vocabulary word ids, and a trie of them (word →
 * bigram → trigram) kept in one open-addressing hash table of typed arrays.
 * Scoring a text looks n-grams up from consecutive word ids (what the token
 * scanner returns), so the hot loop builds no strings; a trigram is probed
 * only where its bigram is a node, and a probe reads one record: the key
 * and, in a model's table, the n-gram's classifier weight(s) (`weights`), so
 * scoring a found n-gram costs no second cache miss in a separate weight array.
 * Predict speed is mostly cache misses here (IMDb: ~870k n-grams, a table of
 * ~20 MB), hence records rather than parallel arrays, and `distinctSlots` probes
 * in phases: first every position's home record is read in a loop of
 * independent loads (so the CPU overlaps their cache misses, instead of
 * waiting for each behind the branches of the probe before it), then the
 * probes run on cached lines. The table is only read while scoring: a text's
 * repeated n-grams are found in a small set of its own, not by stamping the
 * shared table. A weighted table (predict's) keeps its records in the memory
 * of a WebAssembly kernel and looks up there (ngram-kernel.ts): the same
 * slots, at about half the cost a lookup (BENCHMARKS.md, #11 n-gram lookup,
 * session i).
 *
 * A model file stores the records themselves (`records`, `fromRecords`):
 * loading is then one copy and a check of every key, not a rebuild. A
 * table read so numbers its n-grams by slot, and makes their word triples
 * (`tuples`) only when something asks for them by id (explain, `id`).
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
import { NgramKernel } from './ngram-kernel.js';
import { NgramVocabulary } from './ngram-vocabulary.js';

export interface NgramTableOptions {
  /** Longest n-gram: 2 (bigrams) or 3 (bigrams and trigrams). */
  order: number;
  /** Keep n-grams in at least this many documents. */
  minDf: number;
  /** Keep at most this many n-grams, the most frequent by document frequency. */
  maxNgrams: number;
}

/** Per-n-gram weights a table carries in its records: `heads` of them an n-gram, class-major (heads × size). */
export interface NgramWeights {
  values: Float64Array;
  heads: number;
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
  /** Weights an n-gram carries in its record (0: none, a table only for finding n-grams). */
  readonly heads: number;
  /**
   * Float64s a record: one for the key, then `heads` weights. The weight of
   * head h of the n-gram at slot s is weights[s · recordFloats + 1 + h].
   */
  readonly recordFloats: number;
  private readonly vocabSize: number;
  /** Three word ids per n-gram (the third −1 for a bigram); null until asked for in a table read from records. */
  private triples: Int32Array | null;
  /** The class-major weights the records were filled from (weightedBy keeps a table built from the same array). */
  private readonly weightSource: Float64Array | null;
  /**
   * The trie's nodes in one open-addressing table of records: the key as two
   * int32 [first, next | flags], then the weights as float64. A bigram
   * node's key is (a, b); a trigram node's is (V + the slot of its bigram
   * node, c), so a trigram is looked up only after its first two words
   * matched. Flags: TRIGRAMS (trigrams follow this bigram), PREFIX (a bigram
   * node kept only as the prefix of trigrams, no n-gram). The record holds
   * first + 1, so 0 is empty and a new table needs no filling.
   */
  private keys: Int32Array = EMPTY;
  /** The same records as float64, for the weights. */
  private records: Float64Array = NO_WEIGHTS;
  /**
   * The n-gram id at each slot (−1: empty or a prefix), made on first use: scoring and naming what predict
   * found read the records alone, so a load does not spend a table-sized array on it; explain, id() and
   * distinct() do.
   */
  private slotIds: Int32Array | null = null;
  /** The slot of each n-gram id (the inverse of slotIds), made on first use: weight() reads it. */
  private idSlots: Int32Array | null = null;
  private capacity = 0;
  /** The lookup in WebAssembly, holding the records in its memory (weighted tables only: predict's); null: TypeScript. */
  private kernel: NgramKernel | null = null;
  // Scratch for distinctSlots(): per position its bigram's slot, then its trigram's home slot; the slots found;
  // the slots of the current text already found.
  private bigramAt = new Int32Array(256);
  private trigramAt = new Int32Array(256);
  private found = new Int32Array(256);
  private readonly seen = new IdSet();

  /**
   * `tuples`: three ids per n-gram (−1 third for a bigram), each id a word
   * below vocabSize; `weights`: what each n-gram's record carries (none: a
   * table for finding n-grams only). A SentivecError names what is wrong.
   */
  constructor(tuples: Int32Array, order: number, vocabSize: number, weights?: NgramWeights, stored?: StoredRecords) {
    if (order !== 2 && order !== 3) throw new SentivecError(`n-gram order must be 2 or 3, got ${order}`);
    if (tuples.length % 3 !== 0) throw new SentivecError(`n-gram tuples: ${tuples.length} ids is not three per n-gram`);
    if (vocabSize > MAX_NGRAM_WORD_ID) throw new SentivecError(`n-grams need a vocabulary below ${MAX_NGRAM_WORD_ID} words, got ${vocabSize}`);
    this.order = order;
    this.vocabSize = vocabSize;
    if (stored) {
      this.heads = stored.heads;
      this.recordFloats = 1 + this.heads;
      this.weightSource = null;
      this.triples = null;
      this.size = this.adopt(stored.records);
      return;
    }
    this.size = tuples.length / 3;
    this.triples = tuples;
    this.heads = weights?.heads ?? 0;
    if (weights && (!Number.isInteger(this.heads) || this.heads < 1 || weights.values.length !== this.heads * this.size)) {
      throw new SentivecError(`n-gram weights: ${weights.values.length} values for ${this.size} n-grams and ${weights.heads} heads`);
    }
    this.recordFloats = 1 + this.heads;
    this.weightSource = weights?.values ?? null;
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
      this.allocate(this.recordFloats * this.capacity);
      nodes = this.build();
    }
  }

  /**
   * The table a model file stored as its records (`records` of a table with `heads` weights an n-gram): every
   * key is checked (word ids, trigram prefixes, flags, each node found where it lies, no node twice, room left
   * for a lookup to end), so a damaged or hand-made section is a SentivecError, never a wrong answer or a
   * lookup that does not end. `count`: the n-grams the file says it has.
   */
  static fromRecords(records: Float64Array, order: number, vocabSize: number, heads: number, count: number): NgramTable {
    if (!LITTLE_ENDIAN) throw new SentivecError('n-gram records are read on little-endian machines only');
    if (!Number.isInteger(heads) || heads < 1) throw new SentivecError(`n-gram records need at least one weight each, got ${heads}`);
    const table = new NgramTable(EMPTY, order, vocabSize, undefined, { records, heads });
    if (table.size !== count) throw new SentivecError(`the n-gram records hold ${table.size} n-grams, not ${count}`);
    return table;
  }

  /** Three word ids per n-gram (−1 third for a bigram), by id. */
  get tuples(): Int32Array {
    if (!this.triples) this.numberBySlot();
    return this.triples as Int32Array;
  }

  /** This table carrying `values` (heads × size, class-major) in its records: itself when it was built from that very array. */
  weightedBy(values: Float64Array, heads: number): NgramTable {
    if (this.weightSource === values && this.heads === heads) return this;
    return new NgramTable(this.tuples, this.order, this.vocabSize, { values, heads });
  }

  /** The weight of head h of n-gram g (explain; scoring reads the records of the slots it found). */
  weight(g: number, h: number): number {
    if (!this.idSlots) {
      const ids = this.ids();
      this.idSlots = new Int32Array(this.size);
      for (let s = 0; s < ids.length; s++) if (ids[s] >= 0) this.idSlots[ids[s]] = s;
    }
    return this.records[this.idSlots[g] * this.recordFloats + 1 + h];
  }

  /** Takes a file's records as this table's, checks every node (see fromRecords) and returns the number of n-grams. */
  private adopt(records: Float64Array): number {
    const rf = this.recordFloats;
    const capacity = records.length / rf;
    if (!Number.isInteger(capacity) || capacity < 16) throw new SentivecError(`n-gram records: ${records.length} values is not ${rf} a slot for at least 16 slots`);
    this.capacity = capacity;
    this.allocate(records.length, records);
    const { keys, vocabSize: V } = this;
    const st = 2 * rf;
    let nodes = 0;
    let ngrams = 0;
    // The bigram nodes trigrams follow, one bit a slot (a small array in cache), for the trigrams' check below.
    const parents = new Int32Array((capacity + 31) >>> 5);
    for (let s = 0; s < capacity; s++) {
      const f = keys[st * s];
      const n = keys[st * s + 1];
      if (f === 0) {
        if (n !== 0) throw new SentivecError(`n-gram record ${s} is empty with a key`);
        continue;
      }
      const first = f - 1;
      const next = n & WORD;
      const flags = n ^ next;
      if (first < 0 || next >= V || (flags & ~(TRIGRAMS | PREFIX)) !== 0) throw new SentivecError(`n-gram record ${s}: key (${f}, ${n}) is not a node of word ids below ${V}`);
      if (first < V) {
        if ((flags & PREFIX) !== 0 && (flags & TRIGRAMS) === 0) throw new SentivecError(`n-gram record ${s}: a prefix node no trigram follows`);
        if ((flags & TRIGRAMS) !== 0 && this.order !== 3) throw new SentivecError(`n-gram record ${s}: trigrams in an order-${this.order} table`);
        if ((flags & TRIGRAMS) !== 0) parents[s >>> 5] |= 1 << (s & 31);
      } else if (flags !== 0 || this.order !== 3 || first - V >= capacity) throw new SentivecError(`n-gram record ${s}: not a trigram of an order-3 table`);
      if (this.find(first, next) !== s) throw new SentivecError(`n-gram record ${s} is not where a lookup finds its key (out of place, or a node listed twice)`);
      nodes++;
      if ((flags & PREFIX) === 0) ngrams++;
    }
    // Each trigram's prefix a bigram node that trigrams follow: read from the bits, not the records at random.
    let bad = -1;
    for (let s = 0; s < capacity; s++) {
      const p = keys[st * s] - 1 - V;
      if (p >= 0 && (parents[p >>> 5] & (1 << (p & 31))) === 0) bad = s;
    }
    if (bad >= 0) throw new SentivecError(`n-gram record ${bad}: a trigram whose prefix is not a bigram node trigrams follow`);
    // Lookups of absent keys end at an empty slot: the table must keep some.
    if (nodes > MAX_FILL * capacity) throw new SentivecError(`n-gram records: ${nodes} nodes fill ${capacity} slots beyond ${MAX_FILL}`);
    return ngrams;
  }

  /**
   * Zeroed records of `floats` values (or a copy of `from`): in the kernel's memory where the kernel runs and
   * the records carry weights (a table that scores: one copy, which the lookup and the scoring both read).
   */
  private allocate(floats: number, from?: Float64Array): void {
    this.kernel = this.heads > 0 ? NgramKernel.create(floats, this.recordFloats, this.vocabSize, from) : null;
    this.records = this.kernel ? this.kernel.records : (from ?? new Float64Array(floats));
    this.keys = new Int32Array(this.records.buffer, this.records.byteOffset, 2 * floats);
  }

  /** A table read from records: its n-grams numbered in slot order, with their word ids (tuples) and slots (slotIds). */
  private numberBySlot(): void {
    const { keys, capacity, vocabSize: V } = this;
    const st = 2 * this.recordFloats;
    const tuples = new Int32Array(3 * this.size);
    const ids = new Int32Array(capacity).fill(-1);
    let g = 0;
    for (let s = 0; s < capacity; s++) {
      const first = keys[st * s] - 1;
      const flags = keys[st * s + 1];
      if (first < 0 || (flags & PREFIX) !== 0) continue;
      // A bigram's words are its key; a trigram's first two are its prefix node's key.
      const p = first - V;
      tuples[3 * g] = p < 0 ? first : keys[st * p] - 1;
      tuples[3 * g + 1] = p < 0 ? flags & WORD : keys[st * p + 1] & WORD;
      tuples[3 * g + 2] = p < 0 ? -1 : flags & WORD;
      ids[s] = g++;
    }
    this.triples = tuples;
    this.slotIds = ids;
  }

  /** The records, as float64: the weight of head h of the n-gram at slot s is at s · recordFloats + 1 + h. */
  get weights(): Float64Array {
    return this.records;
  }

  /** The id of the n-gram at a slot that distinctSlots returned. */
  idAt(slot: number): number {
    return this.ids()[slot];
  }

  /** The words of the n-gram at a slot that distinctSlots returned, joined by spaces (read from its key). */
  nameAt(slot: number, words: readonly string[]): string {
    const keys = this.keys;
    const st = 2 * this.recordFloats;
    const first = keys[st * slot] - 1;
    const last = words[keys[st * slot + 1] & WORD];
    if (first < this.vocabSize) return `${words[first]} ${last}`;
    const p = first - this.vocabSize;
    return `${words[keys[st * p] - 1]} ${words[keys[st * p + 1] & WORD]} ${last}`;
  }

  /** slotIds, made on first use. */
  private ids(): Int32Array {
    if (this.slotIds) return this.slotIds;
    if (!this.triples) {
      this.numberBySlot();
      return this.slotIds as unknown as Int32Array;
    }
    const ids = new Int32Array(this.capacity).fill(-1);
    const t = this.tuples;
    for (let g = 0; g < this.size; g++) {
      // The bigram node is there: an n-gram, or the prefix of this trigram.
      const s = this.find(t[3 * g], t[3 * g + 1]);
      ids[t[3 * g + 2] === -1 ? s : this.find(this.vocabSize + s, t[3 * g + 2])] = g;
    }
    return (this.slotIds = ids);
  }

  /** Inserts every n-gram and returns 0; or, when the nodes would fill the table beyond MAX_FILL, stops and returns an estimate of the nodes needed. */
  private build(): number {
    const tuples = this.tuples;
    const st = 2 * this.recordFloats;
    let nodes = 0;
    const limit = Math.floor(MAX_FILL * this.capacity);
    // Bigrams first, so a trigram finds its prefix node (or adds a prefix-only one).
    for (let g = 0; g < this.size; g++) {
      if (tuples[3 * g + 2] !== -1) continue;
      this.insert(g, tuples[3 * g], tuples[3 * g + 1]);
      nodes++;
    }
    // Then the trigrams, a batch at a time: their prefixes' home records are read first (independent loads, so
    // their cache misses overlap instead of each waiting behind the probe before it: in a model file's order
    // the trigram inserts run front to back, and these reads are what is left at random), then found.
    const keys = this.keys;
    const homes = this.bigramAt.length >= BUILD_BATCH ? this.bigramAt : (this.bigramAt = new Int32Array(BUILD_BATCH));
    for (let g0 = 0; g0 < this.size; g0 += BUILD_BATCH) {
      const g1 = Math.min(this.size, g0 + BUILD_BATCH);
      let touched = 0;
      for (let g = g0; g < g1; g++) {
        if (tuples[3 * g + 2] === -1) continue;
        homes[g - g0] = homeSlot(tuples[3 * g], tuples[3 * g + 1], this.capacity);
        touched |= keys[st * homes[g - g0]];
      }
      // Used, so the compiler cannot drop the reads (a record's first + 1 is ≥ 0).
      if (touched < 0) throw new SentivecError('the n-gram table is corrupt');
      for (let g = g0; g < g1; g++) {
        if (tuples[3 * g + 2] === -1) continue;
        let prefix = this.probe(homes[g - g0], tuples[3 * g], tuples[3 * g + 1]);
        if (prefix < 0) {
          if (++nodes > limit) return nodes + 2 * (this.size - g);
          prefix = this.insert(-1, tuples[3 * g], tuples[3 * g + 1]);
        }
        keys[st * prefix + 1] |= TRIGRAMS;
        // The same limit for the trigram's own node: a file's table is refused beyond it (adopt).
        if (++nodes > limit) return nodes + 2 * (this.size - g);
        this.insert(g, this.vocabSize + prefix, tuples[3 * g + 2]);
      }
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
    if (c === -1) return this.ids()[s];
    const t = this.find(this.vocabSize + s, c);
    return t < 0 ? -1 : this.ids()[t];
  }

  /** The n-gram's words, joined by spaces. */
  name(g: number, words: readonly string[]): string {
    const t = this.tuples;
    return t[3 * g + 2] < 0 ? `${words[t[3 * g]]} ${words[t[3 * g + 1]]}` : `${words[t[3 * g]]} ${words[t[3 * g + 1]]} ${words[t[3 * g + 2]]}`;
  }

  /**
   * The distinct n-grams of word ids ids[start, end), in order of first
   * occurrence (at each position the bigram, then the trigram), as ids: a
   * view of a buffer the next call reuses.
   */
  distinct(ids: ArrayLike<number>, start = 0, end = ids.length): Int32Array {
    const found = this.distinctSlots(ids, start, end);
    const slotIds = this.ids();
    for (let q = 0; q < found.length; q++) found[q] = slotIds[found[q]];
    return found;
  }

  /**
   * distinct() as the slots of the n-grams' records (what scoring reads:
   * their weights are there; idAt gives the id): a view of a buffer the next
   * call reuses.
   */
  distinctSlots(ids: ArrayLike<number>, start = 0, end = ids.length): Int32Array {
    const n = end - start - 1;
    if (this.size === 0 || n < 1) return EMPTY;
    const fast = this.kernel ? this.kernel.distinct(ids, start, end) : null;
    if (fast) return fast;
    if (this.bigramAt.length < n) {
      this.bigramAt = new Int32Array(2 * n);
      this.trigramAt = new Int32Array(2 * n);
    }
    if (this.found.length < (this.order - 1) * n) this.found = new Int32Array(2 * (this.order - 1) * n);
    const { keys, capacity, bigramAt, trigramAt, found } = this;
    const st = 2 * this.recordFloats;
    const V = this.vocabSize;
    // Phase 1: every position's bigram home slot, then one read of each (independent loads: their misses overlap).
    for (let i = 0; i < n; i++) bigramAt[i] = homeSlot(ids[start + i], ids[start + i + 1], capacity);
    let touched = 0;
    for (let i = 0; i < n; i++) touched |= keys[st * bigramAt[i]];
    // Phase 2: the bigram probes on cached lines; where trigrams follow, the trigram's home slot, read the same way.
    for (let i = 0; i < n; i++) {
      const s = this.probe(bigramAt[i], ids[start + i], ids[start + i + 1]);
      bigramAt[i] = s;
      trigramAt[i] = s >= 0 && (keys[st * s + 1] & TRIGRAMS) !== 0 && i + 1 < n ? homeSlot(V + s, ids[start + i + 2], capacity) : -1;
    }
    for (let i = 0; i < n; i++) if (trigramAt[i] >= 0) touched |= keys[st * trigramAt[i]];
    // Used, so the compiler cannot drop the reads: a record's first + 1 is ≥ 0, and so is their OR.
    if (touched < 0) throw new SentivecError('the n-gram table is corrupt');
    // Phase 3: the slots, at each position the bigram's then the trigram's, each the first time it occurs.
    const seen = this.seen.reset(2 * n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const s = bigramAt[i];
      if (s < 0) continue;
      if ((keys[st * s + 1] & PREFIX) === 0 && seen.add(s)) found[m++] = s;
      if (trigramAt[i] < 0) continue;
      const t = this.probe(trigramAt[i], V + s, ids[start + i + 2]);
      if (t >= 0 && seen.add(t)) found[m++] = t;
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

  /** The table of a version-1 model file's section (word-id triples as float32); `weights`: what its records carry (see the constructor). */
  static fromSection(section: Float32Array, order: number, vocabSize: number, weights?: NgramWeights): NgramTable {
    const tuples = new Int32Array(section.length);
    for (let i = 0; i < section.length; i++) {
      const v = section[i];
      // (v | 0) === v: an integer in int32 range (ids are below 2^24), the cheaper test on a million ids.
      if ((v | 0) !== v) throw new SentivecError(`n-gram ${Math.floor(i / 3)} has a word id that is not an integer (${v})`);
      tuples[i] = v;
    }
    return new NgramTable(tuples, order, vocabSize, weights);
  }

  /** The slot of node (first, next), −1 when absent. */
  private find(first: number, next: number): number {
    return this.probe(homeSlot(first, next, this.capacity), first, next);
  }

  /** The slot of node (first, next) searched from its home slot s, −1 when absent. */
  private probe(s: number, first: number, next: number): number {
    const keys = this.keys;
    const st = 2 * this.recordFloats;
    const stored = first + 1;
    for (;;) {
      const f = keys[st * s];
      if (f === stored && (keys[st * s + 1] & WORD) === next) return s;
      if (f === 0) return -1;
      if (++s === this.capacity) s = 0;
    }
  }

  /** Adds node (first, next) for n-gram g (−1: a prefix only) and returns its slot; an n-gram listed twice is a SentivecError. */
  private insert(g: number, first: number, next: number): number {
    const keys = this.keys;
    const st = 2 * this.recordFloats;
    let s = homeSlot(first, next, this.capacity);
    while (keys[st * s] !== 0) {
      if (keys[st * s] === first + 1 && (keys[st * s + 1] & WORD) === next) {
        const t = this.tuples;
        throw new SentivecError(`n-gram ${g} (${t[3 * g]}, ${t[3 * g + 1]}, ${t[3 * g + 2]}) is listed twice`);
      }
      if (++s === this.capacity) s = 0;
    }
    keys[st * s] = first + 1;
    keys[st * s + 1] = g < 0 ? next | PREFIX : next;
    // The weights go into the record being written (its cache line is already here).
    const w = this.weightSource;
    if (w !== null && g >= 0) for (let h = 0; h < this.heads; h++) this.records[s * this.recordFloats + 1 + h] = w[h * this.size + g];
    return s;
  }
}

/** A key's `next` is a word id (below MAX_NGRAM_WORD_ID = 2^24); the bits above it are flags. */
const WORD = MAX_NGRAM_WORD_ID - 1;
/** Flag of a bigram node that trigrams follow. */
const TRIGRAMS = 1 << 30;
/** Flag of a bigram node kept only as the prefix of trigrams (not an n-gram of the table). */
const PREFIX = 1 << 29;
const NO_WEIGHTS = new Float64Array(0);
/** A record's key is two int32 in the float64's bytes: a file's records are read as little-endian. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** What a table read from a model file adopts: its records, `heads` weights a record. */
interface StoredRecords {
  records: Float64Array;
  heads: number;
}
/** Trigrams whose prefixes build() looks up together. */
const BUILD_BATCH = 32;
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
