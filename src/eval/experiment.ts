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
import type { CSelectionResult } from '../models/classifiers/model-selection.js';
import { SentimentVectors, type SentimentSupervision, type SentimentVectorsOptions, type WarmStart } from '../models/embeddings/index.js';
import { fixedDefault, type GivenOptions } from '../util/options.js';
import { fitUnlabeledStart, foldStart, SHARED_VECTORS_OPTIONS } from './shared-vectors.js';
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
  /** With `shared`: epochs of the warm-started full and full-unlabeled fits (default SHARED_VECTORS_OPTIONS.warmEpochs). */
  warmEpochs?: number;
  reporter?: Reporter;
}

/** LSA / LDA word vectors shared by the folds of a cross-validation, and the counts of all its texts they are fitted on. */
export interface SharedBaselines {
  readonly fitted: Map<'lsa' | 'lda', WordMatrix>;
  counts(): CsrMatrix;
  /**
   * The semantic-only word vectors of the unlabeled text (shared-vectors.ts),
   * once fitted: each fold's full-unlabeled vectors warm-start from them. Every
   * fold's experiment must then have the same unlabeled documents.
   */
  unlabeledStart?: WarmStart;
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

  /** Whether `memo(key, …)` has run. */
  memoized(key: string): boolean {
    return this.cache.has(key);
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
    return this.vectorModel(kind).R;
  }

  /**
   * The paper's model of one kind, fitted once per run. In a cross-validation
   * (opts.shared) the fits with labels warm-start from a fit without them
   * (shared-vectors.ts): full-unlabeled from the semantic-only fit on the
   * unlabeled text that all folds share, full from this fold's own
   * semantic-only fit on its labeled training text.
   */
  private vectorModel(kind: 'semantic' | 'full' | 'full-unlabeled'): SentimentVectors {
    return this.memo(`model:${kind}`, () => {
      const { labeled, unlabeled, vocabulary } = this.experiment;
      const docs = kind === 'full-unlabeled' ? concatDocs(labeled.docs, unlabeled) : labeled.docs;
      let supervision: SentimentSupervision;
      // The unlabeled documents after the labeled ones: NaN targets, or 0 stars. Semantic-only reads no label, so it is given none.
      const read = kind !== 'semantic';
      if ('targets' in labeled.sentiment) {
        const soft = new Float64Array(docs.count).fill(Number.NaN);
        if (read) soft.set(labeled.sentiment.targets);
        supervision = { soft };
      } else {
        const stars = new Uint8Array(docs.count);
        if (read) stars.set(labeled.sentiment.stars);
        supervision = stars;
      }
      const shared = this.opts.shared !== undefined;
      const start = !shared || kind === 'semantic' ? undefined : kind === 'full' ? foldStart(this.vectorModel('semantic').warmStart(), 0) : foldStart(this.sharedUnlabeledStart(), labeled.docs.count);
      const model = new SentimentVectors({
        ...this.opts.model,
        ...(start ? { maxEpochs: this.opts.warmEpochs ?? fixedDefault(SHARED_VECTORS_OPTIONS.warmEpochs, 'product') } : {}),
        useSentiment: kind !== 'semantic',
        seed: this.opts.seed,
        onEpoch: (e) => this.reporter.event('epoch', { model: kind, epoch: e.epoch, objective: e.objective, seconds: e.seconds }),
      }).fit(docs, supervision, vocabulary.size, { ...(start ? { from: start } : {}), keepTheta: shared && kind === 'semantic' });
      this.reporter.event('model fitted', { model: kind, epochs: model.epochs, converged: model.converged, warm: start !== undefined, objective: model.objectiveTrace });
      return model;
    });
  }

  /** In a cross-validation (opts.shared): the semantic-only fit on the unlabeled text, made by the first fold that needs it (no label is read). */
  private sharedUnlabeledStart(): WarmStart {
    const shared = this.opts.shared;
    if (!shared) throw new Error('sharedUnlabeledStart: only a cross-validation shares fits between folds');
    shared.unlabeledStart ??= fitUnlabeledStart(this.experiment.unlabeled, this.experiment.vocabulary.size, { ...this.opts.model, seed: this.opts.seed }, this.reporter);
    return shared.unlabeledStart;
  }
}
