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
import { createKernels, type Kernels, type Vec } from '../../runtime/kernels.js';
import { CHUNK, type Workspace } from './workspace.js';

/** β rounded up to a multiple of 4. */
export function paddedDim(dim: number): number {
  return Math.ceil(dim / 4) * 4;
}

export class Scratch {
  readonly kernels: Kernels;
  readonly dimP: number;
  /** R (|V| × dimP) and b in kernel storage. */
  readonly r: Vec;
  /** Rᵀ (β × |V|): the scores Θ·Rᵀ run as gemmNN on it (see Kernels.gemmNN). */
  readonly rT: Vec;
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
  private rowsVersion = -1;

  constructor(ws: Workspace) {
    const { dim, dimP: P, vocabSize: V, indptr } = ws;
    this.kernels = createKernels(ws.kernels);
    this.dimP = P;
    let maxTerms = 0;
    for (let d = 0; d + 1 < indptr.length; d++) maxTerms = Math.max(maxTerms, indptr[d + 1] - indptr[d]);
    const buf = this.kernels.allocate({
      r: ['vec', V * P],
      rT: ['vec', dim * V],
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
    this.rT = buf.rT;
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

  /**
   * Copies Rᵀ and b into kernel storage if they changed since the last call
   * (see markParamsChanged), and R itself with `rows`: E·R and R n_k (the θ
   * step) read R's rows, while the R phase and L_k's value need only the
   * scores, so an Adam step costs one copy of R (~0.3 ms), not two.
   */
  sync(ws: Workspace, rows = true): void {
    const version = Atomics.load(ws.paramsVersion, 0);
    const { dim, vocabSize: V, w } = ws;
    if (version !== this.version) {
      this.version = version;
      const rT = this.rT;
      for (let v = 0; v < V; v++) for (let j = 0; j < dim; j++) rT[j * V + v] = w[v * dim + j];
      this.bias.set(ws.b);
    }
    if (rows && version !== this.rowsVersion) {
      this.rowsVersion = version;
      const { r, dimP: P } = this;
      if (P === dim) r.set(w);
      else for (let v = 0; v < V; v++) for (let j = 0; j < dim; j++) r[v * P + j] = w[v * dim + j];
    }
  }

  /** Copies the preconditioner's eigenvectors (it changes after every ThetaStep phase). */
  syncPreconditioner(ws: Workspace): void {
    const { dim, eigVec } = ws;
    const P = this.dimP;
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) this.eig[i * P + j] = eigVec[i * dim + j];
  }
}
