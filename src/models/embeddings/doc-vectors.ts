/**
 * Document vectors over words and n-grams trained with cosine similarity, in
 * the spirit of DV-ngrams-cosine (Thongtan & Phienthrakul 2019; corrected
 * figures in Zhang & Arefyev 2022): PV-DBOW whose document vector predicts
 * the document's own words and n-grams.
 *
 * Objective. Each document i has a vector d_i ∈ R^dim, each target t (a word
 * or n-gram, features/ngram-targets.ts) an output vector w_t. For every
 * distinct target t of document i that survives sub-sampling,
 *   −log σ(scale · cos(d_i, w_t)) − Σ_{k=1..negative} log σ(−scale · cos(d_i, w_{n_k}))
 * is minimized by SGD, where the n_k are noise targets. Cosine instead of the
 * dot product (the paper's change to PV-DBOW): the score is bounded by
 * ±scale, so frequent targets cannot win by growing their vectors' norms.
 * Gradients: assembly/dv.ts (the hot loop, WebAssembly SIMD);
 * `cosinePairGradient` below is the same formula in float64 for the tests.
 *
 * Sampling. Noise targets are drawn from counts^0.75 (counts = documents a
 * target occurs in, as word2vec's unigram^0.75); a draw equal to the target
 * is skipped. A target occurrence is kept with probability
 * min(1, √(s/f) + s/f), f its share of all target occurrences and s `sample`
 * (word2vec's sub-sampling of frequent words; 0 keeps all). Documents are
 * visited in a fresh random order each epoch; the learning rate falls
 * linearly from `learningRate` to 1e-4 of it over the run.
 *
 * Inference for new documents (`infer`): output vectors frozen, a fresh
 * random vector per document is fitted by the same SGD for `inferEpochs`
 * epochs. So a test document's text never changes the model, and training
 * documents can be embedded the same way as test ones.
 *
 * Deterministic for a seed (one thread; the random stream is xoshiro128**).
 */
import type { TokenizedDocs } from '../../text/documents.js';
import { SentivecError } from '../../util/errors.js';
import { int, num, resolveOptions, type GivenOptions, type OptionValues, type OptionTable } from '../../util/options.js';
import { Rng } from '../../util/rng.js';
import { WasmArena, loadWasm } from '../../runtime/wasm.js';

export const DOC_VECTOR_OPTIONS = {
  dim: int({ min: 4, default: 100, description: 'dimensions of a document vector (a multiple of 4, for the SIMD loop)' }),
  // 6 + 6 over 5 + 3: +0.4 pp of train CV on a 3k + 9k IMDb subset (BENCHMARKS.md #11); the job runs beside the n-gram rows (doc-vector-job.ts).
  epochs: int({ min: 1, default: 6, description: 'passes over the learning documents' }),
  inferEpochs: int({ min: 1, default: 6, description: 'passes over a new document when inferring its vector (output vectors frozen)' }),
  negative: int({ min: 1, default: 5, description: 'noise targets per target (negative sampling)' }),
  scale: num({ min: 0, minExclusive: true, default: 6, description: 'α in σ(α · cos(d, w)): how sharp the cosine score is' }),
  learningRate: num({ min: 0, minExclusive: true, default: 0.2, description: 'initial SGD step, falling linearly to 1e-4 of it' }),
  sample: num({ min: 0, default: 1e-4, description: 'sub-sampling threshold s of frequent targets (0: keep all)' }),
  order: int({ min: 1, max: 3, default: 2, description: 'longest n-gram a document vector predicts (1 words, 2 + bigrams, 3 + trigrams)' }),
  bits: int({ min: 10, max: 26, default: 24, description: 'log2 hash buckets of the n-grams before the count cut' }),
  minCount: int({ min: 1, default: 3, description: 'documents (among the learning ones) an n-gram must occur in to be a target' }),
  seed: int({ default: 1, description: 'random seed' }),
} satisfies OptionTable;

