/**
 * LDA baseline of Table 2 ("LDA, 50 topics, word vectors from topics").
 *
 * Inference is collapsed Gibbs sampling (Griffiths & Steyvers 2004): every
 * token's topic is resampled from
 *   p(z = k | rest) ∝ (n_dk + α) (n_wk + η) / (n_k + |V| η).
 * With K = 50 a dense pass over the topics is exact and, being contiguous,
 * cheap: ~150 ns of CPU per token in TypeScript, ~67 ns in the WebAssembly
 * SIMD sweep (lda-wasm.ts, the default; same topics to the last bit). SparseLDA's word buckets would save little:
 * on IMDb after 100 sweeps a token's word still has non-zero counts in about
 * half of the 50 topics, and a gathered sparse loop costs more per topic.
 *
 * Both cores are used by approximate distributed LDA (AD-LDA, Newman et al.
 * 2009): documents are split into `threads` contiguous shards of equal token
 * count; each shard samples against its own copy of the word–topic counts and
 * the copies' changes are summed after every sweep. The result depends only on
 * (seed, threads), never on timing: each shard has its own RNG stream, and
 * integer deltas add in any order. The main thread samples shard 0 and blocks
 * on Atomics.wait for the workers, so fit() stays synchronous.
 *
 * Convergence: after each sweep the per-token joint log-likelihood
 * log p(w, z) / N (the collapsed form G&S monitor) is appended to
 * `logLikelihood`; sampling stops once it improved by less than `tol`
 * (relative) over the last `evalEvery` sweeps, or after `maxIterations`.
 */
