/**
 * The full objective at given parameters and given θ, with its gradient, on a
 * single thread through the same kernels training uses. For tests (gradient
 * checks against finite differences) and diagnostics; training itself works
 * batch by batch (trainer.ts).
 *
 *   F = Σ_k L_k(θ_k; R, b) − ν‖R‖²_F + w_s · Sent(R, ψ, b_c)
 * (Sent = Σ_t w_t Sent_t with several targets, targets.ts).
 */
import type { TrainingData } from './data.js';
import { plainAlloc } from './data.js';
import type { KernelChoice } from '../../runtime/kernels.js';
import { Scratch } from './scratch.js';
import { Want, evaluateChunk } from './semantic.js';
import { CHUNK } from './workspace.js';
import { sentimentTerms, targetLayouts } from './targets.js';
import { createWorkspace } from './theta.js';

export interface ModelParams {
  readonly dim: number;
  /** R word-major: w[v * dim + j] = R[j][v]. */
  readonly w: Float64Array;
  readonly b: Float64Array;
  /** ψ_1 … ψ_K, β each (K = 1, ψ, for two labels). */
  readonly psi: Float64Array;
  /** b_c, or b_1 … b_K for k > 2 labels. */
  readonly bc: number | Float64Array;
}

export interface Hyperparameters {
  readonly lambda: number;
  readonly nu: number;
  /** w_s; 0 turns the sentiment term off. */
  readonly sentimentWeight: number;
}

export interface ObjectiveValue {
  /** semantic − penalty + sentimentWeight · sentiment. */
  total: number;
  /** Σ_k [−λ‖θ_k‖² + Σ_i log p(w_i | θ_k)]. */
  semantic: number;
  /** The unweighted sentiment term (before the w_s multiplier). */
  sentiment: number;
  /** ν‖R‖²_F. */
  penalty: number;
}

export interface ObjectiveGradient extends ObjectiveValue {
  /** ∂F/∂θ, D × β. */
  theta: Float64Array;
  w: Float64Array;
  b: Float64Array;
  psi: Float64Array;
  /** ∂F/∂b_1 (b_c for two labels); all of them in `bcs`. */
  bc: number;
  bcs: Float64Array;
}

/** `kernels`: see kernels.ts (js64 gives float64 values, e.g. for finite differences). */
export function evaluateObjective(params: ModelParams, data: TrainingData, theta: Float64Array, hyper: Hyperparameters, kernels?: KernelChoice): ObjectiveValue {
  const { total, semantic, sentiment, penalty } = objectiveGradient(params, data, theta, hyper, kernels);
  return { total, semantic, sentiment, penalty };
}

export function objectiveGradient(params: ModelParams, data: TrainingData, theta: Float64Array, hyper: Hyperparameters, kernels?: KernelChoice): ObjectiveGradient {
  const { dim } = params;
  const D = data.docCount;
  const V = data.vocabSize;
  if (params.w.length !== V * dim || params.b.length !== V || theta.length !== D * dim) throw new RangeError('parameter shapes do not match the data');
  const ws = createWorkspace(data, dim, hyper.lambda, params.w, params.b, plainAlloc, kernels);
  ws.theta.set(theta);
  const sc = new Scratch(ws);
  sc.sync(ws);
  const k = sc.kernels;
  const P = sc.dimP;
  const gTheta = new Float64Array(D * dim);
  const gW = new Float64Array(V * dim);
  let semantic = 0;
  for (let c0 = 0; c0 < D; c0 += CHUNK) {
    const c = Math.min(D, c0 + CHUNK) - c0;
    const ids = Int32Array.from({ length: c }, (_, i) => c0 + i);
    evaluateChunk(ws, ids, sc, Want.ThetaGradient);
    // Per chunk into float64, so the sum over all documents is not a float32 one.
    sc.gw.fill(0);
    k.gemmTNAdd(V, P, c, sc.s, sc.t, sc.gw);
    for (let v = 0; v < V; v++) for (let j = 0; j < dim; j++) gW[v * dim + j] += sc.gw[v * P + j];
    k.colSumsAdd(c, V, sc.s, sc.gb);
    for (let i = 0; i < c; i++) semantic += sc.val[i];
    gTheta.set(sc.grad.subarray(0, c * dim), c0 * dim);
  }
  const gB = Float64Array.from(sc.gb);
  let penalty = 0;
  for (let i = 0; i < gW.length; i++) {
    penalty += params.w[i] * params.w[i];
    gW[i] -= 2 * hyper.nu * params.w[i];
  }
  penalty *= hyper.nu;
  const bcs = typeof params.bc === 'number' ? [params.bc] : params.bc;
  const K = bcs.length;
  const block = new Float64Array(K * (dim + 1));
  block.set(params.psi.subarray(0, K * dim));
  block.set(bcs, K * dim);
  const sent = sentimentTerms(params.w, block, targetLayouts(data), data.sentA, data.sentB, dim, hyper.sentimentWeight, gW);
  return {
    total: semantic - penalty + hyper.sentimentWeight * sent.value,
    semantic,
    sentiment: sent.value,
    penalty,
    theta: gTheta,
    w: gW,
    b: gB,
    psi: sent.grad.slice(0, K * dim),
    bc: sent.grad[K * dim],
    bcs: sent.grad.slice(K * dim),
  };
}
