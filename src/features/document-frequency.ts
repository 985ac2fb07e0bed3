/**
 * A document-frequency floor on the columns of a binary matrix: the columns
 * present in fewer than `minDf` of its rows are dropped. It reads no label,
 * so it may be counted on any training text; NBSVM counts it on the rows it
 * is fitted on (inside each cross-validation fold on that fold's training
 * part), so a fold's held-out rows never decide which columns it keeps.
 *
 * Why NBSVM wants it: an n-gram seen in one training document has an NB
 * ratio of ±log((1 + α)/α) − a large weight for a feature that describes one
 * review, not a class — and the linear model can use such features to fit
 * that review instead of the sentiment. On IMDb train, trigrams, 5-fold CV:
 * dropping the n-grams of one document raised NBSVM by +0.1 to +0.2 pp
 * (BENCHMARKS.md #11, session g).
 */
import type { CsrMatrix } from './csr.js';
import { SentivecError } from '../util/errors.js';

/** Rows in which each column is present (nonzero). */
export function documentFrequencies(X: CsrMatrix): Int32Array {
  const df = new Int32Array(X.cols);
  const nnz = X.indptr[X.rows];
  for (let p = 0; p < nnz; p++) if (X.data[p] !== 0) df[X.indices[p]]++;
  return df;
}

/**
 * X without the entries of columns ≥ `from` present in fewer than `minDf` rows
 * (same shape; the dropped columns become empty). Columns below `from`
 * (real-valued leading features) are always kept. `df`: the frequencies to
 * use, documentFrequencies(X) when not given.
 */
export function dropRareColumns(X: CsrMatrix, minDf: number, from = 0, df = documentFrequencies(X)): CsrMatrix {
  if (!Number.isInteger(minDf) || minDf < 1) throw new SentivecError(`the document-frequency floor must be an integer ≥ 1, got ${minDf}`);
  if (df.length !== X.cols) throw new SentivecError(`${df.length} document frequencies for ${X.cols} columns`);
  if (minDf === 1) return X;
  const keep = (j: number): boolean => j < from || df[j] >= minDf;
  const indptr = new Int32Array(X.rows + 1);
  let k = 0;
  for (let p = 0; p < X.indptr[X.rows]; p++) if (keep(X.indices[p])) k++;
  const indices = new Int32Array(k);
  const data = new Float64Array(k);
  k = 0;
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      if (!keep(X.indices[p])) continue;
      indices[k] = X.indices[p];
      data[k++] = X.data[p];
    }
    indptr[i + 1] = k;
  }
  return { rows: X.rows, cols: X.cols, indptr, indices, data };
}
