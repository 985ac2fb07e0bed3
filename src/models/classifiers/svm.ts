import type { CsrMatrix } from '../../features/csr.js';
import type { Rng } from '../../util/rng.js';
import { KERNEL_KINDS, type KernelChoice } from '../../runtime/wasm.js';
import { bool, choice, optionalChoice, resolveOptions, type GivenOptions, type OptionTable } from '../../util/options.js';
import { LinearClassifier, positive, type DualSolution, type LinearOptions } from './linear-base.js';
import { rowAxpy, rowDot, solverRows } from './sparse-rows.js';
import { solveDualWasm, svmUsesWasm } from './svm-wasm.js';

/** 'l2': squared hinge (liblinear -s 1); 'l1': hinge (liblinear -s 3). */
export type SvmLoss = 'l2' | 'l1';

/** LinearSVC's own options, besides LINEAR_OPTIONS (src/util/options.ts). */
export const LINEAR_SVC_OPTIONS = {
  loss: choice<SvmLoss>(['l2', 'l1'], { default: 'l2', description: 'l2: squared hinge (liblinear -s 1); l1: hinge (liblinear -s 3)' }),
  shrinking: bool({ default: true, description: 'drop variables at their bounds from the passes (LIBLINEAR\'s shrinking)' }),
  kernels: optionalChoice<KernelChoice>(['auto', ...KERNEL_KINDS], {
    runtimeOnly: true,
    description:
      'where the coordinate descent runs: wasm (assembly/svm.ts via svm-wasm.ts; 1.3–2.7× less CPU than js on the IMDb features), js, or auto (wasm when it loads); wasm-fma means wasm, js64 means js; unset follows SENTIVEC_KERNELS (src/runtime/wasm.ts). Both give the same model to the last bit',
  }),
} satisfies OptionTable;

export type LinearSvcOptions = LinearOptions &
  GivenOptions<typeof LINEAR_SVC_OPTIONS> & {
    /** Multiplies C per class (liblinear -w0 / -w1). */
    classWeight?: { 0: number; 1: number };
  };

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
export class LinearSVC extends LinearClassifier {
  readonly loss: SvmLoss;
  readonly shrinking: boolean;
  readonly classWeight: { 0: number; 1: number };
  readonly kernels: KernelChoice | undefined;

  constructor(opts: LinearSvcOptions = {}) {
    super('LinearSVC', opts);
    const o = resolveOptions('LinearSVC', LINEAR_SVC_OPTIONS, opts);
    this.loss = o.loss;
    this.shrinking = o.shrinking;
    this.kernels = o.kernels;
    const cw = opts.classWeight ?? { 0: 1, 1: 1 };
    this.classWeight = { 0: positive('classWeight[0]', cw[0]), 1: positive('classWeight[1]', cw[1]) };
  }

  protected solve(X: CsrMatrix, sign: Float64Array, bias: number, rng: Rng): DualSolution {
    const Cp = this.C * this.classWeight[1];
    const Cn = this.C * this.classWeight[0];
    const r = solveDualSvc(X, sign, bias, Cp, Cn, this.loss === 'l1', this.tol, this.maxIter, this.shrinking, rng, svmUsesWasm(this.kernels));
    let v = 0;
    for (let j = 0; j < r.w.length; j++) v += r.w[j] * r.w[j];
    v += r.wb * r.wb;
    for (let i = 0; i < sign.length; i++) {
      const a = r.alpha[i];
      const diag = this.loss === 'l1' ? 0 : 0.5 / (sign[i] > 0 ? Cp : Cn);
      v += a * (a * diag - 2);
    }
    return { ...r, dualObjective: v / 2 };
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
