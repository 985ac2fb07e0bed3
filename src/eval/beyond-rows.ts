/**
 * The rows beyond the paper (issue #11), run by `sentivec reproduce` and
 * `sentivec cv` like the paper's rows: every choice (α, C, β, stacking
 * weights) is made by cross-validation on the training rows, and the model
 * is scored once on the test rows.
 *
 * - nbsvm-uni/bi/tri: NBSVM on hashed binary n-grams.
 * - nbsvm-pp: NB-weighted logistic regression whose NB weights keep
 *   training ("NBSVM++", models/classifiers/nb-trainable.ts) on the same
 *   trigrams; learning rate and epochs by CV.
 * - vectors-nbsvm: the same NBSVM on [z | n-grams], z the paper's document
 *   features from the full-unlabeled word vectors (concatenation).
 * - dv-ngrams: a linear SVM on document vectors that learned to predict each
 *   document's words and bigrams under cosine similarity (DV-ngrams-cosine,
 *   models/embeddings/doc-vectors.ts), learned on the labeled + unlabeled
 *   text; labeled and held-out documents' vectors are then inferred with the
 *   model frozen.
 * - ensemble: late fusion, a logistic regression stacked on the out-of-fold
 *   decision values of its members (stacking.ts): NBSVM-tri, NBSVM++,
 *   NBSVM-bi, Naive Bayes on the trigrams, and dv-ngrams.
 * On IMDb the n-grams come from the n-gram tokenizer (text/tokenized-corpus.ts
 * says why); in `sentivec cv` from the corpus's own tokenizer.
 * Fitted members are memoized per run, so `--rows nbsvm-tri,ensemble` fits
 * the trigram NBSVM once.
 */
import type { CsrMatrix } from '../features/csr.js';
import { denseToCsr, hstackDense } from '../features/matrix.js';
import { NgramHasher, compactColumns } from '../features/ngrams.js';
import { NgramTargets } from '../features/ngram-targets.js';
import { unitRows } from '../features/unit-rows.js';
import { concatDocs } from '../text/documents.js';
import { DocVectors } from '../models/embeddings/doc-vectors.js';
import { DocVectorJob } from '../models/embeddings/doc-vector-job.js';
import { NbSvm } from '../models/classifiers/nbsvm.js';
import { DEFAULT_NB_TRAINABLE_GRID, NbTrainable } from '../models/classifiers/nb-trainable.js';
import { gridCrossValidate } from '../models/classifiers/grid-cv.js';
import { DEFAULT_NBSVM_GRID, selectNbSvm, type NbSvmGrid, type NbSvmScore, type NbSvmSelection } from '../models/classifiers/nbsvm-selection.js';
import { accuracy, fixedFeatures, selectC, type CSelectionResult } from '../models/classifiers/model-selection.js';
import { outOfFoldDecisions } from '../models/classifiers/out-of-fold.js';
import { NaiveBayesScorer } from '../models/classifiers/naive-bayes.js';
import { Stacker } from '../models/classifiers/stacking.js';
import { LinearSVC } from '../models/classifiers/svm.js';
import { SentivecError } from '../util/errors.js';
import type { Experiment, ExperimentRun, RowResult, VectorKind } from './experiment.js';
import { ROWS, type BeyondRowId } from './rows.js';
import { documentVectors } from './vector-features.js';

/** Hash buckets per n-gram order: 2^20 holds IMDb's ~75k training unigrams with few collisions; 2^24 the ~5 M uni+bi+trigrams (BENCHMARKS.md #11). */
const NGRAM_BITS: Readonly<Record<1 | 2 | 3, number>> = { 1: 20, 2: 24, 3: 24 };

/** The memo key of the dv-ngrams worker job (docVectorJob). */
const DV_JOB = 'dv-ngrams:job';

/** The word vectors the vector rows reuse: the paper's best fit, with the unlabeled text. */
const VECTORS: VectorKind = 'full-unlabeled';

