/**
 * The semantic component per document: p(w | θ; R, b) = softmax_w(θᵀφ_w + b_w)
 * and the document's term of the objective
 *   L_k(θ) = −λ‖θ‖² + Σ_w n_kw log p(w | θ) = −λ‖θ‖² + Σ_w n_kw (θᵀφ_w + b_w) − N_k lse_k(θ),
 * with gradients
 *   ∂L_k/∂θ   = −2λθ + R e_k,       e_k = n_k − N_k p_k,
 *   ∂L_k/∂φ_w = e_kw θ,  ∂L_k/∂b_w = e_kw.
 * Documents are processed in chunks so that the dense products run as
 * matrix–matrix kernels: S = Θ Rᵀ always, then G = E R for θ steps or
 * ∇R += Eᵀ Θ for R steps.
 *
 * Everything here reads and writes a Workspace of flat typed arrays so that
 * worker threads can run the same code on SharedArrayBuffers (see pool.ts).
 * A "shard" is a fixed slice of a document list; each shard accumulates into
 * its own buffers and the caller sums them in shard order, so results never
 * depend on how many threads ran the shards.
 */
import { gemmNN, gemmNT, gemmTNAdd, softmaxRows } from './kernels.js';
import { applyPreconditioner } from './preconditioner.js';

/** Documents per kernel call: 64 × 5,000 doubles of scores (2.6 MB) per thread. */
export const CHUNK = 64;
/** Fixed number of slices of every document list (part of the numeric result, like the seed). */
export const SHARDS = 4;

export interface Workspace {
  readonly dim: number;
  readonly vocabSize: number;
  readonly lambda: number;
  /** R, word-major (|V| × β): row w is φ_w. */
  readonly w: Float64Array;
  readonly b: Float64Array;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly counts: Float64Array;
  readonly lengths: Float64Array;
  /** θ_k, one row of β per document. */
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
  /** Per-shard accumulators: ∇R (|V| × β), Σ_k e_k (|V|), Σ_k N_k μ_k μ_kᵀ (β × β). */
  readonly shardGradW: Float64Array;
  readonly shardGradB: Float64Array;
  readonly shardMoment: Float64Array;
}

