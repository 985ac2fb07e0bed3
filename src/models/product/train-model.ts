/**
 * From a user's corpus to a SentimentModel: read and tokenize (two streamed
 * passes, record-corpus.ts; the vocabulary is cut from all texts, labels never
 * enter it), then choose a blueprint by a successive-halving leaderboard
 * (product/leaderboard.ts) whose every estimate is a cross-validation with all
 * label-reading steps inside the folds; the winner's estimate on all labeled
 * documents is the accuracy the model reports, its out-of-fold scores fit the
 * Platt calibration, and the winner is finally refitted on everything.
 */
import { labelDisplayNames, type TargetSpec } from '../../corpus/labels.js';
import type { CorpusSource } from '../../corpus/record.js';
import { buildRecordCorpus, type RecordCorpus } from '../../text/record-corpus.js';
import { Tokenizer, type TokenizerMode, type TokenizerOptions } from '../../text/tokenizer.js';
import { PRODUCT_VOCABULARY } from '../../text/vocabulary.js';
import { silentReporter, type Reporter } from '../../util/log.js';
import { accuracy } from '../classifiers/model-selection.js';
import { argmaxRows } from '../classifiers/multinomial.js';
import { SENTIVEC_VERSION } from '../../util/version.js';
import type { CrossValidationInfo, InputInfo, ModelInfo, NgramPruningInfo, TrainingOptionsInfo } from './model-info.js';
import { CROSS_VALIDATION_OPTIONS } from '../classifiers/cross-validation-options.js';
import { currentDefault, fixedDefault, resolveOptions } from '../../util/options.js';
import { SENTIMENT_VECTORS_OPTIONS } from '../embeddings/sentiment-vectors.js';
import { MODEL_FORMAT_VERSION } from './model-file.js';
import { SentimentModel } from './sentiment-model.js';
import { BLUEPRINTS, DEFAULT_BLUEPRINT, blueprintById, fitBlueprint, withSelection, type Blueprint, type BlueprintSettings, type FitRequest } from './blueprint.js';
import { NGRAM_KEEP_OPTIONS } from '../../features/ngram-pruning.js';
import { keepNgrams, type NgramKeepChoice } from './ngram-keep.js';
import { vectorsWithBnc } from '../../features/document-features.js';
import { selectSpecText, trainingRanking, type SelectSpec } from './feature-selection.js';
import { usableFolds } from './cross-validate.js';
import { successiveHalving } from './leaderboard.js';
import { learningCurve } from './learning-curve.js';
import { shownVectorFit } from './cost-model.js';
import { RATING_HEAD_OPTIONS } from '../classifiers/rating-head.js';
import { crossValidateRating, type RatingCrossValidation } from './rating-cross-validation.js';
import { ratingsOf } from './rating-values.js';
import type { RatingFit } from './blueprint.js';
import type { RatingReadoutParts } from './rating-readout.js';
import type { CoTarget } from './co-targets.js';
import type { SentimentVectors } from '../embeddings/sentiment-vectors.js';

/** The product's C grid (CROSS_VALIDATION_OPTIONS). */
export const DEFAULT_MODEL_C_GRID: readonly number[] = fixedDefault(CROSS_VALIDATION_OPTIONS.cGrid, 'product');

/** Words of the training ranking a model stores with train --select. */
export const STORED_RANKING_TOP = 100;

const BUDGET = { baseSeconds: 30, secondsPerDocument: 0.005, maxSeconds: 420, shownVectorsShare: 0.2 } as const;

/**
 * Default budget of the leaderboard and the final fit, in the cost model's
 * seconds (cost-model.ts): 30 s plus 5 ms per document (labeled or not), at
 * most 7 minutes, so that reading, the leaderboard and the final fit stay
 * within issue #13's targets on a quiet 2-core machine (≤ 60 s on 2,000
 * reviews, ≤ 10 min on IMDb's 25k + 50k). Word vectors only shown (when the
 * winner does not read them) get what the leaderboard leaves, but at most
 * shownVectorsShare of the budget: they change no prediction, and on 75,000
 * documents the leftover bought minutes of them. The 20 s left of the minute
 * on 2,000 reviews is for what the budget does not cover: reading and
 * tokenizing, the n-gram tables, calibration, writing the model, and the
 * cost model's error (it was 40 s: 68 s of wall time at load 5).
 */