import type { Worker } from 'node:worker_threads';
import { reportWorkerError, runIfWorker, startWorkers, waitForWorkers } from '../../runtime/workers.js';
import type { CsrMatrix } from '../../features/csr.js';
import type { WordMatrix } from '../../features/word-matrix.js';
import { SentivecError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { KERNEL_KINDS, type KernelChoice } from '../../runtime/wasm.js';
import { choice, describeOptions, int, num, optionalChoice, optionalNum, resolveOptions, type GivenOptions, type OptionDescription, type OptionTable, type OptionValues } from '../../util/options.js';
import { LdaWasmShard, ldaUsesWasm } from './lda-wasm.js';

/**
 * `topic-word`: φ_w = (p(w | t))_t, the paper's "word vectors from topics".
 * `word-topic`: (p(t | w))_t, a distribution over topics per word, so R v is a
 * topic histogram of the document instead of a sum of small likelihoods.
 */
export type LdaVectors = 'topic-word' | 'word-topic';

export type LdaInit = 'random' | 'sequential';

/** LDA's options, declared once (src/util/options.ts): the constructor checks them, describe() lists them. */
export const LDA_OPTIONS = {
  topics: int({ min: 1, max: 65535, default: 50, description: 'K, the number of topics (the paper: 50)' }),
  alpha: optionalNum({ min: 0, minExclusive: true, description: 'symmetric document–topic prior; unset: 50 / K (Griffiths & Steyvers)' }),
  eta: num({ min: 0, minExclusive: true, default: 0.1, description: "symmetric topic–word prior (the paper's β)" }),
  maxIterations: int({ min: 1, default: 200, description: 'Gibbs sweeps at most' }),
  minIterations: int({ min: 0, default: 50, description: 'sweeps always run before the convergence test may stop sampling' }),
  evalEvery: int({ min: 1, default: 10, description: 'window (in sweeps) over which the relative log-likelihood change is measured' }),
  tol: num({ min: 0, default: 1e-3, description: 'stop once log p(w, z) / N improved by less than this (relative) over the last evalEvery sweeps' }),
  seed: int({ default: 1, description: 'random seed: the same seed and threads give the same topics' }),
  vectors: choice<LdaVectors>(['topic-word', 'word-topic'], { default: 'topic-word', description: "topic-word: φ_w = (p(w | t))_t, the paper's word vectors from topics; word-topic: (p(t | w))_t" }),
  threads: int({ min: 1, default: 2, description: "shards sampled in parallel (this thread + threads − 1 workers); part of the result's identity, like the seed" }),
  init: choice<LdaInit>(['random', 'sequential'], {
    default: 'random',
    description: 'initial topics: random, or sequential (each token drawn given the tokens before it: on IMDb it reaches in 60 sweeps a likelihood random starts need ~150 for, but on small corpora it can lock two topics together for good, the planted-topic test: 2 seeds of 5)',
  }),
  kernels: optionalChoice<KernelChoice>(['auto', ...KERNEL_KINDS], {
    runtimeOnly: true,
    description: "the Gibbs sweep's implementation: wasm (WebAssembly SIMD, ~2.3× faster per token), js (plain TypeScript), or auto (wasm when it loads); wasm-fma means wasm, js64 means js; unset follows SENTIVEC_KERNELS (src/runtime/wasm.ts). Both give the same topics to the last bit",
  }),
} satisfies OptionTable;

export type LdaOptions = GivenOptions<typeof LDA_OPTIONS>;

// The options become readonly fields (this.topics, this.eta, …) without being listed again; alpha is resolved below.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Lda extends Readonly<Omit<OptionValues<typeof LDA_OPTIONS>, 'alpha'>> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Lda {
  /** The document–topic prior in use: the option, else 50 / K. */
  readonly alpha: number;
  /** p(w | t): K × |V| row-major, each row sums to 1. */
  topicWord: Float64Array = new Float64Array(0);
  /** Final Gibbs counts n_wk, |V| × K word-major. */
  wordTopicCounts: Int32Array = new Int32Array(0);
  wordVectors: WordMatrix = { dim: 0, vocabSize: 0, data: new Float32Array(0) };
  /** log p(w, z) / N after every sweep. */
  logLikelihood: number[] = [];
  iterations = 0;
  converged = false;

  constructor(opts: LdaOptions = {}) {
    const o = resolveOptions('LDA', LDA_OPTIONS, opts);
    Object.assign(this, o);
    this.alpha = o.alpha ?? 50 / o.topics;
  }

  /** The options as set, with their defaults and descriptions. */
  describe(): Record<string, OptionDescription> {
    return describeOptions(LDA_OPTIONS, this);
  }

  /** @param x document × term counts (non-negative integers). */
  fit(x: CsrMatrix): this {
    const wasm = ldaUsesWasm(this.kernels);
    const params: SamplerParams = { K: this.topics, V: x.cols, alpha: this.alpha, eta: this.eta, wasm };
    const state = buildState(x, params, this.init, this.threads, new Rng(this.seed));
    const pool = new ShardPool(state, params);
    this.logLikelihood = [];
    this.converged = false;
    try {
      for (let it = 1; it <= this.maxIterations; it++) {
        const docPart = pool.sweep();
        mergeShards(state);
        this.logLikelihood.push((docPart + wordLogLikelihood(state, params)) / state.tokens);
        this.iterations = it;
        const ll = this.logLikelihood;
        if (it >= Math.max(this.minIterations, this.evalEvery + 1)) {
          const prev = ll[it - 1 - this.evalEvery];
          if ((ll[it - 1] - prev) / Math.abs(prev) < this.tol) {
            this.converged = true;
            break;
          }
        }
      }
    } finally {
      pool.close();
    }
    this.finish(state.nwk, state.nk, x.cols);
    return this;
  }

  private finish(nwk: Int32Array, nk: Int32Array, V: number): void {
    const K = this.topics;
    const eta = this.eta;
    this.wordTopicCounts = Int32Array.from(nwk);
    this.topicWord = new Float64Array(K * V);
    for (let t = 0; t < K; t++) {
      const inv = 1 / (nk[t] + V * eta);
      for (let w = 0; w < V; w++) this.topicWord[t * V + w] = (nwk[w * K + t] + eta) * inv;
    }
    const data = new Float32Array(V * K);
    for (let w = 0; w < V; w++) {
      let nw = 0;
      for (let t = 0; t < K; t++) nw += nwk[w * K + t];
      // p(t | w) ∝ p(w | t) p(t) with p(t) ∝ n_t + |V|η reduces to the smoothed counts.
      const inv = 1 / (nw + K * eta);
      for (let t = 0; t < K; t++) {
        data[w * K + t] = this.vectors === 'topic-word' ? this.topicWord[t * V + w] : (nwk[w * K + t] + eta) * inv;
      }
    }
    this.wordVectors = { dim: K, vocabSize: V, data };
  }
}

