import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { Rng, checkSeed } from '../../util/rng.js';
import { checkKernelChoice, type KernelChoice } from '../../runtime/wasm.js';
import { solveDualWasm, svmUsesWasm } from './svm-wasm.js';

/** 'l2': squared hinge (liblinear -s 1); 'l1': hinge (liblinear -s 3). */
export type SvmLoss = 'l2' | 'l1';

export interface LinearSvcOptions {
  /** Cost of margin violations (liblinear -c). */
  C?: number;
  loss?: SvmLoss;
  /** Stopping tolerance on the dual's projected-gradient spread (liblinear -e). */
  tol?: number;
  /** liblinear -B: append a constant feature of this value; <= 0 means no intercept. */
  bias?: number;
  /** Outer iterations (passes over the active set). */
  maxIter?: number;
  shrinking?: boolean;
  /** Seeds the per-pass permutation, so a seed fixes the solution bit for bit. */
  seed?: number;
  /** Multiplies C per class (liblinear -w0 / -w1). */
  classWeight?: { 0: number; 1: number };
  /**
   * Where the coordinate descent runs: `wasm` (assembly/svm.ts via
   * svm-wasm.ts; 1.3–2.7× less CPU than `js` on the IMDb features), `js`, or
   * `auto` (wasm when it loads); wasm-fma means wasm, js64 means js; unset
   * follows SENTIVEC_KERNELS (src/runtime/wasm.ts). Both give the same model
   * to the last bit.
   */
  kernels?: KernelChoice;
}

/**
 * L2-regularized linear SVM, trained like LIBLINEAR's solve_l2r_l1l2_svc:
 * dual coordinate descent (Hsieh et al. 2008, Algorithm 3) on
 *   min_α ½ αᵀ(Q + D)α − eᵀα,  0 ≤ α_i ≤ U_i,  Q_ij = y_i y_j x_iᵀx_j,
 * with U_i = C, D = 0 for the hinge loss and U_i = ∞, D_ii = 1/(2C) for the
 * squared hinge. w = Σ α_i y_i x_i is kept up to date so each coordinate
 * step costs two passes over one sparse row.
 *
 * Stopping rule, as in LIBLINEAR 2.3 (the reference binary): after a pass
 * over the active set, stop when PGmax_new − PGmin_new ≤ tol, the spread of
 * the projected gradients seen in that pass. If variables were shrunk, first
 * restore the full set, reset the shrinking bounds to ±∞ and require the rule
 * again on a pass over all variables. (Later LIBLINEAR releases also require
 * |PGmax_new|, |PGmin_new| ≤ tol.) Shrinking drops α_i = 0 with
 * G_i > PGmax_old and α_i = U_i with G_i < PGmin_old, the bounds coming from
 * the previous pass (±∞ when that pass's max/min had the wrong sign).
 * Hitting maxIter leaves `converged` false, like LIBLINEAR's warning.
 * The loop below is the reference; by default fit() runs the same loop
 * compiled to WebAssembly (option `kernels`), where a nonzero costs about
 * what it costs LIBLINEAR's C instead of ~4× the instructions.
 */
export class LinearSVC {
  readonly C: number;
  readonly loss: SvmLoss;
  readonly tol: number;
  readonly bias: number;
  readonly maxIter: number;
  readonly shrinking: boolean;
  readonly seed: number;
  readonly classWeight: { 0: number; 1: number };
  readonly kernels: KernelChoice | undefined;

  /** Weights, one per column of the training matrix. */
  coef: Float64Array = new Float64Array(0);
  /** w_bias · bias (0 without a bias feature); decision = coef·x + intercept. */
  intercept = 0;
  /** Dual variables α, one per training row (sklearn's dual_coef_ without the sign). */
  alpha: Float64Array = new Float64Array(0);
  /** Dual objective ½αᵀ(Q+D)α − eᵀα at the solution (LIBLINEAR prints this value). */
  dualObjective = Number.NaN;
  nIter = 0;
  converged = false;
  private fitted = false;

  constructor(opts: LinearSvcOptions = {}) {
    this.C = positive('C', opts.C ?? 1);
    this.loss = opts.loss ?? 'l2';
    if (this.loss !== 'l1' && this.loss !== 'l2') throw new SentivecError(`loss must be 'l1' or 'l2', got ${String(this.loss)}`);
    this.tol = positive('tol', opts.tol ?? 0.1);
    this.bias = finite('bias', opts.bias ?? 1);
    this.maxIter = positiveInt('maxIter', opts.maxIter ?? 1000);
    this.shrinking = opts.shrinking ?? true;
    this.seed = checkSeed(opts.seed ?? 1);
    const cw = opts.classWeight ?? { 0: 1, 1: 1 };
    this.classWeight = { 0: positive('classWeight[0]', cw[0]), 1: positive('classWeight[1]', cw[1]) };
    this.kernels = checkKernelChoice(opts.kernels);
  }

