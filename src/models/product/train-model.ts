/**
 * From a user's corpus to a SentimentModel: read and tokenize (two streamed
 * passes, record-corpus.ts), cut the vocabulary, fit the paper's word vectors
 * on labeled + unlabeled documents, then a logistic regression on
 * [normalised R v ; bnc] of the labeled ones with C chosen by stratified
 * k-fold cross-validation on the same training data.
 */
import { availableParallelism } from 'node:os';
import type { TargetSpec } from '../../corpus/labels.js';
import type { CorpusSource } from '../../corpus/record.js';
import type { CsrMatrix } from '../../features/csr.js';
import { vectorsWithBnc } from '../../features/document-features.js';
import { selectDocs } from '../../text/documents.js';
import { buildRecordCorpus, type RecordCorpus } from '../../text/record-corpus.js';
import { Tokenizer, type TokenizerMode, type TokenizerOptions } from '../../text/tokenizer.js';
import { PRODUCT_VOCABULARY } from '../../text/vocabulary.js';
import { SentivecError } from '../../util/errors.js';
import { silentReporter, type Reporter } from '../../util/log.js';
import { SENTIVEC_VERSION } from '../../util/version.js';
import { LogisticRegression } from '../classifiers/logistic.js';
import { accuracy } from '../classifiers/model-selection.js';
import { chooseLogisticC } from '../classifiers/choose-c.js';
import type { CrossValidationInfo, InputInfo, ModelInfo, TrainingOptionsInfo } from './model-info.js';
import { MODEL_FORMAT_VERSION } from './model-file.js';
import { SentimentModel } from './sentiment-model.js';
import { SentimentVectors } from '../embeddings/sentiment-vectors.js';

export const DEFAULT_MODEL_C_GRID: readonly number[] = [0.03, 0.1, 0.3, 1, 3, 10, 30];

export interface TrainModelOptions {
  /** Default { kind: 'label' }: two label values. */
  target?: TargetSpec;
  /** Text-only corpora for the word vectors' semantic term. */
  unlabeled?: readonly CorpusSource[];
  /** Default `product` with its default switches. */
  tokenizer?: TokenizerMode | TokenizerOptions;
  /** At most this many words (default: no cap; the size follows the data, see PRODUCT_VOCABULARY). */
  vocabSize?: number;
  /** Most frequent tokens dropped (default 0). */
  skipTop?: number;
  /** Frequency floor, default 2: a word seen once cannot teach anything it would not overfit. */
  minCount?: number;
  /** Relative frequency floor: occurrences per million tokens a word needs (default 2; 0 = none). */
  minPerMillion?: number;
  dim?: number;
  epochs?: number;
  lambda?: number;
  nu?: number;
  /** Default: labeled documents / 2 (|S_k| for balanced classes; 12,500 on IMDb, the research default). */
  sentimentWeight?: number;
  /** A fixed C skips cross-validation. */
  C?: number;
  cGrid?: readonly number[];
  folds?: number;
  seed?: number;
  threads?: number;
  reporter?: Reporter;
  /** Describes the input in the model's info (path, format, fields). */
  input?: Omit<InputInfo, 'unlabeled'>;
}

