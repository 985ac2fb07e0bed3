/**
 * The corpus as the model sees it: per-document term counts n_k (CSR) with
 * lengths N_k = Σ_w n_kw, and the sentiment term collapsed per word.
 *
 * Naming follows the paper throughout this directory: R (β × |V|, stored
 * word-major as `w`, so φ_w is row w), b, θ (`theta`), ψ (`psi`), b_c (`bc`),
 * λ (`lambda`), ν (`nu`), β (`dim`).
 */
import type { TokenizedDocs } from '../../text/documents.js';
import { countRows, type ArrayAlloc } from '../../features/matrix.js';
import { SentivecError } from '../../util/errors.js';

export interface TrainingData {
  readonly docCount: number;
  readonly vocabSize: number;
  /** CSR of n_kw: doc k's distinct words are indices[indptr[k]..indptr[k+1]). */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly counts: Float64Array;
  /** N_k. */
  readonly lengths: Float64Array;
  /** Σ_k n_kw. */
  readonly wordTotals: Float64Array;
  /**
   * The sentiment term Σ_{k labeled} (1/|S_k|) Σ_i log p(s_k | w_i) only
   * depends on the data through A_w = Σ_k n_kw/|S_k| and
   * B_w = Σ_k n_kw s_k/|S_k|, so evaluating it costs O(|V| β), not O(tokens).
   */
  readonly sentA: Float64Array;
  /** |V| × sentClasses, word-major: for k > 2 labels B_wc = Σ_{k ∈ class c} n_kw/|S_c|, c = 1..k−1 (sentiment.ts). */
  readonly sentB: Float64Array;
  /** K: sentiment classes beyond the reference one (1 for two labels or a rating); Σ_t K_t over several targets. */
  readonly sentClasses: number;
  /** Labeled documents (several targets: the fewest any target has). */
  readonly labeledCount: number;
  /**
   * Several targets (targets.ts): each one's K_t and weight, in order. Then
   * sentA is T × |V| (target-major) and sentB the targets' |V| × K_t blocks
   * one after another. Absent: one target, K = sentClasses, weight 1.
   */
  readonly targets?: readonly TargetLayout[];
}

/** One target's share of the sentiment block and of the objective (targets.ts). */
export interface TargetLayout {
  /** K_t: its classes beyond the reference one (1 for a binary or a continuous target). */
  readonly classes: number;
  /** w_t: multiplier of its term (1 = the paper's; the model's sentiment weight multiplies all of them). */
  readonly weight: number;
}

/** Allocates arrays, in SharedArrayBuffers when worker threads will read them. */
export type Alloc = ArrayAlloc;

export const plainAlloc: Alloc = (ctor, n) => new ctor(new ArrayBuffer(Math.max(n, 1) * ctor.BYTES_PER_ELEMENT));
export const sharedAlloc: Alloc = (ctor, n) => new ctor(new SharedArrayBuffer(Math.max(n, 1) * ctor.BYTES_PER_ELEMENT));

/**
 * Star ratings → soft sentiment targets s = (stars − 1)/9. A rating of 0 or NaN
 * marks an unlabeled document (aclImdb names unsup reviews `id_0.txt`).
 */
export function sentimentTargets(stars: ArrayLike<number>, docCount: number): Float64Array {
  if (stars.length !== docCount) throw new SentivecError(`got ${stars.length} ratings for ${docCount} documents`);
  const s = new Float64Array(docCount);
  for (let k = 0; k < docCount; k++) {
    const r = stars[k];
    if (r === 0 || Number.isNaN(r)) s[k] = NaN;
    else if (r >= 1 && r <= 10) s[k] = (r - 1) / 9;
    else throw new SentivecError(`rating of document ${k} is ${r}; expected 1–10, or 0 for unlabeled`);
  }
  return s;
}

/**
 * Sentiment targets given directly, for data without star ratings: s ∈ [0, 1]
 * per document (a label as 0/1, a rating rescaled), NaN for unlabeled. The
 * 1/|S_k| classes are then s < 0.5 and s ≥ 0.5, as round(s) gives for stars.
 */
export interface SoftTargets {
  readonly soft: ArrayLike<number>;
}

/**
 * k ≥ 2 unordered classes: per document its class 0..k−1, NaN for unlabeled.
 * With k = 2 this is exactly { soft } with 0/1 targets.
 */
export interface ClassTargets {
  readonly classes: ArrayLike<number>;
  readonly k: number;
}

/** Star ratings (1–10, 0 = unlabeled), soft targets, or classes. */
export type SentimentSupervision = ArrayLike<number> | SoftTargets | ClassTargets;

