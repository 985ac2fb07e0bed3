/**
 * `sentivec cv` beyond two labels. The paper's rows are two-class
 * representations, so on k > 2 classes, or for a rating model (--task
 * regression | ordinal), cv cross-validates the product's blueprints instead
 * (blueprint.ts: the recipes `train` chooses from). Each fold runs the
 * blueprint's whole fit on the other folds only (cross-validate.ts: the word
 * vectors with their sentiment term, the naive-Bayes ratios, the inner CV
 * that picks C or the rating head's penalty) and scores its fold once.
 *
 * Reported per fold: accuracy and macro-F1 (classes), or MAE, RMSE, exact and
 * within-one (ratings); then the mean ± standard deviation over folds, as the
 * binary cv does, and the pooled out-of-fold estimate with the 95% interval
 * `train` would state (without train's learning-curve step, which needs the
 * leaderboard's rungs).
 */
import { argmaxRows } from '../models/classifiers/multinomial.js';
import { groupCount } from '../models/classifiers/folds.js';
import { smallestClass, type Blueprint, type BlueprintSettings, type RatingFit } from '../models/product/blueprint.js';
import { crossValidateBlueprint, type CrossValidation } from '../models/product/cross-validate.js';
import { accuracyEstimate, type Estimate } from '../models/product/estimate.js';
import { ratingEstimate, type RatingEstimate } from '../models/product/rating-estimate.js';
import { ratingsOf } from '../models/product/rating-values.js';
import type { CoTarget } from '../models/product/co-targets.js';
import type { RecordCorpus } from '../text/record-corpus.js';
import { SentivecError } from '../util/errors.js';
import { silentReporter, type Reporter } from '../util/log.js';
import { classificationReport } from './metrics.js';
import { RatingTally, spearman, type RatingMetrics } from './rating-metrics.js';

export interface BlueprintCvOptions {
  blueprints: readonly Blueprint[];
  folds: number;
  seed: number;
  settings: BlueprintSettings;
  /** A rating model (regression or ordinal head); absent: the corpus's classes. */
  rating?: RatingFit;
  /** A model of several targets: the other targets, whose sentiment terms every fold's word vectors carry (targets-cv.ts). */
  coTargets?: readonly CoTarget[];
  reporter?: Reporter;
}

interface RowBase {
  id: string;
  description: string;
  /** C (or the rating head's penalty) chosen in each fold. */
  C: number[];
  seconds: number;
}

export interface ClassesCvRow extends RowBase {
  /** Per fold, fractions. */
  accuracies: number[];
  macroF1: number[];
  /** Mean and sample standard deviation of the fold accuracies; mean fold macro-F1. */
  mean: number;
  std: number;
  macroF1Mean: number;
  /** Pooled out-of-fold accuracy with its 95% interval. */
  estimate: Estimate;
}

export interface RatingCvRow extends RowBase {
  /** One per fold. */
  foldMetrics: RatingMetrics[];
  /** Mean and sample standard deviation of the fold MAEs. */
  mean: number;
  std: number;
  /** Pooled out-of-fold MAE with its 95% interval and the predict-the-mean baseline; Spearman's ρ of all predictions. */
  estimate: RatingEstimate;
  spearman: number;
}

export type BlueprintCvResult =
  | { kind: 'classes'; labels: string[]; rows: ClassesCvRow[]; folds: number; groups: number; labeled: number; unlabeled: number; majority: number }
  | { kind: 'rating'; task: string; labels: string[]; rows: RatingCvRow[]; folds: number; groups: number; labeled: number; unlabeled: number };