export function allTokens(run: ExperimentRun): NonNullable<Experiment['tokens']> {
  const t = run.experiment.tokens;
  if (!t) throw new SentivecError('the n-gram rows need every token of the corpus (load it with keepTokens)');
  return t;
}

/**
 * Binary hashed n-gram matrices of the labeled and held-out splits, built
 * once per order per run, their columns renumbered to the buckets train uses (`buckets[c]` is
 * column c's bucket): labels are not read, so CV folds may share them.
 */
export function ngramMatrices(run: ExperimentRun, order: 1 | 2 | 3): { hasher: NgramHasher; buckets: Int32Array; train: CsrMatrix; test: CsrMatrix } {
  return run.memo(`ngrams:${order}`, () => {
    const tokens = allTokens(run);
    const hashes = run.memo('token-hashes', () => NgramHasher.tokenHashes(tokens.words));
    const hasher = new NgramHasher({ order, bits: run.opts.ngramBits ?? NGRAM_BITS[order] });
    const task = run.reporter.task(`n-grams (order ${order})`, 1);
    const compact = compactColumns(hasher.transform(tokens.labeled, hashes), [hasher.transform(tokens.heldOut, hashes)]);
    const out = { hasher, buckets: compact.buckets, train: compact.train, test: compact.others[0] };
    task.end({ nnzTrain: out.train.indptr[out.train.rows], buckets: hasher.buckets, used: out.train.cols });
    return out;
  });
}

export function nbsvmGrid(run: ExperimentRun): NbSvmGrid {
  return run.opts.nbsvm ?? DEFAULT_NBSVM_GRID;
}

/** One member of the beyond rows: out-of-fold scores on train, scores on the held-out rows, and how it was chosen. */
interface MemberFit {
  oof: Float64Array;
  test: Float64Array;
  selection: CSelectionResult;
  choices: Record<string, number | string>;
  features: number;
}

/**
 * z standardized column by column over the labeled rows (no labels read):
 * each vector coordinate then has the spread of one binary n-gram feature,
 * so the SVM's one C regularizes both blocks alike.
 */
function standardizedVectors(run: ExperimentRun): { train: Float32Array; test: Float32Array; dim: number } {
  const tr = documentVectors(run, VECTORS, 'labeled');
  const te = documentVectors(run, VECTORS, 'heldOut');
  const dim = tr.dim;
  const n = tr.z.length / dim;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += tr.z[i * dim + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) sq[j] += (tr.z[i * dim + j] - mean[j]) ** 2 / n;
  const apply = (z: Float32Array): Float32Array => Float32Array.from(z, (v, k) => (sq[k % dim] > 0 ? (v - mean[k % dim]) / Math.sqrt(sq[k % dim]) : 0));
  return { train: apply(tr.z), test: apply(te.z), dim };
}

/** NBSVM on n-grams of `order`, after the standardized document vectors when `withVectors`. */
function nbsvmFit(run: ExperimentRun, id: BeyondRowId, order: 1 | 2 | 3, withVectors: boolean): MemberFit {
  return run.memo(`member:${id}`, () => {
    const ngrams = ngramMatrices(run, order);
    let train = ngrams.train;
    let test = ngrams.test;
    let raw = 0;
    if (withVectors) {
      const v = standardizedVectors(run);
      train = hstackDense(v.train, v.dim, ngrams.train);
      test = hstackDense(v.test, v.dim, ngrams.test);
      raw = v.dim;
    }
    const grid = nbsvmGrid(run);
    const fits = grid.alphas.length * (grid.minDfs?.length ?? 1) * (grid.losses?.length ?? 1) * (grid.biases?.length ?? 1) * grid.Cs.length;
    const task = run.reporter.task(`${id}: choose α, the n-grams' document-frequency floor, the loss, the intercept, C, β`, run.opts.folds * fits);
    // The folds use the second core unless the dv-ngrams worker (startBeyondWork) already does.
    const threads = run.memoized(DV_JOB) ? 1 : undefined;
    const sel: NbSvmSelection = selectNbSvm(train, run.yTrain, grid, { folds: run.opts.folds, seed: run.opts.seed, rawColumns: raw, groups: run.opts.groups, threads, onFit: (d) => task.tick(d) });
    const { alpha, minDf, loss, bias, C, beta } = sel;
    task.end({ alpha, minDf, loss, bias, C, beta });
    const model = new NbSvm({ alpha, minDf, loss, bias, C, beta, seed: run.opts.seed }).fit(train, run.yTrain, raw);
    const atChoice = (s: NbSvmScore): boolean => s.alpha === alpha && s.minDf === minDf && s.loss === loss && s.bias === bias && s.beta === beta;
    return {
      oof: sel.oof,
      test: model.decisionFunction(test),
      selection: { C, scores: sel.scores.filter(atChoice).map((s) => ({ C: s.C, accuracy: s.accuracy })) },
      choices: { order, hashBits: ngrams.hasher.bits, ...(withVectors ? { vectors: VECTORS } : {}), alpha, minDf, loss, bias, C, beta, cvAccuracy: sel.scores.find((s) => atChoice(s) && s.C === C)?.accuracy ?? Number.NaN },
      features: train.cols,
    };
  });
}

