import { closeSync, openSync, writeSync } from 'node:fs';
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';

/**
 * LIBSVM/LIBLINEAR text format: one row per line, `label idx:value ...` with
 * 1-based ascending indices. Labels are written +1 (for 1) / −1 (for 0), the
 * convention under which liblinear's w and decision values have the same
 * sign as ours. Values use JavaScript's shortest round-trip form, so
 * strtod() reads back exactly the doubles we train on.
 */
export function libsvmLines(X: CsrMatrix, y: ArrayLike<number>, first = 0, end = X.rows): string {
  if (y.length !== X.rows) throw new SentivecError(`got ${y.length} labels for ${X.rows} rows`);
  const { indptr, indices, data } = X;
  const parts: string[] = [];
  for (let i = first; i < end; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new SentivecError(`labels must be 0 or 1; row ${i} has ${y[i]}`);
    let line = y[i] === 1 ? '+1' : '-1';
    for (let p = indptr[i]; p < indptr[i + 1]; p++) line += ` ${indices[p] + 1}:${data[p]}`;
    parts.push(line, '\n');
  }
  return parts.join('');
}

/** Writes the whole matrix to `path` in chunks (a 25k-row file is tens of MB). */
export function writeLibsvm(path: string, X: CsrMatrix, y: ArrayLike<number>): void {
  const fd = openSync(path, 'w');
  try {
    const chunk = 2000;
    for (let i = 0; i < X.rows; i += chunk) writeSync(fd, libsvmLines(X, y, i, Math.min(X.rows, i + chunk)));
  } finally {
    closeSync(fd);
  }
}