export function defaultBudgetSeconds(documents: number): number {
  return Math.min(BUDGET.maxSeconds, Math.round(BUDGET.baseSeconds + BUDGET.secondsPerDocument * documents));
}

/** The default budget's rule in words, for help texts (the numbers live only in BUDGET). */
export const DEFAULT_BUDGET_RULE = `${BUDGET.baseSeconds} s + ${1000 * BUDGET.secondsPerDocument} ms per document, at most ${BUDGET.maxSeconds} s`;

export interface TrainModelOptions {
  /** Default { kind: 'label' }: two label values. */
  target?: TargetSpec;
  /** Display names for label values ('0' → 'negative'), stored in the model. */
  labelNames?: Readonly<Record<string, string>>;
  /** Text-only corpora for the word vectors' semantic term. */
  unlabeled?: readonly CorpusSource[];
  /** Text options for every blueprint; default: each blueprint's own (the product tokenizer, or a variant). */
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
  /** Default: labeled documents / 2 (|S_k| for balanced classes; 12,500 on IMDb, the research default), per fold. */
  sentimentWeight?: number;
  /** A fixed C skips the inner cross-validation. */
  C?: number;
  cGrid?: readonly number[];
  /** Folds of the outer (estimate) and inner (C) cross-validations. */
  folds?: number;
  /** One blueprint id: no leaderboard. Default: the leaderboard picks. */
  blueprint?: string;
  /**
   * Feature selection inside every fit (so inside every cross-validation fold):
   * with `blueprint`, that blueprint selects; without, the leaderboard tries each
   * blueprint with and without it.
   */
  select?: SelectSpec;
  /** The n-gram blueprints' document-frequency floor and size cap (NGRAM_TERM_OPTIONS). */
  ngramMinDf?: number;
  maxNgrams?: number;
  /**
   * The n-gram blueprints' kept fractions of n-grams (NGRAM_KEEP_OPTIONS: default a grid, the fraction
   * chosen by the estimate's cross-validation, ngram-keep.ts; [1]: no pruning).
   */
  ngramKeep?: readonly number[];
  /** Leaderboard time budget in seconds (default defaultBudgetSeconds). */
  budgetSeconds?: number;
  seed?: number;
  threads?: number;
  reporter?: Reporter;
  /** Describes the input in the model's info (path, format, fields). */
  input?: Omit<InputInfo, 'unlabeled'>;
}

export async function trainSentimentModel(source: CorpusSource, opts: TrainModelOptions = {}): Promise<SentimentModel> {
  const run = await readTarget(source, opts);
  return (await finishTarget(run, await chooseBlueprint(run))).model;
}

/**
 * Training in three steps, so that a model of several targets (train-targets.ts)
 * can read every target's corpus before any leaderboard (each fold's word
 * vectors then carry every target's sentiment term) and fit the targets' one
 * shared set of word vectors after every winner is known. Step 1: the corpus,
 * the labeled rows and the settings.
 */
