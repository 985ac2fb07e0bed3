/**
 * "Would labeling more help?": the winner's estimate at each fraction of the
 * labeled data it was cross-validated on (the successive-halving rungs), and
 * the gain expected from twice as much data, extrapolated from the slope of
 * accuracy against log₂(documents) over the last three points (learning
 * curves flatten, so a straight line in log n is the usual rough guide; it is
 * a projection, not a promise).
 */
import type { Estimate } from './estimate.js';

/** What the curve reads of a leaderboard entry (leaderboard.ts): the blueprint and its rungs' estimates. */
export interface RungEstimates {
  blueprint: string;
  rungs: readonly { fraction: number; documents: number; estimate: Estimate }[];
}

export interface LearningCurvePoint {
  fraction: number;
  documents: number;
  /** Fractions. */
  value: number;
  low: number;
  high: number;
}

export interface LearningCurve {
  blueprint: string;
  points: LearningCurvePoint[];
  /** Expected accuracy gain (a fraction) from twice the labeled documents; null with fewer than two points. */
  gainFromDoubling: number | null;
  method: string;
}

export const LEARNING_CURVE_METHOD = 'least-squares slope of accuracy against log2(labeled documents) over the last three points';

export function learningCurve(entry: RungEstimates): LearningCurve {
  // Raw cross-validated points (the 100% point without estimate.ts's correction), so the slope is not fed its own output.
  const points = entry.rungs.filter((r) => Number.isFinite(r.estimate.crossValidated)).map((r) => ({ fraction: r.fraction, documents: r.documents, value: r.estimate.crossValidated, low: r.estimate.low, high: r.estimate.high - r.estimate.correction }));
  return { blueprint: entry.blueprint, points, gainFromDoubling: doublingGain(points), method: LEARNING_CURVE_METHOD };
}

export function doublingGain(points: readonly { documents: number; value: number }[]): number | null {
  const tail = points.slice(-3);
  if (tail.length < 2) return null;
  const xs = tail.map((p) => Math.log2(p.documents));
  const ys = tail.map((p) => p.value);
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  if (sxx === 0) return null;
  // Accuracy cannot pass 1.
  const last = ys[ys.length - 1];
  return Math.min(sxy / sxx, 1 - last);
}
