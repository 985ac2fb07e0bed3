/**
 * The accuracy a user is told, with a 95% interval (on each side the wider of
 * the Wilson interval and the Nadeau–Bengio corrected t interval over folds). Cross-validation
 * predicts each labeled document once with a model that never saw it, but
 * that model learned from (k−1)/k of the documents, so on a rising learning
 * curve the raw estimate is pessimistic about the final model (measured on
 * synthetic data: −2.9 pp at 300 documents, −1.3 pp at 1,000). Method:
 *  - the Wilson score interval for a binomial proportion on the n pooled
 *    out-of-fold predictions (the finite number of held-out documents);
 *  - plus the learning curve's gain from (k−1)/k·n to n documents, g =
 *    slope per doubling × log₂(k/(k−1)) (slope from the successive-halving
 *    rungs, learning-curve.ts; 0 when the curve is flat or falling), added
 *    to the value and the upper end, never to the lower end (which stays
 *    the conservative raw bound).
 * test/honest-estimate.test.ts measures the coverage of the final model's
 * true accuracy on synthetic data.
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
  /**
   * Groups (e.g. movies) kept whole by stratified group k-fold, so every
   * held-out document came from a group its model never saw; 0: ungrouped
   * stratified folds (every document its own group); absent in models
   * written before grouped folds existed (they were ungrouped).
   */
  groups?: number;
  /** The raw out-of-fold accuracy, and the learning-curve correction added to it (both fractions). */
  crossValidated: number;
  correction: number;
}

export const ESTIMATE_METHOD = 'nested k-fold cross-validation (every label-reading step refitted in each fold; grouped folds when the documents have groups); 95% interval: on each side the wider of the Wilson score interval on the pooled out-of-fold predictions and the Nadeau-Bengio corrected t interval over the fold accuracies; value and upper end raised by the learning-curve gain from (k-1)/k of the documents to all of them';

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

/** Student's t 0.975 quantiles for 1..30 degrees of freedom (beyond: 1.96). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/**
 * Half-width of the Nadeau–Bengio corrected t interval over the k fold
 * accuracies: the spread of the fold models themselves (training-set
 * variability, which the binomial interval ignores), with the variance
 * inflated by (1/k + 1/(k−1)) for the overlap of the training sets.
 */
export function foldHalfWidth(foldAccuracies: readonly number[]): number {
  const k = foldAccuracies.length;
  if (k < 2) return 0;
  const mean = foldAccuracies.reduce((s, a) => s + a, 0) / k;
  const variance = foldAccuracies.reduce((s, a) => s + (a - mean) ** 2, 0) / (k - 1);
  return (T975[Math.min(k - 1, T975.length) - 1] ?? 1.96) * Math.sqrt(variance * (1 / k + 1 / (k - 1)));
}

export function accuracyEstimate(hits: number, n: number, folds: number, foldAccuracies: readonly number[] = [], groups = 0): Estimate {
  const wilson = wilsonInterval(hits, n);
  const half = foldHalfWidth(foldAccuracies);
  // The wider of the two intervals on each side.
  const low = Math.max(0, Math.min(wilson.low, hits / n - half));
  const high = Math.min(1, Math.max(wilson.high, hits / n + half));
  const value = n > 0 ? hits / n : NaN;
  return { metric: 'accuracy', value, low, high, method: groups > 0 ? `${ESTIMATE_METHOD}; stratified group k-fold over ${groups} groups, no group in two folds` : ESTIMATE_METHOD, documents: n, folds, groups, crossValidated: value, correction: 0 };
}

/** The estimate moved from (k−1)/k·n training documents to n along a learning curve rising `gainPerDoubling` per doubling. */
export function withLearningCurveCorrection(e: Estimate, gainPerDoubling: number | null): Estimate {
  if (gainPerDoubling === null || !(gainPerDoubling > 0) || e.folds < 2) return e;
  const g = Math.min(gainPerDoubling * Math.log2(e.folds / (e.folds - 1)), 1 - e.crossValidated);
  return { ...e, value: e.crossValidated + g, high: Math.min(1, e.high + 2 * g), correction: g };
}