/**
 * Sequential initialisation: each token's first topic is drawn from the
 * collapsed conditional given only the tokens placed before it, so sampling
 * starts from coherent topics rather than uniform noise and skips many of the
 * sweeps that a random start spends breaking symmetry. One serial pass, before
 * the shards split (shards starting apart would learn unaligned topics).
 */
function sequentialInit(words: Int32Array, docStart: Int32Array, z: Uint16Array, nwk: Int32Array, nk: Int32Array, p: SamplerParams, rng: Rng): void {
  const { K, V, alpha, eta } = p;
  const ndk = new Int32Array(K);
  const cum = new Float64Array(K);
  for (let d = 0; d + 1 < docStart.length; d++) {
    ndk.fill(0);
    for (let i = docStart[d]; i < docStart[d + 1]; i++) {
      const b = words[i] * K;
      let total = 0;
      for (let k = 0; k < K; k++) cum[k] = total += ((ndk[k] + alpha) * (nwk[b + k] + eta)) / (nk[k] + V * eta);
      const u = rng.next() * total;
      let k = 0;
      while (k < K - 1 && cum[k] <= u) k++;
      z[i] = k;
      ndk[k]++;
      nwk[b + k]++;
      nk[k]++;
    }
  }
}

interface SamplerParams {
  K: number;
  V: number;
  alpha: number;
  eta: number;
  /** Sample with the WebAssembly sweep (lda-wasm.ts). */
  wasm: boolean;
}

/** Everything the samplers share; all arrays live on SharedArrayBuffers. */
interface SharedState {
  tokens: number;
  /** Word of each token, documents contiguous. */
  words: Int32Array;
  /** Topic of each token. */
  z: Uint16Array;
  docStart: Int32Array;
  /** Documents [shardStart[s], shardStart[s+1]) belong to shard s. */
  shardStart: Int32Array;
  /** Global counts n_wk (|V| × K) and n_k as of the last merge. */
  nwk: Int32Array;
  nk: Int32Array;
  /** Each shard's working copy, `threads` blocks of |V| × K and K. */
  localNwk: Int32Array;
  localNk: Int32Array;
  /** Each shard's Σ_d [Σ_k lnΓ(n_dk + α) − lnΓ(n_d + Kα)] for the last sweep. */
  docLogLik: Float64Array;
  /** Per-shard RNG seeds (this and shardStart are read-only, so workers get copies). */
  seeds: Uint32Array;
  /** Control words, see CTRL_*. */
  ctrl: Int32Array;
  /** UTF-8 message of a failed worker. */
  error: Uint8Array;
}

const CTRL_COMMAND = 0; // sweep number to run; −1 stops the workers
const CTRL_ERROR = 1;
const CTRL_DONE = 2; // + shard: last sweep finished
const ctrlHeartbeat = (threads: number, shard: number): number => CTRL_DONE + threads + shard;

type SharedCtor<T> = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => T;

function shared<T>(Ctor: SharedCtor<T> & { BYTES_PER_ELEMENT: number }, length: number): T {
  return new Ctor(new SharedArrayBuffer(length * Ctor.BYTES_PER_ELEMENT), 0, length);
}

