/**
 * `sentivec cv`: the Table 2 representations scored by k-fold cross-validation
 * on a user's labeled corpus, as the paper did for its 2,000-review (Pang & Lee)
 * and 10,000-sentence corpora. Each fold is a complete run of a row: the word
 * vectors are fitted on the other folds (plus any unlabeled text), C is chosen
 * by an inner CV on those folds only, and the fold is scored once.
 *
 * The vocabulary is cut once from all texts (labels are never used for it),
 * like a vocabulary built from unlabeled text, and so are the label-free
 * LSA and LDA baselines; everything label-dependent is refitted inside each
 * fold. The word vectors' semantic-only fit on the unlabeled text is also made
 * once (shared-vectors.ts): each fold's full-unlabeled fit, which reads the
 * fold's labels, warm-starts from it. With groups (e.g. the movie of each
 * review) the folds are grouped.
 */
import { selectDocs } from '../text/documents.js';
import type { RecordCorpus } from '../text/record-corpus.js';
import { assignFolds, groupCount } from '../models/classifiers/folds.js';
import { SentivecError } from '../util/errors.js';
import { silentReporter, type Reporter } from '../util/log.js';
import { ExperimentRun, type Experiment, type ExperimentOptions, type ModelOptions, type SharedBaselines } from './experiment.js';
import type { CsrMatrix } from '../features/csr.js';
import { countMatrix } from '../features/matrix.js';
import { runRow } from './reproduce.js';
import { startBeyondWork } from './beyond-rows.js';
import { ROWS, type RowId } from './rows.js';
import type { NbSvmGrid } from '../models/classifiers/nbsvm-selection.js';

export interface CvOptions {
  rows: readonly RowId[];
  folds: number;
  /** Folds of the inner CV that chooses C. */
  innerFolds: number;
  cGrid: readonly number[];
  seed: number;
  /**
   * Options of the paper's model. A sentiment weight given as `perClass`
   * multiplies the labeled documents per class of each fold (|S_k|): the
   * per-token balance of the two terms then matches IMDb's tuned setting
   * whatever the corpus size.
   */
  model: ModelOptions & { sentimentWeightPerClass?: number };
  /** n-gram rows: log2 hash buckets (default per order). */
  ngramBits?: number;
  /** NBSVM rows: the (α, C, β) grid of the inner CV. */
  nbsvm?: NbSvmGrid;
  /** The nbsvm-pp row's CV grid (default DEFAULT_NB_TRAINABLE_GRID). */
  nbTrainable?: ExperimentOptions['nbTrainable'];
  /** dv-ngrams: the document vectors' options (default DOC_VECTOR_OPTIONS). */
  docVectors?: ExperimentOptions['docVectors'];
  reporter?: Reporter;
}

export interface CvRowResult {
  id: RowId;
  name: string;
  /** Accuracy of each fold, as fractions. */
  accuracies: number[];
  mean: number;
  /** Sample standard deviation across folds. */
  std: number;
  /** C chosen in each fold. */
  C: number[];
  seconds: number;
}

export interface CvResult {
  rows: CvRowResult[];
  folds: number;
  /** Groups the folds kept whole (0: ungrouped). */
  groups: number;
  labeled: number;
  unlabeled: number;
}

const UNLABELED_ROWS: ReadonlySet<RowId> = new Set(['full-unlabeled', 'full-unlabeled-bow', 'vectors-nbsvm']);