export type DocVectorOptions = OptionValues<typeof DOC_VECTOR_OPTIONS>;

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setRng(a: number, b: number, c: number, d: number): void;
  setParams(dim: number, negative: number, scale: number, tableSize: number): void;
  setArrays(docStart: number, targets: number, docVec: number, outVec: number, outNorm: number, keep: number, table: number, grad: number): void;
  sweep(order: number, i0: number, i1: number, lr: number, frozen: number): number;
  step(doc: number, w: number, label: number, lr: number, frozen: number): number;
}

const WASM_URL = new URL('./dv.wasm', import.meta.url);
const TABLE_SIZE = 1 << 22;
/** Documents per call into the kernel: the learning rate is updated and progress reported between calls. */
const CHUNK = 512;

function instantiate(): Exports {
  const m = loadWasm(WASM_URL);
  if (typeof m === 'string') throw new SentivecError(`the WebAssembly document-vector kernel is unavailable: ${m}`);
  return new WebAssembly.Instance(m, {}).exports as unknown as Exports;
}

/** Progress after each epoch: mean loss per (document, sampled target or noise) pair is not tracked; `loss` is the epoch's summed loss. */
export interface DocVectorEpoch {
  phase: 'fit' | 'infer';
  epoch: number;
  loss: number;
  seconds: number;
}

/** What a fit learned besides the document vectors: output vectors (targets × dim, row-major) and their norms. */
export interface FittedOutputs {
  outVec: Float32Array;
  outNorm: Float32Array;
}

/** Fixed arrays of a fitted model inside the instance: output vectors, norms, sub-sampling, noise table, scratch. */
interface ModelArrays {
  outVec: number;
  outNorm: number;
  keep: number;
  table: number;
  grad: number;
}

export class DocVectors {
  readonly options: DocVectorOptions;
  private ex: Exports | null = null;
  private arena: WasmArena | null = null;
  private arrays: ModelArrays | null = null;
  private mark = 0;
  private targets = 0;

  constructor(options: GivenOptions<typeof DOC_VECTOR_OPTIONS> = {}) {
    this.options = resolveOptions('document vectors', DOC_VECTOR_OPTIONS, options);
    if (this.options.dim % 4 !== 0) throw new SentivecError(`document vectors: dim must be a multiple of 4, got ${this.options.dim}`);
  }

  /**
   * Learns output vectors and the vectors of `docs` (target ids below
   * `counts.length`; counts[t] = documents target t occurs in). Returns the
   * learned document vectors, docs.count × dim row-major.
   */
  fit(docs: TokenizedDocs, counts: Float64Array, onEpoch?: (e: DocVectorEpoch) => void): Float32Array {
    const o = this.options;
    const { outVec, outNorm } = this.place(counts);
    const rng = new Rng(o.seed);
    randomVectors(outVec, o.dim, rng);
    for (let t = 0; t < counts.length; t++) outNorm[t] = rowNorm(outVec, t, o.dim);
    return this.run(docs, o.epochs, false, rng, onEpoch);
  }

  /**
   * The fitted output vectors and their norms: with the counts and options,
   * all `infer` reads (restore() rebuilds the model from them).
   */
  outputs(): FittedOutputs {
    const { ex, arrays } = this;
    if (!ex || !arrays) throw new SentivecError('document vectors: not fitted');
    const buf = ex.memory.buffer;
    return { outVec: new Float32Array(buf, arrays.outVec, this.targets * this.options.dim), outNorm: new Float32Array(buf, arrays.outNorm, this.targets) };
  }

  /**
   * A fitted model rebuilt from another instance's outputs() (copied in) and
   * the counts it was fitted with: its `infer` gives the same vectors, bit for
   * bit, as the original's, so a second thread can infer beside the first
   * (doc-vector-job.ts).
   */
  static restore(options: GivenOptions<typeof DOC_VECTOR_OPTIONS>, counts: Float64Array, fitted: FittedOutputs): DocVectors {
    const model = new DocVectors(options);
    const { outVec, outNorm } = model.place(counts);
    if (fitted.outVec.length !== outVec.length || fitted.outNorm.length !== outNorm.length) {
      throw new SentivecError(`document vectors: outputs of ${fitted.outNorm.length} targets × ${fitted.outVec.length / Math.max(1, fitted.outNorm.length)} dims do not fit ${counts.length} targets × ${model.options.dim}`);
    }
    outVec.set(fitted.outVec);
    outNorm.set(fitted.outNorm);
    return model;
  }

