/**
 * Maximises the paper's objective
 *   F(R, b, ψ, b_c) = −ν‖R‖²_F + Σ_k max_θ L_k(θ; R, b) + w_s · Sent(R, ψ, b_c)
 * by alternation, as the paper prescribes, in epochs of two phases:
 *
 * 1. R phase, θ fixed: for each shuffled mini-batch, the gradient of the
 *    batch's semantic terms wrt R and b (two dense products per document:
 *    S = Θ Rᵀ, then Eᵀ Θ), plus the batch's |B|/D share of the penalty and of
 *    the exact, O(|V| β) sentiment gradient, makes one Adam ascent step on
 *    (R, b, ψ, b_c).
 * 2. θ phase, R fixed (theta.ts): a checked Newton step on every θ_k, ending
 *    with F evaluated at the re-estimated θ. That value is logged.
 * (Taking unchecked θ steps inside the R phase too was measured: no better
 * per epoch, 15% slower, and it breaks the monotonicity argument below.)
 *
 * What limits progress per epoch is how far R may move while the θ_k stay
 * fixed, so the step size is set per epoch: the default batch size keeps
 * STEPS_PER_EPOCH Adam steps per epoch whatever the corpus size, the rate
 * ramps up from 10% over the first epoch (every θ still belongs to the random
 * R) and then decays geometrically.
 *
 * Monotonicity: θ phases do not lower F (up to a 1e-12 relative rounding
 * slack per document, semantic.ts). The R phase is stochastic and can, when
 * its steps are too large; so each epoch starts from a snapshot, and if F
 * after the epoch is below F before it, the epoch is undone and the learning
 * rate halved (small enough steps with θ fixed ascend F). The logged trace is
 * therefore non-decreasing with tolerance 0: a value enters it only if it is
 * ≥ the previous one. Training stops when an accepted epoch improves F by
 * less than `tol` relatively, after `maxEpochs` epochs (undone ones included),
 * or after MAX_UNDONE undone epochs.
 */
import type { TrainingData, Alloc } from './data.js';
import { ADAM_DEFAULTS, Adam, adamStep } from './adam.js';
import type { KernelChoice } from '../../runtime/kernels.js';
import { ShardPool } from './pool.js';
import { Phase, markParamsChanged, type Workspace } from './workspace.js';
import { sentimentTerms, targetLayouts } from './targets.js';
import { createWorkspace, thetaPass } from './theta.js';
import { createUpdateState, prepareUpdate, sentimentGradient } from './update.js';
import { Rng } from '../../util/rng.js';
import { SentivecError } from '../../util/errors.js';

/** Adam steps per epoch when no batch size is given (measured: 20k and 75k documents behave alike at this setting). */
export const STEPS_PER_EPOCH = 80;
const MIN_BATCH = 32;
/** Undone epochs (each halving the learning rate) after which training gives up improving. */
const MAX_UNDONE = 10;

export interface EpochInfo {
  /** 0 is the starting point (random R, θ after one θ phase). */
  epoch: number;
  /** F after the epoch (the value of the state kept, if the epoch was undone). */
  objective: number;
  /** Wall-clock seconds of this epoch, and of its θ phase alone. */
  seconds: number;
  thetaSeconds: number;
  /** False if the epoch lowered F and was undone. */
  accepted: boolean;
  /** Base learning rate of the next epoch. */
  learningRate: number;
  /** Median over documents of ‖∂L_k/∂θ‖ / N_k when the θ phase started: how far θ lagged behind θ̂. */
  thetaGradient: number;
}

export interface TrainOptions {
  dim: number;
  lambda: number;
  nu: number;
  /** Multiplier w_s of the sentiment term; 0 = semantic only. */
  sentimentWeight: number;
  maxEpochs: number;
  /** Documents per Adam step; undefined = ⌈D / STEPS_PER_EPOCH⌉ (at least MIN_BATCH). */
  batchSize?: number;
  learningRate: number;
  /** Per-epoch multiplier of the learning rate after the first. */
  learningRateDecay: number;
  tol: number;
  seed: number;
  threads: number;
  /** Dense kernels (src/runtime/kernels.ts); unset means $SENTIVEC_KERNELS, else the first of wasm-fma, wasm, js that runs here. */
  kernels?: KernelChoice;
  /** Standard deviation of the initial entries of R. */
  initScale: number;
  onEpoch?: (info: EpochInfo) => void;
}

