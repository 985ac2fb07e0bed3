/**
 * The paper's model as an estimator (scikit-learn style): options in the
 * constructor, fit() learns R, b, ψ, b_c, results on the instance.
 *
 * sentimentWeight: with the paper's 1/|S_k| document weights the sentiment
 * term is a sum over ~2 "documents' worth" of tokens, while the semantic term
 * sums ~10M token log-likelihoods, so at weight 1 (exactly the paper's
 * objective, the default) the sentiment term barely moves R (ψ and b_c are
 * still fitted: only this term involves them). Other values multiply the
 * term; that is our extension, to be chosen by validation on training data
 * like λ and ν. Its natural scale is |S_k| (12,500 for IMDb): at that weight
 * a labeled token's sentiment log-likelihood counts as much as its semantic
 * one. `useSentiment: false` (or weight 0) is the paper's "semantic only"
 * model; ψ and b_c then stay 0.
 *
 * λ and ν: both likelihood terms are unchanged by θ → cθ, R → R/c, ψ → cψ,
 * so at the optimum λ Σ‖θ_k‖² = ν‖R‖² and the optimum depends on λ and ν
 * only through λν (up to that rescaling, which cosine similarities and the
 * cosine-normalised R v features ignore): tune the product, not both.
 */
import { availableParallelism } from 'node:os';
import type { TokenizedDocs } from '../../text/documents.js';
import type { WordMatrix } from '../../features/word-matrix.js';
import { SentivecError } from '../../util/errors.js';
import { plainAlloc, sharedAlloc, type SentimentSupervision, type TargetLayout, type TrainingData } from './data.js';
import { prepareSupervision, targetLayouts, targetOffset, type MultiTargets } from './targets.js';
import { KERNEL_KINDS, resolveKernels, type KernelChoice } from '../../runtime/kernels.js';
import { bool, int, num, optionalChoice, optionalInt, resolveOptions, type GivenOptions, type OptionTable, type OptionValues } from '../../util/options.js';
import { evaluateObjective } from './objective.js';
import { ShardPool } from './pool.js';
import { createWorkspace, solveTheta } from './theta.js';
import { train, type EpochInfo, type WarmStart } from './trainer.js';
import { WordVectors } from './word-vectors.js';

export type { EpochInfo, WarmStart } from './trainer.js';

/** fit()'s warm start: begin from another fit's R and b (and θ) instead of a random R; keep this fit's θ for a later warm start. */
export interface FitStart {
  from?: WarmStart;
  keepTheta?: boolean;
}

/**
 * The model's options, declared once: the constructor checks them against
 * this table, describe() (and so every saved file) lists them from it.
 * `reproduce`/`why` mark the defaults that `sentivec reproduce` and `cv`
 * change on purpose.
 */
export const SENTIMENT_VECTORS_OPTIONS = {
  dim: int({ min: 1, default: 50, description: 'β, dimensions of the word vectors' }),
  lambda: num({
    min: 0, minExclusive: true, default: 0.05,
    description: 'λ, weight of −λ‖θ_k‖² per document (> 0: it keeps each θ̂ finite)',
    reproduce: 0.01,
    why: 'Table 2 is reproduced at λ = 0.01 with a sentiment weight of 10⁶ (the rows were tuned there); the product, trained on any corpus, uses 0.05',
  }),
  nu: num({ min: 0, default: 1, description: 'ν, weight of −ν‖R‖²_F' }),
  sentimentWeight: num({
    min: 0, default: 1,
    description: "multiplier of the sentiment term (1 = the paper's literal objective; see the file comment)",
    reproduce: 1e6,
    why: "at weight 1 the 25k documents' semantic term drowns the sentiment term; reproduce uses 10⁶, train labeled/2 (|S_k| for balanced classes), cv 80 × labeled per class / 2",
  }),
  useSentiment: bool({ default: true, description: "false: the paper's semantic-only model (ψ and b_c stay 0)" }),
  maxEpochs: int({ min: 1, default: 10, description: 'maximum training epochs' }),
  batchSize: optionalInt({ min: 1, description: 'documents per Adam step; unset: ⌈D/80⌉ (at least 32), 80 steps per epoch whatever the corpus size, so one learningRate suits 25k and 75k documents' }),
  learningRate: num({ min: 0, minExclusive: true, default: 0.01, description: 'Adam step size: ramped up from 10% over the first epoch, then multiplied by learningRateDecay per epoch, and halved whenever an epoch would lower the objective' }),
  learningRateDecay: num({ min: 0, minExclusive: true, max: 1, default: 0.85, description: 'learning-rate factor per epoch' }),
  tol: num({ min: 0, default: 1e-4, description: 'stop when an epoch improves the objective by less than this, relatively' }),
  seed: int({ default: 1, description: 'random seed: the same seed and data give the same vectors' }),
  threads: int({ min: 1, default: () => Math.min(2, availableParallelism()), runtimeOnly: true, description: 'threads for training and inference; the result does not depend on it' }),
  initScale: num({ min: 0, default: 0.1, description: 'standard deviation of the random initial R' }),
  kernels: optionalChoice<KernelChoice>(['auto', ...KERNEL_KINDS], {
    runtimeOnly: true,
    description: 'dense kernels: wasm-fma (SIMD with fused multiply-add), wasm (SIMD), js (TypeScript; all three float32) or js64 (float64 reference); unset: $SENTIVEC_KERNELS, else the first of wasm-fma, wasm, js that runs here (src/runtime/kernels.ts)',
  }),
} satisfies OptionTable;