export function crossValidateBlueprints(corpus: RecordCorpus, opts: BlueprintCvOptions): BlueprintCvResult {
  const reporter = opts.reporter ?? silentReporter;
  const labeled: number[] = [];
  const unlabeledList: number[] = [];
  for (let d = 0; d < corpus.docs.count; d++) (Number.isNaN(corpus.targets[d]) ? unlabeledList : labeled).push(d);
  const rows = Int32Array.from(labeled);
  const unlabeled = Int32Array.from(unlabeledList);
  const k = opts.rating ? 2 : corpus.labels.length;
  // k > 2 classes: the class index; two labels, or a rating (its head's or binned at the middle): above the middle of the scale (as train's folds).
  const y = Uint8Array.from(rows, (d) => (k > 2 ? corpus.targets[d] : corpus.targets[d] > 0.5 ? 1 : 0));
  const perClass = Array.from({ length: k }, (_, c) => y.reduce((n, v) => n + (v === c ? 1 : 0), 0));
  if (smallestClass(y, k) < opts.folds) {
    const what = opts.rating ? ['below the middle of the scale', 'above it'] : corpus.labels.map((l) => `'${l}'`);
    throw new SentivecError(`cv: ${opts.folds} folds need at least ${opts.folds} labeled documents per class; the corpus has ${perClass.map((n, c) => `${n} ${what[c]}`).join(', ')}`);
  }
  const corpusGroups = corpus.groups;
  const groups = corpusGroups ? Int32Array.from(rows, (d) => corpusGroups[d]) : undefined;
  if (groups && groupCount(groups) < opts.folds) throw new SentivecError(`cv: ${opts.folds} folds need at least ${opts.folds} groups; the corpus has ${groupCount(groups)}`);
  const values = opts.rating ? ratingsOf(corpus, rows, opts.rating).values : null;
  const plan = { corpus, rows, y, unlabeled, ...(groups ? { groups } : {}), classes: k, settings: opts.settings, folds: opts.folds, seed: opts.seed, ...(opts.rating ? { rating: opts.rating } : {}), ...(opts.coTargets?.length ? { coTargets: opts.coTargets } : {}) };
  const common = { folds: opts.folds, groups: groups ? groupCount(groups) : 0, labeled: rows.length, unlabeled: unlabeled.length, labels: corpus.labels };
  const run = (bp: Blueprint): { cv: CrossValidation; seconds: number } => {
    const task = reporter.task(`cv ${bp.id}`, opts.folds);
    const t = performance.now();
    const cv = crossValidateBlueprint(bp, { ...plan, onFold: (f) => task.tick(f) });
    task.end();
    return { cv, seconds: (performance.now() - t) / 1000 };
  };
  if (values && opts.rating) {
    const out = opts.blueprints.map((bp) => {
      const { cv, seconds } = run(bp);
      const row = ratingRow(bp, cv, values, seconds);
      reporter.event('cv row', { row: bp.id, mae: row.mean, std: row.std });
      return row;
    });
    return { kind: 'rating', task: opts.rating.task, rows: out, ...common };
  }
  const out = opts.blueprints.map((bp) => {
    const { cv, seconds } = run(bp);
    const row = classesRow(bp, cv, y, corpus.labels, seconds);
    reporter.event('cv row', { row: bp.id, accuracy: row.mean, std: row.std, macroF1: row.macroF1Mean });
    return row;
  });
  return { kind: 'classes', rows: out, majority: Math.max(...perClass) / rows.length, ...common };
}

/** Mean and sample standard deviation. */
function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std };
}

/** Indices of the rows in each fold. */
function byFold(cv: CrossValidation): number[][] {
  const out: number[][] = Array.from({ length: cv.folds }, () => []);
  cv.fold.forEach((f, i) => out[f].push(i));
  return out;
}

function classesRow(bp: Blueprint, cv: CrossValidation, y: Uint8Array, labels: readonly string[], seconds: number): ClassesCvRow {
  // The most probable class: the highest score (a binary head's one score: above 0).
  const predicted = cv.heads > 1 ? argmaxRows(cv.scores, cv.heads) : Int32Array.from(cv.scores, (s) => (s > 0 ? 1 : 0));
  const folds = byFold(cv).map((idx) => classificationReport(idx.map((i) => y[i]), idx.map((i) => predicted[i]), labels));
  const accuracies = folds.map((r) => r.accuracy);
  const macroF1 = folds.map((r) => r.macroF1);
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) hits++;
  return { id: bp.id, description: bp.description, accuracies, macroF1, C: cv.C, ...meanStd(accuracies), macroF1Mean: meanStd(macroF1).mean, estimate: accuracyEstimate(hits, y.length, cv.folds, accuracies, cv.groups), seconds };
}

function ratingRow(bp: Blueprint, cv: CrossValidation, values: Float64Array, seconds: number): RatingCvRow {
  const foldMetrics = byFold(cv).map((idx) => {
    const tally = new RatingTally();
    for (const i of idx) tally.add(values[i], cv.scores[i]);
    return tally.report();
  });
  return { id: bp.id, description: bp.description, foldMetrics, C: cv.C, ...meanStd(foldMetrics.map((m) => m.mae)), estimate: ratingEstimate(cv.scores, values, cv.fold, cv.folds), spearman: spearman(values, cv.scores), seconds };
}