/**
 * NBSVM++ on the trigrams: every (learning rate, epochs) of the grid is its
 * own fit in each fold (the NB ratios it starts from refitted there too); the
 * best by pooled CV accuracy is refitted on all of train.
 */
function nbTrainableFit(run: ExperimentRun): MemberFit {
  return run.memo('member:nbsvm-pp', () => {
    const { train, test } = ngramMatrices(run, 3);
    const { folds, seed, groups } = run.opts;
    const grid = run.opts.nbTrainable ?? DEFAULT_NB_TRAINABLE_GRID;
    const points = grid.lrs.flatMap((lr) => grid.epochs.map((epochs) => ({ lr, epochs })));
    const task = run.reporter.task('nbsvm-pp: choose the learning rate and epochs', folds * points.length);
    let done = 0;
    const cv = gridCrossValidate(train, run.yTrain, points.length, { folds, seed, groups }, ({ xTrain, yTrain, xEval }) =>
      points.map((p) => {
        const d = new NbTrainable({ ...p, seed }).fit(xTrain, yTrain).decisionFunction(xEval);
        task.tick(++done);
        return d;
      }),
    );
    const chosen = points[cv.best];
    task.end({ ...chosen });
    return {
      oof: cv.oof[cv.best],
      test: new NbTrainable({ ...chosen, seed }).fit(train, run.yTrain).decisionFunction(test),
      // No C to report: every grid point's CV accuracy is in choices.
      selection: { C: Number.NaN, scores: [] },
      choices: { order: 3, alpha: 1, lr: chosen.lr, epochs: chosen.epochs, cvAccuracy: cv.accuracy[cv.best], ...Object.fromEntries(points.map((p, k) => [`cv:lr ${p.lr}, ${p.epochs} epochs`, cv.accuracy[k]])) },
      features: train.cols,
    };
  });
}

/** A linear SVM member on fixed features: C by CV on train, out-of-fold scores with the same folds, then the fit on all of train scores `test`. */
function svmMember(run: ExperimentRun, train: CsrMatrix, test: CsrMatrix, choices: Record<string, number | string>): MemberFit {
  const { seed, folds } = run.opts;
  const selection = selectC({ kind: 'linear-svc', options: { seed } }, train, run.yTrain, { grid: run.opts.cGrid, folds, seed });
  const make = (): LinearSVC => new LinearSVC({ C: selection.C, seed });
  return {
    oof: outOfFoldDecisions(make, fixedFeatures(train), run.yTrain, { folds, seed }),
    test: make().fit(train, run.yTrain).decisionFunction(test),
    selection,
    choices: { ...choices, C: selection.C, cvAccuracy: selection.scores.find((s) => s.C === selection.C)?.accuracy ?? Number.NaN },
    features: train.cols,
  };
}

/**
 * The dv-ngrams document vectors of this run, learning on a worker thread
 * (doc-vector-job.ts) from the moment this is first called: the targets are
 * counted here, the fit and the labeled vectors' inference run on the other
 * core, and the held-out vectors are inferred here beside the latter.
 */
