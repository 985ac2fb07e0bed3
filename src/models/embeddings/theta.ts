/**
 * θ phases: with R and b fixed, move every document's θ_k towards
 * θ̂_k = argmax L_k by one checked Newton step (semantic.ts does the per-
 * document work, the pool spreads it over threads). The problems are
 * independent and convex, so each step is accepted only if L_k does not fall
 * (halving it up to MAX_HALVINGS times, then keeping the old θ), and the
 * objective never decreases during a θ phase.
 */
import type { TrainingData, Alloc } from './data.js';
import { ShardPool } from './pool.js';
import { initialCovariance, meanCovariance, symmetricEigen } from './preconditioner.js';
import { resolveKernels, type KernelChoice } from '../../runtime/kernels.js';
import { paddedDim } from './scratch.js';
import { Phase, SHARDS, type Workspace } from './workspace.js';

/**
 * A workspace over `data` that reads R and b from `w` and `b` (not copied;
 * call markParamsChanged after changing them). All θ start at 0. `kernels`
 * defaults to $SENTIVEC_KERNELS, else the first of wasm-fma, wasm, js that runs here.
 */
export function createWorkspace(
  data: TrainingData,
  dim: number,
  lambda: number,
  w: Float64Array,
  b: Float64Array,
  alloc: Alloc,
  kernels?: KernelChoice,
): Workspace {
  const D = data.docCount;
  const V = data.vocabSize;
  const ws: Workspace = {
    dim,
    dimP: paddedDim(dim),
    vocabSize: V,
    lambda,
    kernels: resolveKernels(kernels),
    w,
    b,
    paramsVersion: alloc(Int32Array, 1),
    indptr: data.indptr,
    indices: data.indices,
    counts: data.counts,
    lengths: data.lengths,
    theta: alloc(Float64Array, D * dim),
    thetaOld: alloc(Float64Array, D * dim),
    alpha: alloc(Float64Array, D).fill(1),
    failed: alloc(Int32Array, D),
    valueOld: alloc(Float64Array, D),
    value: alloc(Float64Array, D),
    gradNorm: alloc(Float64Array, D),
    order: alloc(Int32Array, D),
    eigVec: alloc(Float64Array, dim * dim),
    eigVal: alloc(Float64Array, dim),
    shardGradW: alloc(Float64Array, SHARDS * V * paddedDim(dim)),
    shardGradB: alloc(Float64Array, SHARDS * V),
    shardMoment: alloc(Float64Array, SHARDS * dim * dim),
  };
  resetPreconditioner(ws);
  return ws;
}

/** Hessian model for θ = 0 everywhere (start of training and inference). */
export function resetPreconditioner(ws: Workspace): void {
  symmetricEigen(initialCovariance(ws.w, ws.b, ws.dim), ws.dim, ws.eigVec, ws.eigVal);
}

/** Step halvings tried before a document keeps its previous θ. */
const MAX_HALVINGS = 8;

export interface ThetaPassResult {
  /** Σ_k L_k after the step. */
  value: number;
  /** max_k and median_k of ‖∂L_k/∂θ‖ / max(N_k, 1) before the step: how far from θ̂ the pass started. */
  maxGradient: number;
  medianGradient: number;
}

/** One checked Newton step on every document's θ; refreshes the Hessian model on the way. */
export function thetaPass(ws: Workspace, pool: ShardPool, data: TrainingData): ThetaPassResult {
  const D = data.docCount;
  for (let k = 0; k < D; k++) ws.order[k] = k;
  pool.run(Phase.ThetaStep, 0, D);
  refreshPreconditioner(ws, data);
  pool.run(Phase.ThetaCheck, 0, D);
  for (let h = 0; h < MAX_HALVINGS; h++) {
    let n = 0;
    for (let k = 0; k < D; k++) if (ws.failed[k] !== 0) ws.order[n++] = k;
    if (n === 0) break;
    pool.run(Phase.ThetaCheck, 0, n);
  }
  const dim = ws.dim;
  for (let k = 0; k < D; k++) {
    if (ws.failed[k] === 0) continue;
    ws.theta.set(ws.thetaOld.subarray(k * dim, (k + 1) * dim), k * dim);
    ws.value[k] = ws.valueOld[k];
    ws.failed[k] = 0;
  }
  let value = 0;
  const rel = new Float64Array(D);
  for (let k = 0; k < D; k++) {
    value += ws.value[k];
    rel[k] = ws.gradNorm[k] / Math.max(1, ws.lengths[k]);
  }
  rel.sort();
  return { value, maxGradient: rel[D - 1], medianGradient: rel[D >> 1] };
}

/** C̄ from the statistics the ThetaStep phase left in the shard accumulators (summed in shard order). */
function refreshPreconditioner(ws: Workspace, data: TrainingData): void {
  const { dim, vocabSize: V } = ws;
  const q = Float64Array.from(data.wordTotals);
  const moment = new Float64Array(dim * dim);
  let tokens = 0;
  for (let k = 0; k < data.docCount; k++) tokens += data.lengths[k];
  for (let s = 0; s < SHARDS; s++) {
    for (let v = 0; v < V; v++) q[v] -= ws.shardGradB[s * V + v];
    for (let i = 0; i < dim * dim; i++) moment[i] += ws.shardMoment[s * dim * dim + i];
  }
  for (let v = 0; v < V; v++) q[v] = Math.max(0, q[v]);
  symmetricEigen(meanCovariance(ws.w, q, moment, tokens, dim), dim, ws.eigVec, ws.eigVal);
}

export interface SolveOptions {
  maxPasses: number;
  /** Stop once max_k ‖∂L_k/∂θ‖ / max(N_k, 1) falls below this. */
  gradientTol: number;
}

/** θ phases until every document is (nearly) at θ̂_k. Returns Σ_k L_k and the passes run. */
export function solveTheta(ws: Workspace, pool: ShardPool, data: TrainingData, opts: SolveOptions): { value: number; passes: number; maxGradient: number } {
  let last: ThetaPassResult = { value: -Infinity, maxGradient: Infinity, medianGradient: Infinity };
  let passes = 0;
  while (passes < opts.maxPasses) {
    last = thetaPass(ws, pool, data);
    passes++;
    if (last.maxGradient <= opts.gradientTol) break;
  }
  return { value: last.value, passes, maxGradient: last.maxGradient };
}
