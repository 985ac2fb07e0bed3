/**
 * Scores a trained model on any labeled corpus, streamed: each record's label
 * (or rating) is mapped onto the model's two classes and compared with the
 * prediction. A label the model does not know is an error naming its line.
 */
import { ratingTarget, type RatingScale } from '../corpus/labels.js';
import { at, type CorpusRecord } from '../corpus/record.js';
import type { SentimentModel } from '../models/product/sentiment-model.js';
import { SentivecError } from '../util/errors.js';
import { ConfusionCounter, type BinaryReport } from './metrics.js';

export interface EvaluateModelOptions {
  /** Read ratings on this scale instead of labels (positive above the middle; the middle is skipped). */
  ratingScale?: RatingScale;
}

export interface EvaluationReport extends BinaryReport {
  /** Records without a label / rating, and ratings exactly at the middle of the scale: not scored. */
  skipped: number;
}

export async function evaluateModel(model: SentimentModel, records: AsyncIterable<CorpusRecord>, opts: EvaluateModelOptions = {}): Promise<EvaluationReport> {
  const counter = new ConfusionCounter();
  let skipped = 0;
  for await (const r of records) {
    const truth = trueClass(model, r, opts.ratingScale);
    if (truth === undefined) {
      skipped++;
      continue;
    }
    const [p] = model.predict([r.text], 0);
    counter.add(truth, p.score > 0 ? 1 : 0);
  }
  if (counter.count === 0) throw new SentivecError(`nothing to evaluate: no labeled records${skipped > 0 ? ` (${skipped} without a label or at the middle rating)` : ''}`);
  return { ...counter.report(model.labels), skipped };
}

function trueClass(model: SentimentModel, r: CorpusRecord, scale: RatingScale | undefined): 0 | 1 | undefined {
  if (scale) {
    if (r.rating === undefined) return undefined;
    const s = ratingTarget(r.rating, scale, r.source);
    return s === 0.5 ? undefined : s > 0.5 ? 1 : 0;
  }
  if (r.label === undefined) return undefined;
  const k = model.labels.indexOf(r.label);
  if (k < 0) throw new SentivecError(`${at(r.source)}: label '${r.label}' is not one of the model's labels ('${model.labels[0]}', '${model.labels[1]}')`);
  return k as 0 | 1;
}
