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
import { checkSeed } from '../../util/rng.js';
import { availableParallelism } from 'node:os';
import type { TokenizedDocs } from '../../text/documents.js';
import type { WordMatrix } from '../../features/word-matrix.js';
import { SentivecError } from '../../util/errors.js';
import { plainAlloc, prepareData, sharedAlloc, type SentimentSupervision, type TrainingData } from './data.js';
import { resolveKernels, type KernelChoice } from '../../runtime/kernels.js';
import { evaluateObjective } from './objective.js';
import { ShardPool } from './pool.js';
import { createWorkspace, solveTheta } from './theta.js';
import { train, type EpochInfo } from './trainer.js';
import { WordVectors } from './word-vectors.js';

export type { EpochInfo } from './trainer.js';

export interface SentimentVectorsOptions {
  /** β. */
  dim?: number;
  /** λ, weight of −λ‖θ_k‖² per document. */
  lambda?: number;
  /** ν, weight of −ν‖R‖²_F. */
  nu?: number;
  /** Multiplier of the sentiment term (1 = the paper's objective); see the file comment. */
  sentimentWeight?: number;
  useSentiment?: boolean;
  maxEpochs?: number;
  /**
   * Documents per Adam step. Default: ⌈D/80⌉ (at least 32), i.e. 80 steps per
   * epoch whatever the corpus size, so one learningRate suits 25k and 75k documents.
   */
  batchSize?: number;
  /** Adam step size: ramped up from 10% over the first epoch, then multiplied by learningRateDecay per epoch, and halved whenever an epoch would lower the objective. */
  learningRate?: number;
  learningRateDecay?: number;
  /** Stop when an epoch improves the objective by less than this, relatively. */
  tol?: number;
  seed?: number;
  /** Threads for training and inference; the result does not depend on it. */
  threads?: number;
  /** Standard deviation of the random initial R. */
  initScale?: number;
  /** Dense kernels: wasm-fma (SIMD with fused multiply-add), wasm (SIMD), js (TypeScript; all three float32) or js64 (float64 reference); unset means $SENTIVEC_KERNELS, else the first of wasm-fma, wasm, js that runs here (src/runtime/kernels.ts). */
  kernels?: KernelChoice;
  onEpoch?: (info: EpochInfo) => void;
}

export class SentimentVectors {
  readonly dim: number;
  readonly lambda: number;
  readonly nu: number;
  readonly sentimentWeight: number;
  readonly useSentiment: boolean;
  readonly maxEpochs: number;
  readonly batchSize?: number;
  readonly learningRate: number;
  readonly learningRateDecay: number;
  readonly tol: number;
  readonly seed: number;
  readonly threads: number;
  readonly initScale: number;
  readonly kernels?: KernelChoice;
  readonly onEpoch?: (info: EpochInfo) => void;

  /** The word vectors φ_w, float32, stored word-major (|V| × β: row w is φ_w, the paper's β × |V| R transposed). Set by fit(). */
  R: WordMatrix = { dim: 0, vocabSize: 0, data: new Float32Array(0) };
  b: Float64Array = new Float64Array(0);
  psi: Float64Array = new Float64Array(0);
  bc = 0;
  /** F after each accepted epoch (index 0: the random start). Non-decreasing. */
  objectiveTrace: number[] = [];
  epochs = 0;
  converged = false;
  /** R in float64 as trained, for inference without float32 rounding. */
  private w64: Float64Array = new Float64Array(0);

  constructor(opts: SentimentVectorsOptions = {}) {
    this.dim = opts.dim ?? 50;
    this.lambda = opts.lambda ?? 0.05;
    this.nu = opts.nu ?? 1;
    this.sentimentWeight = opts.sentimentWeight ?? 1;
    this.useSentiment = opts.useSentiment ?? true;
    this.maxEpochs = opts.maxEpochs ?? 10;
    this.batchSize = opts.batchSize;
    this.learningRate = opts.learningRate ?? 0.01;
    this.learningRateDecay = opts.learningRateDecay ?? 0.85;
    this.tol = opts.tol ?? 1e-4;
    this.seed = checkSeed(opts.seed ?? 1);
    this.threads = opts.threads ?? Math.min(2, availableParallelism());
    this.initScale = opts.initScale ?? 0.1;
    this.kernels = opts.kernels;
    resolveKernels(this.kernels); // a bad choice or $SENTIVEC_KERNELS fails here, not after the data is read
    this.onEpoch = opts.onEpoch;
    const positiveInt = (name: string, v: number): void => {
      if (!Number.isInteger(v) || v < 1) throw new SentivecError(`word-vector option ${name} must be a positive integer, got ${v}`);
    };
    const nonNegative = (name: string, v: number): void => {
      if (!(v >= 0) || !Number.isFinite(v)) throw new SentivecError(`word-vector option ${name} must be a finite number ≥ 0, got ${v}`);
    };
    positiveInt('dim', this.dim);
    positiveInt('maxEpochs', this.maxEpochs);
    if (this.batchSize !== undefined) positiveInt('batchSize', this.batchSize);
    positiveInt('threads', this.threads);
    nonNegative('nu', this.nu);
    nonNegative('sentimentWeight', this.sentimentWeight);
    nonNegative('tol', this.tol);
    nonNegative('initScale', this.initScale);
    if (!(this.lambda > 0) || !Number.isFinite(this.lambda)) throw new SentivecError(`word-vector option lambda must be > 0 (it keeps each θ̂ finite), got ${this.lambda}`);
    if (!(this.learningRate > 0) || !Number.isFinite(this.learningRate)) throw new SentivecError(`word-vector option learningRate must be > 0, got ${this.learningRate}`);
    if (!(this.learningRateDecay > 0 && this.learningRateDecay <= 1)) throw new SentivecError(`word-vector option learningRateDecay must be in (0, 1], got ${this.learningRateDecay}`);
  }

