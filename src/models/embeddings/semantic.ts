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
import type { KernelKind } from '../../runtime/kernels.js';
import type { Scratch } from './scratch.js';
import { CHUNK, Phase, shardRange, type Workspace } from './workspace.js';

/** Runs `phase` for shard s over order[lo..hi), resetting that shard's accumulators first. */
export function runShard(ws: Workspace, phase: Phase, s: number, lo: number, hi: number, sc: Scratch): void {
  const { dim, vocabSize: V } = ws;
  const k = sc.kernels;
  sc.sync(ws, phase === Phase.ThetaStep);
  if (phase === Phase.Train) sc.gw.fill(0);
  if (phase === Phase.Train || phase === Phase.ThetaStep) sc.gb.fill(0);
  const moment = ws.shardMoment.subarray(s * dim * dim, (s + 1) * dim * dim);
  if (phase === Phase.ThetaStep) {
    moment.fill(0);
    sc.syncPreconditioner(ws);
  }
  const [a, z] = shardRange(lo, hi, s);
  for (let c0 = a; c0 < z; c0 += CHUNK) {
    const c1 = Math.min(z, c0 + CHUNK);
    const c = c1 - c0;
    const ids = ws.order.subarray(c0, c1);
    evaluateChunk(ws, ids, sc, phase === Phase.Train ? Want.Residual : phase === Phase.ThetaStep ? Want.ThetaGradient : Want.Value);
    if (phase === Phase.Train) {
      k.gemmTNAdd(V, sc.dimP, c, sc.s, sc.t, sc.gw);
      k.colSumsAdd(c, V, sc.s, sc.gb);
    } else if (phase === Phase.ThetaStep) {
      k.colSumsAdd(c, V, sc.s, sc.gb);
      addMoments(ws, ids, sc, moment);
      stepTheta(ws, ids, sc);
    } else {
      for (let i = 0; i < c; i++) acceptOrHalve(ws, ids[i], sc.val[i]);
    }
  }
  if (phase === Phase.Train) ws.shardGradW.set(sc.gw, s * V * sc.dimP);
  if (phase === Phase.Train || phase === Phase.ThetaStep) ws.shardGradB.set(sc.gb, s * V);
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
 * E = n − N P into sc.s (rows) and ∂L_k/∂θ into sc.grad (rows). sc.t holds
 * the chunk's θ rows afterwards. The caller has run sc.sync(ws).
 */
export function evaluateChunk(ws: Workspace, ids: Int32Array, sc: Scratch, want: Want): void {
  const { dim, vocabSize: V, lambda, theta, indptr, indices, counts, lengths } = ws;
  const c = ids.length;
  const { kernels: k, dimP: P, s, t, g, lse, val, bias, grad } = sc;
  for (let i = 0; i < c; i++) {
    const o = ids[i] * dim;
    for (let j = 0; j < dim; j++) t[i * P + j] = theta[o + j];
  }
  k.gemmNN(c, V, dim, t, sc.rT, s, P);
  // The data term Σ_w n_kw (θᵀφ_w + b_w) from the same scores and bias the
  // softmax sees, so that L_k is one consistent function of θ.
  for (let i = 0; i < c; i++) {
    const d = ids[i];
    let data = 0;
    for (let p = indptr[d]; p < indptr[d + 1]; p++) data += counts[p] * (s[i * V + indices[p]] + bias[indices[p]]);
    val[i] = data - lambda * sqNorm(theta, d * dim, dim);
  }
  if (want === Want.Value) {
    k.logSumExpRows(c, V, s, bias, lse);
    for (let i = 0; i < c; i++) val[i] -= lengths[ids[i]] * lse[i];
    return;
  }
  const negLength = sc.negLength;
  for (let i = 0; i < c; i++) negLength[i] = -lengths[ids[i]];
  k.softmaxRows(c, V, s, bias, lse, negLength);
  for (let i = 0; i < c; i++) {
    const d = ids[i];
    val[i] -= lengths[d] * lse[i];
    const o = i * V;
    for (let p = indptr[d]; p < indptr[d + 1]; p++) s[o + indices[p]] += counts[p];
  }
  if (want === Want.Residual) return;
  k.gemmNN(c, P, V, s, sc.r, g);
  for (let i = 0; i < c; i++) {
    const d = ids[i];
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const x = g[i * P + j] - 2 * lambda * theta[d * dim + j];
      grad[i * dim + j] = x;
      norm += x * x;
    }
    ws.gradNorm[d] = Math.sqrt(norm);
  }
}

