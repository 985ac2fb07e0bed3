/**
 * Per-thread kernels and scratch for semantic.ts (never shared). The kernel
 * arrays are allocated by the kernels, so they live where the kernels work
 * on them in place (wasm: the thread's own instance memory), and R, b and
 * the preconditioner are copied there when they change.
 *
 * Rows of θ and R in kernel storage are padded with zeros from β to dimP, a
 * multiple of 4, so the SIMD tiles never take their slow remainder paths;
 * zero columns add nothing to any product.
 */
import { createKernels, type Kernels, type Vec } from './kernels.js';
import { CHUNK, type Workspace } from './semantic.js';

/** β rounded up to a multiple of 4. */
export function paddedDim(dim: number): number {
  return Math.ceil(dim / 4) * 4;
}

export class Scratch {
  readonly kernels: Kernels;
  readonly dimP: number;
  /** R (|V| × dimP) and b in kernel storage. */
  readonly r: Vec;
  readonly bias: Vec;
  /** Scores, then probabilities, then E = n − N P (CHUNK × |V|). */
  readonly s: Vec;
  /** The chunk's θ rows (CHUNK × dimP). */
  readonly t: Vec;
  /** E R (CHUNK × dimP). */
  readonly g: Vec;
  /** Σ Eᵀ Θ over a shard's chunks (|V| × dimP). */
  readonly gw: Vec;
  /** Σ_k e_k over a shard's chunks. */
  readonly gb: Float64Array;
  readonly lse: Float64Array;
  /** −N_k per row: the softmax writes −N_k p_k directly. */
  readonly negLength: Float64Array;
  /** The chunk's counts n_k as CSR (csrPtr[0] = 0), for R n_k. */
  readonly csrPtr: Int32Array;
  readonly csrIdx: Int32Array;
  readonly csrVal: Vec;
  /** CHUNK × dimP: R n_k, then N_k μ_k; the same scaled by 1/N_k; θ gradient, then step; step in the eigenbasis. */
  readonly rn: Vec;
  readonly ms: Vec;
  readonly gk: Vec;
  readonly tk: Vec;
  /** Eigenvectors of C̄ as rows (dimP × dimP), and one chunk's Σ N_k μ_k μ_kᵀ. */
  readonly eig: Vec;
  readonly mom: Vec;
  /** L_k and ∂L_k/∂θ (CHUNK × β) of the chunk, float64. */
  readonly val: Float64Array;
  readonly grad: Float64Array;
  private version = -1;

  constructor(ws: Workspace) {
    const { dim, dimP: P, vocabSize: V, indptr } = ws;
    this.kernels = createKernels(ws.kernels);
    this.dimP = P;
    let maxTerms = 0;
    for (let d = 0; d + 1 < indptr.length; d++) maxTerms = Math.max(maxTerms, indptr[d + 1] - indptr[d]);
    const buf = this.kernels.allocate({
      r: ['vec', V * P],
      bias: ['vec', V],
      s: ['vec', CHUNK * V],
      t: ['vec', CHUNK * P],
      g: ['vec', CHUNK * P],
      gw: ['vec', V * P],
      gb: ['f64', V],
      lse: ['f64', CHUNK],
      negLength: ['f64', CHUNK],
      csrPtr: ['i32', CHUNK + 1],
      csrIdx: ['i32', CHUNK * maxTerms],
      csrVal: ['vec', CHUNK * maxTerms],
      rn: ['vec', CHUNK * P],
      ms: ['vec', CHUNK * P],
      gk: ['vec', CHUNK * P],
      tk: ['vec', CHUNK * P],
      eig: ['vec', P * P],
      mom: ['vec', P * P],
    });
    this.r = buf.r;
    this.bias = buf.bias;
    this.s = buf.s;
    this.t = buf.t;
    this.g = buf.g;
    this.gw = buf.gw;
    this.gb = buf.gb;
    this.lse = buf.lse;
    this.negLength = buf.negLength;
    this.csrPtr = buf.csrPtr;
    this.csrIdx = buf.csrIdx;
    this.csrVal = buf.csrVal;
    this.rn = buf.rn;
    this.ms = buf.ms;
    this.gk = buf.gk;
    this.tk = buf.tk;
    this.eig = buf.eig;
    this.mom = buf.mom;
    this.val = new Float64Array(CHUNK);
    this.grad = new Float64Array(CHUNK * dim);
  }

  /** Copies R and b into kernel storage if they changed since the last call (see markParamsChanged). */
  sync(ws: Workspace): void {
    const version = Atomics.load(ws.paramsVersion, 0);
    if (version === this.version) return;
    this.version = version;
    const { dim, vocabSize: V, w } = ws;
    const { r, dimP: P } = this;
    if (P === dim) r.set(w);
    else for (let v = 0; v < V; v++) for (let j = 0; j < dim; j++) r[v * P + j] = w[v * dim + j];
    this.bias.set(ws.b);
  }

  /** Copies the preconditioner's eigenvectors (it changes after every ThetaStep phase). */
  syncPreconditioner(ws: Workspace): void {
    const { dim, eigVec } = ws;
    const P = this.dimP;
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) this.eig[i * P + j] = eigVec[i * dim + j];
  }
}
