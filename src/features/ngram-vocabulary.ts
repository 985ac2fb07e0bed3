/**
 * An exact, counted vocabulary of word n-grams (n ≤ 3) with a minimum
 * document frequency, for analysis: every column is one named n-gram.
 * The hashed n-grams of ngrams.ts suit training (bounded memory, no
 * dictionary in the model), but a statistic per hash bucket is a statistic
 * of whatever n-grams share the bucket — at IMDb's ~7 M distinct trigrams
 * most buckets are shared — so ranking phrases needs exact columns.
 *
 * Counting is a priori (Agrawal & Srikant): an n-gram in ≥ minDf documents
 * has both (n−1)-grams in ≥ minDf documents, so bigrams are counted only
 * over frequent words and trigrams only where both bigrams are frequent.
 * That keeps the maps to the candidates that can survive, and n-gram keys
 * are exact integers (compact ids × words < 2^53), never strings.
 */
import type { CsrMatrix } from './csr.js';
import type { TokenizedDocs } from '../text/documents.js';
import { SentivecError } from '../util/errors.js';

export interface NgramVocabularyOptions {
  /** Shortest n-gram kept as a column. */
  minOrder: number;
  /** Longest n-gram (at most 3). */
  maxOrder: number;
  /** Keep n-grams in at least this many documents. */
  minDf: number;
}

export const NGRAM_VOCABULARY_DEFAULTS: Readonly<NgramVocabularyOptions> = { minOrder: 1, maxOrder: 3, minDf: 5 };

/** Distinct n-grams counted and kept, per order (index n − 1). */
export interface NgramCounts {
  readonly counted: number[];
  readonly kept: number[];
}

/** Document frequencies of keys in one counting pass (df counts each document once). */
class DfCounter {
  readonly slot = new Map<number, number>();
  df = new Int32Array(1 << 16);
  last = new Int32Array(1 << 16);

  add(key: number, doc: number): void {
    let s = this.slot.get(key);
    if (s === undefined) {
      s = this.slot.size;
      this.slot.set(key, s);
      if (s === this.df.length) {
        const df = new Int32Array(2 * s);
        df.set(this.df);
        this.df = df;
        const last = new Int32Array(2 * s);
        last.set(this.last);
        this.last = last;
      }
      this.df[s] = 1;
      this.last[s] = doc;
    } else if (this.last[s] !== doc) {
      this.last[s] = doc;
      this.df[s]++;
    }
  }

  /** key → compact id for keys with df ≥ minDf (ids in first-seen order), and their document frequencies. */
  frequent(minDf: number): { ids: Map<number, number>; keys: number[]; dfs: number[] } {
    const ids = new Map<number, number>();
    const keys: number[] = [];
    const dfs: number[] = [];
    for (const [key, s] of this.slot) {
      if (this.df[s] >= minDf) {
        ids.set(key, keys.length);
        keys.push(key);
        dfs.push(this.df[s]);
      }
    }
    return { ids, keys, dfs };
  }
}

export class NgramVocabulary {
  /** Column j's n-gram, its tokens joined by spaces. */
  readonly names: string[];
  /** Column j's token ids (n of them, n = orders[j]). */
  readonly tokens: Int32Array[];
  /** Column j's document frequency in the documents it was fitted on. */
  readonly df: Int32Array;
  readonly counts: NgramCounts;
  readonly options: NgramVocabularyOptions;
  // Lookups for transform: word id → compact word (−1 if rare), bigram key → compact bigram, trigram key → column.
  private readonly word: Int32Array;
  private readonly words: number;
  private readonly bigram: Map<number, number>;
  private readonly trigram: Map<number, number>;
  private readonly wordCol: Int32Array;
  private readonly bigramCol: Int32Array;

