/**
 * Word n-grams (uni-, bi-, trigrams) as binarized features, by feature
 * hashing: n-gram (t1..tn) goes to bucket hash(t1..tn) mod 2^bits, a hash of
 * the token strings themselves. Why hashing rather than a counted and pruned
 * n-gram vocabulary:
 * - memory is bounded up front (2^bits weights, whatever the corpus: IMDb's
 *   25k training reviews hold ~7 M distinct uni+bi+trigrams), and building
 *   features is one streamed pass per document with no dictionary of n-gram
 *   strings and no second pass;
 * - a saved model needs no n-gram list: the hash of a new text's n-grams
 *   finds their weights, and explaining a prediction still names each n-gram
 *   of the text (its bucket's weight is its share of the score).
 * The cost is collisions: distinct n-grams sharing a bucket share a weight.
 * `fit` counts them (buckets hit by two or more distinct n-grams, told apart
 * by a second, independent 32-bit fingerprint); BENCHMARKS.md (#11) gives
 * what they cost in accuracy on IMDb for several `bits`.
 *
 * Tokens come from the tokenizer unchanged (the `paper` mode keeps `!`, `?`
 * and emoticons, and negations such as "don't" stay one token); n-grams run
 * across sentence boundaries, as in Wang & Manning (2012).
 */
import type { CsrMatrix } from './csr.js';
import type { TokenizedDocs } from '../text/documents.js';
import { SentivecError } from '../util/errors.js';

export interface NgramOptions {
  /** Longest n-gram: 1 = unigrams, 2 = uni+bigrams, 3 = uni+bi+trigrams. */
  order: number;
  /** log2 of the number of hash buckets (feature columns). */
  bits: number;
}

export const NGRAM_DEFAULTS: Readonly<NgramOptions> = { order: 3, bits: 22 };

/** What `fit` saw: distinct n-grams and the buckets they share. */
export interface NgramStats {
  documents: number;
  /** Buckets hit by at least one n-gram. */
  occupiedBuckets: number;
  /** Buckets hit by two or more distinct n-grams (told apart by fingerprint). */
  collidedBuckets: number;
}

/** One n-gram of a text: its tokens' positions [start, start + n) and its bucket. */
export interface NgramOccurrence {
  start: number;
  n: number;
  bucket: number;
}

