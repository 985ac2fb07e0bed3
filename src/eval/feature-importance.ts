/**
 * Model-based and permutation importance for `sentivec features
 * --importance`, and the RFE-CV curve for `--rfecv` (two classes).
 *
 * A seeded stratified split keeps `heldOut` of the documents aside. On the
 * rest, a logistic regression is fitted on the binary n-gram matrix, its C
 * chosen by an inner cross-validation on those rows only. Then, on the
 * held-out documents only:
 *  - model-based importance: each n-gram's weight aggregated over the
 *    corpus, its mean contribution to a document's score (w_j × the share of
 *    held-out documents containing it) — what `explain` shows for one text,
 *    summed over many;
 *  - permutation importance: the accuracy lost when the n-gram's column is
 *    shuffled, with an interval over the held-out rows and the repeats.
 */
import type { CsrMatrix } from '../features/csr.js';
import { takeRows } from '../features/matrix.js';
import { chooseLogisticC } from '../models/classifiers/choose-c.js';
import { LogisticRegression } from '../models/classifiers/logistic.js';
import { stratifiedKFold } from '../models/classifiers/model-selection.js';
import { rfecv, type RfecvPoint } from '../models/classifiers/rfecv.js';
import { normalQuantile } from '../features/selection/distributions.js';
import { keepColumns } from '../features/selection/feature-selector.js';
import { SentivecError } from '../util/errors.js';
import { permutationImportance } from './permutation-importance.js';

export const IMPORTANCE_DEFAULTS = { folds: 5, heldOutFold: 0, repeats: 20, top: 20, cGrid: [0.03, 0.1, 0.3, 1] } as const;

export interface ModelImportanceRow {
  ngram: string;
  weight: number;
  /** Held-out documents containing the n-gram. */
  documents: number;
  /** weight × documents / held-out documents: its mean push on a held-out score. */
  meanContribution: number;
}

export interface PermutationRow {
  ngram: string;
  weight: number;
  /** Mean held-out accuracy drop when shuffled, and its interval. */
  drop: number;
  low: number;
  high: number;
}

export interface ImportanceReport {
  split: { training: number; heldOut: number; seed: number; what: string };
  C: number;
  heldOutAccuracy: number;
  repeats: number;
  confidence: number;
  /** Features with a nonzero weight present in the held-out documents. */
  assessed: number;
  /** Of those, how many intervals exclude zero: per feature, and simultaneous (Bonferroni over the features assessed). */
  excludingZero: number;
  excludingZeroSimultaneous: number;
  modelBased: ModelImportanceRow[];
  permutation: PermutationRow[];
}

export interface RfecvReport {
  documents: number;
  folds: number;
  curve: RfecvPoint[];
  chosen: number;
  best: number;
  /** The n-grams kept at the knee, strongest |weight| first (at most `top`). */
  kept: string[];
}

function twoClasses(y: ArrayLike<number>, classes: number, what: string): Uint8Array {
  if (classes !== 2) throw new SentivecError(`${what} needs two classes (a binary classifier's weights); the corpus has ${classes}`);
  return Uint8Array.from(y as ArrayLike<number>);
}