export async function readTarget(source: CorpusSource, opts: TrainModelOptions = {}) {
  const started = performance.now();
  const reporter = opts.reporter ?? silentReporter;
  const target = opts.target ?? { kind: 'label' };
  // Text options given by the caller replace every blueprint's own; the blueprints that only vary them then drop out.
  const textOverride: TokenizerOptions | undefined = typeof opts.tokenizer === 'string' ? { mode: opts.tokenizer } : opts.tokenizer;
  let candidates: readonly Blueprint[] = opts.blueprint !== undefined ? [blueprintById(opts.blueprint)] : BLUEPRINTS.filter((b) => textOverride === undefined || !b.textVariant);
  if (textOverride) candidates = candidates.map((b) => ({ ...b, tokenizer: textOverride }));
  if (candidates.length === 0) candidates = [blueprintById(DEFAULT_BLUEPRINT)];
  const select = opts.select;
  if (select) candidates = opts.blueprint !== undefined ? candidates.map((b) => withSelection(b, select)) : [...candidates, ...candidates.filter((b) => !b.textVariant).map((b) => withSelection(b, select))];
  const V = SENTIMENT_VECTORS_OPTIONS;
  // The cross-validation settings, checked against their table (the product's defaults).
  const cv = resolveOptions('train', { folds: CROSS_VALIDATION_OPTIONS.folds, cGrid: CROSS_VALIDATION_OPTIONS.cGrid, seed: CROSS_VALIDATION_OPTIONS.seed }, { folds: opts.folds, cGrid: opts.cGrid, seed: opts.seed });
  const options: TrainingOptionsInfo = {
    tokenizer: new Tokenizer(candidates[0].tokenizer).mode,
    vocabSize: opts.vocabSize ?? null,
    skipTop: opts.skipTop ?? PRODUCT_VOCABULARY.skipTop,
    skipTopClamped: false,
    minCount: opts.minCount ?? PRODUCT_VOCABULARY.minCount,
    minPerMillion: opts.minPerMillion ?? PRODUCT_VOCABULARY.minPerMillion,
    dim: opts.dim ?? fixedDefault(V.dim, 'product'),
    epochs: opts.epochs ?? fixedDefault(V.maxEpochs, 'product'),
    lambda: opts.lambda ?? fixedDefault(V.lambda, 'product'),
    nu: opts.nu ?? fixedDefault(V.nu, 'product'),
    sentimentWeight: NaN,
    C: opts.C ?? null,
    cGrid: [...cv.cGrid],
    folds: cv.folds,
    seed: cv.seed,
    threads: opts.threads ?? currentDefault(V.threads),
    blueprint: opts.blueprint ?? null,
    budgetSeconds: opts.budgetSeconds ?? null,
    select: select ? selectSpecText(select) : null,
    ngramKeep: [...resolveOptions('train', NGRAM_KEEP_OPTIONS, { ngramKeep: opts.ngramKeep }).ngramKeep],
  };
  // One corpus per tokenizer setting, built on first use: same documents in the same order, so row ids agree.
  const corpora = new Map<string, Promise<RecordCorpus>>();
  const corpusFor = (text: TokenizerOptions): Promise<RecordCorpus> => {
    const tokenizer = new Tokenizer(text);
    const key = JSON.stringify(tokenizer.settings);
    let c = corpora.get(key);
    if (!c) {
      c = buildRecordCorpus(source, opts.unlabeled ?? [], {
        tokenizer,
        target,
        size: options.vocabSize ?? undefined,
        skipTop: options.skipTop,
        minCount: options.minCount,
        minPerMillion: options.minPerMillion,
        reporter,
      });
      corpora.set(key, c);
    }
    return c;
  };
  const first = await corpusFor(candidates[0].tokenizer);
  const { stats, labels } = first;
  const names = opts.labelNames ? labelDisplayNames(labels, opts.labelNames, source.name) : undefined;
  reporter.event('corpus', { documents: stats.documents, labeled: stats.labeled, unlabeled: stats.unlabeled, vocabulary: first.vocabulary.size, skipTop: stats.skipTop });
  const rowList: number[] = [];
  const unlabeledList: number[] = [];
  for (let d = 0; d < first.targets.length; d++) (Number.isNaN(first.targets[d]) ? unlabeledList : rowList).push(d);
  const rows = Int32Array.from(rowList);
  const unlabeled = Int32Array.from(unlabeledList);
  const classes = labels.length > 2 ? labels.length : 2;
  // Two labels or a rating: 1 above the middle; k > 2 labels: the class index.
  const y = Uint8Array.from(rows, (d) => (classes > 2 ? first.targets[d] : first.targets[d] > 0.5 ? 1 : 0));
  // The documents' groups (e.g. the movie of each review): every CV keeps a group in one fold.
  const corpusGroups = first.groups;
  const groups = corpusGroups ? Int32Array.from(rows, (d) => corpusGroups[d]) : undefined;
  // --task regression | ordinal: one blueprint with a rating head, judged by its error, not the leaderboard's accuracy.
  const task = target.kind === 'rating' ? (target.task ?? 'binary') : null;
  const ratings = target.kind === 'rating' && (task === 'regression' || task === 'ordinal') ? { task, scale: target, ...ratingsOf(first, rows, target) } : null;
  const ratingFit: RatingFit | undefined = ratings
    ? { task: ratings.task, levels: ratings.levels, min: ratings.scale.min, max: ratings.scale.max, grid: fixedDefault(ratings.task === 'regression' ? RATING_HEAD_OPTIONS.alphaGrid : RATING_HEAD_OPTIONS.ordinalCGrid, 'product'), penalty: null }
    : undefined;
  if (ratingFit) candidates = candidates.slice(0, 1);
  const settings: BlueprintSettings = {
    dim: options.dim,
    epochs: options.epochs,
    lambda: options.lambda,
    nu: options.nu,
    sentimentWeight: opts.sentimentWeight ?? null,
    C: options.C,
    cGrid: options.cGrid,
    innerFolds: options.folds,
    seed: options.seed,
    threads: options.threads,
    ngrams: { ...(opts.ngramMinDf !== undefined ? { ngramMinDf: opts.ngramMinDf } : {}), ...(opts.maxNgrams !== undefined ? { maxNgrams: opts.maxNgrams } : {}) },
  };
  return { started, reporter, target, opts, source, candidates, select, options, corpusFor, first, stats, labels, names, rows, unlabeled, classes, y, groups, task, ratings, ratingFit, settings };
}

