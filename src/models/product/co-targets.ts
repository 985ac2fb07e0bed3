/**
 * The other targets of a model of several targets (train --target, issue #14
 * item 3), as the word vectors see them: one sentiment term per target, each
 * with its own ψ, over the same R (embeddings/targets.ts).
 *
 * Weights: each target's term is weighted as it would be in its own fit, so
 * a labeled document counts about as much in every target's term. A target's
 * own fit multiplies its term by |S| = its labeled documents / its classes
 * (blueprint.ts), so with the fit's multiplier S_0 (the focus target's) the
 * target t gets w_t = S_t / S_0. A multiplier the user fixed (--sentiment-weight)
 * is every target's: w_t = 1.
 */
import type { SentimentSupervision } from '../embeddings/data.js';
import type { MultiTargets } from '../embeddings/targets.js';
import type { RecordCorpus } from '../../text/record-corpus.js';

/** Another target of the same documents: its value per corpus document (corpus.targets of its own corpus: NaN = none) and its classes. */
export interface CoTarget {
  targets: Float64Array;
  /** k > 2: targets are class indices; 2: soft targets in [0, 1] (two labels or a rating). */
  classes: number;
}

/** A target's corpus (read with its field as the label or rating) as another target of the same documents. */
export function coTargetOf(corpus: RecordCorpus): CoTarget {
  return { targets: corpus.targets, classes: Math.max(2, corpus.labels.length) };
}

/**
 * The focus target's supervision `own` (over the documents `keep`, ids into the
 * corpus) followed by the other targets' values for the same documents.
 * `focusWeight`: the focus target's default multiplier S_0 (null: the user
 * fixed one for all). A target with no label among these documents is left
 * out (its term would be empty).
 */
export function withCoTargets(own: SentimentSupervision, keep: readonly number[], coTargets: readonly CoTarget[], focusWeight: number | null): MultiTargets {
  const targets: SentimentSupervision[] = [own];
  const weights = [1];
  for (const co of coTargets) {
    const values = Float64Array.from(keep, (d) => co.targets[d]);
    const labeled = values.reduce((n, v) => n + (Number.isNaN(v) ? 0 : 1), 0);
    if (labeled === 0) continue;
    targets.push(co.classes > 2 ? { classes: values, k: co.classes } : { soft: values });
    weights.push(focusWeight === null ? 1 : labeled / co.classes / focusWeight);
  }
  return { targets, weights };
}
