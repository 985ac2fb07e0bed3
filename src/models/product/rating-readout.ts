/**
 * How a rating model's prediction reads its score (train --rating with
 * --task regression | ordinal | classes). The linear head is the same as a
 * classifier's, so the score still decomposes over words (each word's share
 * moves the rating up or down); this turns it into the predicted rating, and
 * into the two-label answer every model gives (above / below the middle of
 * the scale) with its probability:
 *  - regression: the score is the rating, clipped to the scale;
 *    P(above the middle) = Φ((score − middle)/σ), σ the out-of-fold RMSE
 *    (the residuals' spread the estimate measured);
 *  - ordinal: the rating is the level with that many thresholds below the
 *    score; P(above the middle) = σ(score − θ), θ the threshold between the
 *    levels on either side of the middle;
 *  - classes: every rating value is a class; the rating is the winning label.
 */
import { SentivecError } from '../../util/errors.js';
import { levelOf } from '../classifiers/ordinal.js';
import { sigmoid } from '../embeddings/sentiment.js';
import type { Prediction } from './sentiment-model.js';

export interface RatingReadoutParts {
  task: 'regression' | 'ordinal' | 'classes';
  min: number;
  max: number;
  /** Ordinal: the rating of each level, ascending, and the L − 1 thresholds between them. */
  levels: number[];
  thresholds: number[];
  /** Regression: the out-of-fold RMSE (1 when there was no estimate). */
  sigma: number;
}

/** Checks parts read from a model file; `bad` makes the error naming the file. */
export function checkRatingParts(x: unknown, bad: (problem: string) => SentivecError): RatingReadoutParts {
  const r = x as Partial<RatingReadoutParts> | null;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const list = (v: unknown): v is number[] => Array.isArray(v) && v.every(finite);
  if (typeof r !== 'object' || r === null || !['regression', 'ordinal', 'classes'].includes(r.task ?? '') || !finite(r.min) || !finite(r.max) || !list(r.levels) || !list(r.thresholds) || !finite(r.sigma)) throw bad('corrupt header (rating)');
  if (r.task === 'ordinal' && r.thresholds.length !== r.levels.length - 1) throw bad(`corrupt header (rating: ${r.levels.length} levels need ${r.levels.length - 1} thresholds)`);
  return r as RatingReadoutParts;
}

/** The standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export class RatingReadout {
  private readonly middle: number;
  /** Ordinal: the threshold between the levels at or below the middle and those above (undefined: all on one side). */
  private readonly middleThreshold: number | undefined;

  constructor(
    readonly parts: RatingReadoutParts,
    private readonly labels: readonly string[],
    /** The score of a text without a known word. */
    private readonly intercept: number,
  ) {
    this.middle = (parts.min + parts.max) / 2;
    const below = parts.levels.filter((l) => l <= this.middle).length;
    this.middleThreshold = below > 0 && below < parts.levels.length ? parts.thresholds[below - 1] : undefined;
  }

  get task(): RatingReadoutParts['task'] {
    return this.parts.task;
  }

  /** The prediction with its rating; for regression and ordinal also its label and probabilities from the score. */
  apply(p: Prediction): Prediction {
    const { task, levels, thresholds, min, max } = this.parts;
    if (task === 'classes') return { ...p, rating: Number(p.label) };
    const score = p.evidence === 0 ? this.intercept : p.score;
    const rating = task === 'ordinal' ? levels[levelOf(score, thresholds)] : Math.min(max, Math.max(min, score));
    const up = task === 'ordinal' ? (this.middleThreshold === undefined ? (levels[0] > this.middle ? 1 : 0) : sigmoid(score - this.middleThreshold)) : normalCdf((score - this.middle) / this.parts.sigma);
    const positive = rating > this.middle;
    return { ...p, label: this.labels[positive ? 1 : 0], probability: positive ? up : 1 - up, probabilities: { [this.labels[0]]: 1 - up, [this.labels[1]]: up }, score, rating };
  }
}