function isSoft(x: SentimentSupervision): x is SoftTargets {
  return typeof x === 'object' && x !== null && 'soft' in x;
}

function isClasses(x: SentimentSupervision): x is ClassTargets {
  return typeof x === 'object' && x !== null && 'classes' in x;
}

function classTargets(t: ClassTargets, docCount: number): Int32Array {
  if (t.classes.length !== docCount) throw new SentivecError(`got ${t.classes.length} classes for ${docCount} documents`);
  if (!Number.isInteger(t.k) || t.k < 2) throw new SentivecError(`the number of classes must be an integer ≥ 2, got ${t.k}`);
  return Int32Array.from({ length: docCount }, (_, d) => {
    const c = t.classes[d];
    if (Number.isNaN(c)) return -1;
    if (!(Number.isInteger(c) && c >= 0 && c < t.k)) throw new SentivecError(`class of document ${d} is ${c}; expected 0..${t.k - 1}, or NaN for unlabeled`);
    return c;
  });
}

function softTargets(t: ArrayLike<number>, docCount: number): Float64Array {
  if (t.length !== docCount) throw new SentivecError(`got ${t.length} targets for ${docCount} documents`);
  const s = Float64Array.from(t);
  for (let k = 0; k < docCount; k++) {
    if (!Number.isNaN(s[k]) && !(s[k] >= 0 && s[k] <= 1)) throw new SentivecError(`target of document ${k} is ${s[k]}; expected a value in [0, 1], or NaN for unlabeled`);
  }
  return s;
}

export function prepareData(docs: TokenizedDocs, stars: SentimentSupervision, vocabSize: number, alloc: Alloc = plainAlloc): TrainingData {
  if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new SentivecError(`vocabulary size must be a positive integer, got ${vocabSize}`);
  const D = docs.count;
  if (isClasses(stars) && stars.k > 2) return withClassSentiment(prepareData(docs, { soft: new Float64Array(D).fill(NaN) }, vocabSize, alloc), classTargets(stars, D), stars.k);
  const s = isClasses(stars) ? Float64Array.from(classTargets(stars, D), (c) => (c < 0 ? NaN : c)) : isSoft(stars) ? softTargets(stars.soft, D) : sentimentTargets(stars, D);
  const { indptr, indices, data: counts } = countRows(docs, vocabSize, alloc);
  const lengths = alloc(Float64Array, D);
  for (let d = 0; d < D; d++) lengths[d] = docs.offsets[d + 1] - docs.offsets[d];

  // |S_k|: labeled documents sharing round(s_k) (two classes for IMDb: ≤ 4 and ≥ 7 stars).
  const classSize = new Map<number, number>();
  let labeledCount = 0;
  for (let k = 0; k < D; k++) {
    if (Number.isNaN(s[k])) continue;
    labeledCount++;
    const c = Math.round(s[k]);
    classSize.set(c, (classSize.get(c) ?? 0) + 1);
  }
  const wordTotals = new Float64Array(vocabSize);
  const sentA = new Float64Array(vocabSize);
  const sentB = new Float64Array(vocabSize);
  for (let k = 0; k < D; k++) {
    const labeled = !Number.isNaN(s[k]);
    const weight = labeled ? 1 / (classSize.get(Math.round(s[k])) ?? 1) : 0;
    for (let p = indptr[k]; p < indptr[k + 1]; p++) {
      const w = indices[p];
      const n = counts[p];
      wordTotals[w] += n;
      if (labeled) {
        sentA[w] += weight * n;
        sentB[w] += weight * n * s[k];
      }
    }
  }
  return { docCount: D, vocabSize, indptr, indices, counts, lengths, wordTotals, sentA, sentB, sentClasses: 1, labeledCount };
}

/** The k-class sentiment statistics A_w and B_wc (c = 1..k−1) added to text-only data. */
function withClassSentiment(data: TrainingData, cls: Int32Array, k: number): TrainingData {
  const V = data.vocabSize;
  const K = k - 1;
  const size = new Float64Array(k);
  let labeledCount = 0;
  for (const c of cls) {
    if (c < 0) continue;
    size[c]++;
    labeledCount++;
  }
  const sentA = new Float64Array(V);
  const sentB = new Float64Array(V * K);
  for (let d = 0; d < data.docCount; d++) {
    const c = cls[d];
    if (c < 0) continue;
    const weight = 1 / size[c];
    for (let p = data.indptr[d]; p < data.indptr[d + 1]; p++) {
      const w = data.indices[p];
      sentA[w] += weight * data.counts[p];
      if (c > 0) sentB[w * K + c - 1] += weight * data.counts[p];
    }
  }
  return { ...data, sentA, sentB, sentClasses: K, labeledCount };
}