export function crossValidateRows(corpus: RecordCorpus, opts: CvOptions): CvResult {
  const reporter = opts.reporter ?? silentReporter;
  const labeledRows: number[] = [];
  const unlabeledRows: number[] = [];
  for (let d = 0; d < corpus.docs.count; d++) (Number.isNaN(corpus.targets[d]) ? unlabeledRows : labeledRows).push(d);
  const y = Uint8Array.from(labeledRows, (d) => (corpus.targets[d] > 0.5 ? 1 : 0));
  const perClass = [y.length - y.reduce((s, v) => s + v, 0), y.reduce((s, v) => s + v, 0)];
  if (Math.min(...perClass) < opts.folds) {
    throw new SentivecError(`cv: ${opts.folds} folds need at least ${opts.folds} labeled documents per class; the corpus has ${perClass[0]} '${corpus.labels[0]}' and ${perClass[1]} '${corpus.labels[1]}'`);
  }
  if (unlabeledRows.length === 0 && opts.rows.some((id) => UNLABELED_ROWS.has(id))) {
    throw new SentivecError(`cv: rows ${[...UNLABELED_ROWS].join(', ')} need unlabeled text (--unlabeled PATH)`);
  }
  // Grouped folds when the documents have groups (e.g. the movie of each review): no group in two folds.
  const corpusGroups = corpus.groups;
  const groups = corpusGroups ? Int32Array.from(labeledRows, (d) => corpusGroups[d]) : undefined;
  if (groups && groupCount(groups) < opts.folds) throw new SentivecError(`cv: ${opts.folds} folds need at least ${opts.folds} groups; the corpus has ${groupCount(groups)}`);
  const fold = assignFolds(y, opts.folds, opts.seed, groups);
  const unlabeled = selectDocs(corpus.docs, unlabeledRows);
  const all = corpus.allTokens;
  const unlabeledTokens = all ? selectDocs(all.docs, unlabeledRows) : undefined;
  // LSA and LDA read no label: one fit on every text serves all folds (33 of the 51 minutes of a 10-fold
  // cv with 75k unlabeled reviews were LDA refitted in each fold).
  let allCounts: CsrMatrix | undefined;
  const shared: SharedBaselines = { fitted: new Map(), counts: () => (allCounts ??= countMatrix(corpus.docs, corpus.vocabulary.size)) };
  const results: CvRowResult[] = opts.rows.map((id) => ({ id, name: ROWS[id].name, accuracies: [], mean: 0, std: 0, C: [], seconds: 0 }));
  const task = reporter.task('cross-validation', opts.folds);
  for (let f = 0; f < opts.folds; f++) {
    const trainIdx = labeledRows.filter((_, i) => fold[i] !== f);
    const testIdx = labeledRows.filter((_, i) => fold[i] === f);
    // The fold's experiment: the other folds labeled (their targets teach the word vectors), this one held out.
    const experiment: Experiment = {
      vocabulary: corpus.vocabulary,
      labeled: { docs: selectDocs(corpus.docs, trainIdx), labels: y.filter((_, i) => fold[i] !== f), sentiment: { targets: Float64Array.from(trainIdx, (d) => corpus.targets[d]) } },
      heldOut: { docs: selectDocs(corpus.docs, testIdx), labels: y.filter((_, i) => fold[i] === f) },
      unlabeled,
      ...(all && unlabeledTokens ? { tokens: { words: all.words, labeled: selectDocs(all.docs, trainIdx), heldOut: selectDocs(all.docs, testIdx), unlabeled: unlabeledTokens } } : {}),
    };
    const { sentimentWeightPerClass, ...model } = opts.model;
    if (sentimentWeightPerClass !== undefined) model.sentimentWeight = sentimentWeightPerClass * (trainIdx.length / 2);
    const trainGroups = groups ? Int32Array.from(groups.filter((_, i) => fold[i] !== f)) : undefined;
    const run = new ExperimentRun(experiment, { seed: opts.seed, folds: opts.innerFolds, ...(trainGroups ? { groups: trainGroups } : {}), cGrid: opts.cGrid, model, shared, ngramBits: opts.ngramBits, nbsvm: opts.nbsvm, ...(opts.nbTrainable ? { nbTrainable: opts.nbTrainable } : {}), ...(opts.docVectors ? { docVectors: opts.docVectors } : {}), reporter });
    startBeyondWork(run, results.map((acc) => acc.id));
    for (const acc of results) {
      const id = acc.id;
      const r = runRow(run, id);
      acc.accuracies.push(r.accuracy);
      acc.C.push(r.selection.C);
      acc.seconds += r.seconds;
      reporter.event('fold', { row: id, fold: f + 1, accuracy: r.accuracy, C: r.selection.C });
    }
    task.tick(f + 1);
  }
  task.end();
  for (const r of results) {
    const n = r.accuracies.length;
    r.mean = r.accuracies.reduce((s, a) => s + a, 0) / n;
    r.std = n > 1 ? Math.sqrt(r.accuracies.reduce((s, a) => s + (a - r.mean) ** 2, 0) / (n - 1)) : 0;
  }
  return { rows: results, folds: opts.folds, groups: groups ? groupCount(groups) : 0, labeled: labeledRows.length, unlabeled: unlabeledRows.length };
}