/** A target as read by readTarget. */
export type TargetRun = Awaited<ReturnType<typeof readTarget>>;

/**
 * Step 2: the leaderboard and the honest estimate. `coTargets`: the other
 * targets of a model of several targets, whose sentiment terms every fold's
 * word vectors carry too (read on the fold's own documents only).
 */
export async function chooseBlueprint(run: TargetRun, coTargets?: readonly CoTarget[]) {
  const { reporter, opts, candidates, options, corpusFor, first, stats, rows, unlabeled, classes, y, groups, ratings, ratingFit, settings } = run;
  const plan = { rows, y, unlabeled, ...(groups ? { groups } : {}), ...(coTargets?.length ? { coTargets } : {}), settings, folds: options.folds, seed: options.seed, ngramKeep: options.ngramKeep };
  // The leaderboard and the honest estimate (none when a class is too small to cross-validate).
  const canEstimate = usableFolds(y, options.folds, classes, groups) >= 2;
  if (!canEstimate) reporter.event('estimate skipped', { reason: 'a class has fewer than 2 labeled documents (or there are fewer than 2 groups)' });
  const budgetSeconds = opts.budgetSeconds ?? defaultBudgetSeconds(stats.documents);
  const ratingCv: RatingCrossValidation | null =
    ratings && ratingFit && rows.length >= 2 * options.folds ? crossValidateRating(candidates[0], first, { ...plan, rating: ratingFit }, ratings.values, cvProgress(reporter, options.folds)) : null;
  const outcome = canEstimate && !ratingFit
    ? await successiveHalving({ ...plan, candidates, corpusFor, classes, budgetSeconds, reporter })
    : null;
  return { budgetSeconds, ratingCv, outcome, winner: outcome?.winner ?? candidates[0] };
}

/** A target's blueprint as chooseBlueprint chose it. */
export type ChosenBlueprint = Awaited<ReturnType<typeof chooseBlueprint>>;