/** Expands counts into tokens, assigns initial topics and splits documents into shards. */
function buildState(x: CsrMatrix, p: SamplerParams, init: LdaInit, threads: number, rng: Rng): SharedState {
  const { K } = p;
  const D = x.rows;
  const V = x.cols;
  let N = 0;
  for (let p = 0; p < x.data.length; p++) {
    const c = x.data[p];
    if (!(c >= 0) || !Number.isInteger(c)) throw new SentivecError(`LDA needs integer term counts, got ${c}`);
    N += c;
  }
  if (N === 0) throw new SentivecError('LDA needs at least one token');
  const words = shared(Int32Array, N);
  const z = shared(Uint16Array, N);
  const docStart = shared(Int32Array, D + 1);
  const nwk = shared(Int32Array, V * K);
  const nk = shared(Int32Array, K);
  let t = 0;
  for (let d = 0; d < D; d++) {
    docStart[d] = t;
    for (let p = x.indptr[d]; p < x.indptr[d + 1]; p++) {
      const w = x.indices[p];
      for (let c = 0; c < x.data[p]; c++) words[t++] = w;
    }
  }
  docStart[D] = N;
  if (init === 'sequential') {
    sequentialInit(words, docStart, z, nwk, nk, p, rng);
  } else {
    for (let i = 0; i < N; i++) {
      const k = rng.int(K);
      z[i] = k;
      nwk[words[i] * K + k]++;
      nk[k]++;
    }
  }
  const shardStart = new Int32Array(threads + 1);
  for (let s = 1, d = 0; s < threads; s++) {
    while (d < D && docStart[d] < (N * s) / threads) d++;
    shardStart[s] = d;
  }
  shardStart[threads] = D;
  const seeds = new Uint32Array(threads);
  for (let s = 0; s < threads; s++) seeds[s] = rng.nextUint32();
  return {
    tokens: N,
    words,
    z,
    docStart,
    shardStart,
    nwk,
    nk,
    localNwk: shared(Int32Array, threads * V * K),
    localNk: shared(Int32Array, threads * K),
    docLogLik: shared(Float64Array, threads),
    seeds,
    ctrl: shared(Int32Array, CTRL_DONE + 2 * threads),
    error: shared(Uint8Array, 4096),
  };
}

/** Topics are summed in blocks of this many, so the sampled topic is found by a short two-level search. */
const BLOCK = 4;

/**
 * One Gibbs sweep over shard s against its own copy of the counts.
 *
 * This is the hot loop. Two things keep it fast in plain JS: the document
 * factor a_k = (n_dk + α) / (n_k + |V|η) is kept per document and changes in
 * only two entries per token, so each topic costs one multiply-add; and the
 * K weights are summed in blocks with independent accumulators rather than as
 * one running prefix sum, whose serial add latency otherwise dominates. The
 * draw then walks block sums, then one block.
 */
function sampleShard(st: SharedState, p: SamplerParams, s: number, rng: Rng, scratch: ShardScratch): void {
  const { K, V, alpha, eta } = p;
  const nwk = st.localNwk.subarray(s * V * K, (s + 1) * V * K);
  const nk = st.localNk.subarray(s * K, (s + 1) * K);
  const heartbeat = ctrlHeartbeat(st.shardStart.length - 1, s);
  const wasm = scratch.wasm;
  if (wasm) {
    wasm.nwk.set(st.nwk);
    wasm.nk.set(st.nk);
    const ll = wasm.sweep(1024, () => Atomics.add(st.ctrl, heartbeat, 1));
    nwk.set(wasm.nwk);
    nk.set(wasm.nk);
    st.docLogLik[s] = ll - (st.shardStart[s + 1] - st.shardStart[s]) * K * lgamma(alpha);
    return;
  }
  nwk.set(st.nwk);
  nk.set(st.nk);
  const { words, z, docStart } = st;
  const { ndk, a, weight, blockSum, inv, lgAlpha } = scratch;
  const vEta = V * eta;
  const fullBlocks = Math.floor(K / BLOCK);
  const blocks = blockSum.length;
  for (let k = 0; k < K; k++) inv[k] = 1 / (nk[k] + vEta);
  const lgKAlpha = lgamma(K * alpha);
  let docLL = 0;
  const first = st.shardStart[s];
  for (let d = first; d < st.shardStart[s + 1]; d++) {
    const start = docStart[d];
    const end = docStart[d + 1];
    ndk.fill(0);
    for (let i = start; i < end; i++) ndk[z[i]]++;
    for (let k = 0; k < K; k++) a[k] = (ndk[k] + alpha) * inv[k];
    for (let i = start; i < end; i++) {
      const b = words[i] * K;
      let k = z[i];
      ndk[k]--;
      nwk[b + k]--;
      inv[k] = 1 / (--nk[k] + vEta);
      a[k] = (ndk[k] + alpha) * inv[k];
      let even = 0;
      let odd = 0;
      for (let q = 0, j = 0; q < fullBlocks; q++, j += BLOCK) {
        const w0 = a[j] * (nwk[b + j] + eta);
        const w1 = a[j + 1] * (nwk[b + j + 1] + eta);
        const w2 = a[j + 2] * (nwk[b + j + 2] + eta);
        const w3 = a[j + 3] * (nwk[b + j + 3] + eta);
        weight[j] = w0;
        weight[j + 1] = w1;
        weight[j + 2] = w2;
        weight[j + 3] = w3;
        const sum = w0 + w1 + (w2 + w3);
        blockSum[q] = sum;
        if ((q & 1) === 0) even += sum;
        else odd += sum;
      }
      if (fullBlocks < blocks) {
        let sum = 0;
        for (let j = fullBlocks * BLOCK; j < K; j++) sum += weight[j] = a[j] * (nwk[b + j] + eta);
        blockSum[fullBlocks] = sum;
        even += sum;
      }
      let u = rng.next() * (even + odd);
      let q = 0;
      while (q < blocks - 1 && u >= blockSum[q]) u -= blockSum[q++];
      k = q * BLOCK;
      const last = Math.min(K, k + BLOCK) - 1;
      while (k < last && u >= weight[k]) u -= weight[k++];
      ndk[k]++;
      nwk[b + k]++;
      inv[k] = 1 / (++nk[k] + vEta);
      a[k] = (ndk[k] + alpha) * inv[k];
      z[i] = k;
    }
    let l = -lgamma(end - start + K * alpha) + lgKAlpha;
    for (let k = 0; k < K; k++) l += lgAlpha[ndk[k]];
    docLL += l;
    if (((d - first) & 1023) === 0) Atomics.add(st.ctrl, heartbeat, 1);
  }
  st.docLogLik[s] = docLL - (st.shardStart[s + 1] - st.shardStart[s]) * K * lgamma(alpha);
}