/** What a shard does with the documents order[lo..hi). */
export const Phase = {
  /** Gradients for R and b at the current θ (mini-batch training; θ stays fixed). */
  Train: 1,
  /** L_k and ∂L_k/∂θ at θ (remembered as valueOld/thetaOld), Hessian statistics, then a θ step. */
  ThetaStep: 2,
  /** L_k after the step; documents whose L_k fell are flagged and halve their step. */
  ThetaCheck: 3,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** Per-thread scratch (never shared). */
export class Scratch {
  readonly s: Float64Array;
  readonly t: Float64Array;
  readonly g: Float64Array;
  readonly lse: Float64Array;
  readonly val: Float64Array;
  readonly vec: Float64Array;

  constructor(dim: number, vocabSize: number) {
    this.s = new Float64Array(CHUNK * vocabSize);
    this.t = new Float64Array(CHUNK * dim);
    this.g = new Float64Array(CHUNK * dim);
    this.lse = new Float64Array(CHUNK);
    this.val = new Float64Array(CHUNK);
    this.vec = new Float64Array(2 * dim);
  }
}

/** The contiguous slice of order[lo..hi) that shard s owns. */
export function shardRange(lo: number, hi: number, s: number): [number, number] {
  const n = hi - lo;
  return [lo + Math.floor((n * s) / SHARDS), lo + Math.floor((n * (s + 1)) / SHARDS)];
}

/** Runs `phase` for shard s over order[lo..hi), resetting that shard's accumulators first. */
export function runShard(ws: Workspace, phase: Phase, s: number, lo: number, hi: number, sc: Scratch): void {
  const { dim, vocabSize: V } = ws;
  const gradW = ws.shardGradW.subarray(s * V * dim, (s + 1) * V * dim);
  const gradB = ws.shardGradB.subarray(s * V, (s + 1) * V);
  const moment = ws.shardMoment.subarray(s * dim * dim, (s + 1) * dim * dim);
  if (phase === Phase.Train) gradW.fill(0);
  if (phase === Phase.Train || phase === Phase.ThetaStep) gradB.fill(0);
  if (phase === Phase.ThetaStep) moment.fill(0);
  const [a, z] = shardRange(lo, hi, s);
  for (let c0 = a; c0 < z; c0 += CHUNK) {
    const c1 = Math.min(z, c0 + CHUNK);
    const c = c1 - c0;
    const ids = ws.order.subarray(c0, c1);
    evaluateChunk(ws, ids, sc, phase === Phase.Train ? Want.Residual : phase === Phase.ThetaStep ? Want.ThetaGradient : Want.Value);
    if (phase === Phase.Train) {
      gemmTNAdd(V, dim, c, sc.s, sc.t, gradW);
      columnSums(c, V, sc.s, gradB);
    } else if (phase === Phase.ThetaStep) {
      columnSums(c, V, sc.s, gradB);
      for (let i = 0; i < c; i++) {
        const d = ids[i];
        const g = sc.g.subarray(i * dim, (i + 1) * dim);
        ws.valueOld[d] = sc.val[i];
        addMoment(ws, d, g, sc.vec, moment);
        ws.thetaOld.set(ws.theta.subarray(d * dim, (d + 1) * dim), d * dim);
        ws.failed[d] = 0;
        stepTheta(ws, d, g, sc.vec);
      }
    } else {
      for (let i = 0; i < c; i++) acceptOrHalve(ws, ids[i], sc.val[i]);
    }
  }
}

/** How much evaluateChunk computes beyond L_k. */
export const Want = {
  Value: 0,
  /** E = n − N P, for the gradients wrt R and b. */
  Residual: 1,
  /** E and ∂L_k/∂θ. */
  ThetaGradient: 2,
} as const;
export type Want = (typeof Want)[keyof typeof Want];

/**
 * L_k for the documents `ids` at their current θ into sc.val; per `want` also
 * E = n − N P into sc.s (rows) and ∂L_k/∂θ into sc.g (rows). sc.t holds the
 * chunk's θ rows afterwards.
 */
export function evaluateChunk(ws: Workspace, ids: Int32Array, sc: Scratch, want: Want): void {
  const { dim, vocabSize: V, lambda, w, b, theta, indptr, indices, counts, lengths } = ws;
  const c = ids.length;
  const { s, t, g, lse, val } = sc;
  for (let i = 0; i < c; i++) t.set(theta.subarray(ids[i] * dim, (ids[i] + 1) * dim), i * dim);
  gemmNT(c, V, dim, t, w, s);
  for (let i = 0; i < c; i++) {
    const d = ids[i];
    let data = 0;
    for (let p = indptr[d]; p < indptr[d + 1]; p++) data += counts[p] * (s[i * V + indices[p]] + b[indices[p]]);
    val[i] = data - lambda * sqNorm(t, i * dim, dim);
  }
  softmaxRows(c, V, s, b, lse);
  for (let i = 0; i < c; i++) val[i] -= lengths[ids[i]] * lse[i];
  if (want === Want.Value) return;
  for (let i = 0; i < c; i++) {
    const d = ids[i];
    const o = i * V;
    const nk = -lengths[d];
    for (let j = 0; j < V; j++) s[o + j] *= nk;
    for (let p = indptr[d]; p < indptr[d + 1]; p++) s[o + indices[p]] += counts[p];
  }
  if (want === Want.Residual) return;
  gemmNN(c, dim, V, s, w, g);
  for (let q = 0; q < c * dim; q++) g[q] -= 2 * lambda * t[q];
  for (let i = 0; i < c; i++) ws.gradNorm[ids[i]] = Math.sqrt(sqNorm(g, i * dim, dim));
}

/** θ_k += α_k H̃_k⁻¹ g: a damped Newton step with the shared Hessian model of preconditioner.ts. */
function stepTheta(ws: Workspace, d: number, g: Float64Array, tmp: Float64Array): void {
  const { dim } = ws;
  const step = tmp.subarray(0, dim);
  applyPreconditioner(ws.eigVec, ws.eigVal, dim, 2 * ws.lambda, ws.lengths[d], g, step, tmp.subarray(dim, 2 * dim));
  const a = ws.alpha[d];
  const o = d * dim;
  for (let j = 0; j < dim; j++) ws.theta[o + j] += a * step[j];
}

/**
 * Adds N_k μ_k μ_kᵀ, μ_k = R p_k = (R n_k − R e_k)/N_k, for the mean Hessian
 * model. R e_k is the gradient without its −2λθ part.
 */
function addMoment(ws: Workspace, d: number, g: Float64Array, tmp: Float64Array, moment: Float64Array): void {
  const { dim, w, theta, lambda, indptr, indices, counts } = ws;
  const n = ws.lengths[d];
  if (n === 0) return;
  const mu = tmp.subarray(0, dim);
  for (let j = 0; j < dim; j++) mu[j] = -(g[j] + 2 * lambda * theta[d * dim + j]);
  for (let p = indptr[d]; p < indptr[d + 1]; p++) {
    const o = indices[p] * dim;
    const c = counts[p];
    for (let j = 0; j < dim; j++) mu[j] += c * w[o + j];
  }
  const inv = 1 / n;
  for (let i = 0; i < dim; i++) {
    const mi = mu[i] * inv;
    for (let j = 0; j < dim; j++) moment[i * dim + j] += mi * mu[j];
  }
}

/**
 * Keeps the step if L_k did not fall. Otherwise moves θ_k halfway back to
 * θ_old and flags the document; theta.ts re-checks flagged documents as a
 * batch (halving again each round) and finally reverts any still failing to
 * θ_old exactly, so a θ phase never lowers L_k.
 */
function acceptOrHalve(ws: Workspace, d: number, newValue: number): void {
  const old = ws.valueOld[d];
  const retry = ws.failed[d] !== 0;
  // Near θ̂ the true change is below rounding (~1e-16 |L|), so "did not fall"
  // is judged with a 1e-12 relative slack; otherwise converged documents would
  // backtrack on noise and shrink their step scale for nothing.
  if (newValue >= old - 1e-12 * (Math.abs(old) + 1)) {
    ws.value[d] = newValue;
    if (!retry) ws.alpha[d] = Math.min(1, 2 * ws.alpha[d]);
    ws.failed[d] = 0;
    return;
  }
  const o = ws.dim * d;
  for (let j = 0; j < ws.dim; j++) ws.theta[o + j] = 0.5 * (ws.thetaOld[o + j] + ws.theta[o + j]);
  ws.alpha[d] = Math.max(0.5 * ws.alpha[d], 1e-6);
  ws.failed[d] = 1;
}

function columnSums(m: number, n: number, a: Float64Array, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) out[j] += a[o + j];
  }
}

function sqNorm(a: Float64Array, o: number, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += a[o + j] * a[o + j];
  return s;
}
