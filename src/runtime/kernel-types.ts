/** The kernels' interface and storage types (kernels.ts chooses an implementation; kernels-js.ts and kernels-wasm.ts implement it). */
import type { KernelKind } from './wasm.js';

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