  /** A fresh instance with the model's arrays placed: sub-sampling and noise tables filled from `counts`, the output vectors left to the caller. */
  private place(counts: Float64Array): FittedOutputs {
    const o = this.options;
    const V = counts.length;
    if (V === 0) throw new SentivecError('document vectors: no targets to learn (every n-gram is below minCount)');
    this.targets = V;
    const ex = instantiate();
    const arena = new WasmArena(ex.memory, ex.heapBase());
    // Every array here holds 4-byte elements (f32 or i32).
    const at = (n: number): number => arena.place(n * 4);
    const arrays: ModelArrays = { outVec: at(V * o.dim), outNorm: at(V), keep: at(V), table: at(TABLE_SIZE), grad: at(o.dim) };
    this.mark = arena.mark();
    const buf = arena.commit();
    keepProbabilities(counts, o.sample, new Float32Array(buf, arrays.keep, V));
    noiseTable(counts, new Int32Array(buf, arrays.table, TABLE_SIZE));
    ex.setParams(o.dim, o.negative, o.scale, TABLE_SIZE);
    this.ex = ex;
    this.arena = arena;
    this.arrays = arrays;
    return { outVec: new Float32Array(buf, arrays.outVec, V * o.dim), outNorm: new Float32Array(buf, arrays.outNorm, V) };
  }

  /** Vectors of new documents (target ids of the fitted model), output vectors frozen; docs.count × dim row-major. */
  infer(docs: TokenizedDocs, onEpoch?: (e: DocVectorEpoch) => void): Float32Array {
    if (!this.ex) throw new SentivecError('document vectors: infer before fit');
    return this.run(docs, this.options.inferEpochs, true, new Rng(this.options.seed + 0x5eed), onEpoch);
  }

  private run(docs: TokenizedDocs, epochs: number, frozen: boolean, rng: Rng, onEpoch?: (e: DocVectorEpoch) => void): Float32Array {
    const { ex, arena, arrays } = this;
    if (!ex || !arena || !arrays) throw new SentivecError('document vectors: not fitted');
    const o = this.options;
    const n = docs.count;
    const nnz = docs.offsets[n];
    for (let p = 0; p < nnz; p++) {
      const t = docs.tokens[p];
      if (t < 0 || t >= this.targets) throw new SentivecError(`document vectors: target id ${t} outside 0..${this.targets - 1}`);
    }
    arena.release(this.mark);
    const v = arena.views({ docStart: ['i32', n + 1], targets: ['i32', nnz], docVec: ['f32', n * o.dim], order: ['i32', n] });
    v.docStart.set(docs.offsets.subarray(0, n + 1));
    v.targets.set(docs.tokens.subarray(0, nnz));
    randomVectors(v.docVec, o.dim, rng);
    ex.setArrays(v.docStart.byteOffset, v.targets.byteOffset, v.docVec.byteOffset, arrays.outVec, arrays.outNorm, arrays.keep, arrays.table, arrays.grad);
    ex.setRng(...rng.state());
    const total = epochs * n;
    let done = 0;
    for (let e = 0; e < epochs; e++) {
      const started = performance.now();
      for (let i = 0; i < n; i++) v.order[i] = i;
      rng.shuffle(v.order);
      let loss = 0;
      for (let i = 0; i < n; i += CHUNK) {
        const lr = o.learningRate * Math.max(1e-4, 1 - done / total);
        const end = Math.min(n, i + CHUNK);
        loss += ex.sweep(v.order.byteOffset, i, end, lr, frozen ? 1 : 0);
        done += end - i;
      }
      onEpoch?.({ phase: frozen ? 'infer' : 'fit', epoch: e + 1, loss, seconds: (performance.now() - started) / 1000 });
    }
    return v.docVec.slice();
  }
}

