/**
 * One experiment: labeled documents to train on, held-out labeled documents
 * scored once, and unlabeled text the word vectors may also learn from, all
 * as ids of one vocabulary. `sentivec reproduce` runs the Table 2 rows on
 * IMDb's train / test / unsup buckets (imdbExperiment in imdb.ts), `sentivec
 * cv` on each fold of a user's corpus (cv.ts); the rows (reproduce.ts,
 * beyond-rows.ts) cannot tell the two apart.
 */
import type { CsrMatrix } from '../features/csr.js';
import { countMatrix } from '../features/matrix.js';
import type { WordMatrix } from '../features/word-matrix.js';
import { concatDocs, type TokenizedDocs } from '../text/documents.js';
import type { Vocabulary } from '../text/vocabulary.js';
import { Lsa } from '../models/baselines/lsa.js';
import { Lda } from '../models/baselines/lda.js';
import type { NbSvmGrid } from '../models/classifiers/nbsvm-selection.js';
import type { NbTrainableGrid } from '../models/classifiers/nb-trainable.js';
import type { DOC_VECTOR_OPTIONS } from '../models/embeddings/doc-vectors.js';
import type { GivenOptions } from '../util/options.js';
import type { CSelectionResult } from '../models/classifiers/model-selection.js';
import { SentimentVectors, type SentimentSupervision, type SentimentVectorsOptions } from '../models/embeddings/index.js';
import { silentReporter, type Reporter } from '../util/log.js';
import type { RowId } from './rows.js';

export interface LabeledSplit {
  readonly docs: TokenizedDocs;
  /** 1 positive, 0 negative. */
  readonly labels: Uint8Array;
}

/**
 * What the word vectors' sentiment term learns from on the labeled split:
 * IMDb's star ratings (1–10), or targets in [0, 1] (a label as 0/1, a rating
 * rescaled) for corpora without stars.
 */
export type SentimentSource = { readonly stars: Uint8Array } | { readonly targets: Float64Array };

export interface Experiment {
  readonly vocabulary: Vocabulary;
  readonly labeled: LabeledSplit & { readonly sentiment: SentimentSource };
  readonly heldOut: LabeledSplit;
  readonly unlabeled: TokenizedDocs;
  /** The same documents with every token (no vocabulary cut), as ids of `words`: the n-gram rows hash these. */
  readonly tokens?: {
    readonly words: readonly string[];
    readonly labeled: TokenizedDocs;
    readonly heldOut: TokenizedDocs;
    readonly unlabeled: TokenizedDocs;
  };
}

export type Split = 'labeled' | 'heldOut' | 'unlabeled';

/** Options of the paper's model for the model rows (λ, ν, sentiment weight, epochs). */
export type ModelOptions = Pick<SentimentVectorsOptions, 'lambda' | 'nu' | 'sentimentWeight' | 'maxEpochs'>;

export interface ExperimentOptions {
  seed: number;
  /** Folds of the cross-validation on the labeled split that makes every choice (C, α, β). */
  folds: number;
  /** Group id per labeled document (e.g. its movie): those choices use grouped folds (folds.ts). */
  groups?: Int32Array;
  cGrid: readonly number[];
  model?: ModelOptions;
  /** The NBSVM rows' CV grid (default DEFAULT_NBSVM_GRID). */
  nbsvm?: NbSvmGrid;
  /**
   * The label-free baselines (LSA, LDA) fitted once for every fold of a
   * cross-validation (cv.ts) on all its texts instead of once per fold:
   * they read no label, like the vocabulary, which is also cut once from
   * all texts. Absent: fitted on this experiment's labeled + unlabeled texts.
   */
  shared?: SharedBaselines;
  /** The nbsvm-pp row's CV grid (default DEFAULT_NB_TRAINABLE_GRID). */
  nbTrainable?: NbTrainableGrid;
  /** The dv-ngrams row's document vectors (defaults: DOC_VECTOR_OPTIONS; the seed is the run's); small corpora and tests need fewer dimensions. */
  docVectors?: GivenOptions<typeof DOC_VECTOR_OPTIONS>;
  /** log2 hash buckets of the n-gram rows (default per order, see beyond-rows.ts); small corpora and tests need fewer. */
  ngramBits?: number;
  reporter?: Reporter;
}