  fit(X: CsrMatrix, y: ArrayLike<number>): this {
    const sign = binaryLabels(X, y);
    const Cp = this.C * this.classWeight[1];
    const Cn = this.C * this.classWeight[0];
    const wasm = svmUsesWasm(this.kernels);
    const r = solveDualSvc(X, sign, this.bias > 0 ? this.bias : 0, Cp, Cn, this.loss === 'l1', this.tol, this.maxIter, this.shrinking, new Rng(this.seed), wasm);
    this.coef = r.w;
    this.intercept = r.wb * (this.bias > 0 ? this.bias : 0);
    this.alpha = r.alpha;
    this.nIter = r.iter;
    this.converged = r.converged;
    let v = 0;
    for (let j = 0; j < r.w.length; j++) v += r.w[j] * r.w[j];
    v += r.wb * r.wb;
    for (let i = 0; i < sign.length; i++) {
      const a = r.alpha[i];
      const diag = this.loss === 'l1' ? 0 : 0.5 / (sign[i] > 0 ? Cp : Cn);
      v += a * (a * diag - 2);
    }
    this.dualObjective = v / 2;
    this.fitted = true;
    return this;
  }

  decisionFunction(X: CsrMatrix): Float64Array {
    if (!this.fitted) throw new SentivecError('LinearSVC: call fit() before predicting');
    return linearScores(X, this.coef, this.intercept);
  }

  /** 1 where the decision value is > 0 (LIBLINEAR's rule), else 0. */
  predict(X: CsrMatrix): Uint8Array {
    return thresholdScores(this.decisionFunction(X));
  }
}

interface DualSvcResult {
  w: Float64Array;
  wb: number;
  alpha: Float64Array;
  iter: number;
  converged: boolean;
}

/** The solver proper; `bias` 0 means no bias feature. See LinearSVC's doc comment. */
function solveDualSvc(
  X: CsrMatrix, y: Float64Array, bias: number, Cp: number, Cn: number, l1: boolean,
  eps: number, maxIter: number, shrinking: boolean, rng: Rng, wasm: boolean,
): DualSvcResult {
  const l = X.rows;
  const diagP = l1 ? 0 : 0.5 / Cp;
  const diagN = l1 ? 0 : 0.5 / Cn;
  const upperP = l1 ? Cp : Infinity;
  const upperN = l1 ? Cn : Infinity;
  if (wasm) return solveDualWasm({ X, y, bias, diagP, diagN, upperP, upperN, eps, maxIter, shrinking, rng });
  const rows = solverRows(X);
  const QD = new Float64Array(l);
  const bias2 = bias * bias;
  for (let i = 0; i < l; i++) QD[i] = (y[i] > 0 ? diagP : diagN) + rows.sqNorm[i] + bias2;
  const w = new Float64Array(X.cols);
  const alpha = new Float64Array(l);
  const index = new Int32Array(l);
  for (let i = 0; i < l; i++) index[i] = i;
  let wb = 0;
  let activeSize = l;
  let PGmaxOld = Infinity;
  let PGminOld = -Infinity;
  let iter = 0;
  let converged = false;
  while (iter < maxIter) {
    let PGmaxNew = -Infinity;
    let PGminNew = Infinity;
    for (let i = 0; i < activeSize; i++) {
      const j = i + rng.int(activeSize - i);
      const t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    for (let s = 0; s < activeSize; s++) {
      const i = index[s];
      const yi = y[i];
      const ai = alpha[i];
      const pos = yi > 0;
      const C = pos ? upperP : upperN;
      const G = yi * (rowDot(rows, w, i) + wb * bias) - 1 + ai * (pos ? diagP : diagN);
      let PG = 0;
      if (ai === 0) {
        if (G > PGmaxOld) {
          activeSize--;
          index[s] = index[activeSize];
          index[activeSize] = i;
          s--;
          continue;
        }
        if (G < 0) PG = G;
      } else if (ai === C) {
        if (G < PGminOld) {
          activeSize--;
          index[s] = index[activeSize];
          index[activeSize] = i;
          s--;
          continue;
        }
        if (G > 0) PG = G;
      } else {
        PG = G;
      }
      if (PG > PGmaxNew) PGmaxNew = PG;
      if (PG < PGminNew) PGminNew = PG;
      if (PG > 1e-12 || PG < -1e-12) {
        let a = ai - G / QD[i];
        a = a < 0 ? 0 : a > C ? C : a;
        alpha[i] = a;
        const d = (a - ai) * yi;
        rowAxpy(rows, d, w, i);
        wb += d * bias;
      }
    }
    iter++;
    if (PGmaxNew - PGminNew <= eps) {
      if (activeSize === l) {
        converged = true;
        break;
      }
      activeSize = l;
      PGmaxOld = Infinity;
      PGminOld = -Infinity;
      continue;
    }
    PGmaxOld = shrinking && PGmaxNew > 0 ? PGmaxNew : Infinity;
    PGminOld = shrinking && PGminNew < 0 ? PGminNew : -Infinity;
  }
  return { w, wb, alpha, iter, converged };
}

// ---- helpers shared with logistic.ts ----

/** ±1 per row from 0/1 labels; throws SentivecError on anything else. */
export function binaryLabels(X: CsrMatrix, y: ArrayLike<number>): Float64Array {
  checkCsr(X);
  if (y.length !== X.rows) throw new SentivecError(`got ${y.length} labels for ${X.rows} rows`);
  const sign = new Float64Array(y.length);
  let nPos = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) throw new SentivecError(`labels must be 0 or 1; row ${i} has ${v}`);
    sign[i] = v === 1 ? 1 : -1;
    nPos += v;
  }
  if (nPos === 0 || nPos === y.length) throw new SentivecError('training labels must contain both classes 0 and 1');
  return sign;
}

