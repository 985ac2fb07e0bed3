/**
 * The state every thread of a word-vector phase shares (flat typed arrays,
 * SharedArrayBuffers with threads), the constants that fix how work is cut
 * into shards, and the phases. In its own file so that semantic.ts,
 * update.ts, scratch.ts and pool.ts all depend on it and not on each other.
 */
import type { KernelKind } from '../../runtime/kernels.js';
import type { TargetLayout } from './data.js';

/** Documents per kernel call: 64 × 5,000 float32 scores (1.3 MB) per thread. */
export const CHUNK = 64;
/** Fixed number of slices of every document list (part of the numeric result, like the seed). */
export const SHARDS = 4;

export interface Workspace {
  readonly dim: number;
  /** β rounded up to a multiple of 4: the row width of θ and R in kernel storage (see Scratch). */
  readonly dimP: number;
  readonly vocabSize: number;
  readonly lambda: number;
  /** Which kernels compute the dense products (every thread uses the same, see kernels.ts). */
  readonly kernels: KernelKind;
  /** R, word-major (|V| × β): row w is φ_w. The float64 master copy (Adam updates it); kernels read a float32 copy. */
  readonly w: Float64Array;
  readonly b: Float64Array;
  /** [0] counts changes of w and b (markParamsChanged), so each thread re-copies them only when they changed. */
  readonly paramsVersion: Int32Array;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly counts: Float64Array;
  readonly lengths: Float64Array;
  /** θ_k, one row of β per document (float64: Newton steps near θ̂ are below float32 resolution). */
  readonly theta: Float64Array;
  /** θ before the last step (for exact reverts). */
  readonly thetaOld: Float64Array;
  /** Per-document step scale in (0, 1]: halves when a step fails, doubles back when one succeeds. */
  readonly alpha: Float64Array;
  /** L_k at θ before / after the last step. */
  readonly valueOld: Float64Array;
  readonly value: Float64Array;
  /** Nonzero while document k's last step is being halved back (ThetaCheck). */
  readonly failed: Int32Array;
  /** ‖∂L_k/∂θ‖ at the last gradient evaluation. */
  readonly gradNorm: Float64Array;
  /** Document ids a phase runs over (a shuffled batch, or every document). */
  readonly order: Int32Array;
  /** Preconditioner: eigenvectors (rows) and eigenvalues of the mean per-token Hessian, see preconditioner.ts. */
  readonly eigVec: Float64Array;
  readonly eigVal: Float64Array;
  /** Per-shard accumulators: ∇R (|V| × dimP, padding columns 0), Σ_k e_k (|V|), Σ_k N_k μ_k μ_kᵀ (β × β). */
  readonly shardGradW: Float64Array;
  readonly shardGradB: Float64Array;
  readonly shardMoment: Float64Array;
  /** Training only: what Phase.Update needs besides the above. */
  readonly update?: UpdateState;
}

/** Call after changing ws.w or ws.b (between pool runs): threads copy them again before their next shard. */
export function markParamsChanged(ws: Workspace): void {
  Atomics.add(ws.paramsVersion, 0, 1);
}

/** What a shard does with the documents order[lo..hi). */
export const Phase = {
  /** Gradients for R and b at the current θ (mini-batch training; θ stays fixed). */
  Train: 1,
  /** L_k and ∂L_k/∂θ at θ (remembered as valueOld/thetaOld), Hessian statistics, then a θ step. */
  ThetaStep: 2,
  /** L_k after the step; documents whose L_k fell are flagged and halve their step. */
  ThetaCheck: 3,
  /** The parameter update after a Train phase, one word slice per shard (update.ts; pool.ts dispatches it). */
  Update: 4,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** The contiguous slice of order[lo..hi) that shard s owns. */
export function shardRange(lo: number, hi: number, s: number): [number, number] {
  const n = hi - lo;
  return [lo + Math.floor((n * s) / SHARDS), lo + Math.floor((n * (s + 1)) / SHARDS)];
}

export interface UpdateState {
  /** Adam moments of R (|V| × β) and b, in shared memory. */
  readonly mW: Float64Array;
  readonly vW: Float64Array;
  readonly mB: Float64Array;
  readonly vB: Float64Array;
  readonly sentA: Float64Array;
  readonly sentB: Float64Array;
  /** The targets' K_t and weights (targets.ts): plain numbers, copied to each worker once. */
  readonly targets: readonly TargetLayout[];
  /** The step's gradient (each slice writes its own rows). */
  readonly gradW: Float64Array;
  readonly gradB: Float64Array;
  /** Set by the main thread per step, see Ctl; then ψ (β) and b_c. */
  readonly ctl: Float64Array;
  /** Per slice: Σ over its words of the sentiment gradient for ψ (β values) and b_c. */
  readonly sentPart: Float64Array;
}