function docVectorJob(run: ExperimentRun): { job: DocVectorJob; dim: number; order: number; epochs: number; inferEpochs: number; targets: number } {
  return run.memo(DV_JOB, () => {
    const tokens = allTokens(run);
    const hashes = run.memo('token-hashes', () => NgramHasher.tokenHashes(tokens.words));
    const options = { seed: run.opts.seed, ...run.opts.docVectors };
    const o = new DocVectors(options).options;
    const prep = run.reporter.task('dv-ngrams: targets', 1);
    const targets = NgramTargets.fit([tokens.labeled, tokens.unlabeled], hashes, { order: o.order, bits: o.bits, minCount: o.minCount });
    const labeled = targets.transform(tokens.labeled, hashes);
    const learn = concatDocs(labeled, targets.transform(tokens.unlabeled, hashes));
    const heldOut = targets.transform(tokens.heldOut, hashes);
    prep.end({ targets: targets.size, pairs: learn.offsets[learn.count] });
    const job = DocVectorJob.start(learn, targets.counts, labeled, heldOut, options);
    return { job, dim: o.dim, order: o.order, epochs: o.epochs, inferEpochs: o.inferEpochs, targets: targets.size };
  });
}

/**
 * Starts what the rows `ids` will need that can run beside the others: the
 * dv-ngrams document vectors (rows dv-ngrams and ensemble) learn on a second
 * thread while the n-gram rows fit on this one. Call before the first row.
 */
export function startBeyondWork(run: ExperimentRun, ids: readonly string[]): void {
  if (ids.includes('dv-ngrams') || ids.includes('ensemble')) docVectorJob(run);
}

/**
 * DV-ngrams-cosine document vectors under a linear SVM. The vectors read no
 * label: learned on the labeled + unlabeled text, held-out ones inferred
 * with the output vectors frozen; the SVM's C is chosen by CV on train.
 */
function docVectorFit(run: ExperimentRun): MemberFit {
  return run.memo('member:dv-ngrams', () => {
    const { job, dim, ...shape } = docVectorJob(run);
    const task = run.reporter.task('dv-ngrams: learn and infer the labeled vectors (worker thread), infer the held-out ones (this thread)', shape.epochs + 2 * shape.inferEpochs);
    let done = 0;
    const vectors = job.wait((e) => {
      run.reporter.event('dv-ngrams epoch', { ...e });
      task.tick(++done);
    });
    // idleSeconds: how long this thread waited on the worker (the critical path's slack, BENCHMARKS.md #11).
    task.end({ idleSeconds: vectors.idleSeconds });
    // Unit rows: the vectors were learned through cosines, so only their directions carry meaning.
    // The labeled vectors are inferred too, not taken from the fit: train and
    // held-out vectors then come from one procedure against the same final
    // output vectors (+0.7 to +2.9 pp train CV on a 3k/9k IMDb subset, BENCHMARKS.md #11).
    const train = denseToCsr(unitRows(vectors.labeled, dim), dim);
    const test = denseToCsr(unitRows(vectors.heldOut, dim), dim);
    return svmMember(run, train, test, { dim, ...shape });
  });
}

/** Binarized multinomial NB on the trigrams: no fit beyond counting, a generative member for the ensemble. */
function naiveBayesFit(run: ExperimentRun): MemberFit {
  return run.memo('member:naive-bayes', () => {
    const { train, test } = ngramMatrices(run, 3);
    const { folds, seed } = run.opts;
    const make = (): NaiveBayesScorer => new NaiveBayesScorer(1);
    return {
      oof: outOfFoldDecisions(make, fixedFeatures(train), run.yTrain, { folds, seed }),
      test: make().fit(train, run.yTrain).decisionFunction(test),
      selection: { C: Number.NaN, scores: [] },
      choices: { alpha: 1 },
      features: train.cols,
    };
  });
}