/** 32-bit FNV-1a over UTF-16 code units, finished with murmur3's fmix32. */
export function tokenHash(token: string, seed = 0x811c9dc5): number {
  let h = seed | 0;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

function fmix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hash of an n-gram from its prefix's hash and the next token's: order-sensitive, so "not good" ≠ "good not". */
function extend(prefix: number, token: number): number {
  return fmix32((Math.imul(prefix, 0x9e3779b1) + token) ^ 0x27d4eb2f);
}

// A second hash family, only to tell distinct n-grams apart when counting collisions.
const FINGERPRINT_SEED = 0x2545f491;

export class NgramHasher {
  readonly order: number;
  readonly bits: number;
  readonly buckets: number;
  private readonly mask: number;
  private scratch = new Uint32Array(1024);

  constructor(options: Partial<NgramOptions> = {}) {
    const o = { ...NGRAM_DEFAULTS, ...options };
    if (!Number.isInteger(o.order) || o.order < 1 || o.order > 5) throw new SentivecError(`n-gram order must be an integer in 1..5, got ${o.order}`);
    if (!Number.isInteger(o.bits) || o.bits < 1 || o.bits > 26) throw new SentivecError(`n-gram hash bits must be an integer in 1..26, got ${o.bits}`);
    this.order = o.order;
    this.bits = o.bits;
    this.buckets = 2 ** o.bits;
    this.mask = this.buckets - 1;
  }

  toJSON(): NgramOptions {
    return { order: this.order, bits: this.bits };
  }

  static fromJSON(o: NgramOptions): NgramHasher {
    return new NgramHasher(o);
  }

  /** Per-token hashes of a dictionary's words, so documents held as token ids hash like their strings. */
  static tokenHashes(words: readonly string[], seed?: number): Uint32Array {
    return Uint32Array.from(words, (w) => tokenHash(w, seed));
  }

  /**
   * The distinct buckets of one document's n-grams, ascending, written into
   * the returned view of a scratch buffer (valid until the next call).
   * `hashes[p]` is the hash of the document's p-th token.
   */
  bucketsOf(hashes: ArrayLike<number>, start = 0, end = hashes.length): Uint32Array {
    const len = end - start;
    let m = 0;
    const need = len * this.order;
    if (need > this.scratch.length) this.scratch = new Uint32Array(Math.max(need, 2 * this.scratch.length));
    const out = this.scratch;
    for (let p = 0; p < len; p++) {
      let h = hashes[start + p] >>> 0;
      out[m++] = h & this.mask;
      for (let n = 2; n <= this.order && p + n <= len; n++) {
        h = extend(h, hashes[start + p + n - 1] >>> 0);
        out[m++] = h & this.mask;
      }
    }
    const sorted = out.subarray(0, m).sort();
    // Binarized: each bucket once (repeats of an n-gram, and colliding n-grams, count once).
    let u = 0;
    for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[u++] = sorted[i];
    return sorted.subarray(0, u);
  }

  /** Every n-gram of a token sequence, in order of position then length (for explanations). */
  occurrences(tokens: readonly string[]): NgramOccurrence[] {
    const hashes = tokens.map((t) => tokenHash(t));
    const out: NgramOccurrence[] = [];
    for (let p = 0; p < hashes.length; p++) {
      let h = hashes[p];
      out.push({ start: p, n: 1, bucket: h & this.mask });
      for (let n = 2; n <= this.order && p + n <= hashes.length; n++) {
        h = extend(h, hashes[p + n - 1]);
        out.push({ start: p, n, bucket: h & this.mask });
      }
    }
    return out;
  }

  /** Binary document × bucket matrix of one text's tokens. */
  transformTokens(texts: readonly (readonly string[])[]): CsrMatrix {
    const builder = new CsrBuilder(this.buckets);
    for (const tokens of texts) builder.row(this.bucketsOf(tokens.map((t) => tokenHash(t))));
    return builder.finish();
  }

  /**
   * Binary document × bucket matrix (values 1) of documents held as token
   * ids, `tokenHashes[id]` being the hash of token id's string
   * (NgramHasher.tokenHashes). `rows` picks documents (default all).
   */
  transform(docs: TokenizedDocs, tokenHashes: Uint32Array, rows?: ArrayLike<number>): CsrMatrix {
    const builder = new CsrBuilder(this.buckets);
    this.eachDocument(docs, tokenHashes, (buckets) => builder.row(buckets), rows);
    return builder.finish();
  }

  /** Calls `row` with each document's distinct buckets, in order (a view valid during the call, as `bucketsOf`'s); arguments as `transform`'s. */
  eachDocument(docs: TokenizedDocs, tokenHashes: Uint32Array, row: (buckets: Uint32Array) => void, rows?: ArrayLike<number>): void {
    const n = rows ? rows.length : docs.count;
    let hashes = new Uint32Array(256);
    for (let i = 0; i < n; i++) {
      const d = rows ? rows[i] : i;
      const a = docs.offsets[d];
      const len = docs.offsets[d + 1] - a;
      if (len > hashes.length) hashes = new Uint32Array(2 * len);
      for (let p = 0; p < len; p++) hashes[p] = tokenHashes[docs.tokens[a + p]];
      row(this.bucketsOf(hashes, 0, len));
    }
  }

  /**
   * Counts what hashing merged in these documents: buckets used, and buckets
   * shared by distinct n-grams. Nothing here changes the features; it is the
   * measurement behind the choice of `bits`.
   */
  stats(docs: TokenizedDocs, tokenHashes: Uint32Array, fingerprints: Uint32Array, rows?: ArrayLike<number>): NgramStats {
    const n = rows ? rows.length : docs.count;
    const print = new Uint32Array(this.buckets);
    const state = new Uint8Array(this.buckets); // 0 empty, 1 one n-gram, 2 collided
    let occupied = 0;
    let collided = 0;
    for (let i = 0; i < n; i++) {
      const d = rows ? rows[i] : i;
      const a = docs.offsets[d];
      const len = docs.offsets[d + 1] - a;
      for (let p = 0; p < len; p++) {
        let h = tokenHashes[docs.tokens[a + p]];
        let f = fingerprints[docs.tokens[a + p]];
        for (let k = 1; k <= this.order && p + k <= len; k++) {
          if (k > 1) {
            h = extend(h, tokenHashes[docs.tokens[a + p + k - 1]]);
            f = extend(f ^ k, fingerprints[docs.tokens[a + p + k - 1]]);
          }
          const b = h & this.mask;
          if (state[b] === 0) {
            state[b] = 1;
            print[b] = f;
            occupied++;
          } else if (state[b] === 1 && print[b] !== f) {
            state[b] = 2;
            collided++;
          }
        }
      }
    }
    return { documents: n, occupiedBuckets: occupied, collidedBuckets: collided };
  }

  /** Fingerprints for `stats`: a second hash of each dictionary word. */
  static fingerprints(words: readonly string[]): Uint32Array {
    return NgramHasher.tokenHashes(words, FINGERPRINT_SEED);
  }
}

/** Appends binary rows (sorted distinct columns) into growing typed arrays. */
class CsrBuilder {
  private indices = new Int32Array(1 << 16);
  private indptr = new Int32Array(1024);
  private rows = 0;
  private nnz = 0;

  constructor(private readonly cols: number) {}

  row(cols: ArrayLike<number>): void {
    if (this.rows + 2 > this.indptr.length) {
      const g = new Int32Array(2 * this.indptr.length);
      g.set(this.indptr);
      this.indptr = g;
    }
    if (this.nnz + cols.length > this.indices.length) {
      const g = new Int32Array(Math.max(2 * this.indices.length, this.nnz + cols.length));
      g.set(this.indices.subarray(0, this.nnz));
      this.indices = g;
    }
    for (let k = 0; k < cols.length; k++) this.indices[this.nnz++] = cols[k];
    this.indptr[++this.rows] = this.nnz;
  }

  finish(): CsrMatrix {
    return {
      rows: this.rows,
      cols: this.cols,
      indptr: this.indptr.slice(0, this.rows + 1),
      indices: this.indices.slice(0, this.nnz),
      data: new Float64Array(this.nnz).fill(1),
    };
  }
}

/**
 * Renumbers the columns of `train` to the buckets it uses (in bucket order)
 * and maps `others` the same way, dropping buckets `train` never uses: a
 * feature absent from every training row gets no weight in a linear model
 * fitted on them, so nothing is lost, and every per-column array (NB counts,
 * ratios, SVM weights) shrinks from 2^bits to the occupied buckets (IMDb
 * trigrams at 2^24: 16.8 M → 4.5 M). `buckets[c]` is compact column c's bucket.
 */
export function compactColumns(train: CsrMatrix, others: readonly CsrMatrix[]): { buckets: Int32Array; train: CsrMatrix; others: CsrMatrix[] } {
  const map = new Int32Array(train.cols).fill(-1);
  const nnz = train.indptr[train.rows];
  for (let p = 0; p < nnz; p++) map[train.indices[p]] = 0;
  let cols = 0;
  for (let j = 0; j < map.length; j++) if (map[j] === 0) map[j] = cols++;
  const buckets = new Int32Array(cols);
  for (let j = 0; j < map.length; j++) if (map[j] >= 0) buckets[map[j]] = j;
  const remap = (x: CsrMatrix): CsrMatrix => {
    if (x.cols !== train.cols) throw new SentivecError(`matrix has ${x.cols} columns, expected ${train.cols}`);
    const indptr = new Int32Array(x.rows + 1);
    const indices = new Int32Array(x.indptr[x.rows]);
    const data = new Float64Array(x.indptr[x.rows]);
    let k = 0;
    for (let i = 0; i < x.rows; i++) {
      for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
        const c = map[x.indices[p]];
        if (c < 0) continue;
        indices[k] = c;
        data[k++] = x.data[p];
      }
      indptr[i + 1] = k;
    }
    // Bucket order is kept, so rows stay sorted by column.
    return { rows: x.rows, cols, indptr, indices: indices.slice(0, k), data: data.slice(0, k) };
  };
  return { buckets, train: remap(train), others: others.map(remap) };
}
