/**
 * Features against a numeric rating: Pearson's r between the binary
 * feature and the rating, its F = r²/(1 − r²) · (N − 2) against F(1, N − 2)
 * (scikit-learn's `f_regression`), and the effect in rating units: mean
 * rating of the documents with the feature minus those without, with a
 * Welch confidence interval.
 */
import type { CsrMatrix } from '../csr.js';
import { fLogSf } from './distributions.js';
import { SentivecError } from '../../util/errors.js';

export interface RatingTestResult {
  readonly statistic: Float64Array;
  readonly logP: Float64Array;
  readonly df1: 1;
  readonly df2: number;
  readonly r: Float64Array;
  /** Documents containing each feature. */
  readonly total: Int32Array;
  readonly meanWith: Float64Array;
  readonly meanWithout: Float64Array;
  /** Half-width of the confidence interval of meanWith − meanWithout. */
  readonly halfWidth: Float64Array;
}

export function ratingTest(X: CsrMatrix, rating: ArrayLike<number>, z: number): RatingTestResult {
  const n = X.rows;
  if (rating.length !== n) throw new SentivecError(`got ${rating.length} ratings for ${n} rows`);
  if (n < 3) throw new SentivecError(`a rating test needs at least 3 documents, got ${n}`);
  const cols = X.cols;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += rating[i];
  mean /= n;
  let ssY = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    ssY += (rating[i] - mean) ** 2;
    sumSq += rating[i] * rating[i];
  }
  const total = new Int32Array(cols);
  const sumWith = new Float64Array(cols); // Σ (y − ȳ) over documents containing j
  const sqWith = new Float64Array(cols); // Σ y² over them
  for (let i = 0; i < n; i++) {
    const dy = rating[i] - mean;
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      if (X.data[p] === 0) continue;
      const j = X.indices[p];
      total[j]++;
      sumWith[j] += dy;
      sqWith[j] += rating[i] * rating[i];
    }
  }
  const statistic = new Float64Array(cols);
  const logP = new Float64Array(cols);
  const r = new Float64Array(cols);
  const meanWith = new Float64Array(cols);
  const meanWithout = new Float64Array(cols);
  const halfWidth = new Float64Array(cols);
  const dof = n - 2;
  const yNorm = Math.sqrt(ssY);
  for (let j = 0; j < cols; j++) {
    const m = total[j];
    const xMean = m / n;
    const xNorm = Math.sqrt(m - n * xMean * xMean);
    const rj = sumWith[j] / xNorm / yNorm;
    const r2 = rj * rj;
    const f = (r2 / (1 - r2)) * dof;
    r[j] = rj;
    statistic[j] = f;
    logP[j] = Number.isNaN(f) ? NaN : fLogSf(f, 1, dof);
    const mw = mean + sumWith[j] / m;
    const mo = mean - sumWith[j] / (n - m);
    meanWith[j] = mw;
    meanWithout[j] = mo;
    // Welch: var(with)/m + var(without)/(n − m), sample variances from Σy² and the means.
    const varWith = m > 1 ? (sqWith[j] - m * mw * mw) / (m - 1) : NaN;
    const varWithout = n - m > 1 ? (sumSq - sqWith[j] - (n - m) * mo * mo) / (n - m - 1) : NaN;
    halfWidth[j] = z * Math.sqrt(Math.max(0, varWith) / m + Math.max(0, varWithout) / (n - m));
  }
  return { statistic, logP, df1: 1, df2: dof, r, total, meanWith, meanWithout, halfWidth };
}
