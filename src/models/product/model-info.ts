/**
 * The self-description stored in every model file: how it was trained (every
 * option, so a run can be repeated), on what (input, fields, label mapping,
 * counts), and how well the classifier did in cross-validation. Plain JSON.
 */
import type { PositiveRule } from '../../corpus/labels.js';
import type { CorpusFormat } from '../../corpus/record.js';
import type { TokenizerMode } from '../../text/tokenizer.js';

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
  labels: [string, string];
  positiveRule: PositiveRule;
  /** Rating scale when kind is 'rating'. */
  scale?: { min: number; max: number };
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
}

export interface CrossValidationInfo {
  folds: number;
  /** Per C tried (ascending): pooled held-out accuracy, and mean held-out log-loss (the tie-breaker). */
  scores: { C: number; accuracy: number; logLoss: number }[];
  /** Accuracy at the chosen C. */
  accuracy: number;
  /** The word vectors saw every training document, so this estimate leans optimistic. */
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
  vectors: { epochs: number; converged: boolean; objective: number[]; seconds: number };
  classifier: {
    kind: 'logistic-regression';
    C: number;
    /** null when C was fixed or a class was too small to cross-validate. */
    crossValidation: CrossValidationInfo | null;
    trainingAccuracy: number;
    seconds: number;
  };
  seconds: number;
}