  private constructor(init: {
    names: string[];
    tokens: Int32Array[];
    df: Int32Array;
    counts: NgramCounts;
    options: NgramVocabularyOptions;
    word: Int32Array;
    words: number;
    bigram: Map<number, number>;
    trigram: Map<number, number>;
    wordCol: Int32Array;
    bigramCol: Int32Array;
  }) {
    this.names = init.names;
    this.tokens = init.tokens;
    this.df = init.df;
    this.counts = init.counts;
    this.options = init.options;
    this.word = init.word;
    this.words = init.words;
    this.bigram = init.bigram;
    this.trigram = init.trigram;
    this.wordCol = init.wordCol;
    this.bigramCol = init.bigramCol;
  }

  get size(): number {
    return this.names.length;
  }

  /** Counts the n-grams of `docs` (token ids into `strings`) and keeps the frequent ones. */
  static fit(docs: TokenizedDocs, strings: readonly string[], options: Partial<NgramVocabularyOptions> = {}): NgramVocabulary {
    const o = { ...NGRAM_VOCABULARY_DEFAULTS, ...options };
    if (!Number.isInteger(o.minOrder) || !Number.isInteger(o.maxOrder) || o.minOrder < 1 || o.maxOrder > 3 || o.minOrder > o.maxOrder) {
      throw new SentivecError(`n-gram orders must satisfy 1 ≤ min ≤ max ≤ 3, got ${o.minOrder}..${o.maxOrder}`);
    }
    if (!Number.isInteger(o.minDf) || o.minDf < 1) throw new SentivecError(`minimum document frequency must be a positive integer, got ${o.minDf}`);
    const { offsets, tokens } = docs;
    // Unigrams: a stamp per word id.
    const wdf = new Int32Array(strings.length);
    const seen = new Int32Array(strings.length).fill(-1);
    for (let d = 0; d < docs.count; d++) {
      for (let p = offsets[d]; p < offsets[d + 1]; p++) {
        const w = tokens[p];
        if (seen[w] !== d) {
          seen[w] = d;
          wdf[w]++;
        }
      }
    }
    const word = new Int32Array(strings.length).fill(-1);
    const wordIds: number[] = [];
    let counted1 = 0;
    for (let w = 0; w < strings.length; w++) {
      if (wdf[w] > 0) counted1++;
      if (wdf[w] >= o.minDf) {
        word[w] = wordIds.length;
        wordIds.push(w);
      }
    }
    const U = wordIds.length;
    let bigram = new Map<number, number>();
    let bigramKeys: number[] = [];
    let bigramDf: number[] = [];
    let counted2 = 0;
    if (o.maxOrder >= 2) {
      const counter = new DfCounter();
      for (let d = 0; d < docs.count; d++) {
        for (let p = offsets[d]; p + 1 < offsets[d + 1]; p++) {
          const a = word[tokens[p]];
          const b = word[tokens[p + 1]];
          if (a >= 0 && b >= 0) counter.add(a * U + b, d);
        }
      }
      counted2 = counter.slot.size;
      ({ ids: bigram, keys: bigramKeys, dfs: bigramDf } = counter.frequent(o.minDf));
    }
    const B = bigramKeys.length;
    let trigramKeys: number[] = [];
    let trigramDf: number[] = [];
    let counted3 = 0;
    if (o.maxOrder >= 3) {
      const counter = new DfCounter();
      for (let d = 0; d < docs.count; d++) {
        for (let p = offsets[d]; p + 2 < offsets[d + 1]; p++) {
          const a = word[tokens[p]];
          const b = word[tokens[p + 1]];
          const c = word[tokens[p + 2]];
          if (a < 0 || b < 0 || c < 0) continue;
          const ab = bigram.get(a * U + b);
          if (ab === undefined || !bigram.has(b * U + c)) continue;
          counter.add(ab * U + c, d);
        }
      }
      counted3 = counter.slot.size;
      ({ keys: trigramKeys, dfs: trigramDf } = counter.frequent(o.minDf));
    }
    // Columns: the kept orders, unigrams then bigrams then trigrams.
    const names: string[] = [];
    const colTokens: Int32Array[] = [];
    const colDf: number[] = [];
    const wordCol = new Int32Array(U).fill(-1);
    const bigramCol = new Int32Array(B).fill(-1);
    const bigramWords = (id: number): [number, number] => [wordIds[Math.floor(bigramKeys[id] / U)], wordIds[bigramKeys[id] % U]];
    if (o.minOrder <= 1) {
      for (let u = 0; u < U; u++) {
        wordCol[u] = names.length;
        names.push(strings[wordIds[u]]);
        colTokens.push(Int32Array.of(wordIds[u]));
        colDf.push(wdf[wordIds[u]]);
      }
    }
    if (o.minOrder <= 2 && o.maxOrder >= 2) {
      for (let b = 0; b < B; b++) {
        const [w1, w2] = bigramWords(b);
        bigramCol[b] = names.length;
        names.push(`${strings[w1]} ${strings[w2]}`);
        colTokens.push(Int32Array.of(w1, w2));
        colDf.push(bigramDf[b]);
      }
    }
    const trigramCol = new Map<number, number>();
    for (let t = 0; t < trigramKeys.length; t++) {
      const key = trigramKeys[t];
      const [w1, w2] = bigramWords(Math.floor(key / U));
      const w3 = wordIds[key % U];
      trigramCol.set(key, names.length);
      names.push(`${strings[w1]} ${strings[w2]} ${strings[w3]}`);
      colTokens.push(Int32Array.of(w1, w2, w3));
      colDf.push(trigramDf[t]);
    }
    const counts: NgramCounts = { counted: [counted1, counted2, counted3].slice(0, o.maxOrder), kept: [U, B, trigramKeys.length].slice(0, o.maxOrder) };
    return new NgramVocabulary({ names, tokens: colTokens, df: Int32Array.from(colDf), counts, options: o, word, words: U, bigram, trigram: trigramCol, wordCol, bigramCol });
  }

