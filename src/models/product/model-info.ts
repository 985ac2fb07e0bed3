/**
 * The self-description stored in every model file: how it was trained (every
 * option, so a run can be repeated), on what (input, fields, label mapping,
 * counts), and how well the classifier did in cross-validation. Plain JSON.
 */
import type { PositiveRule, RatingTask } from '../../corpus/labels.js';
import type { PenaltyScore } from '../classifiers/rating-head.js';
import type { RatingEstimate } from './rating-estimate.js';
import type { CorpusFormat } from '../../corpus/record.js';
import type { TokenizerMode } from '../../text/tokenizer.js';
import type { CalibrationReport } from './calibration.js';
import type { Estimate } from './estimate.js';
import type { LeaderboardResult } from './leaderboard.js';
import type { LearningCurve } from './learning-curve.js';
import type { SelectionSummary, StoredRanking } from './feature-selection.js';
import type { NgramKeepChoice } from './ngram-keep.js';

export type { CalibrationReport, Estimate, LeaderboardResult, LearningCurve };

/** How train pruned an n-gram model's table (ngram-keep.ts); absent in older models (nothing pruned). */
export interface NgramPruningInfo extends NgramKeepChoice {
  /** N-grams the model keeps, of `of` the floor and the cap kept. */
  ngrams: number;
  of: number;
}

export interface TrainingOptionsInfo {
  tokenizer: TokenizerMode;
  /** The cap on |V| requested; null: no cap (the size follows the data). */
  vocabSize: number | null;
  /** As requested; the applied value is data.skipTop. */
  skipTop: number;
  /** Whether skipTop was clamped to 5% of the distinct tokens (older models: the default was 50, clamped). */
  skipTopClamped: boolean;
  minCount: number;
  /** Relative frequency floor, occurrences per million tokens; absent in older models. */
  minPerMillion?: number;
  dim: number;
  epochs: number;
  lambda: number;
  nu: number;
  /** As applied (the default is labeled documents / 2, i.e. |S_k| for balanced classes). */
  sentimentWeight: number;
  /** Fixed C, or null when chosen by cross-validation from cGrid. */
  C: number | null;
  cGrid: number[];
  folds: number;
  seed: number;
  threads: number;
  /** The blueprint asked for (train --blueprint), or null: the leaderboard chose. */
  blueprint: string | null;
  /** The leaderboard budget asked for, or null: the default for the data size. */
  budgetSeconds: number | null;
  /** train --select as given (chi2:K, fdr:ALPHA, rfecv), or null; absent in older models. */
  select?: string | null;
  /** train --ngram-keep: the fractions of the n-grams train's cross-validation chose from (one: used as given); absent in older models (all kept). */
  ngramKeep?: number[];
}

export interface InputInfo {
  /** Path (or description) of the labeled corpus. */
  path: string;
  format?: CorpusFormat;
  textField?: string;
  labelField?: string;
  ratingField?: string;
  split?: 'train' | 'test';
  unlabeled: string[];
}

export interface TargetInfo {
  kind: 'label' | 'rating';
  /** [negative, positive]. */
  labels: string[];
  positiveRule: PositiveRule;
  /** Rating scale when kind is 'rating'. */
  scale?: { min: number; max: number };
  /** What a rating model predicts (train --task); absent: binary. */
  task?: RatingTask;
}

/** A rating model's head (train --task regression | ordinal) and its honest error. */
export interface RatingInfo {
  task: 'regression' | 'ordinal';
  /** Ridge α or ordinal C, and the inner cross-validation's MAE per value tried (empty when fixed). */
  penalty: number;
  scores: PenaltyScore[];
  folds: number;
  /** The rating values seen in training, ascending. */
  levels: number[];
  /** Out-of-fold MAE with its interval; null when there were too few documents to cross-validate. */
  estimate: RatingEstimate | null;
}

export interface DataInfo {
  documents: number;
  labeled: number;
  unlabeled: number;
  /** Labeled documents per label. */
  perClass: Record<string, number>;
  middleRatings: number;
  tokens: number;
  distinctTokens: number;
  /** The frequency floor applied (max of minCount and the relative floor); absent in older models. */
  minCount?: number;
  vocabularySize: number;
  /** The skipTop applied. */
  skipTop: number;
  emptyDocuments: number;
  /** A short labeled training text (the web page's placeholder: what the model reads); absent in older models. */
  example?: string;
}

export interface CrossValidationInfo {
  folds: number;
  /** Per C tried (ascending): pooled held-out accuracy, and mean held-out log-loss (the tie-breaker). */
  scores: { C: number; accuracy: number; logLoss: number }[];
  /** Accuracy at the chosen C (NaN when C came from the estimate's folds). */
  accuracy: number;
  /** k > 2 classes: the C each fold of the estimate chose by its own inner CV; the final C is their middle value (no search on all rows). */
  foldChoices?: number[];
  /** What these scores are for (choosing C); the honest accuracy is ModelInfo.estimate. */
  note: string;
}

export interface ModelInfo {
  formatVersion: number;
  sentivecVersion: string;
  /** ISO date; SOURCE_DATE_EPOCH, when set, makes it reproducible. */
  created: string;
  target: TargetInfo;
  input: InputInfo;
  options: TrainingOptionsInfo;
  data: DataInfo;
  /** Cross-validated accuracy with every label-reading step inside the folds; null when a class was too small. */
  estimate: Estimate | null;
  blueprint: { id: string; description: string };
  /** Platt scaling fitted on the out-of-fold scores (already folded into the weights), with its cross-fitted quality. */
  calibration: CalibrationReport | null;
  /** Successive halving over blueprints; null when one blueprint was asked for. */
  leaderboard: LeaderboardResult | null;
  learningCurve: LearningCurve | null;
  /** `targets`: a model of several targets' one shared fit, the targets whose sentiment terms it carries in the order of its ψ's (the file stores it once). */
  vectors: { epochs: number; converged: boolean; objective: number[]; seconds: number; targets?: string[] };
  classifier: {
    /** The product trains logistic regression; `linear-svm` marks an in-process model built around a row's SVM (bench:peers). */
    /** `one-vs-rest-logistic-regression`: k > 2 classes with a naive-Bayes blueprint (nb-one-vs-rest.ts). */
    kind: 'logistic-regression' | 'multinomial-logistic-regression' | 'one-vs-rest-logistic-regression' | 'linear-svm' | 'ridge-regression' | 'ordinal-regression';
    C: number;
    /** null when C was fixed or a class was too small to cross-validate. */
    crossValidation: CrossValidationInfo | null;
    trainingAccuracy: number;
    seconds: number;
  };
  seconds: number;
  /** N-gram blueprints: the n-grams' order, floor and cap, the labeled documents they were counted on, and distinct n-grams counted and kept per order (bigrams, trigrams). */
  ngrams?: { order: number; minDf: number; maxNgrams: number; documents: number; counted: number[]; kept: number[]; pruning?: NgramPruningInfo };
  /** train --select only: what the final fit kept (null: the leaderboard chose a blueprint without selection) and the χ² ranking of the words on the training rows. */
  selection?: { kept: SelectionSummary | null; ranking: StoredRanking };
  /** Rating models with --task regression | ordinal: the head and its estimate (info.estimate, an accuracy, is then null). */
  rating?: RatingInfo;
}