export async function trainSentimentModel(source: CorpusSource, opts: TrainModelOptions = {}): Promise<SentimentModel> {
  const started = performance.now();
  const reporter = opts.reporter ?? silentReporter;
  const target = opts.target ?? { kind: 'label' };
  const tokenizer = new Tokenizer(typeof opts.tokenizer === 'string' ? { mode: opts.tokenizer } : (opts.tokenizer ?? { mode: 'product' }));
  const options: TrainingOptionsInfo = {
    tokenizer: tokenizer.mode,
    vocabSize: opts.vocabSize ?? null,
    skipTop: opts.skipTop ?? PRODUCT_VOCABULARY.skipTop,
    skipTopClamped: false,
    minCount: opts.minCount ?? PRODUCT_VOCABULARY.minCount,
    minPerMillion: opts.minPerMillion ?? PRODUCT_VOCABULARY.minPerMillion,
    dim: opts.dim ?? 50,
    epochs: opts.epochs ?? 10,
    lambda: opts.lambda ?? 0.05,
    nu: opts.nu ?? 1,
    sentimentWeight: NaN,
    C: opts.C ?? null,
    cGrid: [...(opts.cGrid ?? DEFAULT_MODEL_C_GRID)],
    folds: opts.folds ?? 5,
    seed: opts.seed ?? 1,
    threads: opts.threads ?? Math.min(2, availableParallelism()),
  };
  const corpus = await buildRecordCorpus(source, opts.unlabeled ?? [], {
    tokenizer,
    target,
    size: options.vocabSize ?? undefined,
    skipTop: options.skipTop,
    minCount: options.minCount,
    minPerMillion: options.minPerMillion,
    reporter,
  });
  const { stats, labels } = corpus;
  reporter.event('corpus', { documents: stats.documents, labeled: stats.labeled, unlabeled: stats.unlabeled, vocabulary: corpus.vocabulary.size, skipTop: stats.skipTop });
  options.sentimentWeight = opts.sentimentWeight ?? stats.labeled / 2;

  const vectorsStart = performance.now();
  const vectors = fitVectors(corpus, options, reporter);
  const vectorsSeconds = (performance.now() - vectorsStart) / 1000;

  const classifierStart = performance.now();
  const rows: number[] = [];
  for (let k = 0; k < corpus.targets.length; k++) if (!Number.isNaN(corpus.targets[k])) rows.push(k);
  const X = vectorsWithBnc(corpus.docs, vectors.R, rows);
  const y = Uint8Array.from(rows, (k) => (corpus.targets[k] > 0.5 ? 1 : 0));
  const { C, crossValidation } = chooseC(X, y, stats.perClass, options, reporter);
  const lr = new LogisticRegression({ C, tol: 0.01, seed: options.seed }).fit(X, y);
  const trainingAccuracy = accuracy(y, lr.predict(X));
  const classifierSeconds = (performance.now() - classifierStart) / 1000;

  const dim = options.dim;
  const info: ModelInfo = {
    formatVersion: MODEL_FORMAT_VERSION,
    sentivecVersion: SENTIVEC_VERSION,
    created: createdDate(),
    target: { kind: target.kind, labels, positiveRule: corpus.positiveRule, ...(target.kind === 'rating' ? { scale: { min: target.min, max: target.max } } : {}) },
    input: { path: source.name, ...opts.input, unlabeled: (opts.unlabeled ?? []).map((u) => u.name) },
    options,
    data: {
      documents: stats.documents,
      labeled: stats.labeled,
      unlabeled: stats.unlabeled,
      perClass: { [labels[0]]: stats.perClass[0], [labels[1]]: stats.perClass[1] },
      middleRatings: stats.middleRatings,
      tokens: stats.tokens,
      distinctTokens: stats.distinctTokens,
      minCount: stats.minCount,
      vocabularySize: corpus.vocabulary.size,
      skipTop: stats.skipTop,
      emptyDocuments: stats.emptyDocuments,
    },
    vectors: { epochs: vectors.epochs, converged: vectors.converged, objective: vectors.objectiveTrace, seconds: vectorsSeconds },
    classifier: { kind: 'logistic-regression', C, crossValidation, trainingAccuracy, seconds: classifierSeconds },
    seconds: (performance.now() - started) / 1000,
  };
  return new SentimentModel({
    words: corpus.vocabulary.words,
    vectors: vectors.R,
    psi: options.sentimentWeight > 0 ? Float32Array.from(vectors.psi) : undefined,
    bc: vectors.bc,
    tokenizer: tokenizer.settings,
    labels,
    weightsVectors: lr.coef.slice(0, dim),
    weightsWords: lr.coef.slice(dim),
    intercept: lr.intercept,
    frequencies: corpus.frequencies,
    info,
  });
}

/** The word vectors, fitted on the documents that contain at least one vocabulary word. */
function fitVectors(corpus: RecordCorpus, options: TrainingOptionsInfo, reporter: Reporter): SentimentVectors {
  const { docs, targets } = corpus;
  const keep: number[] = [];
  for (let d = 0; d < docs.count; d++) if (docs.offsets[d + 1] > docs.offsets[d]) keep.push(d);
  // Copy the corpus only when some documents must be left out.
  const all = keep.length === docs.count;
  const soft = all ? targets : Float64Array.from(keep, (d) => targets[d]);
  if (!soft.some((s) => !Number.isNaN(s))) throw new SentivecError('none of the labeled documents contains a vocabulary word (lower --min-count or --skip-top, or check the text column)');
  const task = reporter.task('word vectors', options.epochs);
  const model = new SentimentVectors({
    dim: options.dim,
    lambda: options.lambda,
    nu: options.nu,
    sentimentWeight: options.sentimentWeight,
    maxEpochs: options.epochs,
    seed: options.seed,
    threads: options.threads,
    // Epoch 0 is the random start: no progress yet (a bar would show an infinite ETA).
    onEpoch: (e) => {
      if (e.epoch > 0) task.tick(e.epoch, { objective: e.objective });
    },
  }).fit(all ? docs : selectDocs(docs, keep), { soft }, corpus.vocabulary.size);
  task.end({ epochs: model.epochs, converged: model.converged, objective: model.objectiveTrace[model.objectiveTrace.length - 1] });
  return model;
}

/** C by cross-validation (choose-c.ts), k at most the smaller class's size; a fixed C skips it. */
function chooseC(X: CsrMatrix, y: Uint8Array, perClass: [number, number], options: TrainingOptionsInfo, reporter: Reporter): { C: number; crossValidation: CrossValidationInfo | null } {
  if (options.C !== null) return { C: options.C, crossValidation: null };
  const folds = Math.min(options.folds, perClass[0], perClass[1]);
  if (folds < 2) {
    reporter.event('cross-validation skipped', { reason: 'a class has fewer than 2 labeled documents', C: 1 });
    return { C: 1, crossValidation: null };
  }
  const { C, scores } = chooseLogisticC(X, y, { grid: options.cGrid, folds, seed: options.seed, reporter });
  const chosen = scores.find((s) => s.C === C);
  reporter.event('C chosen', { C, accuracy: chosen?.accuracy, logLoss: chosen?.logLoss });
  return {
    C,
    crossValidation: {
      folds,
      scores,
      accuracy: chosen?.accuracy ?? NaN,
      note: 'the word vectors were fitted on all training documents, so held-out folds are not fully unseen: this estimate leans optimistic',
    },
  };
}

function createdDate(): string {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return (Number.isFinite(epoch) && process.env.SOURCE_DATE_EPOCH !== '' ? new Date(epoch * 1000) : new Date()).toISOString();
}
