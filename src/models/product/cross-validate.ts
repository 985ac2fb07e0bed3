/**
 * The honest estimate of a blueprint: stratified k-fold cross-validation
 * (stratified group k-fold when the documents have groups, e.g. the movie of
 * each IMDb review: no group straddles the folds, group-k-fold.ts) in which each fold runs the blueprint's whole fit (word vectors with their
 * sentiment term, the inner CV that picks C) on the other folds only, then
 * scores its fold once. Calibration (Platt) is fitted on these out-of-fold
 * scores, and the accuracy is counted on cross-fitted calibrated
 * probabilities, i.e. with the decision rule the product model uses.
 */
import { assignFolds, groupCount } from '../classifiers/folds.js';
import type { RecordCorpus } from '../../text/record-corpus.js';
import { calibrationReport, temperatureReport, type CalibrationReport } from './calibration.js';
import { argmaxRows } from '../classifiers/multinomial.js';
import { accuracyEstimate, type Estimate } from './estimate.js';
import type { CoTarget } from './co-targets.js';
import { classCount, fitBlueprint, smallestClass, type Blueprint, type BlueprintSettings, type FitRequest, type RatingFit } from './blueprint.js';
import { NgramKeepCurve, type NgramKeepChoice } from './ngram-keep.js';

export interface CrossValidation {
  /** Out-of-fold decision values, one per row, or rows × heads (k > 2 classes). */
  scores: Float64Array;
  /** 1 (binary) or k. */
  heads: number;
  fold: Int32Array;
  folds: number;
  /** Distinct groups the folds kept apart (0: ungrouped folds). */
  groups: number;
  /** C chosen in each fold. */
  C: number[];
  /** Mean seconds of one fold's fit. */
  fitSeconds: number;
  /** Documents scored per second (features from token ids + the linear head). */
  predictPerSecond: number;
  /** N-gram blueprints with CrossValidationPlan.ngramKeep: the kept fraction and its curve; `scores` are then the pruned models'. */
  ngramKeep?: NgramKeepChoice;
}

export interface Assessment {
  estimate: Estimate;
  calibration: CalibrationReport;
}

/** The documents a blueprint is cross-validated on, and how (a leaderboard passes the same to every rung). */
export interface CrossValidationPlan {
  /** Labeled documents (ids) and their labels; text-only document ids. */
  rows: Int32Array;
  y: Uint8Array;
  unlabeled: Int32Array;
  /** Group id per row of `rows` (absent: every document is its own group). */
  groups?: Int32Array;
  /** Classes in y (default 2). */
  classes?: number;
  settings: BlueprintSettings;
  folds: number;
  seed: number;
  /** A rating model: each fold fits this rating head, and the scores are predicted ratings. */
  rating?: RatingFit;
  /** A model of several targets: the other targets, whose sentiment terms each fold's word vectors carry (read on the fold's training documents only). */
  coTargets?: readonly CoTarget[];
  /**
   * N-gram blueprints: prune each fold's model to these fractions of its n-grams and keep the one the
   * one-standard-error rule picks (ngram-keep.ts); absent: the full tables (reproduce, cv).
   */
  ngramKeep?: readonly number[];
}

export interface CrossValidateRequest extends CrossValidationPlan {
  corpus: RecordCorpus;
  /** Called after each fold (progress). */
  onFold?: (done: number) => void;
}

/** Folds actually used: at most the smallest class's size (and the number of groups); < 2 means no estimate is possible. */
export function usableFolds(y: Uint8Array, folds: number, classes = 2, groups?: Int32Array): number {
  return Math.min(folds, smallestClass(y, classes), groups ? groupCount(groups) : Infinity);
}

export function crossValidateBlueprint(bp: Blueprint, req: CrossValidateRequest): CrossValidation {
  const { rows, y } = req;
  const heads = classCount(req.corpus) > 2 ? classCount(req.corpus) : 1;
  const { groups } = req;
  const folds = usableFolds(y, req.folds, Math.max(2, heads), groups);
  const fold = assignFolds(y, folds, req.seed, groups);
  let scores: Float64Array = new Float64Array(rows.length * heads);
  const keep = req.ngramKeep && bp.ngrams && !req.rating ? new NgramKeepCurve(req.ngramKeep, rows.length, heads) : null;
  const C: number[] = [];
  let fitMs = 0;
  let predictMs = 0;
  for (let f = 0; f < folds; f++) {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < rows.length; i++) (fold[i] === f ? ev : tr).push(i);
    const t0 = performance.now();
    const fitReq: FitRequest = {
      corpus: req.corpus,
      rows: Int32Array.from(tr, (i) => rows[i]),
      y: Uint8Array.from(tr, (i) => y[i]),
      unlabeled: req.unlabeled,
      ...(groups ? { groups: Int32Array.from(tr, (i) => groups[i]) } : {}),
      settings: req.settings,
      rating: req.rating,
      ...(req.coTargets ? { coTargets: req.coTargets } : {}),
    };
    const fitted = fitBlueprint(bp, fitReq);
    const t1 = performance.now();
    const evDocs = Int32Array.from(ev, (i) => rows[i]);
    const s = fitted.scores(evDocs);
    const t2 = performance.now();
    predictMs += t2 - t1;
    // The pruned refits are part of this fold's fit.
    keep?.fold(bp, fitReq, fitted, evDocs, ev);
    fitMs += t1 - t0 + performance.now() - t2;
    ev.forEach((i, k) => scores.set(s.subarray(k * heads, (k + 1) * heads), i * heads));
    C.push(fitted.C);
    req.onFold?.(f + 1);
  }
  const kept = keep?.choose(y);
  if (kept) scores = kept.scores;
  return { scores, heads, fold, folds, groups: groups ? groupCount(groups) : 0, C, fitSeconds: fitMs / 1000 / folds, predictPerSecond: rows.length / Math.max(1e-6, predictMs / 1000), ...(kept ? { ngramKeep: kept.choice } : {}) };
}

/** Accuracy with its interval, and calibration, from out-of-fold scores (for k > 2 classes: the most probable class). */
export function assess(cv: CrossValidation, y: Uint8Array): Assessment {
  const k = cv.heads;
  let report: CalibrationReport;
  let predicted: ArrayLike<number>;
  if (k > 1) {
    const t = temperatureReport(cv.scores, y, cv.fold, cv.folds, k);
    report = t.report;
    predicted = argmaxRows(t.probabilities, k);
  } else {
    const platt = calibrationReport(cv.scores, y, cv.fold, cv.folds);
    report = platt.report;
    predicted = Uint8Array.from(platt.probabilities, (p) => (p > 0.5 ? 1 : 0));
  }
  let hits = 0;
  const foldHits = new Float64Array(cv.folds);
  const foldSize = new Float64Array(cv.folds);
  for (let i = 0; i < y.length; i++) {
    const hit = predicted[i] === y[i];
    if (hit) hits++;
    foldSize[cv.fold[i]]++;
    if (hit) foldHits[cv.fold[i]]++;
  }
  const foldAccuracies = Array.from(foldHits, (h, f) => h / foldSize[f]);
  return { estimate: accuracyEstimate(hits, y.length, cv.folds, foldAccuracies, cv.groups), calibration: report };
}

export type { RecordCorpus };
