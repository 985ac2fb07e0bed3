/**
 * The error a rating model is told, with a 95% interval: mean absolute error
 * of out-of-fold predictions (every label-reading step refitted in each fold,
 * cross-validate.ts). On each side the wider of a normal interval on the
 * pooled absolute errors (their mean is an average of n independent held-out
 * errors) and the Nadeau–Bengio corrected t interval over the fold MAEs
 * (estimate.ts: the spread of the fold models). Beside it, the same folds'
 * MAE of predicting the training part's mean rating: the figure a model that
 * learnt nothing gets, so a model not clearly below it has learnt nothing
 * (the leakage check of test/rating.test.ts).
 */
import { foldHalfWidth } from './estimate.js';

export interface RatingEstimate {
  metric: 'mae';
  /** Mean absolute error, on the rating scale. */
  value: number;
  low: number;
  high: number;
  /** Root mean squared error of the same predictions. */
  rmse: number;
  /** MAE of predicting each fold's training mean rating. */
  baseline: number;
  method: string;
  documents: number;
  folds: number;
}

export const RATING_ESTIMATE_METHOD =
  'k-fold cross-validation (every label-reading step refitted in each fold); 95% interval: on each side the wider of the normal interval on the pooled absolute errors and the Nadeau-Bengio corrected t interval over the fold MAEs; baseline: predicting the training folds\' mean rating';

export function ratingEstimate(predicted: ArrayLike<number>, truth: ArrayLike<number>, fold: ArrayLike<number>, folds: number): RatingEstimate {
  const n = truth.length;
  const foldSum = new Float64Array(folds);
  const foldError = new Float64Array(folds);
  const foldSize = new Float64Array(folds);
  let total = 0;
  for (let i = 0; i < n; i++) {
    foldSum[fold[i]] += truth[i];
    foldSize[fold[i]]++;
    total += truth[i];
  }
  let abs = 0;
  let squares = 0;
  let baseline = 0;
  for (let i = 0; i < n; i++) {
    const f = fold[i];
    const e = Math.abs(predicted[i] - truth[i]);
    abs += e;
    squares += e * e;
    foldError[f] += e;
    baseline += Math.abs(truth[i] - (total - foldSum[f]) / (n - foldSize[f]));
  }
  const mae = abs / n;
  const sd = Math.sqrt(Math.max(0, squares / n - mae * mae) * (n / Math.max(1, n - 1)));
  const pooled = (1.959964 * sd) / Math.sqrt(n);
  const half = Math.max(pooled, foldHalfWidth(Array.from(foldError, (e, f) => e / foldSize[f])));
  return { metric: 'mae', value: mae, low: Math.max(0, mae - half), high: mae + half, rmse: Math.sqrt(squares / n), baseline: baseline / n, method: RATING_ESTIMATE_METHOD, documents: n, folds };
}
