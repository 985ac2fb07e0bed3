/**
 * Scores a trained model on any labeled corpus, streamed: each record's label
 * (or rating) is mapped onto the model's classes and compared with the
 * prediction. Labels dropped on purpose (--ignore-labels) and labels the
 * model does not know are counted per value and reported, not fatal: a file
 * with one neutral row among positives and negatives is still scored.
 * A rating model (train --task regression | ordinal | classes) read with its
 * rating field is also scored as ratings (rating-metrics.ts), middle
 * ratings included.
 */
import { ratingTarget, type RatingScale } from '../corpus/labels.js';
import type { CorpusRecord } from '../corpus/record.js';
import type { SentimentModel } from '../models/product/sentiment-model.js';
import { SentivecError } from '../util/errors.js';
import { ConfusionCounter, type ClassificationReport } from './metrics.js';
import { RatingTally, type RatingMetrics } from './rating-metrics.js';

export interface EvaluateModelOptions {
  /** Read ratings on this scale instead of labels (positive above the middle; the middle is skipped). */
  ratingScale?: RatingScale;
  /** Label values left out on purpose (counted in `ignored`). */
  ignoreLabels?: readonly string[];
}

export interface EvaluationReport extends ClassificationReport {
  /** Records without a label / rating, and ratings exactly at the middle of the scale: not scored. */
  skipped: number;
  /** Records per label value left out by ignoreLabels (every value asked for, 0 when no record had it). */
  ignored: Record<string, number>;
  /** Records per label value the model does not know (not scored). */
  unknown: Record<string, number>;
  /** A rating model evaluated on ratings: MAE, RMSE, exact and within-one shares, Spearman's ρ. */
  rating?: RatingMetrics;
}

export async function evaluateModel(model: SentimentModel, records: AsyncIterable<CorpusRecord>, opts: EvaluateModelOptions = {}): Promise<EvaluationReport> {
  const counter = new ConfusionCounter(model.labels.length);
  const ignore = new Set(opts.ignoreLabels ?? []);
  // Every label asked for, found or not: a typo shows as 0 rather than silently leaving nothing out.
  const ignored: Record<string, number> = opts.ratingScale ? {} : Object.fromEntries([...ignore].map((l) => [l, 0]));
  const unknown: Record<string, number> = {};
  let skipped = 0;
  // A rating model on ratings: every rated record is scored as a rating, the middle too.
  const ratings = model.rating && opts.ratingScale ? new RatingTally() : null;
  for await (const r of records) {
    if (ratings && opts.ratingScale && r.rating !== undefined) {
      ratingTarget(r.rating, opts.ratingScale, r.source); // a rating off the scale is an error naming its record
      const [p] = model.predict([r.text], 0);
      ratings.add(r.rating, p.rating ?? NaN);
      const truth = trueClass(model, r, opts.ratingScale);
      if (truth === undefined) skipped++;
      else if (truth < 0) unknown[String(r.rating)] = (unknown[String(r.rating)] ?? 0) + 1;
      else counter.add(truth, model.labels.indexOf(p.label));
      continue;
    }
    if (!opts.ratingScale && r.label !== undefined && ignore.has(r.label)) {
      ignored[r.label] = (ignored[r.label] ?? 0) + 1;
      continue;
    }
    const truth = trueClass(model, r, opts.ratingScale);
    if (truth === undefined) {
      skipped++;
      continue;
    }
    if (truth < 0) {
      const label = r.label ?? '';
      unknown[label] = (unknown[label] ?? 0) + 1;
      continue;
    }
    const [p] = model.predict([r.text], 0);
    counter.add(truth, model.labels.indexOf(p.label));
  }
  if (counter.count === 0) {
    const unknownCount = Object.values(unknown).reduce((a, b) => a + b, 0);
    const why = [
      skipped > 0 ? `${skipped} without a label or at the middle rating` : '',
      unknownCount > 0 ? `${unknownCount} with labels the model does not know (${Object.keys(unknown).map((l) => `'${l}'`).join(', ')}; it knows ${model.labels.map((l) => `'${l}'`).join(', ')})` : '',
    ].filter((x) => x !== '');
    throw new SentivecError(`nothing to evaluate: no records with the model's labels${why.length > 0 ? ` (${why.join('; ')})` : ''}`);
  }
  return { ...counter.report(model.labels), skipped, ignored, unknown, ...(ratings ? { rating: ratings.report() } : {}) };
}

/** The record's class index; −1 for a label the model does not know; undefined when it has none. */
function trueClass(model: SentimentModel, r: CorpusRecord, scale: RatingScale | undefined): number | undefined {
  if (scale) {
    if (r.rating === undefined) return undefined;
    // --task classes: every rating value is a label.
    if (model.rating?.task === 'classes') return model.labels.indexOf(String(r.rating));
    const s = ratingTarget(r.rating, scale, r.source);
    return s === 0.5 ? undefined : s > 0.5 ? 1 : 0;
  }
  if (r.label === undefined) return undefined;
  return model.labels.indexOf(r.label);
}
