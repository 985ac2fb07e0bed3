/**
 * The one-standard-error rule (Breiman et al. 1984; glmnet's lambda.1se,
 * scikit-learn's RFECV knee): of the candidates scored by cross-validation,
 * take the simplest whose accuracy is within one standard error of the best.
 * The best of a noisy curve is partly luck, so a simpler model the data
 * cannot tell apart from it is preferred. Used by the recursive feature
 * elimination (rfecv.ts: fewest columns) and the n-gram pruning (ngram-keep.ts:
 * smallest kept fraction).
 */

export interface ScoredCandidate {
  /** How complex the candidate is (columns, kept fraction): the rule prefers the smallest. */
  size: number;
  /** Pooled held-out accuracy and its standard error. */
  accuracy: number;
  se: number;
}

/**
 * Index of the smallest-size candidate whose accuracy is at least the best's
 * minus the best's standard error (the best: the first of the highest
 * accuracies in the list's order; equal sizes: the first).
 */
export function oneStandardErrorChoice(points: readonly ScoredCandidate[]): number {
  if (points.length === 0) throw new RangeError('the one-standard-error rule needs at least one candidate');
  let best = 0;
  for (let i = 1; i < points.length; i++) if (points[i].accuracy > points[best].accuracy) best = i;
  const floor = points[best].accuracy - points[best].se;
  let chosen = best;
  for (let i = 0; i < points.length; i++) if (points[i].accuracy >= floor && points[i].size < points[chosen].size) chosen = i;
  return chosen;
}