export function importanceReport(X: CsrMatrix, y: ArrayLike<number>, classes: number, names: readonly string[], opts: { seed: number; repeats: number; confidence: number; top: number }): ImportanceReport {
  const labels = twoClasses(y, classes, '--importance');
  const fold = stratifiedKFold(labels, IMPORTANCE_DEFAULTS.folds, opts.seed);
  const tr: number[] = [];
  const ev: number[] = [];
  for (let i = 0; i < labels.length; i++) (fold[i] === IMPORTANCE_DEFAULTS.heldOutFold ? ev : tr).push(i);
  const xTr = takeRows(X, tr);
  const yTr = Uint8Array.from(tr, (i) => labels[i]);
  const { C } = chooseLogisticC(xTr, yTr, { grid: IMPORTANCE_DEFAULTS.cGrid, folds: IMPORTANCE_DEFAULTS.folds, seed: opts.seed });
  const lr = new LogisticRegression({ C, seed: opts.seed }).fit(xTr, yTr);
  const xEv = takeRows(X, ev);
  const yEv = Uint8Array.from(ev, (i) => labels[i]);
  const pi = permutationImportance({ X: xEv, y: yEv, coef: lr.coef, intercept: lr.intercept, repeats: opts.repeats, seed: opts.seed, confidence: opts.confidence });
  const df = new Int32Array(X.cols);
  for (let p = 0; p < xEv.indptr[xEv.rows]; p++) df[xEv.indices[p]]++;
  const n = xEv.rows;
  const modelOrder = Array.from(pi.columns).sort((a, b) => Math.abs(lr.coef[b] * df[b]) - Math.abs(lr.coef[a] * df[a]) || a - b);
  const modelBased = modelOrder.slice(0, opts.top).map((j) => ({ ngram: names[j], weight: lr.coef[j], documents: df[j], meanContribution: (lr.coef[j] * df[j]) / n }));
  const permOrder = Array.from(pi.columns.keys()).sort((a, b) => pi.mean[b] - pi.mean[a] || a - b);
  const permutation = permOrder.slice(0, opts.top).map((c) => ({ ngram: names[pi.columns[c]], weight: lr.coef[pi.columns[c]], drop: pi.mean[c], low: pi.low[c], high: pi.high[c] }));
  // Simultaneous intervals: mean ± z·se with the Bonferroni z over the features assessed.
  let single = 0;
  let simultaneous = 0;
  const zAll = bonferroniZ(1 - opts.confidence, pi.columns.length);
  for (let c = 0; c < pi.columns.length; c++) {
    if (pi.low[c] > 0 || pi.high[c] < 0) single++;
    if (Math.abs(pi.mean[c]) > zAll * pi.se[c]) simultaneous++;
  }
  return {
    split: { training: tr.length, heldOut: ev.length, seed: opts.seed, what: `seeded stratified ${IMPORTANCE_DEFAULTS.folds}-fold split: fold ${IMPORTANCE_DEFAULTS.heldOutFold + 1} held out, C chosen by ${IMPORTANCE_DEFAULTS.folds}-fold CV on the rest` },
    C,
    heldOutAccuracy: pi.baseline,
    repeats: pi.repeats,
    confidence: pi.confidence,
    assessed: pi.columns.length,
    excludingZero: single,
    excludingZeroSimultaneous: simultaneous,
    modelBased,
    permutation,
  };
}

/** z of a two-sided interval at family-wise level `alpha` over m intervals (Bonferroni). */
function bonferroniZ(alpha: number, m: number): number {
  return normalQuantile(1 - alpha / (2 * Math.max(1, m)));
}

export function rfecvReport(X: CsrMatrix, y: ArrayLike<number>, classes: number, eligible: Int32Array, names: readonly string[], opts: { seed: number; top: number }): RfecvReport {
  const labels = twoClasses(y, classes, '--rfecv');
  const r = rfecv(X, labels, eligible, { seed: opts.seed, folds: IMPORTANCE_DEFAULTS.folds });
  // The kept n-grams, strongest first, by a fit on the kept columns.
  const position = new Int32Array(X.cols).fill(-1);
  r.kept.forEach((j) => (position[j] = j));
  const lr = new LogisticRegression({ C: r.settings.C, seed: opts.seed }).fit(keepColumns(X, position, X.cols), labels);
  const kept = Array.from(r.kept).sort((a, b) => Math.abs(lr.coef[b]) - Math.abs(lr.coef[a]) || a - b).slice(0, opts.top).map((j) => names[j]);
  return { documents: X.rows, folds: r.settings.folds, curve: r.curve, chosen: r.chosen, best: r.best, kept };
}
