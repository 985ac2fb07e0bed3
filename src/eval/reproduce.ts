/**
 * `sentivec reproduce`: Table 2 of Maas et al. (2011) on IMDb. Every row
 * trains on the 25k training reviews (plus the 50k unlabeled ones where the
 * row's representation learns from them), picks the SVM's C by k-fold CV on
 * training data only, and is scored once on the 25k test reviews.
 */
import type { CsrMatrix } from '../features/csr.js';
import { countMatrix, hstackDense, denseToCsr, takeRows } from '../features/matrix.js';
import { bnn, bnc, bdc, deltaIdf } from '../features/smart.js';
import { projectDocuments } from '../features/projection.js';
import type { WordMatrix } from '../features/word-matrix.js';
import { concatDocs } from '../text/documents.js';
import type { TokenizedCorpus } from '../text/tokenized-corpus.js';
import { LinearSVC } from '../models/classifiers/svm.js';
import { accuracy, selectC, fixedFeatures, type SplitFeaturizer, type CSelectionResult } from '../models/classifiers/model-selection.js';
import { moreAccurateThenSmallerC, searchC } from '../models/classifiers/c-search.js';
import { Lsa } from '../models/baselines/lsa.js';
import { Lda } from '../models/baselines/lda.js';
import { SentimentVectors, type SentimentSupervision, type SentimentVectorsOptions } from '../models/embeddings/index.js';
import { silentReporter, type Reporter } from '../util/log.js';
import { ROWS, type PaperRowId, type RowId } from './rows.js';
import { BEYOND_RUNNERS } from './beyond-rows.js';
import type { NbSvmGrid } from '../models/classifiers/nbsvm-selection.js';

/** Options of the paper's model for the model rows (λ, ν, sentiment weight, epochs). */
export type ModelOptions = Pick<SentimentVectorsOptions, 'lambda' | 'nu' | 'sentimentWeight' | 'maxEpochs'>;

export interface ExperimentOptions {
  seed: number;
  folds: number;
  cGrid: readonly number[];
  model?: ModelOptions;
  /** The NBSVM rows' CV grid (default DEFAULT_NBSVM_GRID). */
  nbsvm?: NbSvmGrid;
  /** log2 hash buckets of the n-gram rows (default per order, see beyond-rows.ts); small corpora and tests need fewer. */
  ngramBits?: number;
  reporter?: Reporter;
}

/** Word vectors a row can use: the baselines' and the three fits of the paper's model. */
export type VectorKind = 'lsa' | 'lda' | 'semantic' | 'full' | 'full-unlabeled';

export const DEFAULT_C_GRID: readonly number[] = [0.01, 0.03, 0.1, 0.3, 1, 3, 10];

export interface RowResult {
  id: RowId;
  name: string;
  /** Test accuracy as a fraction. */
  accuracy: number;
  paper: number;
  seconds: number;
  /** The SVM's C and the CV scores it was chosen from (training data only). */
  selection: CSelectionResult;
  features: number;
  /** Beyond rows: where the reference figure comes from. */
  source?: string;
  /** Beyond rows: every other choice made by CV on train (α, β, …) and the CV accuracy of the chosen point. */
  choices?: Record<string, number | string>;
}

type RowRunner = (ctx: ImdbExperiment) => RowResult;

/** Shared, lazily built state for the rows of one run (count matrices, fitted word vectors). */
export class ImdbExperiment {
  readonly corpus: TokenizedCorpus;
  readonly opts: ExperimentOptions;
  readonly reporter: Reporter;
  private readonly cache = new Map<string, unknown>();

  constructor(corpus: TokenizedCorpus, opts: ExperimentOptions) {
    this.corpus = corpus;
    this.opts = opts;
    this.reporter = opts.reporter ?? silentReporter;
  }

  /** Builds `make()` once per run under `key` (shared matrices, fitted vectors). */
  memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  counts(bucket: 'train' | 'test' | 'unsup'): CsrMatrix {
    return this.memo(`counts:${bucket}`, () => countMatrix(this.corpus[bucket].docs, this.corpus.vocabulary.size));
  }

  /** Counts of all 75k training documents (labeled + unlabeled), for unsupervised R. */
  trainingCounts(): CsrMatrix {
    return this.memo('counts:train+unsup', () =>
      countMatrix(concatDocs(this.corpus.train.docs, this.corpus.unsup.docs), this.corpus.vocabulary.size),
    );
  }

  get yTrain(): Uint8Array {
    return this.corpus.train.labels;
  }

  get yTest(): Uint8Array {
    return this.corpus.test.labels;
  }

  /** Word vectors already fitted in this run (none are fitted just to report on them). */
  fittedVectors(): Partial<Record<VectorKind, WordMatrix>> {
    const out: Partial<Record<VectorKind, WordMatrix>> = {};
    for (const kind of ['full-unlabeled', 'full', 'semantic', 'lsa', 'lda'] as const) {
      const r = this.cache.get(`R:${kind}`) as WordMatrix | undefined;
      if (r) out[kind] = r;
    }
    return out;
  }

