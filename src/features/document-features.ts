/**
 * The paper's best document representation, [cosine-normalised R v ; bnc v]
 * with v the binary bag of words, built straight from token ids in float64.
 * Column j < β is the word-vector part, column β + w is word w's bnc weight.
 * SentimentModel scores a text with exactly this arithmetic (one word at a
 * time), so a classifier trained on these rows sees the same numbers at
 * prediction time.
 *
 * With an n-gram table the bag is one of terms (words, then n-grams): column
 * β + |V| + g is n-gram g, and bnc divides by √(distinct terms), words and
 * n-grams together. The word-vector part stays over words.
 */
import type { CsrMatrix } from './csr.js';
import type { WordMatrix } from './word-matrix.js';
import type { TokenizedDocs } from '../text/documents.js';
import type { NgramTable } from './ngram-table.js';

export function vectorsWithBnc(docs: TokenizedDocs, r: WordMatrix, rows?: ArrayLike<number>, ngrams?: NgramTable): CsrMatrix {
  const { dim, vocabSize, data: R } = r;
  const n = rows ? rows.length : docs.count;
  const stamp = new Int32Array(vocabSize).fill(-1);
  const distinct = new Int32Array(vocabSize);
  const acc = new Float64Array(dim);
  const indptr = new Int32Array(n + 1);
  // Upper bound on nnz first (dim + distinct words ≤ dim + tokens per row), then trim.
  let bound = 0;
  for (let i = 0; i < n; i++) {
    const d = rows ? rows[i] : i;
    const len = docs.offsets[d + 1] - docs.offsets[d];
    bound += dim + Math.min(vocabSize, len) + (ngrams ? (ngrams.order - 1) * len : 0);
  }
  const indices = new Int32Array(bound);
  const values = new Float64Array(bound);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const d = rows ? rows[i] : i;
    let m = 0;
    for (let p = docs.offsets[d]; p < docs.offsets[d + 1]; p++) {
      const w = docs.tokens[p];
      if (w < 0 || w >= vocabSize) throw new RangeError(`token id ${w} outside the vocabulary of ${vocabSize}`);
      if (stamp[w] !== i) {
        stamp[w] = i;
        distinct[m++] = w;
      }
    }
    const words = distinct.subarray(0, m).sort();
    acc.fill(0);
    for (let q = 0; q < m; q++) {
      const base = words[q] * dim;
      for (let j = 0; j < dim; j++) acc[j] += R[base + j];
    }
    let s = 0;
    for (let j = 0; j < dim; j++) s += acc[j] * acc[j];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) {
      indices[k] = j;
      values[k++] = acc[j] * inv;
    }
    const grams = ngrams ? ngrams.distinct(docs.tokens, docs.offsets[d], docs.offsets[d + 1]).sort() : EMPTY;
    const terms = m + grams.length;
    const bnc = terms > 0 ? 1 / Math.sqrt(terms) : 0;
    for (let q = 0; q < m; q++) {
      indices[k] = dim + words[q];
      values[k++] = bnc;
    }
    for (let q = 0; q < grams.length; q++) {
      indices[k] = dim + vocabSize + grams[q];
      values[k++] = bnc;
    }
    indptr[i + 1] = k;
  }
  return { rows: n, cols: dim + vocabSize + (ngrams?.size ?? 0), indptr, indices: indices.slice(0, k), data: values.slice(0, k) };
}

const EMPTY = new Int32Array(0);