interface ShardScratch {
  ndk: Int32Array;
  /** (n_dk + α) / (n_k + |V|η) for the current document. */
  a: Float64Array;
  weight: Float64Array;
  blockSum: Float64Array;
  /** 1 / (n_k + |V|η). */
  inv: Float64Array;
  /** lnΓ(c + α) for every count c a document can reach. */
  lgAlpha: Float64Array;
  /** The WebAssembly sampler of this shard, which then owns its tokens' topics (st.z goes stale). */
  wasm?: LdaWasmShard;
}

function makeScratch(st: SharedState, p: SamplerParams, s: number, rng: Rng): ShardScratch {
  let longest = 0;
  for (let d = 0; d + 1 < st.docStart.length; d++) longest = Math.max(longest, st.docStart[d + 1] - st.docStart[d]);
  const lgAlpha = new Float64Array(longest + 1);
  for (let c = 0; c <= longest; c++) lgAlpha[c] = lgamma(c + p.alpha);
  const { K } = p;
  const scratch: ShardScratch = {
    ndk: new Int32Array(K),
    a: new Float64Array(K),
    weight: new Float64Array(K),
    blockSum: new Float64Array(Math.ceil(K / BLOCK)),
    inv: new Float64Array(K),
    lgAlpha,
  };
  if (p.wasm) {
    const lgLen = new Float64Array(longest + 1);
    for (let n = 0; n <= longest; n++) lgLen[n] = lgamma(n + K * p.alpha);
    const docStart = st.docStart.subarray(st.shardStart[s], st.shardStart[s + 1] + 1);
    const from = docStart[0];
    const to = docStart[docStart.length - 1];
    scratch.wasm = new LdaWasmShard({
      K,
      alpha: p.alpha,
      eta: p.eta,
      vEta: p.V * p.eta,
      lgKAlpha: lgamma(K * p.alpha),
      docStart,
      words: st.words.subarray(from, to),
      z: st.z.subarray(from, to),
      vocabSize: p.V,
      lgAlpha,
      lgLen,
      rng: rng.state(),
    });
  }
  return scratch;
}