/** LSA / LDA word vectors shared by the folds of a cross-validation, and the counts of all its texts they are fitted on. */
export interface SharedBaselines {
  readonly fitted: Map<'lsa' | 'lda', WordMatrix>;
  counts(): CsrMatrix;
}

/** Word vectors a row can use: the baselines' and the three fits of the paper's model. */
export type VectorKind = 'lsa' | 'lda' | 'semantic' | 'full' | 'full-unlabeled';

export interface RowResult {
  id: RowId;
  name: string;
  /** Held-out accuracy as a fraction. */
  accuracy: number;
  paper: number;
  seconds: number;
  /** The SVM's C and the CV scores it was chosen from (labeled split only). */
  selection: CSelectionResult;
  features: number;
  /** Beyond rows: where the reference figure comes from. */
  source?: string;
  /** Beyond rows: every other choice made by CV on the labeled split (α, β, …) and the CV accuracy of the chosen point. */
  choices?: Record<string, number | string>;
}

/** The rows' shared, lazily built state for one run on one experiment (count matrices, fitted word vectors). */
export class ExperimentRun {
  readonly experiment: Experiment;
  readonly opts: ExperimentOptions;
  readonly reporter: Reporter;
  private readonly cache = new Map<string, unknown>();

  constructor(experiment: Experiment, opts: ExperimentOptions) {
    this.experiment = experiment;
    this.opts = opts;
    this.reporter = opts.reporter ?? silentReporter;
  }

  /** Builds `make()` once per run under `key` (shared matrices, fitted vectors). */
  memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  counts(split: Split): CsrMatrix {
    const docs = split === 'unlabeled' ? this.experiment.unlabeled : this.experiment[split].docs;
    return this.memo(`counts:${split}`, () => countMatrix(docs, this.experiment.vocabulary.size));
  }

  /** Counts of every document a representation may learn from (labeled + unlabeled), for unsupervised R. */
  trainingCounts(): CsrMatrix {
    const { labeled, unlabeled, vocabulary } = this.experiment;
    return this.memo('counts:labeled+unlabeled', () => countMatrix(concatDocs(labeled.docs, unlabeled), vocabulary.size));
  }

  get yTrain(): Uint8Array {
    return this.experiment.labeled.labels;
  }

  get yHeldOut(): Uint8Array {
    return this.experiment.heldOut.labels;
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
    const shared = this.opts.shared;
    const done = shared?.fitted.get(kind);
    if (done) return done;
    const x = shared ? shared.counts() : this.trainingCounts();
    const r = kind === 'lsa' ? new Lsa({ seed: this.opts.seed }).fit(x).wordVectors : new Lda({ seed: this.opts.seed }).fit(x).wordVectors;
    shared?.fitted.set(kind, r);
    return r;
  }

  /**
   * Semantic-only and full learn from the labeled documents; full-unlabeled
   * adds the unlabeled ones (no sentiment: semantic term only).
   */
  private fitModel(kind: 'semantic' | 'full' | 'full-unlabeled'): WordMatrix {
    const { labeled, unlabeled, vocabulary } = this.experiment;
    const docs = kind === 'full-unlabeled' ? concatDocs(labeled.docs, unlabeled) : labeled.docs;
    let supervision: SentimentSupervision;
    // The unlabeled documents after the labeled ones: NaN targets, or 0 stars.
    if ('targets' in labeled.sentiment) {
      const soft = new Float64Array(docs.count).fill(Number.NaN);
      soft.set(labeled.sentiment.targets);
      supervision = { soft };
    } else {
      const stars = new Uint8Array(docs.count);
      stars.set(labeled.sentiment.stars);
      supervision = stars;
    }
    const model = new SentimentVectors({
      ...this.opts.model,
      useSentiment: kind !== 'semantic',
      seed: this.opts.seed,
      onEpoch: (e) => this.reporter.event('epoch', { model: kind, epoch: e.epoch, objective: e.objective, seconds: e.seconds }),
    }).fit(docs, supervision, vocabulary.size);
    this.reporter.event('model fitted', { model: kind, epochs: model.epochs, converged: model.converged, objective: model.objectiveTrace });
    return model.R;
  }
}