export type SentimentVectorsOptions = GivenOptions<typeof SENTIMENT_VECTORS_OPTIONS> & { onEpoch?: (info: EpochInfo) => void };

// The options become readonly fields (this.dim, this.lambda, …) without being listed again.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface SentimentVectors extends Readonly<OptionValues<typeof SENTIMENT_VECTORS_OPTIONS>> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class SentimentVectors {
  readonly onEpoch?: (info: EpochInfo) => void;

  /** The word vectors φ_w, float32, stored word-major (|V| × β: row w is φ_w, the paper's β × |V| R transposed). Set by fit(). */
  R: WordMatrix = { dim: 0, vocabSize: 0, data: new Float32Array(0) };
  b: Float64Array = new Float64Array(0);
  /** ψ (β), or ψ_1 … ψ_K (K·β) for k = K + 1 > 2 classes (sentiment.ts). */
  psi: Float64Array = new Float64Array(0);
  /** b_c (b_1 for k > 2 classes); all of b_1 … b_K in `bcs`. */
  bc = 0;
  bcs: Float64Array = new Float64Array(0);
  /** Each target's K_t and weight (one entry unless fitted on several targets, targets.ts). */
  targets: readonly TargetLayout[] = [];
  /** F after each accepted epoch (index 0: the random start). Non-decreasing. */
  objectiveTrace: number[] = [];
  epochs = 0;
  converged = false;
  /** R in float64 as trained, for inference without float32 rounding. */
  private w64: Float64Array = new Float64Array(0);
  /** θ of the training documents at the end of fit(), kept only when asked (FitStart.keepTheta): D × β doubles. */
  private theta?: Float64Array;

  constructor(opts: SentimentVectorsOptions = {}) {
    const { onEpoch, ...given } = opts;
    Object.assign(this, resolveOptions('word-vector', SENTIMENT_VECTORS_OPTIONS, given));
    this.onEpoch = onEpoch;
    resolveKernels(this.kernels); // $SENTIVEC_KERNELS, or wasm that cannot run, fails here, not after the data is read
  }

  /** The multiplier actually applied to the sentiment term. */
  get effectiveSentimentWeight(): number {
    return this.useSentiment ? this.sentimentWeight : 0;
  }

  /**
   * @param stars per document: 1–10 for labeled reviews, 0 (or NaN) for unlabeled
   *   ones, which then only enter the semantic term; or `{ soft }`, targets in
   *   [0, 1] with NaN for unlabeled (data.ts); or `{ targets: [...] }`,
   *   several of those at once, one ψ per target (targets.ts).
   * @param vocabSize |V|; token ids must lie in [0, vocabSize).
   * @param warm `from`: start at another fit's R and b (warmStart()) instead
   *   of a random R, maxEpochs epochs from there; `keepTheta`: keep this
   *   fit's θ so that warmStart() hands them on.
   */
  fit(docs: TokenizedDocs, stars: SentimentSupervision | MultiTargets, vocabSize: number, warm: FitStart = {}): this {
    if (docs.count === 0) throw new SentivecError('cannot fit word vectors on an empty corpus');
    const alloc = this.threads > 1 ? sharedAlloc : plainAlloc;
    const data = prepareSupervision(docs, stars, vocabSize, alloc);
    if (this.effectiveSentimentWeight > 0 && data.labeledCount === 0) {
      const which = data.targets ? 'every target of the sentiment term needs' : 'the sentiment term needs';
      throw new SentivecError(`${which} labeled documents (ratings 1–10); pass useSentiment: false for a semantic-only model`);
    }
    const result = train(
      data,
      { ...this.options(), sentimentWeight: this.effectiveSentimentWeight, onEpoch: this.onEpoch },
      alloc,
      warm.from,
    );
    this.theta = warm.keepTheta ? result.theta : undefined;
    this.w64 = result.w;
    this.R = { dim: this.dim, vocabSize, data: Float32Array.from(result.w) };
    this.b = result.b;
    this.psi = result.psi;
    this.bc = result.bc[0];
    this.bcs = result.bc;
    this.targets = targetLayouts(data);
    this.objectiveTrace = result.objectiveTrace;
    this.epochs = result.epochs;
    this.converged = result.converged;
    return this;
  }

  /** Where another fit on the same vocabulary can start from: this one's R and b (and the θ of its documents, if fit() kept them). */
  warmStart(): WarmStart {
    this.requireFitted();
    return { w: this.w64, b: this.b, ...(this.theta ? { theta: this.theta } : {}) };
  }

  /**
   * θ̂_k for each document under the fitted R and b (count × β, row-major),
   * solved until max_k ‖∂L_k/∂θ‖/N_k ≤ gradientTol (default 1e-6) or after
   * maxPasses θ phases (default 20: from θ = 0 the median document gets to
   * ~1e-6 in about that many; a tail of atypical documents converges slower).
   */
  inferTheta(docs: TokenizedDocs, opts: { maxPasses?: number; gradientTol?: number } = {}): Float64Array {
    return this.solve(this.prepare(docs, new Float64Array(docs.count)), opts).theta;
  }

  /** Target t's ψ rows (K_t × β) and b's (K_t), views into psi and bcs. */
  target(t: number): { psi: Float64Array; bcs: Float64Array } {
    this.requireFitted();
    if (!(Number.isInteger(t) && t >= 0 && t < this.targets.length)) throw new SentivecError(`target ${t} does not exist: the vectors have ${this.targets.length}`);
    const o = targetOffset(this.targets, t);
    const K = this.targets[t].classes;
    return { psi: this.psi.subarray(o * this.dim, (o + K) * this.dim), bcs: this.bcs.subarray(o, o + K) };
  }

  /** F (the paper's full objective, θ re-estimated) on a labeled/unlabeled corpus under the fitted parameters. */
  objective(docs: TokenizedDocs, stars: SentimentSupervision | MultiTargets, opts: { maxPasses?: number; gradientTol?: number } = {}): number {
    const data = this.prepare(docs, stars);
    const { theta } = this.solve(data, opts);
    const params = { dim: this.dim, w: this.w64, b: this.b, psi: this.psi, bc: this.bcs.length > 1 ? this.bcs : this.bc };
    return evaluateObjective(params, data, theta, { lambda: this.lambda, nu: this.nu, sentimentWeight: this.effectiveSentimentWeight }, this.kernels).total;
  }

  /** Word vectors with names, for similarity queries and saving. */
  wordVectors(words: readonly string[]): WordVectors {
    this.requireFitted();
    // WordVectors carries one two-class ψ only; k-class and several-target models keep theirs in the product model.
    const psi = this.effectiveSentimentWeight > 0 && this.bcs.length === 1 ? Float32Array.from(this.psi) : undefined;
    return new WordVectors(words, this.R, { psi, bc: this.bc, options: this.describe() });
  }

  /** The options as set (the table's order). */
  options(): OptionValues<typeof SENTIMENT_VECTORS_OPTIONS> {
    const self = this as unknown as Record<string, unknown>;
    return Object.fromEntries(Object.keys(SENTIMENT_VECTORS_OPTIONS).map((k) => [k, self[k]])) as OptionValues<typeof SENTIMENT_VECTORS_OPTIONS>;
  }

  /** The options that shaped the vectors (stored in saved files): all but the runtime ones, and the epochs run. */
  describe(): Record<string, number | boolean> {
    const out: Record<string, number | boolean> = {};
    const values: Record<string, unknown> = this.options();
    for (const [name, spec] of Object.entries(SENTIMENT_VECTORS_OPTIONS)) {
      if ('runtimeOnly' in spec && spec.runtimeOnly) continue;
      const v = values[name];
      out[name] = typeof v === 'number' || typeof v === 'boolean' ? v : 0; // an unset batch size is stored as 0
    }
    out.epochs = this.epochs;
    return out;
  }

  private requireFitted(): void {
    if (this.w64.length === 0) throw new SentivecError('the word-vector model is not fitted yet: call fit() first');
  }

  private prepare(docs: TokenizedDocs, stars: SentimentSupervision | MultiTargets): TrainingData {
    this.requireFitted();
    return prepareSupervision(docs, stars, this.R.vocabSize, this.threads > 1 ? sharedAlloc : plainAlloc);
  }

  private solve(data: TrainingData, opts: { maxPasses?: number; gradientTol?: number }): { theta: Float64Array } {
    if (data.docCount === 0) return { theta: new Float64Array(0) };
    const alloc = this.threads > 1 ? sharedAlloc : plainAlloc;
    const w = alloc(Float64Array, this.w64.length);
    w.set(this.w64);
    const b = alloc(Float64Array, this.b.length);
    b.set(this.b);
    const ws = createWorkspace(data, this.dim, this.lambda, w, b, alloc, this.kernels);
    const pool = new ShardPool(ws, this.threads);
    try {
      solveTheta(ws, pool, data, { maxPasses: opts.maxPasses ?? 20, gradientTol: opts.gradientTol ?? 1e-6 });
      return { theta: Float64Array.from(ws.theta) };
    } finally {
      pool.close();
    }
  }
}