/**
 * θ_k += α_k H̃_k⁻¹ g_k for the chunk (after evaluateChunk with ThetaGradient),
 * remembering θ_k and L_k for ThetaCheck. H̃_k⁻¹ = U diag(1/(2λ + N_k Λ)) Uᵀ
 * with U's rows the eigenvectors of C̄ (preconditioner.ts), applied to all
 * rows at once as two β × β products.
 */
function stepTheta(ws: Workspace, ids: Int32Array, sc: Scratch): void {
  const { dim, lambda, lengths, theta, thetaOld, eigVal } = ws;
  const { kernels: k, dimP: P, grad, gk, tk, eig } = sc;
  const c = ids.length;
  for (let i = 0; i < c; i++) for (let j = 0; j < dim; j++) gk[i * P + j] = grad[i * dim + j];
  k.gemmNT(c, P, P, gk, eig, tk);
  for (let i = 0; i < c; i++) {
    const n = lengths[ids[i]];
    for (let e = 0; e < dim; e++) tk[i * P + e] /= 2 * lambda + n * eigVal[e];
  }
  k.gemmNN(c, P, P, tk, eig, gk);
  for (let i = 0; i < c; i++) {
    const d = ids[i];
    const o = d * dim;
    ws.valueOld[d] = sc.val[i];
    ws.failed[d] = 0;
    thetaOld.set(theta.subarray(o, o + dim), o);
    const a = ws.alpha[d];
    for (let j = 0; j < dim; j++) theta[o + j] += a * gk[i * P + j];
  }
}

/**
 * Adds Σ_k N_k μ_k μ_kᵀ over the chunk to `moment` (β × β, float64) for the
 * mean Hessian model: m_k = N_k μ_k = R n_k − R e_k, R e_k being sc.g
 * (the gradient without its −2λθ part), R n_k a sparse product.
 */
function addMoments(ws: Workspace, ids: Int32Array, sc: Scratch, moment: Float64Array): void {
  const { dim, indptr, indices, counts, lengths } = ws;
  const { kernels: k, dimP: P, csrPtr, csrIdx, csrVal, g, rn, ms, mom } = sc;
  const c = ids.length;
  let q = 0;
  for (let i = 0; i < c; i++) {
    const d = ids[i];
    for (let p = indptr[d]; p < indptr[d + 1]; p++) {
      csrIdx[q] = indices[p];
      csrVal[q++] = counts[p];
    }
    csrPtr[i + 1] = q;
  }
  k.csrTimes(c, P, csrPtr, csrIdx, csrVal, sc.r, rn);
  for (let i = 0; i < c; i++) {
    const n = lengths[ids[i]];
    const inv = n > 0 ? 1 / n : 0;
    for (let j = 0; j < P; j++) {
      const m = rn[i * P + j] - g[i * P + j];
      rn[i * P + j] = m;
      ms[i * P + j] = m * inv;
    }
  }
  mom.fill(0);
  k.gemmTNAdd(P, P, c, ms, rn, mom);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) moment[i * dim + j] += mom[i * P + j];
}

/**
 * Relative slack for "L_k did not fall", above the rounding error of a
 * computed L_k: ~1e-16 in float64; with float32 kernels the scores θᵀφ_w
 * carry ~1e-7 relative errors that enter L_k as Σ_w e_kw δs_w. Measured on
 * 2,000 synthetic reviews at θ̂ (|V| = 5,000, β = 50): |L_k − L_k(float64)|
 * ≤ 2.0e-8 |L_k|, and the error of a difference L_k(θ') − L_k(θ) ≤ 2.7e-8 |L_k|.
 */
export function valueSlack(kind: KernelKind): number {
  return kind === 'js64' ? 1e-12 : 1e-7;
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
  // Near θ̂ the true change is below the rounding of L_k, so "did not fall"
  // is judged with a relative slack above that rounding; otherwise converged
  // documents would backtrack on noise and shrink their step scale for nothing.
  if (newValue >= old - valueSlack(ws.kernels) * (Math.abs(old) + 1)) {
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

function sqNorm(a: Float64Array, o: number, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += a[o + j] * a[o + j];
  return s;
}
