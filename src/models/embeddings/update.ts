/**
 * The parameter update after each mini-batch, on all threads: word slice s
 * (a fixed quarter of the vocabulary, like a document shard) sums the shard
 * gradients of its rows of R and b in shard order, subtracts the penalty's
 * share, adds the sentiment term's gradient, and takes the Adam step on those
 * rows. Everything there is per word except the sentiment gradient for ψ and
 * b_c, which each slice returns as a partial sum; the main thread adds the
 * partials in slice order and steps ψ, b_c. So the result is the same for
 * any number of threads, and the O(|V| β) work per step no longer runs on one
 * thread while the others wait.
 */
import { adamStep, type Adam } from './adam.js';
import { SHARDS, shardRange, type UpdateState, type Workspace } from './workspace.js';
import { sentimentTerms } from './targets.js';
import type { TargetLayout } from './data.js';

/** Slots of UpdateState.ctl; from Sent on, the sentiment block [ψ_1 … ψ_K, b_1 … b_K] (sentiment.ts). */
const Ctl = { Rate: 0, Step: 1, Decay: 2, SentScale: 3, Beta1: 4, Beta2: 5, Eps: 6, Sent: 7 } as const;

/** `sentLength`: K(β + 1) for K sentiment classes beyond the reference one (β + 1 for two labels); `targets`: targets.ts. */
export function createUpdateState(dim: number, vocabSize: number, adam: Adam, sentA: Float64Array, sentB: Float64Array, sentLength: number, targets: readonly TargetLayout[], alloc: (n: number) => Float64Array): UpdateState {
  const copy = (a: Float64Array): Float64Array => {
    const c = alloc(a.length);
    c.set(a);
    return c;
  };
  return {
    mW: adam.m[0],
    vW: adam.v[0],
    mB: adam.m[1],
    vB: adam.v[1],
    sentA: copy(sentA),
    sentB: copy(sentB),
    targets,
    gradW: alloc(vocabSize * dim),
    gradB: alloc(vocabSize),
    ctl: alloc(Ctl.Sent + sentLength),
    sentPart: alloc(SHARDS * sentLength),
  };
}

/** Main thread, before Phase.Update: the step's settings and the current sentiment block ([ψ, b_c] for two labels). */
export function prepareUpdate(u: UpdateState, adam: Adam, rate: number, decay: number, sentScale: number, sent: Float64Array): void {
  const c = u.ctl;
  c[Ctl.Rate] = rate;
  c[Ctl.Step] = adam.step;
  c[Ctl.Decay] = decay;
  c[Ctl.SentScale] = sentScale;
  c[Ctl.Beta1] = adam.settings.beta1;
  c[Ctl.Beta2] = adam.settings.beta2;
  c[Ctl.Eps] = adam.settings.eps;
  c.set(sent, Ctl.Sent);
}

/** Main thread, after Phase.Update: out = [∂/∂ψ, ∂/∂b_c] of the scaled sentiment term, summed in slice order. */
export function sentimentGradient(u: UpdateState, out: Float64Array): void {
  const n = out.length;
  out.fill(0);
  for (let s = 0; s < SHARDS; s++) for (let j = 0; j < n; j++) out[j] += u.sentPart[s * n + j];
}

/** Phase.Update for word slice s. */
export function updateSlice(ws: Workspace, s: number): void {
  const u = ws.update;
  if (!u) throw new Error('Phase.Update needs ws.update');
  const { dim, dimP: P, vocabSize: V, w, b, shardGradW, shardGradB } = ws;
  const { gradW, gradB, ctl } = u;
  const [lo, hi] = shardRange(0, V, s);
  const decay = ctl[Ctl.Decay];
  const n = V * P;
  if (SHARDS !== 4) throw new Error('updateSlice sums exactly 4 shards');
  for (let v = lo; v < hi; v++) {
    for (let j = 0; j < dim; j++) {
      const i = v * P + j;
      const o = v * dim + j;
      gradW[o] = shardGradW[i] + shardGradW[n + i] + shardGradW[2 * n + i] + shardGradW[3 * n + i] - decay * w[o];
    }
    gradB[v] = shardGradB[v] + shardGradB[V + v] + shardGradB[2 * V + v] + shardGradB[3 * V + v];
  }
  const n1 = ctl.length - Ctl.Sent;
  const part = u.sentPart.subarray(s * n1, (s + 1) * n1);
  part.fill(0);
  const scale = ctl[Ctl.SentScale];
  if (scale !== 0) {
    // Before R's own step: the ψ gradient needs φ_w as it was.
    const g = sentimentTerms(w, ctl.subarray(Ctl.Sent), u.targets, u.sentA, u.sentB, dim, scale, gradW, lo, hi);
    part.set(g.grad);
  }
  const settings = { beta1: ctl[Ctl.Beta1], beta2: ctl[Ctl.Beta2], eps: ctl[Ctl.Eps] };
  const rate = ctl[Ctl.Rate];
  const step = ctl[Ctl.Step];
  adamStep(w, gradW, u.mW, u.vW, lo * dim, hi * dim, rate, step, settings);
  adamStep(b, gradB, u.mB, u.vB, lo, hi, rate, step, settings);
}