/**
 * Where a warm-started fit begins (`sentivec cv`: each fold's vectors from
 * one label-free fit shared by all folds): R (word-major) and b of an
 * earlier fit on the same vocabulary and dimension, and optionally the θ of
 * this fit's documents (D × β; rows of zeros where none is known). ψ and b_c
 * always start at 0.
 */
export interface WarmStart {
  readonly w: Float64Array;
  readonly b: Float64Array;
  readonly theta?: Float64Array;
}

export interface TrainResult {
  /** R word-major (|V| × β). */
  w: Float64Array;
  b: Float64Array;
  /** ψ_1 … ψ_K (K = 1 for two labels: ψ), β each. */
  psi: Float64Array;
  /** b_1 … b_K (for two labels, [b_c]). */
  bc: Float64Array;
  objectiveTrace: number[];
  /** θ of the training documents at the end (D × β). */
  theta: Float64Array;
  epochs: number;
  converged: boolean;
}

/** The learned parameters; ψ and b_c share one array so Adam sees it whole: [ψ_1 … ψ_K, b_1 … b_K] (sentiment.ts), [ψ, b_c] for two labels. */
interface Params {
  w: Float64Array;
  b: Float64Array;
  sent: Float64Array;
}

export function train(data: TrainingData, opts: TrainOptions, alloc: Alloc, start?: WarmStart): TrainResult {
  const { dim } = opts;
  const D = data.docCount;
  const V = data.vocabSize;
  const rng = new Rng(opts.seed);
  const params = start ? warmParams(data, opts, start, alloc) : initialParams(data, opts, rng, alloc);
  const sentLength = data.sentClasses * (dim + 1);
  const sizes = [V * dim, V, sentLength];
  const adam = new Adam(sizes, ADAM_DEFAULTS, (n) => alloc(Float64Array, n));
  const ws: Workspace = {
    ...createWorkspace(data, dim, opts.lambda, params.w, params.b, alloc, opts.kernels),
    update: createUpdateState(dim, V, adam, data.sentA, data.sentB, sentLength, targetLayouts(data), (n) => alloc(Float64Array, n)),
  };
  if (start?.theta) {
    if (start.theta.length !== D * dim) throw new SentivecError(`warm start: θ has ${start.theta.length} values for ${D} documents × ${dim} dimensions`);
    ws.theta.set(start.theta);
  }
  const pool = new ShardPool(ws, opts.threads);
  try {
    const objective = (semantic: number): number => {
      let f = semantic - opts.nu * sqNorm(params.w);
      if (opts.sentimentWeight !== 0) f += opts.sentimentWeight * sentimentTerms(params.w, params.sent, targetLayouts(data), data.sentA, data.sentB, dim, 0).value;
      return f;
    };
    const started = performance.now();
    const first = thetaPass(ws, pool, data);
    let f = objective(first.value);
    const trace = [f];
    const startSeconds = (performance.now() - started) / 1000;
    opts.onEpoch?.({ epoch: 0, objective: f, seconds: startSeconds, thetaSeconds: startSeconds, accepted: true, learningRate: opts.learningRate, thetaGradient: first.medianGradient });

    const saved = new Snapshot(params, ws, sizes);
    const batch = opts.batchSize ?? Math.max(MIN_BATCH, Math.ceil(D / STEPS_PER_EPOCH));
    const perm = Int32Array.from({ length: D }, (_, k) => k);
    let lr = opts.learningRate;
    let undone = 0;
    let converged = false;
    let epoch = 0;
    while (epoch < opts.maxEpochs && !converged && undone < MAX_UNDONE) {
      epoch++;
      const t0 = performance.now();
      saved.take(params, ws, adam);
      ws.order.set(rng.shuffle(perm));
      const base = lr * opts.learningRateDecay ** (epoch - 1);
      miniBatchPass(data, opts, params, ws, pool, adam, batch, (lo) => (epoch === 1 ? base * (0.1 + (0.9 * lo) / D) : base));

      const tTheta = performance.now();
      const pass = thetaPass(ws, pool, data);
      const fNew = objective(pass.value);
      const accepted = fNew >= f;
      if (accepted) {
        converged = (fNew - f) / Math.abs(f) < opts.tol;
        f = fNew;
        trace.push(f);
      } else {
        saved.restore(params, ws, adam);
        markParamsChanged(ws);
        lr /= 2;
        undone++;
      }
      const now = performance.now();
      opts.onEpoch?.({
        epoch,
        objective: f,
        seconds: (now - t0) / 1000,
        thetaSeconds: (now - tTheta) / 1000,
        accepted,
        learningRate: lr * opts.learningRateDecay ** epoch,
        thetaGradient: pass.medianGradient,
      });
    }
    return {
      w: Float64Array.from(params.w),
      b: Float64Array.from(params.b),
      psi: params.sent.slice(0, data.sentClasses * dim),
      bc: params.sent.slice(data.sentClasses * dim),
      objectiveTrace: trace,
      theta: Float64Array.from(ws.theta),
      epochs: epoch,
      converged,
    };
  } finally {
    pool.close();
  }
}