  /** Binary document × n-gram matrix (values 1, columns ascending in each row). */
  transform(docs: TokenizedDocs): CsrMatrix {
    const { offsets, tokens } = docs;
    const U = this.words;
    const indptr = new Int32Array(docs.count + 1);
    let indices = new Int32Array(1 << 20);
    let nnz = 0;
    let row = new Int32Array(1024);
    for (let d = 0; d < docs.count; d++) {
      const len = offsets[d + 1] - offsets[d];
      if (3 * len > row.length) row = new Int32Array(6 * len);
      let m = 0;
      for (let p = offsets[d]; p < offsets[d + 1]; p++) {
        const a = tokens[p] < this.word.length ? this.word[tokens[p]] : -1;
        if (a < 0) continue;
        if (this.wordCol[a] >= 0) row[m++] = this.wordCol[a];
        if (p + 1 >= offsets[d + 1]) continue;
        const b = tokens[p + 1] < this.word.length ? this.word[tokens[p + 1]] : -1;
        if (b < 0) continue;
        const ab = this.bigram.get(a * U + b);
        if (ab === undefined) continue;
        if (this.bigramCol[ab] >= 0) row[m++] = this.bigramCol[ab];
        if (p + 2 >= offsets[d + 1]) continue;
        const c = tokens[p + 2] < this.word.length ? this.word[tokens[p + 2]] : -1;
        if (c < 0) continue;
        const col = this.trigram.get(ab * U + c);
        if (col !== undefined) row[m++] = col;
      }
      const sorted = row.subarray(0, m).sort();
      let u = 0;
      for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[u++] = sorted[i];
      if (nnz + u > indices.length) {
        const g = new Int32Array(Math.max(2 * indices.length, nnz + u));
        g.set(indices.subarray(0, nnz));
        indices = g;
      }
      indices.set(sorted.subarray(0, u), nnz);
      nnz += u;
      indptr[d + 1] = nnz;
    }
    return { rows: docs.count, cols: this.names.length, indptr, indices: indices.slice(0, nnz), data: new Float64Array(nnz).fill(1) };
  }
}
