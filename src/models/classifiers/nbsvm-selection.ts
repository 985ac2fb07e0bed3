/**
 * NBSVM's α (NB smoothing), C and β (interpolation) by stratified k-fold
 * cross-validation on training rows only. In each fold the NB ratios are
 * refitted on that fold's training part (NbSvm.inputs, once per α and shared
 * by that α's C values), one SVM is fitted per (α, C), and every β is scored on the same fit (β changes no fit).
 * Accuracy is pooled over all held-out rows; ties keep the earlier grid value
 * (grids are listed in order of preference: the simpler, more regularised
 * model first).
 *
 * The same fits give each row's out-of-fold decision value at the chosen
 * point (`oof`): what a stacked ensemble learns its weights from, computed
 * from training rows only and at no extra cost.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { gridCrossValidate } from './grid-cv.js';
import { NbSvm } from './nbsvm.js';

export interface NbSvmGrid {
  alphas: readonly number[];
  Cs: readonly number[];
  betas: readonly number[];
}

/**
 * α = 1 (Wang & Manning's); C ∈ {0.01, 0.03, 0.1}: binarized NB-scaled rows
 * have ~600 nonzeros of |r| ≈ 1, so the useful C sit far below LIBLINEAR's 1;
 * β ∈ {0, 0.25} (β = 0.75 is Wang & Manning's 0.25). 5-fold CV on IMDb train,
 * trigrams (BENCHMARKS.md #11): C = 0.01 ≥ 0.03 > 0.3, β = 0 > 0.25 > 0.5,
 * α = 1 over 0.25 — so the grid spends its fits on C. 3 fits per fold.
 */
export const DEFAULT_NBSVM_GRID: Readonly<NbSvmGrid> = { alphas: [1], Cs: [0.01, 0.03, 0.1], betas: [0, 0.25] };

export interface NbSvmScore {
  alpha: number;
  C: number;
  beta: number;
  accuracy: number;
}

export interface NbSvmSelection {
  alpha: number;
  C: number;
  beta: number;
  /** Pooled CV accuracy of every grid point. */
  scores: NbSvmScore[];
  /** Each training row's decision value from the fold model that did not see it, at the chosen (α, C, β). */
  oof: Float64Array;
}

export interface NbSvmSelectOptions {
  folds: number;
  seed: number;
  /** Group id per row: no group in two folds (folds.ts). */
  groups?: ArrayLike<number>;
  /** Leading real-valued columns of X (document vectors), passed to NbSvm.fit. */
  rawColumns?: number;
  /** Called after each (fold, α, C) fit, for progress. */
  onFit?: (done: number, total: number) => void;
}

export function selectNbSvm(X: CsrMatrix, y: ArrayLike<number>, grid: NbSvmGrid, opts: NbSvmSelectOptions): NbSvmSelection {
  if (grid.alphas.length === 0 || grid.Cs.length === 0 || grid.betas.length === 0) throw new SentivecError('NBSVM selection: every grid needs at least one value');
  const points: NbSvmScore[] = [];
  for (const alpha of grid.alphas) for (const C of grid.Cs) for (const beta of grid.betas) points.push({ alpha, C, beta, accuracy: 0 });
  const total = opts.folds * grid.alphas.length * grid.Cs.length;
  let done = 0;
  const cv = gridCrossValidate(X, y, points.length, opts, ({ xTrain, yTrain, xEval }) => {
    const out: Float64Array[] = [];
    for (const alpha of grid.alphas) {
      const inputs = NbSvm.inputs(xTrain, yTrain, alpha, opts.rawColumns ?? 0);
      for (const C of grid.Cs) {
        const model = new NbSvm({ alpha, C, seed: opts.seed }).fit(xTrain, yTrain, opts.rawColumns ?? 0, inputs);
        for (const beta of grid.betas) out.push(model.decisionFunction(xEval, beta));
        opts.onFit?.(++done, total);
      }
    }
    return out;
  });
  points.forEach((p, k) => (p.accuracy = cv.accuracy[k]));
  const best = points[cv.best];
  return { alpha: best.alpha, C: best.C, beta: best.beta, scores: points, oof: cv.oof[cv.best] };
}