/** A model of several targets' word vectors for one target's final fit (train-targets.ts). */
export interface TargetVectors {
  /** The other targets: the final fit's word vectors carry their sentiment terms too. */
  coTargets?: readonly CoTarget[];
  /** Word vectors already fitted with every target's term (the shared fit), and this target's place among them. */
  shared?: { vectors: SentimentVectors; target: number };
  /** The targets whose sentiment terms the word vectors carry, in the order of their ψ's (the model's info). */
  names?: readonly string[];
}

/** Step 3: the winner refitted on every labeled document, calibrated, as a SentimentModel (and the word vectors it used). */
export async function finishTarget(run: TargetRun, chosen: ChosenBlueprint, given: TargetVectors = {}): Promise<{ model: SentimentModel; vectors: SentimentVectors }> {
  const { started, reporter, target, opts, source, candidates, select, options, corpusFor, stats, labels, names, rows, unlabeled, classes, y, groups, task, ratings, ratingFit, settings } = run;
  const { budgetSeconds, ratingCv, outcome, winner } = chosen;
  const corpus = await corpusFor(winner.tokenizer);
  const winnerTokenizer = new Tokenizer(winner.tokenizer);
  options.tokenizer = winnerTokenizer.mode;

  const fitStart = performance.now();
  // Vectors the winner does not read are only shown: they get what the budget has left (cost-model.ts), up to their share.
  const left = Math.min(budgetSeconds - (outcome?.leaderboard.projectedSeconds ?? 0), BUDGET.shownVectorsShare * budgetSeconds);
  const shownVectors = shownVectorFit(left, rows.length + unlabeled.length, { vocabularySize: corpus.vocabulary.size, settings });
  // k > 2 classes: the final fit takes the C its estimate's folds chose (each by its own inner CV on its
  // training part) instead of searching again on all rows; the multinomial search on all rows was a sixth
  // of the default train on airline tweets. Two labels keep their own search (the binary figures stand on it).
  const foldCs = classes > 2 && !ratingFit && settings.C === null && outcome ? outcome.final.cv.C : null;
  const finalSettings = foldCs ? { ...settings, C: middleValue(foldCs) } : settings;
  const finalReq: FitRequest = { corpus, rows, y, unlabeled, ...(groups ? { groups } : {}), settings: finalSettings, needVectors: true, shownVectors, reporter, rating: ratingFit, ...(given.coTargets?.length ? { coTargets: given.coTargets } : {}), ...(given.shared ? { vectors: given.shared.vectors } : {}) };
  const full = fitBlueprint(winner, finalReq);
  // N-gram blueprints: pruned to the fraction the estimate's folds chose (or the one given), refitted on what it kept.
  const keptChoice = full.ngrams && !ratingFit ? (outcome?.final.cv.ngramKeep ?? givenKeep(options.ngramKeep ?? [])) : null;
  const fitted = keptChoice ? keepNgrams(winner, finalReq, full, keptChoice.fraction) : full;
  const pruning: NgramPruningInfo | null = keptChoice && full.ngrams ? { ...keptChoice, ngrams: fitted.ngrams?.table.size ?? 0, of: full.ngrams.table.size } : null;
  if (pruning) reporter.event('n-gram pruning', { fraction: pruning.fraction, ngrams: pruning.ngrams, of: pruning.of, curve: pruning.curve });
  const vectors = fitted.vectors;
  if (!vectors) throw new Error('the final fit has no word vectors');
  options.sentimentWeight = fitted.sentimentWeight;
  // Platt's σ(a·score + b) folded into the linear head: the model's score is the calibrated log-odds, and every word's share scales with it.
  // (k > 2 classes: the temperature a, b = 0, folded into every head and intercept; the most probable class is unchanged.)
  const platt = outcome && !ratingFit ? { a: outcome.final.calibration.a, b: classes === 2 ? outcome.final.calibration.b : 0 } : { a: 1, b: 0 };
  const weightsVectors = vectors ? fitted.weightsVectors.map((w) => w * platt.a) : new Float64Array(0);
  const weightsWords = fitted.weightsWords.map((w) => w * platt.a);
  const weightsNgrams = fitted.weightsNgrams.map((w) => w * platt.a);
  const intercept = fitted.intercept * platt.a + platt.b;
  const trainScores = fitted.scores(rows);
  // A rating head's scores are predicted ratings: its training accuracy is the share predicted exactly.
  const trainingAccuracy = ratings
    ? trainScores.reduce((hits, r, i) => hits + (r === ratings.values[i] ? 1 : 0), 0) / rows.length
    : accuracy(y, classes > 2 ? argmaxRows(trainScores, classes) : Uint8Array.from(trainScores, (s) => (s * platt.a + platt.b > 0 ? 1 : 0)));
  const classifierSeconds = (performance.now() - fitStart) / 1000;
  const crossValidation: CrossValidationInfo | null = foldCs
    ? { folds: foldCs.length, scores: [], accuracy: NaN, foldChoices: foldCs, note: `C is the middle of the ${foldCs.length} values the estimate's folds chose, each by an inner CV on its own training part; the honest accuracy is info.estimate` }
    : fitted.cScores.length > 0
      ? {
          folds: fitted.cFolds,
          scores: fitted.cScores,
          accuracy: fitted.cScores.find((s) => s.C === fitted.C)?.accuracy ?? NaN,
          note: 'these scores only choose C for the final fit (its word vectors saw every training document); the honest accuracy is info.estimate',
        }
      : null;
  const winnerEntry = outcome?.leaderboard.entries.find((e) => e.blueprint === winner.id);

  const info: ModelInfo = {
    formatVersion: MODEL_FORMAT_VERSION,
    sentivecVersion: SENTIVEC_VERSION,
    created: createdDate(),
    target: { kind: target.kind, labels, positiveRule: corpus.positiveRule, ...(target.kind === 'rating' ? { scale: { min: target.min, max: target.max }, ...(task !== 'binary' ? { task: task ?? undefined } : {}) } : {}) },
    input: { path: source.name, ...opts.input, unlabeled: (opts.unlabeled ?? []).map((u) => u.name) },
    options,
    data: {
      documents: stats.documents,
      labeled: stats.labeled,
      unlabeled: stats.unlabeled,
      perClass: Object.fromEntries(labels.map((l, c) => [l, stats.perClass[c]])),
      middleRatings: stats.middleRatings,
      tokens: corpus.stats.tokens,
      distinctTokens: corpus.stats.distinctTokens,
      minCount: corpus.stats.minCount,
      vocabularySize: corpus.vocabulary.size,
      skipTop: corpus.stats.skipTop,
      emptyDocuments: corpus.stats.emptyDocuments,
      ...(corpus.example === null ? {} : { example: corpus.example }),
    },
    estimate: outcome?.final.estimate ?? null,
    blueprint: { id: winner.id, description: winner.description },
    calibration: outcome?.final.calibration ?? null,
    leaderboard: outcome && candidates.length > 1 ? outcome.leaderboard : null,
    learningCurve: winnerEntry && candidates.length > 1 ? learningCurve(winnerEntry) : null,
    vectors: { epochs: vectors.epochs, converged: vectors.converged, objective: vectors.objectiveTrace, seconds: classifierSeconds, ...(given.names ? { targets: [...given.names] } : {}) },
    classifier: { kind: ratings ? (ratings.task === 'regression' ? 'ridge-regression' : 'ordinal-regression') : classes > 2 ? (winner.nb ? 'one-vs-rest-logistic-regression' : 'multinomial-logistic-regression') : 'logistic-regression', C: fitted.C, crossValidation, trainingAccuracy, seconds: classifierSeconds },
    ...(ratings && fitted.rating ? { rating: { task: ratings.task, penalty: fitted.rating.penalty, scores: fitted.rating.scores, folds: fitted.rating.folds, levels: ratings.levels, estimate: ratingCv?.estimate ?? null } } : {}),
    // With --select, what the final fit kept and the χ² ranking of the words on all training rows (info, GET /v1/features).
    ...(select ? { selection: { kept: fitted.selection, ranking: trainingRanking(vectorsWithBnc(corpus.docs, { dim: 0, vocabSize: corpus.vocabulary.size, data: new Float32Array(0) }, rows), y, corpus.vocabulary.words, labels, STORED_RANKING_TOP) } } : {}),
    // N-gram blueprints: how the n-gram terms were cut (ngram-terms.ts).
    ...(fitted.ngrams ? { ngrams: { order: fitted.ngrams.table.order, minDf: fitted.ngrams.minDf, maxNgrams: fitted.ngrams.maxNgrams, documents: fitted.ngrams.documents, counted: fitted.ngrams.stats.counted, kept: fitted.ngrams.stats.kept, ...(pruning ? { pruning } : {}) } } : {}),
    seconds: (performance.now() - started) / 1000,
  };
  // This target's ψ and b's: all of them for vectors of one target, its own rows of a fit with several (embeddings/targets.ts).
  const own = vectors.effectiveSentimentWeight > 0 ? (vectors.targets.length > 1 ? vectors.target(given.shared?.target ?? 0) : { psi: vectors.psi, bcs: vectors.bcs }) : null;
  const model = new SentimentModel({
    words: corpus.vocabulary.words,
    vectors: vectors.R,
    psi: own ? Float32Array.from(own.psi) : undefined,
    bc: own ? own.bcs[0] : vectors.bc,
    ...(classes > 2 ? { intercepts: Array.from(fitted.intercepts, (b) => b * platt.a), ...(own ? { bcs: [...own.bcs] } : {}) } : {}),
    tokenizer: winnerTokenizer.settings,
    labels,
    ...(names ? { names } : {}),
    weightsVectors,
    weightsWords,
    ...(fitted.ngrams ? { ngrams: fitted.ngrams.table, weightsNgrams } : {}),
    intercept,
    frequencies: corpus.frequencies,
    ...(target.kind === 'rating' && task !== 'binary' ? { rating: readoutParts(task ?? 'binary', target, labels, fitted.rating?.thresholds ?? [], ratings?.levels, ratingCv) } : {}),
    info,
  });
  return { model, vectors };
}

