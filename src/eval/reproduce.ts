/**
 * The rows of Table 2 of Maas et al. (2011), run on one experiment
 * (experiment.ts): on IMDb (`sentivec reproduce`) every row trains on the 25k
 * training reviews (plus the 50k unlabeled ones where the row's
 * representation learns from them), picks the SVM's C by k-fold CV on
 * training data only, and is scored once on the 25k test reviews; `sentivec
 * cv` runs the same rows on each fold of a user's corpus.
 */
import type { CsrMatrix } from '../features/csr.js';
import { takeRows } from '../features/matrix.js';
import { bnc, bdc, deltaIdf } from '../features/smart.js';
import { LinearSVC } from '../models/classifiers/svm.js';
import { accuracy, selectC, fixedFeatures, type SplitFeaturizer, type CSelectionResult } from '../models/classifiers/model-selection.js';
import { moreAccurateThenSmallerC, searchC } from '../models/classifiers/c-search.js';
import { CROSS_VALIDATION_OPTIONS } from '../models/classifiers/cross-validation-options.js';
import { fixedDefault } from '../util/options.js';
import { ROWS, type PaperRowId, type RowId } from './rows.js';
import { BEYOND_RUNNERS } from './beyond-rows.js';
import { vectorFeatures } from './vector-features.js';
import type { ExperimentOptions, ExperimentRun, RowResult, VectorKind } from './experiment.js';

/** The reproduction's C grid (CROSS_VALIDATION_OPTIONS says why it differs from the product's). */
export const DEFAULT_C_GRID: readonly number[] = fixedDefault(CROSS_VALIDATION_OPTIONS.cGrid, 'reproduce');

type RowRunner = (run: ExperimentRun) => RowResult;

/** Chooses C by CV on the labeled split, fits on all of it, scores the held-out split once. */
function scoreRow(run: ExperimentRun, id: RowId, featurize: SplitFeaturizer, train: CsrMatrix, heldOut: CsrMatrix, started: number): RowResult {
  const selection = selectSvmC(featurize, run.yTrain, run.opts);
  const model = new LinearSVC({ C: selection.C, seed: run.opts.seed }).fit(train, run.yTrain);
  return {
    id,
    name: ROWS[id].name,
    accuracy: accuracy(run.yHeldOut, model.predict(heldOut)),
    paper: ROWS[id].paper,
    seconds: (performance.now() - started) / 1000,
    selection,
    features: train.cols,
  };
}

/**
 * The SVM's C by k-fold CV on training rows only (LinearSVC defaults
 * otherwise). A best C on an edge of the grid extends it that way one value
 * at a time, until a value does not beat the best so far (c-search.ts,
 * `until-no-gain`: large C are by far the slowest fits, ~8× the passes at
 * C = 100 as at C = 10 on the LDA row's features).
 */
export function selectSvmC(
  featurize: SplitFeaturizer,
  y: ArrayLike<number>,
  opts: Pick<ExperimentOptions, 'seed' | 'folds' | 'cGrid' | 'groups'> & { threads?: number },
): CSelectionResult {
  const seed = opts.seed;
  // A spec rather than a closure, so the fits can run on worker threads.
  const evaluate = (grid: readonly number[]): { C: number; accuracy: number }[] =>
    selectC({ kind: 'linear-svc', options: { seed } }, featurize, y, { grid, folds: opts.folds, seed, threads: opts.threads, groups: opts.groups }).scores;
  const { best, tried } = searchC({
    grid: opts.cGrid,
    evaluate,
    better: moreAccurateThenSmallerC,
    // Ties keep the value found first.
    extension: { rounds: 3, mode: 'until-no-gain', gains: (candidate, bestSoFar) => candidate.accuracy > bestSoFar.accuracy },
  });
  return { C: best.C, scores: tried };
}

/** bnn → R v → cosine, optionally concatenated with bnc bag of words. */
function wordVectorRow(kind: VectorKind, id: PaperRowId, withBow: boolean): RowRunner {
  return (run) => {
    const started = performance.now();
    const train = vectorFeatures(run, kind, 'labeled', withBow);
    return scoreRow(run, id, fixedFeatures(train), train, vectorFeatures(run, kind, 'heldOut', withBow), started);
  };
}

const RUNNERS: Record<PaperRowId, RowRunner> = {
  'bow-bnc': (run) => {
    const started = performance.now();
    const train = bnc(run.counts('labeled'));
    return scoreRow(run, 'bow-bnc', fixedFeatures(train), train, bnc(run.counts('heldOut')), started);
  },
  'bow-dtc': (run) => {
    const started = performance.now();
    const counts = run.counts('labeled');
    const y = run.yTrain;
    // Delta-idf uses labels, so each CV split refits it on its own training folds.
    const featurize: SplitFeaturizer = (tr, ev) => {
      const xTr = takeRows(counts, tr);
      const idf = deltaIdf(xTr, Uint8Array.from(tr, (i) => y[i]));
      return { train: bdc(xTr, idf), eval: bdc(takeRows(counts, ev), idf) };
    };
    const idf = deltaIdf(counts, y);
    return scoreRow(run, 'bow-dtc', featurize, bdc(counts, idf), bdc(run.counts('heldOut'), idf), started);
  },
  lsa: wordVectorRow('lsa', 'lsa', false),
  lda: wordVectorRow('lda', 'lda', false),
  semantic: wordVectorRow('semantic', 'semantic', false),
  full: wordVectorRow('full', 'full', false),
  'full-unlabeled': wordVectorRow('full-unlabeled', 'full-unlabeled', false),
  'semantic-bow': wordVectorRow('semantic', 'semantic-bow', true),
  'full-bow': wordVectorRow('full', 'full-bow', true),
  'full-unlabeled-bow': wordVectorRow('full-unlabeled', 'full-unlabeled-bow', true),
};

export function runRow(run: ExperimentRun, id: RowId): RowResult {
  return id in RUNNERS ? RUNNERS[id as PaperRowId](run) : BEYOND_RUNNERS[id as Exclude<RowId, PaperRowId>](run);
}
