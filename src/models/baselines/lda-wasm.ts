/**
 * Loads the WebAssembly Gibbs sweep (assembly/lda.ts, built by `npm run build`
 * into lda.wasm next to this file). One instance per shard, each in the
 * thread that samples the shard: the shard's tokens and topics move into the
 * instance's memory once, and only the word–topic counts are copied in and
 * out around each sweep (|V| × K integers, ~1 MB, against ~4M tokens of
 * work). The arithmetic and the random stream are the TypeScript sampler's,
 * so both paths give the same topics (test/lda.test.ts checks it).
 *
 * Lda's `kernels` option chooses (src/runtime/wasm.ts).
 */
import { WasmArena, loadWasm, usesWasm, type KernelChoice } from '../../runtime/wasm.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setParams(K: number, alpha: number, eta: number, vEta: number, lgKAlpha: number): void;
  setArrays(
    docStart: number, words: number, z: number, nwk: number, nk: number, ndk: number,
    a: number, weight: number, blockSum: number, inv: number, lgAlpha: number, lgLen: number,
  ): void;
  setRng(a: number, b: number, c: number, d: number): void;
  beginSweep(): void;
  sweepDocs(d0: number, d1: number): void;
  sweepLogLikelihood(): number;
}

const WASM_URL = new URL('./lda.wasm', import.meta.url);

/** For Lda's `kernels` option (src/runtime/wasm.ts). */
export function ldaUsesWasm(choice: KernelChoice | undefined): boolean {
  return usesWasm(choice, WASM_URL, 'LDA');
}

export interface ShardInput {
  K: number;
  alpha: number;
  eta: number;
  vEta: number;
  /** lnΓ(Kα). */
  lgKAlpha: number;
  /** Global token offsets of this shard's documents, one past the last included. */
  docStart: Int32Array;
  /** Word ids and current topics of the shard's tokens. */
  words: Int32Array;
  z: Uint16Array;
  vocabSize: number;
  /** lnΓ(c + α) and lnΓ(n + Kα) for counts up to the longest document. */
  lgAlpha: Float64Array;
  lgLen: Float64Array;
  /** xoshiro128** state words of the shard's generator. */
  rng: readonly [number, number, number, number];
}

export class LdaWasmShard {
  private readonly ex: Exports;
  readonly docs: number;
  /** Views into the instance's memory. */
  readonly nwk: Int32Array;
  readonly nk: Int32Array;

  constructor(input: ShardInput) {
    const m = loadWasm(WASM_URL);
    if (typeof m === 'string') throw new Error(`the WebAssembly LDA sampler is unavailable: ${m}`);
    this.ex = new WebAssembly.Instance(m, {}).exports as unknown as Exports;
    const { K, vocabSize: V } = input;
    const docs = input.docStart.length - 1;
    const tokens = input.words.length;
    const padK = (K + 3) & ~3;
    const v = new WasmArena(this.ex.memory, this.ex.heapBase()).views({
      docStart: ['i32', docs + 1],
      words: ['i32', tokens],
      z: ['u16', tokens],
      // 4 spare counts past the end: the sweep's SIMD loads of a word's K counts may read past the last word.
      nwk: ['i32', V * K + 4],
      nk: ['i32', K],
      ndk: ['i32', padK],
      a: ['f64', padK],
      weight: ['f64', padK],
      blockSum: ['f64', padK / 4],
      inv: ['f64', padK],
      lgAlpha: ['f64', input.lgAlpha.length],
      lgLen: ['f64', input.lgLen.length],
    });
    const base = input.docStart[0];
    for (let d = 0; d <= docs; d++) v.docStart[d] = input.docStart[d] - base;
    for (let i = 0; i < tokens; i++) v.words[i] = input.words[i] * K;
    v.z.set(input.z);
    v.lgAlpha.set(input.lgAlpha);
    v.lgLen.set(input.lgLen);
    this.nwk = v.nwk.subarray(0, V * K);
    this.nk = v.nk;
    this.docs = docs;
    this.ex.setParams(K, input.alpha, input.eta, input.vEta, input.lgKAlpha);
    const { docStart, words, z, nwk, nk, ndk, a, weight, blockSum, inv, lgAlpha, lgLen } = v;
    this.ex.setArrays(
      docStart.byteOffset, words.byteOffset, z.byteOffset, nwk.byteOffset, nk.byteOffset, ndk.byteOffset,
      a.byteOffset, weight.byteOffset, blockSum.byteOffset, inv.byteOffset, lgAlpha.byteOffset, lgLen.byteOffset,
    );
    this.ex.setRng(input.rng[0], input.rng[1], input.rng[2], input.rng[3]);
  }

  /** Copy the counts in (this.nwk, this.nk) first; `onChunk` runs between blocks of `chunk` documents. */
  sweep(chunk: number, onChunk: () => void): number {
    this.ex.beginSweep();
    for (let d = 0; d < this.docs; d += chunk) {
      this.ex.sweepDocs(d, Math.min(this.docs, d + chunk));
      onChunk();
    }
    return this.ex.sweepLogLikelihood();
  }
}