/** Random R (seeded); b at the log unigram distribution, so p(w | θ = 0) is the corpus frequency; ψ = 0, b_c = 0. */
function initialParams(data: TrainingData, opts: TrainOptions, rng: Rng, alloc: Alloc): Params {
  const V = data.vocabSize;
  const w = alloc(Float64Array, V * opts.dim);
  for (let i = 0; i < w.length; i++) w[i] = opts.initScale * rng.normal();
  const b = alloc(Float64Array, V);
  let tokens = 0;
  for (let v = 0; v < V; v++) tokens += data.wordTotals[v];
  for (let v = 0; v < V; v++) b[v] = Math.log((data.wordTotals[v] + 1) / (tokens + V));
  return { w, b, sent: new Float64Array(data.sentClasses * (opts.dim + 1)) };
}

/** R and b copied from a warm start (checked against this fit's shape); ψ = 0, b_c = 0. */
function warmParams(data: TrainingData, opts: TrainOptions, start: WarmStart, alloc: Alloc): Params {
  const V = data.vocabSize;
  if (start.w.length !== V * opts.dim || start.b.length !== V) {
    throw new SentivecError(`warm start: R has ${start.w.length} values and b ${start.b.length} for |V| = ${V} and β = ${opts.dim}`);
  }
  const w = alloc(Float64Array, V * opts.dim);
  w.set(start.w);
  const b = alloc(Float64Array, V);
  b.set(start.b);
  return { w, b, sent: new Float64Array(data.sentClasses * (opts.dim + 1)) };
}

/**
 * The R phase: one shuffled pass over ws.order; per batch, gradients on the
 * pool, then the update of R and b on the pool (update.ts) and of ψ, b_c here.
 */
function miniBatchPass(
  data: TrainingData,
  opts: TrainOptions,
  params: Params,
  ws: Workspace,
  pool: ShardPool,
  adam: Adam,
  batch: number,
  rate: (lo: number) => number,
): void {
  const { nu, sentimentWeight: sw } = opts;
  const D = data.docCount;
  const u = ws.update;
  if (!u) throw new Error('the training workspace has no update state');
  const gradSent = new Float64Array(params.sent.length);
  for (let lo = 0; lo < D; lo += batch) {
    const hi = Math.min(D, lo + batch);
    pool.run(Phase.Train, lo, hi);
    const frac = (hi - lo) / D;
    const lr = rate(lo);
    adam.step++;
    prepareUpdate(u, adam, lr, frac * 2 * nu, frac * sw, params.sent);
    pool.run(Phase.Update, 0, data.vocabSize);
    sentimentGradient(u, gradSent);
    adamStep(params.sent, gradSent, adam.m[2], adam.v[2], 0, params.sent.length, lr, adam.step, adam.settings);
    markParamsChanged(ws);
  }
}

/** Everything an undone epoch must put back. */
class Snapshot {
  private readonly w: Float64Array;
  private readonly b: Float64Array;
  private readonly sent: Float64Array;
  private readonly theta: Float64Array;
  private readonly alpha: Float64Array;
  private readonly adam: Adam;

  constructor(params: Params, ws: Workspace, sizes: number[]) {
    this.w = new Float64Array(params.w.length);
    this.b = new Float64Array(params.b.length);
    this.sent = new Float64Array(params.sent.length);
    this.theta = new Float64Array(ws.theta.length);
    this.alpha = new Float64Array(ws.alpha.length);
    this.adam = new Adam(sizes);
  }

  take(params: Params, ws: Workspace, adam: Adam): void {
    for (const [kept, live] of this.pairs(params, ws)) kept.set(live);
    this.adam.copyFrom(adam);
  }

  restore(params: Params, ws: Workspace, adam: Adam): void {
    for (const [kept, live] of this.pairs(params, ws)) live.set(kept);
    adam.copyFrom(this.adam);
  }

  /** Each kept array with the live one it copies. */
  private pairs(params: Params, ws: Workspace): [Float64Array, Float64Array][] {
    return [[this.w, params.w], [this.b, params.b], [this.sent, params.sent], [this.theta, ws.theta], [this.alpha, ws.alpha]];
  }
}

function sqNorm(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}
