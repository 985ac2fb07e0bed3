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
import * as js from './kernels-js.js';
import { WasmKernels, wasmUnavailable } from './kernels-wasm.js';

export type KernelKind = 'wasm-fma' | 'wasm' | 'js' | 'js64';
export const KERNEL_KINDS: readonly KernelKind[] = ['wasm-fma', 'wasm', 'js', 'js64'];

/** Kernel storage: Float32Array for wasm and js, Float64Array for js64. */
export type Vec = Float32Array | Float64Array;

/** Arrays to allocate: name → ['vec' (kernel storage) | 'f64' | 'i32', length]. */
export type BufferSpec = Record<string, readonly ['vec' | 'f64' | 'i32', number]>;
export type Buffers<S extends BufferSpec> = { [K in keyof S]: S[K][0] extends 'f64' ? Float64Array : S[K][0] extends 'i32' ? Int32Array : Vec };

export interface Kernels {
  readonly kind: KernelKind;
  /**
   * Zeroed arrays the kernels can use without copying (wasm: inside this
   * instance's memory). Once per Kernels object. Any other arrays of the
   * right type work too, through copies.
   */
  allocate<S extends BufferSpec>(spec: S): Buffers<S>;
  /** C (m×n) = A (m×k) · Bᵀ, B stored n×k. */
  gemmNT(m: number, n: number, k: number, a: Vec, b: Vec, c: Vec): void;
  /**
   * C (m×n) = A (m×k) · B (k×n), the rows of A `lda` apart (default k). For
   * the scores Θ·Rᵀ, training keeps Rᵀ (β × |V|) and calls this with k = β on
   * θ rows padded to dimP: the wide form runs faster than gemmNT on R, and
   * skips the padding.
   */
  gemmNN(m: number, n: number, k: number, a: Vec, b: Vec, c: Vec, lda?: number): void;
  /** C (m×n) += Aᵀ · B, A stored k×m, B stored k×n. */
  gemmTNAdd(m: number, n: number, k: number, a: Vec, b: Vec, c: Vec): void;
  /** Row i of S (m×n) ← scale_i · softmax(S_i + bias) (scale_i = 1 without `scale`); lse_i = log Σ_j exp(S_ij + bias_j). */
  softmaxRows(m: number, n: number, s: Vec, bias: Vec, lse: Float64Array, scale?: Float64Array): void;
  /** lse_i = log Σ_j exp(S_ij + bias_j); S_i is left holding exp(S_i + bias − max_j(S_ij + bias_j)). */
  logSumExpRows(m: number, n: number, s: Vec, bias: Vec, lse: Float64Array): void;
  /** out[j] += Σ_i A[i][j], A (m×n). */
  colSumsAdd(m: number, n: number, a: Vec, out: Float64Array): void;
  /** out (m×n) = X · B for a sparse X in CSR form (row i: val[p] at column idx[p] for p in ptr[i]..ptr[i+1]). */
  csrTimes(m: number, n: number, ptr: Int32Array, idx: Int32Array, val: Vec, b: Vec, out: Vec): void;
  /** y = exp(x) elementwise: the exp the softmax uses. */
  exp(n: number, x: Vec, y: Vec): void;
}

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

/** `auto` or one of KERNEL_KINDS. */
export type KernelChoice = KernelKind | 'auto';

/**
 * The kernels to use: `requested`, else $SENTIVEC_KERNELS, else auto (wasm if
 * it runs here, else js). Asking for wasm where it cannot run is an error.
 */
export function resolveKernels(requested?: KernelChoice): KernelKind {
  let choice = requested;
  if (choice !== undefined && choice !== 'auto' && !KERNEL_KINDS.includes(choice)) {
    throw new SentivecError(`kernels must be one of auto, ${KERNEL_KINDS.join(', ')}; got "${String(choice)}"`);
  }
  if (choice === undefined) {
    const env = process.env.SENTIVEC_KERNELS?.trim() ?? '';
    if (env !== '' && env !== 'auto' && !KERNEL_KINDS.includes(env as KernelKind)) {
      throw new SentivecError(`SENTIVEC_KERNELS must be one of auto, ${KERNEL_KINDS.join(', ')}; got "${env}"`);
    }
    choice = env === '' ? 'auto' : (env as KernelChoice);
  }
  if (choice === 'auto') return wasmUnavailable('fma') === null ? 'wasm-fma' : wasmUnavailable('plain') === null ? 'wasm' : 'js';
  if (choice === 'wasm' || choice === 'wasm-fma') {
    const why = wasmUnavailable(choice === 'wasm' ? 'plain' : 'fma');
    if (why !== null) throw new SentivecError(`the ${choice} kernels cannot run: ${why}; set SENTIVEC_KERNELS=js to use the TypeScript kernels`);
  }
  return choice;
}

/** A fresh set of kernels (wasm: a new instance with its own memory, so one per thread). */
export function createKernels(kind: KernelKind): Kernels {
  if (kind === 'wasm-fma') return new WasmKernels('fma');
  return kind === 'wasm' ? new WasmKernels('plain') : new JsKernels(kind);
}