/**
 * Training rows laid out for the dual solvers. Their time goes into the two
 * loops over one row (rows come in random order, so each is a fresh stream
 * from RAM, and V8 guards every typed-array access), hence:
 * - `indices` are 16-bit when the column count allows (10 instead of 12
 *   bytes streamed per nonzero);
 * - each row ends in a run of equal values, entries [split[i], end) all
 *   equal to tail[i]; that part's dot product is one multiply by tail[i]
 *   after a plain sum of gathered weights, and its `data` is never read
 *   (2 bytes and two array accesses per nonzero, against LIBLINEAR's 16-byte
 *   feature_node). Binary cosine-normalized rows (bnc) are all tail; the
 *   [z | bnc] rows of the "+ BoW" features are a 50-entry head and a bnc tail.
 * - when every row starts with columns 0, 1, …, k−1 in order (a dense block
 *   such as z above, or dense LSA/LDA features), the first `dense` entries
 *   (k rounded down to a multiple of 4, and never reaching into a tail) are
 *   read as w[0..dense) without gathering through `indices`. Summation order
 *   is unchanged, so results are bit for bit those of the gathered loop.
 */
export interface SolverRows {
  indptr: Int32Array;
  indices: Int32Array | Uint16Array;
  data: Float64Array;
  dense: number;
  split: Int32Array;
  tail: Float64Array;
  sqNorm: Float64Array;
}

export function solverRows(X: CsrMatrix): SolverRows {
  const split = new Int32Array(X.rows);
  const tail = new Float64Array(X.rows);
  const sqNorm = new Float64Array(X.rows);
  rowStats(X.indptr, X.data, split, tail, sqNorm);
  const indices = checkedIndices(X);
  return { indptr: X.indptr, indices, data: X.data, dense: densePrefix(X.indptr, indices, split), split, tail, sqNorm };
}

/** Length of the leading run of columns 0, 1, 2, … shared by all rows and ending before every tail, rounded down to a multiple of 4. */
function densePrefix(indptr: Int32Array, indices: Int32Array | Uint16Array, split: Int32Array): number {
  let k = Infinity;
  for (let i = 0; i < split.length && k > 0; i++) {
    const a = indptr[i];
    const e = Math.min(split[i], a + k);
    let p = a;
    while (p < e && indices[p] === p - a) p++;
    k = p - a;
  }
  return split.length === 0 ? 0 : k & ~3;
}

/** Range-checked (an index past `cols` would be a silent no-op write and a NaN read), 16-bit if possible. */
function checkedIndices(X: CsrMatrix): Int32Array | Uint16Array {
  const nnz = X.indptr[X.rows];
  const src = X.indices;
  const cols = X.cols;
  let bad = false;
  if (cols > 65536) {
    for (let p = 0; p < nnz; p++) bad ||= src[p] < 0 || src[p] >= cols;
    if (bad) throw new SentivecError(`column indices must lie in [0, ${cols})`);
    return src;
  }
  const narrow = new Uint16Array(nnz);
  for (let p = 0; p < nnz; p++) {
    const c = src[p];
    bad ||= c < 0 || c >= cols;
    narrow[p] = c;
  }
  if (bad) throw new SentivecError(`column indices must lie in [0, ${cols})`);
  return narrow;
}

