/**
 * Document frequency of every feature in every class: the sufficient
 * statistics of all the class tests on binary features (χ², ANOVA F, mutual
 * information, log-odds). One pass over the CSR matrix; every test after it
 * is O(classes × features), so ranking 1 M n-grams costs one matrix read.
 */
import type { CsrMatrix } from '../csr.js';
import { SentivecError } from '../../util/errors.js';

export interface ClassCounts {
  readonly classes: number;
  readonly rows: number;
  readonly cols: number;
  /** Documents per class. */
  readonly sizes: Float64Array;
  /** df[c * cols + j]: documents of class c that contain feature j (any nonzero value counts once). */
  readonly df: Int32Array;
  /** Documents containing feature j, all classes. */
  readonly total: Int32Array;
}

export function classCounts(X: CsrMatrix, y: ArrayLike<number>, classes: number): ClassCounts {
  if (!Number.isInteger(classes) || classes < 2) throw new SentivecError(`class tests need at least 2 classes, got ${classes}`);
  if (y.length !== X.rows) throw new SentivecError(`got ${y.length} labels for ${X.rows} rows`);
  const cols = X.cols;
  const df = new Int32Array(classes * cols);
  const total = new Int32Array(cols);
  const sizes = new Float64Array(classes);
  for (let i = 0; i < X.rows; i++) {
    const c = y[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new SentivecError(`labels must be integers in 0..${classes - 1}; row ${i} has ${c}`);
    sizes[c]++;
    const base = c * cols;
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      if (X.data[p] === 0) continue;
      df[base + X.indices[p]]++;
      total[X.indices[p]]++;
    }
  }
  for (let c = 0; c < classes; c++) if (sizes[c] === 0) throw new SentivecError(`class ${c} has no documents`);
  return { classes, rows: X.rows, cols, sizes, df, total };
}
