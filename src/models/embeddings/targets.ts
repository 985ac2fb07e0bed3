/**
 * Several sentiment targets at once (issue #14; the paper's model "can
 * leverage continuous and multi-dimensional sentiment information as well as
 * non-sentiment annotations"): sentiment and subjectivity, or several aspect
 * ratings. Each target t has its own ψ's and b's and its own term, weighted
 * 1/|S_k| within the target as the paper does, and the sentiment component is
 *   Sent = Σ_t w_t · Sent_t(R, ψ^(t), b^(t)),
 * where Sent_t is the two-class term for a binary or a continuous target
 * (soft s ∈ [0, 1], e.g. a rating rescaled) and the softmax term for a
 * k-class one (sentiment.ts). A document without a value for target t only
 * enters the other targets' terms (and the semantic one).
 *
 * Layout: the sentiment block stays [ψ rows …, b's …] with the targets' rows
 * in order: target t owns rows o_t .. o_t + K_t − 1 (o_t = Σ_{t' < t} K_t')
 * and the b's at the same places, so with one target it is exactly the
 * single-target block and the trainer needs no change.
 */
import { SentivecError } from '../../util/errors.js';
import { plainAlloc, prepareData, type Alloc, type SentimentSupervision, type TargetLayout, type TrainingData } from './data.js';
import { sentimentTerm, type SentimentGradient } from './sentiment.js';
import type { TokenizedDocs } from '../../text/documents.js';

/** Several targets' supervision, one entry per target (each as for a single target), and optional weights w_t (default 1 each). */
export interface MultiTargets {
  readonly targets: readonly SentimentSupervision[];
  readonly weights?: readonly number[];
}

export function isMultiTargets(x: SentimentSupervision | MultiTargets): x is MultiTargets {
  return typeof x === 'object' && x !== null && 'targets' in x;
}

/** The targets of `data`: its own list, or the one target a single-target TrainingData has. */
export function targetLayouts(data: TrainingData): readonly TargetLayout[] {
  return data.targets ?? [{ classes: data.sentClasses, weight: 1 }];
}

/** Where target t's ψ rows (and b's) start in the sentiment block. */
export function targetOffset(layouts: readonly TargetLayout[], t: number): number {
  let o = 0;
  for (let i = 0; i < t; i++) o += layouts[i].classes;
  return o;
}

/** Training data for one target or several (a single target gives prepareData's data unchanged). */
export function prepareSupervision(docs: TokenizedDocs, given: SentimentSupervision | MultiTargets, vocabSize: number, alloc: Alloc = plainAlloc): TrainingData {
  if (!isMultiTargets(given)) return prepareData(docs, given, vocabSize, alloc);
  const T = given.targets.length;
  if (T === 0) throw new SentivecError('several targets were asked for, but none was given');
  const weights = given.weights ?? new Array<number>(T).fill(1);
  if (weights.length !== T) throw new SentivecError(`got ${weights.length} target weights for ${T} targets`);
  weights.forEach((w, t) => {
    if (!(Number.isFinite(w) && w >= 0)) throw new SentivecError(`the weight of target ${t + 1} is ${w}; expected a finite number ≥ 0`);
  });
  // Each target's statistics as if it were the only one; the counts (CSR) of the first serve all.
  const parts = given.targets.map((s, t) => prepareData(docs, s, vocabSize, t === 0 ? alloc : plainAlloc));
  const V = vocabSize;
  const layouts = parts.map((p, t) => ({ classes: p.sentClasses, weight: weights[t] }));
  const sentA = new Float64Array(T * V);
  const sentB = new Float64Array(parts.reduce((n, p) => n + p.sentB.length, 0));
  let offB = 0;
  parts.forEach((p, t) => {
    sentA.set(p.sentA, t * V);
    sentB.set(p.sentB, offB);
    offB += p.sentB.length;
  });
  return {
    ...parts[0],
    sentA,
    sentB,
    sentClasses: targetOffset(layouts, T),
    labeledCount: Math.min(...parts.map((p) => p.labeledCount)),
    targets: layouts,
  };
}

/**
 * Value Σ_t w_t Sent_t and, scaled by `scale`, its gradient over the words
 * [lo, hi) (all by default): the R part is added into gradW (full |V| × β
 * array) when given, the ψ and b parts are returned in the block's layout.
 * One target of weight 1 runs sentimentTerm on exactly the arrays it always
 * got, so single-target vectors stay bit for bit what they were.
 */
export function sentimentTerms(
  w: Float64Array,
  sent: Float64Array,
  layouts: readonly TargetLayout[],
  sentA: Float64Array,
  sentB: Float64Array,
  dim: number,
  scale: number,
  gradW?: Float64Array,
  lo = 0,
  hi = w.length / dim,
): SentimentGradient {
  const wPart = w.subarray(lo * dim, hi * dim);
  const gPart = gradW?.subarray(lo * dim, hi * dim);
  const V = sentA.length / layouts.length;
  if (layouts.length === 1 && layouts[0].weight === 1) {
    const K = layouts[0].classes;
    return sentimentTerm(wPart, sent, sentA.subarray(lo, hi), sentB.subarray(lo * K, hi * K), dim, scale, gPart);
  }
  const total = targetOffset(layouts, layouts.length);
  const grad = new Float64Array(total * (dim + 1));
  let value = 0;
  let row = 0;
  let offB = 0;
  for (let t = 0; t < layouts.length; t++) {
    const { classes: K, weight } = layouts[t];
    const block = new Float64Array(K * (dim + 1));
    block.set(sent.subarray(row * dim, (row + K) * dim));
    block.set(sent.subarray(total * dim + row, total * dim + row + K), K * dim);
    if (weight !== 0) {
      const g = sentimentTerm(wPart, block, sentA.subarray(t * V + lo, t * V + hi), sentB.subarray(offB + lo * K, offB + hi * K), dim, scale * weight, gPart);
      value += weight * g.value;
      grad.set(g.grad.subarray(0, K * dim), row * dim);
      grad.set(g.grad.subarray(K * dim), total * dim + row);
    }
    row += K;
    offB += V * K;
  }
  return { value, grad };
}
