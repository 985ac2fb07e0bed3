/**
 * Recursive feature elimination with cross-validation (Guyon et al. 2002;
 * scikit-learn's RFECV) for logistic regression: fit, drop the `step`
 * fraction of the eligible columns with the smallest |weight|, refit, …, and
 * score each size on held-out rows. Every fold runs its own elimination on
 * its own training rows (the ranking reads labels), so the accuracy curve
 * against the number of columns kept is an honest one; the size chosen is
 * the knee of that curve by the one-standard-error rule: the fewest columns
 * whose pooled accuracy is within one standard error of the best. The
 * elimination is then rerun on all the rows down to that size.
 *
 * Columns outside `eligible` (the word-vector block of a blueprint) are
 * always kept and never counted.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { takeRows } from '../../features/matrix.js';
import { keepColumns } from '../../features/selection/feature-selector.js';
import { SentivecError } from '../../util/errors.js';
import { int, num, resolveOptions, type GivenOptions, type OptionTable, type OptionValues } from '../../util/options.js';
import { LogisticRegression } from './logistic.js';
import { assignFolds } from './folds.js';
import { oneStandardErrorChoice } from './one-se-rule.js';

export const RFECV_OPTIONS = {
  step: num({ min: 0, minExclusive: true, max: 0.9, default: 0.5, description: 'fraction of the remaining eligible columns dropped per round (0.5 halves them)' }),
  minFeatures: int({ min: 1, default: 8, description: 'the elimination stops at this many eligible columns' }),
  folds: int({ min: 2, default: 5, description: 'folds of the cross-validation that scores each size' }),
  C: num({ min: 0, minExclusive: true, default: 1, description: 'logistic regression C of the eliminating fits' }),
  seed: int({ default: 1, description: 'seeds the folds and the solver' }),
} satisfies OptionTable;

export type RfecvOptions = GivenOptions<typeof RFECV_OPTIONS>;

export interface RfecvPoint {
  /** Eligible columns kept. */
  features: number;
  /** Pooled held-out accuracy over the folds, and its binomial standard error. */
  accuracy: number;
  se: number;
}

export interface RfecvResult {
  curve: RfecvPoint[];
  /** Size at the knee (one-standard-error rule). */
  chosen: number;
  /** Size with the best accuracy. */
  best: number;
  /** Eligible columns kept by the final elimination on all rows, ascending. */
  kept: Int32Array;
  settings: OptionValues<typeof RFECV_OPTIONS>;
}

/** Sizes visited: n, ⌊n(1 − step)⌋, … down to minFeatures (each strictly smaller). */
export function rfeSchedule(n: number, step: number, minFeatures: number): number[] {
  const sizes = [n];
  while (sizes[sizes.length - 1] > minFeatures) {
    const last = sizes[sizes.length - 1];
    sizes.push(Math.max(minFeatures, Math.min(last - 1, Math.floor(last * (1 - step)))));
  }
  return sizes;
}

/**
 * Runs the elimination on (X, y) along `sizes`; `visit(size, model, mask)` sees
 * each fit. Returns the eligible columns alive at the last size.
 */
function eliminate(X: CsrMatrix, y: Uint8Array, eligible: Int32Array, sizes: readonly number[], C: number, seed: number, visit: (size: number, lr: LogisticRegression, position: Int32Array) => void): Int32Array {
  const position = Int32Array.from({ length: X.cols }, (_, j) => j);
  let alive = Int32Array.from(eligible);
  for (let s = 0; s < sizes.length; s++) {
    const lr = new LogisticRegression({ C, seed }).fit(keepColumns(X, position, X.cols), y);
    visit(sizes[s], lr, position);
    if (s + 1 === sizes.length) break;
    // Keep the sizes[s + 1] eligible columns with the largest |w| (ties: the lower column).
    const keep = Array.from(alive).sort((a, b) => Math.abs(lr.coef[b]) - Math.abs(lr.coef[a]) || a - b).slice(0, sizes[s + 1]);
    for (const j of alive) position[j] = -1;
    for (const j of keep) position[j] = j;
    alive = Int32Array.from(keep).sort();
  }
  return alive;
}

/** `groups` (per row, optional) keeps each group in one fold of the elimination's CV. */
export function rfecv(X: CsrMatrix, y: Uint8Array, eligible: Int32Array, options: RfecvOptions = {}, groups?: ArrayLike<number>): RfecvResult {
  const o = resolveOptions('rfecv', RFECV_OPTIONS, options);
  if (y.length !== X.rows) throw new SentivecError(`got ${y.length} labels for ${X.rows} rows`);
  if (eligible.length === 0) throw new SentivecError('recursive feature elimination needs at least one eligible column');
  const sizes = rfeSchedule(eligible.length, o.step, Math.min(o.minFeatures, eligible.length));
  const hits = new Float64Array(sizes.length);
  const fold = assignFolds(y, o.folds, o.seed, groups);
  for (let f = 0; f < o.folds; f++) {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? ev : tr).push(i);
    const xEv = takeRows(X, ev);
    let s = 0;
    eliminate(takeRows(X, tr), Uint8Array.from(tr, (i) => y[i]), eligible, sizes, o.C, o.seed, (_size, lr, position) => {
      // Held-out rows see the same columns as the fit (the dropped ones carry weight 0 anyway).
      const scores = lr.decisionFunction(keepColumns(xEv, position, X.cols));
      ev.forEach((i, k) => (hits[s] += (scores[k] > 0 ? 1 : 0) === y[i] ? 1 : 0));
      s++;
    });
  }
  const n = y.length;
  const curve = sizes.map((features, s) => {
    const a = hits[s] / n;
    return { features, accuracy: a, se: Math.sqrt((a * (1 - a)) / n) };
  });
  let best = 0;
  for (let s = 1; s < curve.length; s++) if (curve[s].accuracy > curve[best].accuracy) best = s;
  // The knee: the fewest features within one standard error of the best.
  const chosen = oneStandardErrorChoice(curve.map((p) => ({ size: p.features, accuracy: p.accuracy, se: p.se })));
  const kept = eliminate(X, y, eligible, sizes.slice(0, chosen + 1), o.C, o.seed, () => undefined);
  return { curve, chosen: curve[chosen].features, best: curve[best].features, kept, settings: o };
}