  wordVectors(kind: VectorKind): WordMatrix {
    return this.memo(`R:${kind}`, () => {
      const task = this.reporter.task(`fit ${kind}`, 1);
      const r = kind === 'lsa' || kind === 'lda' ? this.fitBaseline(kind) : this.fitModel(kind);
      task.end();
      return r;
    });
  }

  private fitBaseline(kind: 'lsa' | 'lda'): WordMatrix {
    const x = this.trainingCounts();
    return kind === 'lsa' ? new Lsa({ seed: this.opts.seed }).fit(x).wordVectors : new Lda({ seed: this.opts.seed }).fit(x).wordVectors;
  }

  /**
   * Semantic-only and full learn from the 25k labeled reviews; full-unlabeled
   * adds the 50k unlabeled ones (stars 0: semantic term only).
   */
  private fitModel(kind: 'semantic' | 'full' | 'full-unlabeled'): WordMatrix {
    const { train, unsup } = this.corpus;
    const docs = kind === 'full-unlabeled' ? concatDocs(train.docs, unsup.docs) : train.docs;
    let supervision: SentimentSupervision;
    if (train.targets) {
      const soft = new Float64Array(docs.count).fill(Number.NaN);
      soft.set(train.targets);
      supervision = { soft };
    } else {
      const stars = new Uint8Array(docs.count);
      stars.set(train.stars);
      supervision = stars;
    }
    const model = new SentimentVectors({
      ...this.opts.model,
      useSentiment: kind !== 'semantic',
      seed: this.opts.seed,
      onEpoch: (e) => this.reporter.event('epoch', { model: kind, epoch: e.epoch, objective: e.objective, seconds: e.seconds }),
    }).fit(docs, supervision, this.corpus.vocabulary.size);
    this.reporter.event('model fitted', { model: kind, epochs: model.epochs, converged: model.converged, objective: model.objectiveTrace });
    return model.R;
  }

  /** Chooses C by CV on train, fits on all of train, scores on test. */
  evaluate(id: RowId, featurize: SplitFeaturizer, train: CsrMatrix, test: CsrMatrix, started: number): RowResult {
    const selection = selectSvmC(featurize, this.yTrain, this.opts);
    const model = new LinearSVC({ C: selection.C, seed: this.opts.seed }).fit(train, this.yTrain);
    const acc = accuracy(this.yTest, model.predict(test));
    return {
      id,
      name: ROWS[id].name,
      accuracy: acc,
      paper: ROWS[id].paper,
      seconds: (performance.now() - started) / 1000,
      selection,
      features: train.cols,
    };
  }
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
  opts: Pick<ExperimentOptions, 'seed' | 'folds' | 'cGrid'> & { threads?: number },
): CSelectionResult {
  const seed = opts.seed;
  // A spec rather than a closure, so the fits can run on worker threads.
  const evaluate = (grid: readonly number[]): { C: number; accuracy: number }[] =>
    selectC({ kind: 'linear-svc', options: { seed } }, featurize, y, { grid, folds: opts.folds, seed, threads: opts.threads }).scores;
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
  return (ctx) => {
    const started = performance.now();
    const r = ctx.wordVectors(kind);
    const features = (counts: CsrMatrix): CsrMatrix => {
      const z = projectDocuments(bnn(counts), r);
      return withBow ? hstackDense(z, r.dim, bnc(counts)) : denseToCsr(z, r.dim);
    };
    const train = features(ctx.counts('train'));
    return ctx.evaluate(id, fixedFeatures(train), train, features(ctx.counts('test')), started);
  };
}

const RUNNERS: Record<PaperRowId, RowRunner> = {
  'bow-bnc': (ctx) => {
    const started = performance.now();
    const train = bnc(ctx.counts('train'));
    const test = bnc(ctx.counts('test'));
    return ctx.evaluate('bow-bnc', fixedFeatures(train), train, test, started);
  },
  'bow-dtc': (ctx) => {
    const started = performance.now();
    const counts = ctx.counts('train');
    const y = ctx.yTrain;
    // Delta-idf uses labels, so each CV split refits it on its own training folds.
    const featurize: SplitFeaturizer = (tr, ev) => {
      const xTr = takeRows(counts, tr);
      const idf = deltaIdf(xTr, Uint8Array.from(tr, (i) => y[i]));
      return { train: bdc(xTr, idf), eval: bdc(takeRows(counts, ev), idf) };
    };
    const idf = deltaIdf(counts, y);
    return ctx.evaluate('bow-dtc', featurize, bdc(counts, idf), bdc(ctx.counts('test'), idf), started);
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

export function runRow(ctx: ImdbExperiment, id: RowId): RowResult {
  return id in RUNNERS ? RUNNERS[id as PaperRowId](ctx) : BEYOND_RUNNERS[id as Exclude<RowId, PaperRowId>](ctx);
}