/** Rows of N(0, 1/dim): norms near 1, every direction equally likely. */
function randomVectors(out: Float32Array, dim: number, rng: Rng): void {
  const sd = 1 / Math.sqrt(dim);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * sd;
}

function rowNorm(x: Float32Array, row: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += x[row * dim + j] ** 2;
  return Math.sqrt(s);
}

/** word2vec's keep probability min(1, √(s/f) + s/f), f = count / Σ counts. */
export function keepProbabilities(counts: Float64Array, sample: number, out: Float32Array): Float32Array {
  let total = 0;
  for (const c of counts) total += c;
  for (let t = 0; t < counts.length; t++) {
    const f = counts[t] / total;
    out[t] = sample > 0 && f > 0 ? Math.min(1, Math.sqrt(sample / f) + sample / f) : 1;
  }
  return out;
}

/** Noise ids in proportion to count^0.75, laid out cumulatively (word2vec's unigram table). */
export function noiseTable(counts: Float64Array, out: Int32Array): Int32Array {
  let z = 0;
  for (const c of counts) z += c ** 0.75;
  let t = 0;
  let cum = counts[0] ** 0.75 / z;
  for (let i = 0; i < out.length; i++) {
    out[i] = t;
    if ((i + 1) / out.length > cum && t < counts.length - 1) cum += counts[++t] ** 0.75 / z;
  }
  return out;
}

/** One (document, output vector) pair's loss and its gradients, in float64: what assembly/dv.ts computes, for the tests. */
export function cosinePairGradient(d: ArrayLike<number>, w: ArrayLike<number>, label: 0 | 1, scale: number): { loss: number; dd: Float64Array; dw: Float64Array } {
  const n = d.length;
  let dot = 0;
  let dd2 = 0;
  let ww2 = 0;
  for (let i = 0; i < n; i++) {
    dot += d[i] * w[i];
    dd2 += d[i] * d[i];
    ww2 += w[i] * w[i];
  }
  const dn = Math.sqrt(dd2);
  const wn = Math.sqrt(ww2);
  const c = dot / (dn * wn);
  const s = scale * c;
  const sig = 1 / (1 + Math.exp(-s));
  const loss = -Math.log(label === 1 ? sig : 1 - sig);
  // ∂loss/∂s = σ(s) − label.
  const g = (sig - label) * scale;
  const dd = Float64Array.from({ length: n }, (_, i) => g * (w[i] / (dn * wn) - (c * d[i]) / dd2));
  const dw = Float64Array.from({ length: n }, (_, i) => g * (d[i] / (dn * wn) - (c * w[i]) / ww2));
  return { loss, dd, dw };
}

/** One SGD step of the WebAssembly kernel on a single pair: the updated vectors and the pair's loss (for the gradient test). */
export function kernelStep(d: Float32Array, w: Float32Array, label: 0 | 1, lr: number, scale: number): { loss: number; d: Float32Array; w: Float32Array } {
  const dim = d.length;
  if (dim % 4 !== 0 || w.length !== dim) throw new SentivecError('kernelStep: vectors of one length, a multiple of 4');
  const ex = instantiate();
  const arena = new WasmArena(ex.memory, ex.heapBase());
  const v = arena.views({ docVec: ['f32', dim], outVec: ['f32', dim], outNorm: ['f32', 1], grad: ['f32', dim] });
  v.docVec.set(d);
  v.outVec.set(w);
  v.outNorm[0] = rowNorm(w, 0, dim);
  ex.setParams(dim, 0, scale, 0);
  ex.setArrays(0, 0, v.docVec.byteOffset, v.outVec.byteOffset, v.outNorm.byteOffset, 0, 0, v.grad.byteOffset);
  const loss = ex.step(0, 0, label, lr, 0);
  return { loss, d: v.docVec.slice(), w: v.outVec.slice() };
}
