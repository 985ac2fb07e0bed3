/**
 * Effect size of a binary feature for one class against the rest: the
 * log-odds ratio ln((a·d)/(b·c)) of the 2 × 2 table (a = documents of the
 * class containing the feature, b = of the class without it, c and d the
 * same for the other classes), with the Haldane–Anscombe +½ on every cell so
 * a feature seen in one class only still has a finite estimate, and Woolf's
 * standard error √(Σ 1/cell) for the confidence interval.
 */
import type { ClassCounts } from './class-counts.js';

export interface LogOdds {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export function logOddsRatio(counts: ClassCounts, j: number, c: number, z: number): LogOdds {
  const a = counts.df[c * counts.cols + j] + 0.5;
  const b = counts.sizes[c] - counts.df[c * counts.cols + j] + 0.5;
  const cc = counts.total[j] - counts.df[c * counts.cols + j] + 0.5;
  const d = counts.rows - counts.sizes[c] - (counts.total[j] - counts.df[c * counts.cols + j]) + 0.5;
  const estimate = Math.log((a * d) / (b * cc));
  const se = Math.sqrt(1 / a + 1 / b + 1 / cc + 1 / d);
  return { estimate, low: estimate - z * se, high: estimate + z * se };
}

/**
 * The class a feature speaks for: the one with the largest log-odds against
 * the rest (with two classes, the sign of the positive class's log-odds).
 */
export function strongestClass(counts: ClassCounts, j: number, z: number): { cls: number; odds: LogOdds } {
  if (counts.classes === 2) {
    const odds = logOddsRatio(counts, j, 1, z);
    return { cls: odds.estimate >= 0 ? 1 : 0, odds };
  }
  let best = 0;
  let bestOdds = logOddsRatio(counts, j, 0, z);
  for (let c = 1; c < counts.classes; c++) {
    const o = logOddsRatio(counts, j, c, z);
    if (o.estimate > bestOdds.estimate) {
      best = c;
      bestOdds = o;
    }
  }
  return { cls: best, odds: bestOdds };
}
