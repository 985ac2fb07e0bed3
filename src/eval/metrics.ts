/**
 * Classification report for k ≥ 2 classes: accuracy, per-class precision /
 * recall / F1, macro and weighted (by support) F1, the k × k confusion matrix.
 */
import { SentivecError } from '../util/errors.js';

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** True documents of this class. */
  support: number;
}

export interface ClassificationReport {
  documents: number;
  accuracy: number;
  /** In the model's label order ([negative, positive] for two labels). */
  classes: ClassMetrics[];
  /**
   * Unweighted mean of the per-class F1 over the classes present in the truth
   * or the predictions (scikit-learn's default labels): a class no document
   * has and none was predicted as (e.g. left out by evaluate --ignore-labels)
   * has no F1 to average.
   */
  macroF1: number;
  /** Mean of the per-class F1 weighted by support. */
  weightedF1: number;
  /** confusion[t][p]: documents of true class t predicted as p. */
  confusion: number[][];
}

/** The report's name before k classes; the same shape. */
export type BinaryReport = ClassificationReport;

/** Accumulates predictions one document at a time (streamed evaluation). */
export class ConfusionCounter {
  readonly confusion: number[][];

  constructor(readonly classes = 2) {
    this.confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  }

  add(truth: number, predicted: number): void {
    this.confusion[truth][predicted]++;
  }

  get count(): number {
    return this.confusion.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  }

  report(labels: readonly string[]): ClassificationReport {
    const c = this.confusion;
    const k = this.classes;
    if (labels.length !== k) throw new SentivecError(`${labels.length} labels for a ${k}-class report`);
    const n = this.count;
    if (n === 0) throw new SentivecError('nothing to evaluate: no labeled documents');
    // 0/0 (a class never predicted, or absent) is reported as 0, as scikit-learn does.
    const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    const classes = labels.map((label, t): ClassMetrics => {
      const tp = c[t][t];
      let predicted = 0;
      for (let r = 0; r < k; r++) predicted += c[r][t];
      const support = c[t].reduce((a, b) => a + b, 0);
      const precision = ratio(tp, predicted);
      const recall = ratio(tp, support);
      return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
    });
    let hits = 0;
    for (let t = 0; t < k; t++) hits += c[t][t];
    const present = classes.filter((m, t) => m.support > 0 || c.some((row) => row[t] > 0));
    return {
      documents: n,
      accuracy: hits / n,
      classes,
      macroF1: present.reduce((s, m) => s + m.f1, 0) / present.length,
      weightedF1: classes.reduce((s, m) => s + m.f1 * m.support, 0) / n,
      confusion: c.map((row) => [...row]),
    };
  }
}

/** Report from class indices (0..labels.length−1; for two labels any truthy value is class 1). */
export function classificationReport(truth: ArrayLike<number>, predicted: ArrayLike<number>, labels: readonly string[]): ClassificationReport {
  if (truth.length !== predicted.length) throw new SentivecError(`${truth.length} true labels vs ${predicted.length} predictions`);
  const counter = new ConfusionCounter(labels.length);
  const cls = (v: number): number => (labels.length === 2 ? (v ? 1 : 0) : v);
  for (let i = 0; i < truth.length; i++) counter.add(cls(truth[i]), cls(predicted[i]));
  return counter.report(labels);
}

export const binaryReport = classificationReport;
