/**
 * 1/‖R v‖ for one binary bag at a time, over a fixed R: predict's feature
 * stage for models that weigh the word vectors. In WebAssembly SIMD
 * (assembly/projection.ts, built by `npm run build` into projection.wasm next
 * to this file) when it loads, with R copied once into the instance's memory
 * as float32; else inverseProjectionNorm over R widened to float64. Both add
 * the same numbers in the same order, so both give the same bits
 * (test/predict-fast-path.test.ts). SENTIVEC_KERNELS=js chooses TypeScript.
 */
import { WasmArena, loadWasm, usesWasm } from '../runtime/wasm.js';
import { inverseProjectionNorm, widenWordMatrix, type BinaryBag, type WideWordMatrix } from './binary-bag.js';
import type { WordMatrix } from './word-matrix.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  squaredNorm(r: number, dim: number, words: number, m: number): number;
}

const WASM_URL = new URL('./projection.wasm', import.meta.url);

export class ProjectionNorm {
  private readonly dim: number;
  private readonly wasm: { ex: Exports; r: number; words: Int32Array } | null = null;
  private readonly wide: WideWordMatrix | null = null;
  private readonly acc: Float64Array;

  constructor(r: WordMatrix) {
    this.dim = r.dim;
    this.acc = new Float64Array(r.dim);
    const module = usesWasm(undefined, WASM_URL, 'the ‖R v‖ kernel') ? loadWasm(WASM_URL) : null;
    if (module instanceof WebAssembly.Module) {
      // One instance per model: its memory holds this R (and the bag's ids, at most |V| of them).
      const ex = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
      const views = new WasmArena(ex.memory, ex.heapBase()).views({ r: ['f32', r.data.length], words: ['i32', Math.max(1, r.vocabSize)] });
      views.r.set(r.data);
      this.wasm = { ex, r: views.r.byteOffset, words: views.words };
    } else {
      this.wide = widenWordMatrix(r);
    }
  }

  /** 1/‖R v‖ of `bag` (0 when R v = 0). */
  inverse(bag: BinaryBag): number {
    if (this.wasm === null) return inverseProjectionNorm(bag, this.wide as WideWordMatrix, this.acc);
    const { ex, r, words } = this.wasm;
    const m = bag.size;
    words.set(bag.words.subarray(0, m));
    const s = ex.squaredNorm(r, this.dim, words.byteOffset, m);
    return s > 0 ? 1 / Math.sqrt(s) : 0;
  }
}