  /** The multiplier actually applied to the sentiment term. */
  get effectiveSentimentWeight(): number {
    return this.useSentiment ? this.sentimentWeight : 0;
  }

  /**
   * @param stars per document: 1–10 for labeled reviews, 0 (or NaN) for unlabeled
   *   ones, which then only enter the semantic term; or `{ soft }`, targets in
   *   [0, 1] with NaN for unlabeled (data.ts).
   * @param vocabSize |V|; token ids must lie in [0, vocabSize).
   */
  fit(docs: TokenizedDocs, stars: SentimentSupervision, vocabSize: number): this {
    if (docs.count === 0) throw new SentivecError('cannot fit word vectors on an empty corpus');
    const alloc = this.threads > 1 ? sharedAlloc : plainAlloc;
    const data = prepareData(docs, stars, vocabSize, alloc);
    if (this.effectiveSentimentWeight > 0 && data.labeledCount === 0) {
      throw new SentivecError('the sentiment term needs labeled documents (ratings 1–10); pass useSentiment: false for a semantic-only model');
    }
    const result = train(
      data,
      {
        dim: this.dim,
        lambda: this.lambda,
        nu: this.nu,
        sentimentWeight: this.effectiveSentimentWeight,
        maxEpochs: this.maxEpochs,
        batchSize: this.batchSize,
        learningRate: this.learningRate,
        learningRateDecay: this.learningRateDecay,
        tol: this.tol,
        seed: this.seed,
        threads: this.threads,
        initScale: this.initScale,
        kernels: this.kernels,
        onEpoch: this.onEpoch,
      },
      alloc,
    );
    this.w64 = result.w;
    this.R = { dim: this.dim, vocabSize, data: Float32Array.from(result.w) };
    this.b = result.b;
    this.psi = result.psi;
    this.bc = result.bc;
    this.objectiveTrace = result.objectiveTrace;
    this.epochs = result.epochs;
    this.converged = result.converged;
    return this;
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

  /** F (the paper's full objective, θ re-estimated) on a labeled/unlabeled corpus under the fitted parameters. */
  objective(docs: TokenizedDocs, stars: SentimentSupervision, opts: { maxPasses?: number; gradientTol?: number } = {}): number {
    const data = this.prepare(docs, stars);
    const { theta } = this.solve(data, opts);
    const params = { dim: this.dim, w: this.w64, b: this.b, psi: this.psi, bc: this.bc };
    return evaluateObjective(params, data, theta, { lambda: this.lambda, nu: this.nu, sentimentWeight: this.effectiveSentimentWeight }, this.kernels).total;
  }

  /** Word vectors with names, for similarity queries and saving. */
  wordVectors(words: readonly string[]): WordVectors {
    this.requireFitted();
    const psi = this.effectiveSentimentWeight > 0 ? Float32Array.from(this.psi) : undefined;
    return new WordVectors(words, this.R, { psi, bc: this.bc, options: this.describe() });
  }

  /** The options that shaped the vectors (stored in saved files). */
  describe(): Record<string, number | boolean> {
    return {
      dim: this.dim,
      lambda: this.lambda,
      nu: this.nu,
      sentimentWeight: this.sentimentWeight,
      useSentiment: this.useSentiment,
      maxEpochs: this.maxEpochs,
      batchSize: this.batchSize ?? 0,
      learningRate: this.learningRate,
      learningRateDecay: this.learningRateDecay,
      tol: this.tol,
      seed: this.seed,
      initScale: this.initScale,
      epochs: this.epochs,
    };
  }

  private requireFitted(): void {
    if (this.w64.length === 0) throw new SentivecError('the word-vector model is not fitted yet: call fit() first');
  }

  private prepare(docs: TokenizedDocs, stars: SentimentSupervision): TrainingData {
    this.requireFitted();
    return prepareData(docs, stars, this.R.vocabSize, this.threads > 1 ? sharedAlloc : plainAlloc);
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