/** Sums every shard's count changes into the global counts (integer, so order-free). */
function mergeShards(st: SharedState): void {
  const threads = st.shardStart.length - 1;
  const add = (global: Int32Array, local: Int32Array): void => {
    const n = global.length;
    for (let i = 0; i < n; i++) {
      const g = global[i];
      let v = g;
      for (let s = 0; s < threads; s++) v += local[s * n + i] - g;
      global[i] = v;
    }
  };
  add(st.nwk, st.localNwk);
  add(st.nk, st.localNk);
}

/** log p(w | z) from the global counts. */
function wordLogLikelihood(st: SharedState, p: SamplerParams): number {
  const { K, V, eta } = p;
  let ll = K * (lgamma(V * eta) - V * lgamma(eta));
  for (let i = 0; i < st.nwk.length; i++) ll += lgamma(st.nwk[i] + eta);
  for (let k = 0; k < K; k++) ll -= lgamma(st.nk[k] + V * eta);
  return ll;
}

/** Runs shard 0 here and shards 1.. on workers; sweep() returns the summed doc log-likelihood part. */
class ShardPool {
  private readonly workers: Worker[] = [];
  private readonly rng: Rng;
  private readonly scratch: ShardScratch;
  private sweeps = 0;

  constructor(
    private readonly st: SharedState,
    private readonly p: SamplerParams,
  ) {
    this.rng = new Rng(st.seeds[0]);
    this.scratch = makeScratch(st, p, 0, this.rng);
    const threads = st.shardStart.length - 1;
    const inputs: WorkerInput[] = [];
    for (let s = 1; s < threads; s++) inputs.push({ tag: WORKER_TAG, shard: s, state: st, params: p });
    this.workers.push(...startWorkers(new URL(import.meta.url), inputs));
  }

  sweep(): number {
    const { st } = this;
    const gen = ++this.sweeps;
    Atomics.store(st.ctrl, CTRL_COMMAND, gen);
    Atomics.notify(st.ctrl, CTRL_COMMAND);
    sampleShard(st, this.p, 0, this.rng, this.scratch);
    for (let s = 1; s <= this.workers.length; s++) this.await(s, gen);
    let ll = 0;
    for (let s = 0; s <= this.workers.length; s++) ll += st.docLogLik[s];
    return ll;
  }

  /** Blocks until worker shard s has finished sweep `gen`; fails on a worker error or a stalled worker. */
  private await(s: number, gen: number): void {
    const { ctrl } = this.st;
    const hb = ctrlHeartbeat(this.workers.length + 1, s);
    waitForWorkers({
      ctrl,
      waitCell: CTRL_DONE + s,
      errorCell: CTRL_ERROR,
      error: this.st.error,
      what: `LDA worker ${s}`,
      done: () => Atomics.load(ctrl, CTRL_DONE + s) === gen,
      progress: () => Atomics.load(ctrl, hb),
      stallMs: 120_000,
      pollMs: 250,
    });
  }

  close(): void {
    Atomics.store(this.st.ctrl, CTRL_COMMAND, -1);
    Atomics.notify(this.st.ctrl, CTRL_COMMAND);
  }
}

const WORKER_TAG = 'sentivec-lda-shard';

interface WorkerInput {
  tag: typeof WORKER_TAG;
  shard: number;
  state: SharedState;
  params: SamplerParams;
}

function runWorker(input: WorkerInput): void {
  const { state: st, shard, params } = input;
  try {
    const rng = new Rng(st.seeds[shard]);
    const scratch = makeScratch(st, params, shard, rng);
    let gen = 0;
    for (;;) {
      Atomics.wait(st.ctrl, CTRL_COMMAND, gen);
      const cmd = Atomics.load(st.ctrl, CTRL_COMMAND);
      if (cmd < 0) return;
      if (cmd === gen) continue;
      gen = cmd;
      sampleShard(st, params, shard, rng, scratch);
      Atomics.store(st.ctrl, CTRL_DONE + shard, gen);
      Atomics.notify(st.ctrl, CTRL_DONE + shard);
    }
  } catch (e) {
    reportWorkerError(st.error, st.ctrl, CTRL_ERROR, e);
    Atomics.notify(st.ctrl, CTRL_DONE + shard);
  }
}



const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0];
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

// Last, so every module-level constant is initialised before a worker starts sampling.
runIfWorker(WORKER_TAG, runWorker);
