/**
 * The accuracy a user is told: the mean of out-of-fold hits with a 95%
 * interval. Method: the Wilson score interval for a binomial proportion on the
 * n pooled out-of-fold predictions (each labeled document is predicted once,
 * by a model that never saw it). It accounts for the finite number of test
 * documents, the dominant error at the data sizes a user trains on; it does
 * not model the fold models' own variance, so test/honest-estimate.test.ts
 * measures its coverage of the final model's true accuracy on synthetic data.
 */
export interface Estimate {
  metric: 'accuracy';
  /** Fractions in [0, 1]. */
  value: number;
  low: number;
  high: number;
  method: string;
  /** Labeled documents predicted out of fold. */
  documents: number;
  folds: number;
}

export const ESTIMATE_METHOD = 'nested k-fold cross-validation (every label-reading step refitted in each fold); 95% Wilson score interval on the pooled out-of-fold predictions';

/** 95% Wilson score interval for `hits` successes out of `n`. */
export function wilsonInterval(hits: number, n: number, z = 1.959964): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = hits / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function accuracyEstimate(hits: number, n: number, folds: number): Estimate {
  const { low, high } = wilsonInterval(hits, n);
  return { metric: 'accuracy', value: n > 0 ? hits / n : NaN, low, high, method: ESTIMATE_METHOD, documents: n, folds };
}
