/** Binary classification report: accuracy, per-class precision / recall / F1, confusion matrix. */
import { SentivecError } from '../util/errors.js';

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** True documents of this class. */
  support: number;
}

export interface BinaryReport {
  documents: number;
  accuracy: number;
  /** [negative, positive]. */
  classes: [ClassMetrics, ClassMetrics];
  /** confusion[t][p]: documents of true class t predicted as p (0 negative, 1 positive). */
  confusion: [[number, number], [number, number]];
}

/** Accumulates predictions one document at a time (streamed evaluation). */
export class ConfusionCounter {
  readonly confusion: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];

  add(truth: 0 | 1, predicted: 0 | 1): void {
    this.confusion[truth][predicted]++;
  }

  get count(): number {
    const c = this.confusion;
    return c[0][0] + c[0][1] + c[1][0] + c[1][1];
  }

  report(labels: readonly [string, string]): BinaryReport {
    const c = this.confusion;
    const n = this.count;
    if (n === 0) throw new SentivecError('nothing to evaluate: no labeled documents');
    // 0/0 (a class never predicted, or absent) is reported as 0, as scikit-learn does.
    const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    const cls = (k: 0 | 1): ClassMetrics => {
      const o = (1 - k) as 0 | 1;
      const tp = c[k][k];
      const precision = ratio(tp, tp + c[o][k]);
      const recall = ratio(tp, tp + c[k][o]);
      return { label: labels[k], precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: c[k][0] + c[k][1] };
    };
    return {
      documents: n,
      accuracy: (c[0][0] + c[1][1]) / n,
      classes: [cls(0), cls(1)],
      confusion: [
        [c[0][0], c[0][1]],
        [c[1][0], c[1][1]],
      ],
    };
  }
}

export function binaryReport(truth: ArrayLike<number>, predicted: ArrayLike<number>, labels: readonly [string, string]): BinaryReport {
  if (truth.length !== predicted.length) throw new SentivecError(`${truth.length} true labels vs ${predicted.length} predictions`);
  const counter = new ConfusionCounter();
  for (let i = 0; i < truth.length; i++) counter.add(truth[i] ? 1 : 0, predicted[i] ? 1 : 0);
  return counter.report(labels);
}
