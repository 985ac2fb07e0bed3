/**
 * The rows beyond the paper (issue #11), run by `sentivec reproduce` and
 * `sentivec cv` like the paper's rows: every choice (α, C, β, stacking
 * weights) is made by cross-validation on the training rows, and the model
 * is scored once on the test rows.
 */
import type { CsrMatrix } from '../features/csr.js';
import { NgramHasher, compactColumns } from '../features/ngrams.js';
import { NbSvm } from '../models/classifiers/nbsvm.js';
import { DEFAULT_NBSVM_GRID, selectNbSvm, type NbSvmGrid } from '../models/classifiers/nbsvm-selection.js';
import { accuracy } from '../models/classifiers/model-selection.js';
import { SentivecError } from '../util/errors.js';
import type { Experiment, ExperimentRun, RowResult } from './experiment.js';
import { ROWS, type BeyondRowId } from './rows.js';

/** Hash buckets per n-gram order: 2^20 holds IMDb's ~75k training unigrams with few collisions; 2^24 the ~5 M uni+bi+trigrams (BENCHMARKS.md #11). */
const NGRAM_BITS: Readonly<Record<1 | 2 | 3, number>> = { 1: 20, 2: 24, 3: 24 };

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

function nbsvmRow(id: BeyondRowId, order: 1 | 2 | 3) {
  return (run: ExperimentRun): RowResult => {
    const started = performance.now();
    const { train, test } = ngramMatrices(run, order);
    const grid = nbsvmGrid(run);
    const task = run.reporter.task(`${id}: choose α, C, β`, run.opts.folds * grid.alphas.length * grid.Cs.length);
    const sel = selectNbSvm(train, run.yTrain, grid, { folds: run.opts.folds, seed: run.opts.seed, groups: run.opts.groups, onFit: (d) => task.tick(d) });
    task.end({ alpha: sel.alpha, C: sel.C, beta: sel.beta });
    const model = new NbSvm({ alpha: sel.alpha, C: sel.C, beta: sel.beta, seed: run.opts.seed }).fit(train, run.yTrain);
    return {
      id,
      name: ROWS[id].name,
      accuracy: accuracy(run.yHeldOut, model.predict(test)),
      paper: ROWS[id].paper,
      source: ROWS[id].source,
      seconds: (performance.now() - started) / 1000,
      selection: { C: sel.C, scores: sel.scores.filter((s) => s.alpha === sel.alpha && s.beta === sel.beta).map((s) => ({ C: s.C, accuracy: s.accuracy })) },
      choices: { order, hashBits: ngramMatrices(run, order).hasher.bits, alpha: sel.alpha, C: sel.C, beta: sel.beta, cvAccuracy: sel.scores.find((s) => s.alpha === sel.alpha && s.C === sel.C && s.beta === sel.beta)?.accuracy ?? Number.NaN },
      features: train.cols,
    };
  };
}

export const BEYOND_RUNNERS: Readonly<Record<BeyondRowId, (run: ExperimentRun) => RowResult>> = {
  'nbsvm-uni': nbsvmRow('nbsvm-uni', 1),
  'nbsvm-bi': nbsvmRow('nbsvm-bi', 2),
  'nbsvm-tri': nbsvmRow('nbsvm-tri', 3),
};
