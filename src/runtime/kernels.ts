/**
 * The dense kernels that dominate training: scores Θ·Rᵀ (batch × |V| × β,
 * as gemmNN on a transposed copy of R),
 * the row softmax over |V| (and its log-sum-exp), and the gradient products
 * E·R and Eᵀ·Θ. Four implementations behind one interface:
 *
 * - `wasm-fma`: WebAssembly SIMD with relaxed SIMD's fused multiply-add
 *   (kernels-wasm.ts says how it is enabled on Node 20), ~20% faster tiles.
 * - `wasm`: WebAssembly SIMD, float32 storage and arithmetic, long sums
 *   (softmax denominators, column sums) in float64 (assembly/kernels.ts).
 * - `js`: plain TypeScript on the same float32 storage (arithmetic in
 *   doubles), for runtimes without WebAssembly SIMD. ~6× slower.
 * - `js64`: plain TypeScript on float64 storage: the reference the float32
 *   paths are tested against, and what the model computed before them.
 *
 * `SENTIVEC_KERNELS=wasm-fma|wasm|js|js64` chooses; unset (or `auto`) means
 * the first of wasm-fma, wasm, js whose module loads and validates here,
 * silently.
 */
import { SentivecError } from '../util/errors.js';
import type { BufferSpec, Buffers, Kernels, Vec } from './kernel-types.js';
import * as js from './kernels-js.js';
import { WasmKernels, wasmKernelsUnavailable } from './kernels-wasm.js';
import { kernelChoice, type KernelChoice, type KernelKind } from './wasm.js';

export { KERNEL_KINDS, type KernelChoice, type KernelKind } from './wasm.js';
export type { BufferSpec, Buffers, Kernels, Vec } from './kernel-types.js';

class JsKernels implements Kernels {
  constructor(readonly kind: 'js' | 'js64') {}

  allocate<S extends BufferSpec>(spec: S): Buffers<S> {
    const out: Record<string, Vec | Int32Array> = {};
    for (const [name, [type, n]] of Object.entries(spec)) {
      out[name] = type === 'i32' ? new Int32Array(n) : type === 'f64' || this.kind === 'js64' ? new Float64Array(n) : new Float32Array(n);
    }
    return out as Buffers<S>;
  }

  gemmNT = js.gemmNT;
  gemmNN = js.gemmNN;
  gemmTNAdd = js.gemmTNAdd;
  softmaxRows = js.softmaxRows;
  logSumExpRows = js.logSumExpRows;
  colSumsAdd = js.colSumsAdd;
  csrTimes = js.csrTimes;
  exp = js.expArray;
}

/**
 * The kernels to use: `requested`, else $SENTIVEC_KERNELS (runtime/wasm.ts),
 * else auto: the first of wasm-fma, wasm, js that runs here. Asking for
 * wasm where it cannot run is an error.
 */
export function resolveKernels(requested?: KernelChoice): KernelKind {
  const choice = kernelChoice(requested);
  if (choice === 'auto') return wasmKernelsUnavailable('fma') === null ? 'wasm-fma' : wasmKernelsUnavailable('plain') === null ? 'wasm' : 'js';
  if (choice === 'wasm' || choice === 'wasm-fma') {
    const why = wasmKernelsUnavailable(choice === 'wasm' ? 'plain' : 'fma');
    if (why !== null) throw new SentivecError(`the ${choice} kernels cannot run: ${why}; set SENTIVEC_KERNELS=js to use the TypeScript kernels`);
  }
  return choice;
}

/** A fresh set of kernels (wasm: a new instance with its own memory, so one per thread). */
export function createKernels(kind: KernelKind): Kernels {
  if (kind === 'wasm-fma') return new WasmKernels('fma');
  return kind === 'wasm' ? new WasmKernels('plain') : new JsKernels(kind);
}