function rowStats(indptr: Int32Array, data: Float64Array, split: Int32Array, tail: Float64Array, sqNorm: Float64Array): void {
  for (let i = 0; i < split.length; i++) {
    const a = indptr[i];
    const b = indptr[i + 1];
    let sq = 0;
    for (let p = a; p < b; p++) sq += data[p] * data[p];
    sqNorm[i] = sq;
    const v = a < b ? data[b - 1] : 0;
    let p = b;
    while (p > a && data[p - 1] === v) p--;
    split[i] = p;
    tail[i] = v;
  }
}

/** wᵀx_i (without the bias feature). */
export function rowDot(r: SolverRows, w: Float64Array, i: number): number {
  const { indices, data } = r;
  const split = r.split[i];
  const end = r.indptr[i + 1];
  // Unrolled by four: V8 re-checks each typed array (map, bounds, interrupt)
  // once per loop trip, so fewer trips mean fewer checks per nonzero; four
  // accumulators also break the serial chain of adds.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let p = r.indptr[i];
  const dense = r.dense;
  for (let k = 0; k < dense; k += 4, p += 4) {
    s0 += w[k] * data[p];
    s1 += w[k + 1] * data[p + 1];
    s2 += w[k + 2] * data[p + 2];
    s3 += w[k + 3] * data[p + 3];
  }
  for (const e = split - 3; p < e; p += 4) {
    s0 += w[indices[p]] * data[p];
    s1 += w[indices[p + 1]] * data[p + 1];
    s2 += w[indices[p + 2]] * data[p + 2];
    s3 += w[indices[p + 3]] * data[p + 3];
  }
  for (; p < split; p++) s0 += w[indices[p]] * data[p];
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (const e = end - 3; p < e; p += 4) {
    t0 += w[indices[p]];
    t1 += w[indices[p + 1]];
    t2 += w[indices[p + 2]];
    t3 += w[indices[p + 3]];
  }
  for (; p < end; p++) t0 += w[indices[p]];
  return s0 + s1 + (s2 + s3) + (t0 + t1 + (t2 + t3)) * r.tail[i];
}

/** w += d·x_i (without the bias feature). */
export function rowAxpy(r: SolverRows, d: number, w: Float64Array, i: number): void {
  const { indices, data } = r;
  const split = r.split[i];
  const end = r.indptr[i + 1];
  let p = r.indptr[i];
  const dense = r.dense;
  for (let k = 0; k < dense; k += 4, p += 4) {
    w[k] += d * data[p];
    w[k + 1] += d * data[p + 1];
    w[k + 2] += d * data[p + 2];
    w[k + 3] += d * data[p + 3];
  }
  for (const e = split - 3; p < e; p += 4) {
    w[indices[p]] += d * data[p];
    w[indices[p + 1]] += d * data[p + 1];
    w[indices[p + 2]] += d * data[p + 2];
    w[indices[p + 3]] += d * data[p + 3];
  }
  for (; p < split; p++) w[indices[p]] += d * data[p];
  const dv = d * r.tail[i];
  for (const e = end - 3; p < e; p += 4) {
    w[indices[p]] += dv;
    w[indices[p + 1]] += dv;
    w[indices[p + 2]] += dv;
    w[indices[p + 3]] += dv;
  }
  for (; p < end; p++) w[indices[p]] += dv;
}

/** coef·x_i + intercept per row; the matrix must have as many columns as coef. */
export function linearScores(X: CsrMatrix, coef: Float64Array, intercept: number): Float64Array {
  checkCsr(X);
  if (X.cols !== coef.length) throw new SentivecError(`model has ${coef.length} features but the matrix has ${X.cols} columns`);
  const { indptr, indices, data } = X;
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = intercept;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) s += coef[indices[p]] * data[p];
    out[i] = s;
  }
  return out;
}

export function thresholdScores(scores: Float64Array): Uint8Array {
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] > 0 ? 1 : 0;
  return out;
}

/** Cheap structural checks: a malformed matrix would otherwise read out of bounds silently. */
export function checkCsr(X: CsrMatrix): void {
  const nnz = X.indptr[X.rows];
  if (X.indptr.length !== X.rows + 1 || X.indptr[0] !== 0 || X.indices.length < nnz || X.data.length < nnz) {
    throw new SentivecError('malformed CSR matrix (indptr/indices/data lengths disagree)');
  }
}

export function positive(name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new SentivecError(`${name} must be a positive number, got ${v}`);
  return v;
}

export function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new SentivecError(`${name} must be a positive integer, got ${v}`);
  return v;
}

export function finite(name: string, v: number): number {
  if (!Number.isFinite(v)) throw new SentivecError(`${name} must be a finite number, got ${v}`);
  return v;
}