/** A row's result from its held-out predictions and what CV chose. */
function result(run: ExperimentRun, id: BeyondRowId, started: number, fit: Pick<MemberFit, 'selection' | 'choices' | 'features'>, predicted: Uint8Array): RowResult {
  return {
    id,
    name: ROWS[id].name,
    accuracy: accuracy(run.yHeldOut, predicted),
    paper: ROWS[id].paper,
    source: ROWS[id].source,
    seconds: (performance.now() - started) / 1000,
    selection: fit.selection,
    choices: fit.choices,
    features: fit.features,
  };
}

function nbsvmRow(id: BeyondRowId, order: 1 | 2 | 3, withVectors = false) {
  return (run: ExperimentRun): RowResult => {
    const started = performance.now();
    const fit = nbsvmFit(run, id, order, withVectors);
    return result(run, id, started, fit, Uint8Array.from(fit.test, (v) => (v > 0 ? 1 : 0)));
  };
}

/**
 * The ensemble's members, in the order of the stacker's weights. Each one's
 * out-of-fold scores come from models that read no label of the rows they
 * score. That rules out the SVM on the paper's full-unlabeled vectors (a
 * member until session f): the vectors' sentiment term reads every training
 * review's stars, so its out-of-fold scores were optimistic (the same fit's
 * vectors-nbsvm row: 92.24% train CV, 91.74% test) and the stacker
 * over-weighted it. nbsvm-bi costs nothing when its row runs too.
 */
const ENSEMBLE_MEMBERS = ['nbsvm-tri', 'nbsvm-pp', 'nbsvm-bi', 'naive-bayes', 'dv-ngrams'] as const;

function ensembleRow(run: ExperimentRun): RowResult {
  const started = performance.now();
  const members = { 'nbsvm-tri': () => nbsvmFit(run, 'nbsvm-tri', 3, false), 'nbsvm-pp': () => nbTrainableFit(run), 'nbsvm-bi': () => nbsvmFit(run, 'nbsvm-bi', 2, false), 'naive-bayes': () => naiveBayesFit(run), 'dv-ngrams': () => docVectorFit(run) };
  const fits = ENSEMBLE_MEMBERS.map((m) => members[m]());
  const task = run.reporter.task('ensemble: stacking weights', 1);
  const stacker = Stacker.fit(fits.map((f) => f.oof), run.yTrain, { folds: run.opts.folds, seed: run.opts.seed });
  const weights = stacker.weights;
  task.end({ C: stacker.selection.C });
  const choices: Record<string, number | string> = { members: ENSEMBLE_MEMBERS.join('+'), stackerC: stacker.selection.C };
  ENSEMBLE_MEMBERS.forEach((m, k) => (choices[`weight:${m}`] = Number(weights[k].toFixed(4))));
  choices.cvAccuracy = stacker.selection.scores.find((s) => s.C === stacker.selection.C)?.accuracy ?? Number.NaN;
  return result(run, 'ensemble', started, { selection: stacker.selection, choices, features: fits.length }, stacker.predict(fits.map((f) => f.test)));
}

export const BEYOND_RUNNERS: Readonly<Record<BeyondRowId, (run: ExperimentRun) => RowResult>> = {
  'nbsvm-uni': nbsvmRow('nbsvm-uni', 1),
  'nbsvm-bi': nbsvmRow('nbsvm-bi', 2),
  'nbsvm-tri': nbsvmRow('nbsvm-tri', 3),
  'nbsvm-pp': (run) => {
    const started = performance.now();
    const fit = nbTrainableFit(run);
    return result(run, 'nbsvm-pp', started, fit, Uint8Array.from(fit.test, (v) => (v > 0 ? 1 : 0)));
  },
  'vectors-nbsvm': nbsvmRow('vectors-nbsvm', 3, true),
  'dv-ngrams': (run) => {
    const started = performance.now();
    const fit = docVectorFit(run);
    return result(run, 'dv-ngrams', started, fit, Uint8Array.from(fit.test, (v) => (v > 0 ? 1 : 0)));
  },
  ensemble: ensembleRow,
};
