/**
 * NgramTable's lookup in WebAssembly (assembly/ngram.ts, built by
 * `npm run build` into ngram.wasm next to this file): the same slots in the
 * same order as the TypeScript distinctSlots (test/ngram-kernel.test.ts
 * compares them), at a fraction of its cost per lookup. The table's records
 * live in the instance's memory (`records`): the table reads and writes them
 * through that view, and scoring reads the weights from it, so there is one
 * copy. A text of more than MAX_WORDS ids is looked up in TypeScript.
 * SENTIVEC_KERNELS=js, or a runtime without WebAssembly, uses TypeScript
 * throughout.
 */
import { WasmArena, loadWasm, usesWasm } from '../runtime/wasm.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  init(records: number, slots: number, recordBytes: number, vocabSize: number, ids: number, bigramAt: number, trigramAt: number, found: number, setKeys: number, setStamps: number, setBits: number): void;
  distinct(count: number): number;
}

const WASM_URL = new URL('./ngram.wasm', import.meta.url);
/** The most word ids a text may have for the kernel (its buffers' size); a longer text is looked up in TypeScript. */
export const MAX_WORDS = 1 << 15;
/** The kernel's per-text set: up to 2 · MAX_WORDS slots at most half full (assembly/ngram.ts setBitsFor). */
const SET_BITS = 17;

export class NgramKernel {
  /** The table's records (float64), in the instance's memory. */
  readonly records: Float64Array;
  private readonly ids: Int32Array;
  private readonly found: Int32Array;
  private readonly run: (count: number) => number;
  /** Tells the instance the table's shape (once its records are in place). */
  private readonly bind: (recordFloats: number, vocabSize: number) => void;

  private constructor(module: WebAssembly.Module, floats: number) {
    const ex = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    // Records first: 16-byte aligned, as a Float64Array view needs.
    const v = new WasmArena(ex.memory, ex.heapBase()).views({
      records: ['f64', floats],
      ids: ['i32', MAX_WORDS],
      bigramAt: ['i32', MAX_WORDS],
      trigramAt: ['i32', MAX_WORDS],
      found: ['i32', 2 * MAX_WORDS],
      setKeys: ['i32', 1 << SET_BITS],
      setStamps: ['i32', 1 << SET_BITS],
    });
    this.bind = (recordFloats, vocabSize) =>
      ex.init(v.records.byteOffset, floats / recordFloats, 8 * recordFloats, vocabSize, v.ids.byteOffset, v.bigramAt.byteOffset, v.trigramAt.byteOffset, v.found.byteOffset, v.setKeys.byteOffset, v.setStamps.byteOffset, SET_BITS);
    this.records = v.records;
    this.ids = v.ids;
    this.found = v.found;
    this.run = ex.distinct;
  }

  /**
   * A kernel for a table of `floats` record values (`recordFloats` a slot), holding a copy of `from` (none:
   * zeros, an empty table to fill; records that place() handed out: those, not copied), or null where it cannot
   * run (SENTIVEC_KERNELS=js, no WebAssembly, big-endian: the keys are read as int32 in the records' bytes).
   */
  static create(floats: number, recordFloats: number, vocabSize: number, from?: Float64Array): NgramKernel | null {
    const placed = from ? PLACED.get(from) : undefined;
    const kernel = placed ?? NgramKernel.empty(floats);
    if (kernel === null) return null;
    if (from && !placed) kernel.records.set(from);
    kernel.bind(recordFloats, vocabSize);
    return kernel;
  }

  /**
   * Room for `floats` record values in a new kernel's memory, where a model file's reader puts a table's
   * records (so they are copied once, and create() adopts them); undefined where the kernel cannot run.
   */
  static place(floats: number): Float64Array | undefined {
    const kernel = NgramKernel.empty(floats);
    if (kernel === null) return undefined;
    PLACED.set(kernel.records, kernel);
    return kernel.records;
  }

  private static empty(floats: number): NgramKernel | null {
    if (!LITTLE_ENDIAN || !usesWasm(undefined, WASM_URL, 'the n-gram lookup')) return null;
    const module = loadWasm(WASM_URL);
    if (!(module instanceof WebAssembly.Module)) return null;
    try {
      return new NgramKernel(module, floats);
    } catch (e) {
      // A memory the runtime will not grant (a table beyond 4 GB, or address space exhausted by many live
      // tables): that table looks up in TypeScript, with the same results.
      if (e instanceof RangeError || e instanceof WebAssembly.RuntimeError) return null;
      throw e;
    }
  }

  /** NgramTable.distinctSlots of ids[start, end) (a view the next call overwrites), or null for a text longer than MAX_WORDS. */
  distinct(ids: ArrayLike<number>, start: number, end: number): Int32Array | null {
    const count = end - start;
    if (count > MAX_WORDS) return null;
    const into = this.ids;
    if (ids instanceof Int32Array) into.set(start === 0 && end === ids.length ? ids : ids.subarray(start, end));
    else for (let i = 0; i < count; i++) into[i] = ids[start + i];
    return this.found.subarray(0, this.run(count));
  }
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
/** The records place() handed out, by view: what create() adopts. */
const PLACED = new WeakMap<Float64Array, NgramKernel>();
