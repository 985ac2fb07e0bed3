/**
 * A blueprint is one complete recipe from tokenized text to scores: which
 * text options, which representation, which classifier. `fit` sees only the
 * rows it is given, and every step that reads a label (the word vectors'
 * sentiment term, C) happens inside it, so cross-validating a blueprint
 * (cross-validate.ts) refits all of them inside each fold.
 *
 * The blueprints here all end in the product model's head, a logistic
 * regression on [cosine-normalised R v ; bnc v] with some blocks switched
 * off, so any winner is a SentimentModel. In the n-gram blueprints v is a
 * bag of terms, words and word n-grams (ngram-terms.ts).
 */
import type { CsrMatrix } from '../../features/csr.js';
import { vectorsWithBnc } from '../../features/document-features.js';
import { NbRatios } from '../../features/nb-ratios.js';
import type { WordMatrix } from '../../features/word-matrix.js';
import { selectDocs } from '../../text/documents.js';
import type { RecordCorpus } from '../../text/record-corpus.js';
import type { TokenizerOptions } from '../../text/tokenizer.js';
import { SentivecError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { silentReporter, type Reporter } from '../../util/log.js';
import { chooseLogisticC, type CScore, type KClassFit, type KClassModel, type SplitTransform } from '../classifiers/choose-c.js';
import { groupCount } from '../classifiers/folds.js';
import { LogisticRegression } from '../classifiers/logistic.js';
import { NB_LOGISTIC_OPTIONS } from '../classifiers/nbsvm.js';
import { fixedDefault } from '../../util/options.js';
import { CROSS_VALIDATION_OPTIONS } from '../classifiers/cross-validation-options.js';
import { linearScores } from '../classifiers/linear-base.js';
import { MultinomialLogisticRegression, multiScores } from '../classifiers/multinomial.js';
import { NbOneVsRest } from '../classifiers/nb-one-vs-rest.js';
import { SentimentVectors } from '../embeddings/sentiment-vectors.js';
import type { SentimentSupervision } from '../embeddings/data.js';
import { withCoTargets, type CoTarget } from './co-targets.js';
import { keepColumns } from '../../features/selection/feature-selector.js';
import { selectColumns, selectSpecText, type SelectionSummary, type SelectSpec } from './feature-selection.js';
import type { NgramTable } from '../../features/ngram-table.js';
import { ngramTermsFor, type NgramTerms, type NgramTermSettings } from './ngram-terms.js';
import { ratingsOf } from './rating-values.js';
import { fitRatingHead, type RatingHead, type ScoreTask } from '../classifiers/rating-head.js';

/** The training options every blueprint reads (a subset of TrainingOptionsInfo). */
export interface BlueprintSettings {
  dim: number;
  epochs: number;
  lambda: number;
  nu: number;
  /** null: labeled training documents / 2, recomputed for each fold's rows. */
  sentimentWeight: number | null;
  /** Fixed C, or null to choose it by an inner CV over cGrid. */
  C: number | null;
  cGrid: readonly number[];
  /** Folds of the inner CV that chooses C. */
  innerFolds: number;
  seed: number;
  threads: number;
  /** The n-gram blueprints' floor and cap (default NGRAM_TERM_OPTIONS). */
  ngrams?: NgramTermSettings;
}

export interface FitRequest {
  corpus: RecordCorpus;
  /** Labeled documents to learn from (ids into corpus.docs), and their classes (0/1, or 0..k−1 when corpus.labels has k > 2). */
  rows: Int32Array;
  y: Uint8Array;
  /** Text-only documents for the word vectors' semantic term. */
  unlabeled: Int32Array;
  /** Group id per row (e.g. the movie of a review): the inner CVs keep each group in one fold. Absent: ungrouped. */
  groups?: Int32Array;
  settings: BlueprintSettings;
  /** Fit word vectors even when the classifier does not use them (the product model shows them). */
  needVectors?: boolean;
  /** Epochs and documents (a seeded subsample) of those shown-only vectors (default: all): train gives them what its budget leaves. */
  shownVectors?: { epochs: number; documents: number };
  /**
   * A rating model (train --task regression | ordinal): the head predicts each
   * row's rating (read from corpus.targets, a rating rescaled to [0, 1]) instead
   * of classifying y; y (above the middle of the scale) still serves the
   * naive-Bayes ratios and feature selection.
   */
  rating?: RatingFit;
  /**
   * The other targets of a model of several targets (train --target): the word
   * vectors' sentiment term gets one term per target, each with its own ψ
   * (embeddings/targets.ts). Only the documents of this fit are read, so a
   * cross-validation fold never reads any target's label of its held-out rows.
   */
  coTargets?: readonly CoTarget[];
  /** Word vectors already fitted (a model of several targets: the one shared fit), used as they are. */
  vectors?: SentimentVectors;
  /** N-gram blueprints: these n-grams instead of the corpus's table (a fit refitted on the n-grams pruning kept, ngram-keep.ts). */
  ngramTable?: NgramTable;
  reporter?: Reporter;
}

export interface RatingFit {
  task: ScoreTask;
  /** The rating values of the labeled documents, ascending. */
  levels: readonly number[];
  min: number;
  max: number;
  /** Candidate penalties (ridge α / ordinal C), or a fixed one. */
  grid: readonly number[];
  penalty: number | null;
}

export interface FittedBlueprint {
  /** Word vectors (empty, dim 0, when the blueprint does not use them and they were not asked for). */
  vectors: SentimentVectors | null;
  /**
   * Linear heads: 1 for two labels (the binary logistic regression), k for
   * k > 2 classes (the multinomial one, a score per class).
   */
  heads: number;
  /** Classifier weights on the R v block (β zeros when unused) and the bnc block, heads × β and heads × |V|, head-major; intercepts. */
  weightsVectors: Float64Array;
  weightsWords: Float64Array;
  /** The n-gram terms (null for a words-only blueprint) and their weights, heads × n-grams, head-major. */
  ngrams: NgramTerms | null;
  weightsNgrams: Float64Array;
  intercepts: Float64Array;
  /** intercepts[0]: the binary head's. */
  intercept: number;
  C: number;
  /** Inner-CV scores per C (empty when C was fixed). */
  cScores: CScore[];
  cFolds: number;
  sentimentWeight: number;
  /** What the feature selection kept (null without one). */
  selection: SelectionSummary | null;
  /** A rating model's head (its penalty search, thresholds); null for a classifier. */
  rating: RatingHead | null;
  /** Decision values of documents (ids into corpus.docs): one per document, or documents × heads row-major; a rating model: the predicted ratings. */
  scores(docs: Int32Array): Float64Array;
}

export interface Blueprint {
  id: string;
  description: string;
  /** Text options (the tokenizer and its switches). */
  tokenizer: TokenizerOptions;
  /** Differs from another blueprint only in its text options (dropped when the user fixes them). */
  textVariant: boolean;
  /** The classifier sees the word-vector block. */
  usesVectors: boolean;
  /** The word vectors' sentiment term is on (it reads labels). */
  sentiment: boolean;
  /** Words the classifier may use, selected on the fit's own rows (train --select); absent: all. */
  select?: SelectSpec;
  /**
   * The bag's words scaled by their naive-Bayes log-count ratios r_j, fitted
   * on the fit's own rows (NB logistic regression, Wang & Manning 2012). The
   * scale folds into the word weights (w_j r_j), so the model scores as before.
   * k > 2 classes: one-vs-rest, class c's head on the bag scaled by r_c (nb-one-vs-rest.ts).
   */
  nb?: boolean;
  /** Longest word n-gram in the bag: 2 (uni+bigrams) or 3 (uni+bi+trigrams); absent: words only. */
  ngrams?: 2 | 3;
}

/** `bp` with its words selected by `spec` inside every fit (its id says so: `bnc+chi2:500`). */
export function withSelection(bp: Blueprint, spec: SelectSpec): Blueprint {
  const text = selectSpecText(spec);
  return { ...bp, id: `${bp.id}+${text}`, description: `${bp.description}; words selected by ${text} on each fit's own training rows`, select: spec };
}

const PRODUCT_TEXT: TokenizerOptions = { mode: 'product' };
/** Logistic regression on an NB-scaled bag: a linear model like NBSVM's, whose scores are log-odds (calibrated out of fold, like every product model). */
const NB_LR = 'scaled by naive-Bayes log-count ratios (NBSVM features, Wang & Manning 2012), logistic regression so the probabilities are calibrated';

export const BLUEPRINTS: readonly Blueprint[] = [
  { id: 'vectors-bnc', description: "the paper's best: word vectors (semantic + sentiment) and the bnc bag of words, logistic regression", tokenizer: PRODUCT_TEXT, textVariant: false, usesVectors: true, sentiment: true },
  { id: 'vectors-semantic-bnc', description: 'word vectors without the sentiment term, and the bnc bag of words, logistic regression', tokenizer: PRODUCT_TEXT, textVariant: false, usesVectors: true, sentiment: false },
  { id: 'bnc', description: 'the bnc bag of words alone, logistic regression', tokenizer: PRODUCT_TEXT, textVariant: false, usesVectors: false, sentiment: true },
  { id: 'vectors-bnc-negation', description: "the paper's best with negation scope marked (not_ on words after a negator)", tokenizer: { mode: 'product', negation: true }, textVariant: true, usesVectors: true, sentiment: true },
  { id: 'vectors-bnc-paper', description: "the paper's best on the paper's tokenizer", tokenizer: { mode: 'paper' }, textVariant: true, usesVectors: true, sentiment: true },
  { id: 'vectors-nb-bnc', description: `word vectors (semantic + sentiment) and the bnc bag of words ${NB_LR}`, tokenizer: PRODUCT_TEXT, textVariant: false, usesVectors: true, sentiment: true, nb: true },
  { id: 'nbsvm-uni', description: `the bnc bag of words ${NB_LR}`, tokenizer: PRODUCT_TEXT, textVariant: false, usesVectors: false, sentiment: true, nb: true },
  { id: 'nbsvm-bi', description: `the bnc bag of words and word bigrams ${NB_LR}`, tokenizer: PRODUCT_TEXT, textVariant: false, usesVectors: false, sentiment: true, nb: true, ngrams: 2 },
  { id: 'nbsvm-tri', description: `the bnc bag of words, bigrams and trigrams ${NB_LR}`, tokenizer: PRODUCT_TEXT, textVariant: false, usesVectors: false, sentiment: true, nb: true, ngrams: 3 },
  { id: 'vectors-nbsvm', description: `word vectors (semantic + sentiment) and the bnc bag of words and bigrams ${NB_LR}`, tokenizer: PRODUCT_TEXT, textVariant: false, usesVectors: true, sentiment: true, nb: true, ngrams: 2 },
  // Chinese, Japanese, Thai…: character unigrams and bigrams as the words, their bigrams as the n-grams (equal to nbsvm-bi on text with spaces).
  { id: 'nbsvm-bi-chars', description: `nbsvm-bi with scripts written without spaces cut into character unigrams and bigrams (--segment chars): the bag of those and their bigrams ${NB_LR}`, tokenizer: { mode: 'product', segment: 'chars' }, textVariant: true, usesVectors: false, sentiment: true, nb: true, ngrams: 2 },
];

/** Former ids still accepted by train --blueprint (nb-bnc was nbsvm-uni's name). */
const BLUEPRINT_ALIASES: Readonly<Record<string, string>> = { 'nb-bnc': 'nbsvm-uni' };

/** Every id train --blueprint accepts. */
export const BLUEPRINT_IDS: readonly string[] = [...BLUEPRINTS.map((b) => b.id), ...Object.keys(BLUEPRINT_ALIASES)];

export const DEFAULT_BLUEPRINT = 'vectors-bnc';

/** Stopping tolerance of the product's logistic-regression heads (binary, and each one-vs-rest NB head for k > 2). */
const HEAD_TOL = 0.01;
/**
 * Stopping tolerance of the k > 2 one-vs-rest heads' fits inside the C search: LIBLINEAR's default for
 * its dual solvers, as the binary search's fits use (choose-c.ts). They only rank C values: on airline
 * tweets the same C wins with 43% fewer solver passes than at HEAD_TOL.
 */
const SEARCH_TOL = 0.1;

export function blueprintById(id: string): Blueprint {
  const b = BLUEPRINTS.find((x) => x.id === (BLUEPRINT_ALIASES[id] ?? id));
  if (!b) throw new SentivecError(`unknown blueprint '${id}' (known: ${BLUEPRINTS.map((x) => x.id).join(', ')})`);
  return b;
}

/** Classes of a corpus's labeled documents: k for k > 2 labels, 2 for two labels or a rating. */
export function classCount(corpus: RecordCorpus): number {
  return corpus.labels.length > 2 ? corpus.labels.length : 2;
}

export function fitBlueprint(bp: Blueprint, req: FitRequest): FittedBlueprint {
  const { corpus, rows, y, settings } = req;
  const reporter = req.reporter ?? silentReporter;
  const k = classCount(corpus);
  // |S_c| for balanced classes: labeled documents / k.
  const sentimentWeight = settings.sentimentWeight ?? rows.length / k;
  const vectors = req.vectors ?? (bp.usesVectors || req.needVectors ? fitVectors(bp, req, sentimentWeight, reporter) : null);
  const dim = settings.dim;
  const V = corpus.vocabulary.size;
  const R: WordMatrix = bp.usesVectors && vectors ? vectors.R : { dim: 0, vocabSize: V, data: new Float32Array(0) };
  // Which n-grams are columns reads no label: built once per corpus (ngram-terms.ts).
  const cut = bp.ngrams ? ngramTermsFor(corpus, bp.ngrams, settings.ngrams) : null;
  const ngrams = cut && req.ngramTable ? { ...cut, table: req.ngramTable } : cut;
  const table: NgramTable | undefined = ngrams?.table;
  const all = vectorsWithBnc(corpus.docs, R, rows, table);
  // NB ratios read labels: fitted on these rows only. Entries before R.dim (the vector block) are not used.
  const nbAlpha = fixedDefault(NB_LOGISTIC_OPTIONS.alpha, 'product');
  // k > 2 classes: one-vs-rest, class c's head on the bag scaled by r_c (nb-one-vs-rest.ts), ratios refitted in every fit.
  const nbHeads = (tol: number) => (C: number, xTr: CsrMatrix, yTr: Uint8Array, warm?: KClassModel): NbOneVsRest => new NbOneVsRest({ C, alpha: nbAlpha, from: R.dim, tol, seed: settings.seed }).fit(xTr, yTr, k, warm instanceof NbOneVsRest ? warm : undefined);
  const nbClasses = bp.nb && k > 2 && !req.rating ? nbHeads(HEAD_TOL) : null;
  const r = bp.nb && !nbClasses ? NbRatios.fit(all, y, { alpha: nbAlpha }).ratios(1) : null;
  // The inner CV that chooses C refits the ratios on each split's own training rows (from the unscaled rows):
  // ratios fitted on all these rows read its held-out labels (on 1,024 IMDb reviews: inner accuracy 92.7% and C = 300,
  // against 82.5% and C = 10 refitted, with a quarter of the solver passes).
  const nbInner = r && !bp.select && !req.rating ? { X: { ...all, data: all.data.slice() }, transform: nbSplitTransform(R.dim, nbAlpha) } : null;
  if (r) scaleColumnsFrom(all, r, R.dim);
  // Selection reads labels: it sees these rows only, like everything else in a fit.
  const selected = bp.select ? selectColumns(all, y, R.dim, bp.select, { classes: k, C: settings.C ?? 1, folds: innerFolds(y, k, settings, req.groups), seed: settings.seed, groups: req.groups }) : null;
  const X = selected ? keepColumns(all, selected.position, all.cols) : all;
  const rating = req.rating ? fitRatingHead(X, { ...req.rating, values: ratingsOf(corpus, rows, req.rating).values }, { grid: req.rating.grid, penalty: req.rating.penalty, folds: settings.innerFolds, seed: settings.seed }) : null;
  const { C, cScores, cFolds, models: searched } = rating ? { C: rating.penalty, cScores: [], cFolds: rating.folds, models: undefined } : nbInner ? chooseC(nbInner.X, y, k, settings, req.groups, { splitTransform: nbInner.transform }) : chooseC(X, y, k, settings, req.groups, nbClasses ? { kClassFit: nbHeads(SEARCH_TOL) } : {});
  let coef: Float64Array;
  let intercepts: Float64Array;
  if (rating) {
    coef = rating.coef.slice();
    intercepts = Float64Array.of(rating.intercept);
  } else if (nbClasses) {
    // Already on the unscaled columns (w_cj r_cj).
    const ovr = nbClasses(C, X, y);
    coef = ovr.coef;
    intercepts = ovr.intercepts;
  } else if (k > 2) {
    // Started from the mean of the C search's split fits at this C: the same optimum, reached in fewer iterations.
    const lr = new MultinomialLogisticRegression({ C }).fit(X, y, k, MultinomialLogisticRegression.mean(searched ?? [], C));
    coef = lr.coef;
    intercepts = lr.intercepts;
  } else {
    const lr = new LogisticRegression({ C, tol: HEAD_TOL, seed: settings.seed }).fit(X, y);
    coef = lr.coef.slice();
    intercepts = Float64Array.of(lr.intercept);
  }
  // The weights on the unscaled features: w_j r_j for the words.
  if (r && k === 2) for (let j = R.dim; j < coef.length; j++) coef[j] *= r[j];
  const heads = intercepts.length;
  const G = table?.size ?? 0;
  const F = R.dim + V + G;
  const weightsVectors = new Float64Array(heads * dim);
  const weightsWords = new Float64Array(heads * V);
  const weightsNgrams = new Float64Array(heads * G);
  for (let h = 0; h < heads; h++) {
    if (R.dim > 0) weightsVectors.set(coef.subarray(h * F, h * F + dim), h * dim);
    weightsWords.set(coef.subarray(h * F + R.dim, h * F + R.dim + V), h * V);
    weightsNgrams.set(coef.subarray(h * F + R.dim + V, (h + 1) * F), h * G);
  }
  return {
    vectors,
    heads,
    weightsVectors,
    weightsWords,
    ngrams,
    weightsNgrams,
    intercepts,
    intercept: intercepts[0],
    C,
    cScores,
    cFolds,
    sentimentWeight,
    selection: selected?.summary ?? null,
    rating,
    // Dropped words have weight 0: the full rows score the same as the selected ones.
    scores: (docs) => {
      const Xd = vectorsWithBnc(corpus.docs, R, docs, table);
      if (rating) return rating.predict(r ? scaledFrom(Xd, r, R.dim) : Xd);
      return heads === 1 ? linearScores(Xd, coef, intercepts[0]) : multiScores(Xd, coef, intercepts);
    },
  };
}

/** NB ratios fitted on a split's training rows, scaling copies of both parts' word columns (choose-c.ts). */
function nbSplitTransform(from: number, alpha: number): SplitTransform {
  return (xTrain, yTrain) => {
    const ratios = NbRatios.fit(xTrain, yTrain, { alpha }).ratios(1);
    return (x) => {
      const scaled = { ...x, data: x.data.slice() };
      scaleColumnsFrom(scaled, ratios, from);
      return scaled;
    };
  };
}

/** X with every entry in a column c ≥ from multiplied by scale[c] (in place). */
function scaledFrom(X: CsrMatrix, scale: Float64Array, from: number): CsrMatrix {
  scaleColumnsFrom(X, scale, from);
  return X;
}

/** Multiplies, in place, every entry of X in a column c ≥ from by scale[c]. */
function scaleColumnsFrom(X: CsrMatrix, scale: Float64Array, from: number): void {
  for (let p = 0; p < X.indptr[X.rows]; p++) if (X.indices[p] >= from) X.data[p] *= scale[X.indices[p]];
}

/** The word vectors on the given labeled rows plus the text-only documents; the empty documents are left out. */
function fitVectors(bp: Blueprint, req: FitRequest, sentimentWeight: number, reporter: Reporter): SentimentVectors {
  const { corpus, rows, unlabeled, settings } = req;
  const { docs, targets } = corpus;
  const k = classCount(corpus);
  const keep: number[] = [];
  for (const d of rows) if (docs.offsets[d + 1] > docs.offsets[d]) keep.push(d);
  if (keep.length === 0) throw new SentivecError('none of the labeled documents contains a vocabulary word (lower --min-count or --skip-top, or check the text column)');
  // keep[0, labeled) are labeled rows, the rest text-only documents.
  let labeled = keep.length;
  for (const d of unlabeled) if (docs.offsets[d + 1] > docs.offsets[d]) keep.push(d);
  // Vectors the classifier does not read are only shown (neighbors, explain): they get the epochs and documents the caller can afford.
  const shown = bp.usesVectors ? undefined : req.shownVectors;
  const epochs = Math.min(settings.epochs, shown?.epochs ?? settings.epochs);
  if (shown && shown.documents < keep.length) {
    const order = new Rng(settings.seed).shuffle(Int32Array.from(keep.keys())).subarray(0, shown.documents).sort();
    const wasLabeled = labeled;
    labeled = order.filter((i) => i < wasLabeled).length;
    // Ascending, so keep[i] for i ≥ j is still unread when written to position j.
    order.forEach((i, j) => {
      keep[j] = keep[i];
    });
    keep.length = order.length;
  }
  const soft = keep.map((d, i) => (i < labeled ? targets[d] : NaN));
  const own: SentimentSupervision = k > 2 ? { classes: soft, k } : { soft: Float64Array.from(soft) };
  const task = reporter.task('word vectors', epochs);
  const model = new SentimentVectors({
    dim: settings.dim,
    lambda: settings.lambda,
    nu: settings.nu,
    sentimentWeight: bp.sentiment ? sentimentWeight : 0,
    maxEpochs: epochs,
    seed: settings.seed,
    threads: settings.threads,
    // Epoch 0 is the random start: no progress yet (a bar would show an infinite ETA).
    onEpoch: (e) => {
      if (e.epoch > 0) task.tick(e.epoch, { objective: e.objective });
    },
  }).fit(selectDocs(docs, keep), bp.sentiment && req.coTargets?.length ? withCoTargets(own, keep, req.coTargets, settings.sentimentWeight === null ? sentimentWeight : null) : own, corpus.vocabulary.size);
  task.end({ epochs: model.epochs, converged: model.converged });
  return model;
}

/** From this many labeled rows a fit's inner C search uses at most largeInnerFolds folds (CROSS_VALIDATION_OPTIONS). */
const LARGE_FIT_ROWS = 10_000;

/** C by an inner stratified (group) CV on these rows only; folds at most the smallest class's size; a fixed C skips it. */
function chooseC(X: CsrMatrix, y: Uint8Array, classes: number, settings: BlueprintSettings, groups: Int32Array | undefined, how: { splitTransform?: SplitTransform; kClassFit?: KClassFit } = {}): { C: number; cScores: CScore[]; cFolds: number; models?: KClassModel[] } {
  if (settings.C !== null) return { C: settings.C, cScores: [], cFolds: 0 };
  const folds = Math.min(
    innerFolds(y, classes, settings, groups),
    classes > 2 ? fixedDefault(CROSS_VALIDATION_OPTIONS.classesInnerFolds, 'product') : Infinity,
    y.length >= LARGE_FIT_ROWS ? fixedDefault(CROSS_VALIDATION_OPTIONS.largeInnerFolds, 'product') : Infinity,
  );
  if (folds < 2) return { C: 1, cScores: [], cFolds: 0 };
  const { C, scores, models } = chooseLogisticC(X, y, { grid: settings.cGrid, folds, seed: settings.seed, classes, groups, ...how });
  return { C, cScores: scores, cFolds: folds, ...(models ? { models } : {}) };
}

/** Folds of an inner cross-validation on these rows: at most the smallest class's size (and the number of groups). */
function innerFolds(y: Uint8Array, classes: number, settings: BlueprintSettings, groups: Int32Array | undefined): number {
  return Math.min(settings.innerFolds, smallestClass(y, classes), groups ? groupCount(groups) : Infinity);
}

/** Documents in the smallest of the classes 0..classes−1 (0 when one is absent). */
export function smallestClass(y: ArrayLike<number>, classes: number): number {
  const n = new Array<number>(classes).fill(0);
  for (let i = 0; i < y.length; i++) n[y[i]]++;
  return Math.min(...n);
}