/** Without an estimate (too few documents to cross-validate): one fraction given is used, a grid keeps every n-gram. */
function givenKeep(grid: readonly number[]): NgramKeepChoice {
  return grid.length === 1 ? { fraction: grid[0], curve: [], rule: 'given (--ngram-keep)' } : { fraction: 1, curve: [], rule: 'all kept: too few documents to cross-validate the fraction' };
}

/** The middle of the sorted values (the lower of the two middle ones for an even count: the smaller C of a tie). */
function middleValue(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** How the model reads its score as a rating (rating-readout.ts). */
function readoutParts(task: string, scale: { min: number; max: number }, labels: readonly string[], thresholds: number[], levels: number[] | undefined, cv: RatingCrossValidation | null): RatingReadoutParts {
  const kind = task === 'regression' || task === 'ordinal' ? task : 'classes';
  return { task: kind, min: scale.min, max: scale.max, levels: levels ?? labels.map(Number), thresholds, sigma: cv?.estimate.rmse ?? 1 };
}

/** Progress of a plain cross-validation (the rating models'), one tick per fold. */
function cvProgress(reporter: Reporter, folds: number): (done: number) => void {
  const task = reporter.task('cross-validation', folds);
  return (done) => (done === folds ? task.end() : task.tick(done));
}

function createdDate(): string {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return (Number.isFinite(epoch) && process.env.SOURCE_DATE_EPOCH !== '' ? new Date(epoch * 1000) : new Date()).toISOString();
}
