/**
 * Keyword in context: one occurrence of an n-gram with a few tokens either
 * side, so a reader sees how a ranked phrase is used ("… not [worth the]
 * price …") instead of guessing from the bare n-gram.
 */
import type { CsrMatrix } from './csr.js';
import type { TokenizedDocs } from '../text/documents.js';

export interface KeywordInContext {
  /** Index of the document quoted. */
  readonly document: number;
  readonly left: string;
  readonly match: string;
  readonly right: string;
}

/** The first occurrence of `ngram` (token ids) in document d, with `width` tokens either side; null if absent. */
export function keywordInContext(docs: TokenizedDocs, strings: readonly string[], d: number, ngram: Int32Array, width = 6): KeywordInContext | null {
  const a = docs.offsets[d];
  const b = docs.offsets[d + 1];
  const n = ngram.length;
  for (let p = a; p + n <= b; p++) {
    let k = 0;
    while (k < n && docs.tokens[p + k] === ngram[k]) k++;
    if (k < n) continue;
    const words = (from: number, to: number): string => Array.from(docs.tokens.subarray(from, to), (t) => strings[t]).join(' ');
    const left = (p - width > a ? '… ' : '') + words(Math.max(a, p - width), p);
    const right = words(p + n, Math.min(b, p + n + width)) + (p + n + width < b ? ' …' : '');
    return { document: d, left, match: words(p, p + n), right };
  }
  return null;
}

/**
 * For each wanted column, the first document of each group containing it
 * (groups: classes, or one group), in one pass over X: first[w * groups + g]
 * is the document, or −1.
 */
export function firstDocuments(X: CsrMatrix, columns: ArrayLike<number>, group: ArrayLike<number>, groups: number): Int32Array {
  const want = new Map<number, number>();
  for (let w = 0; w < columns.length; w++) want.set(columns[w], w);
  const first = new Int32Array(columns.length * groups).fill(-1);
  let missing = columns.length * groups;
  for (let d = 0; d < X.rows && missing > 0; d++) {
    const g = group[d];
    for (let p = X.indptr[d]; p < X.indptr[d + 1]; p++) {
      const w = want.get(X.indices[p]);
      if (w !== undefined && first[w * groups + g] < 0) {
        first[w * groups + g] = d;
        missing--;
      }
    }
  }
  return first;
}
