/**
 * One cross-validation fold of NBSVM's selection (nbsvm-selection.ts): every
 * fit of the plan on the fold's training part, each scored at every β on its
 * held-out part. The plan is plain data, so a worker thread scores a fold
 * exactly as this thread would (nbsvm-fold-pool.ts).
 *
 * Within the fold the NB ratios are refitted on its training part
 * (NbSvm.floorInputs: document frequencies and NB counts taken once per α,
 * each floor's ratios and rows derived from them and shared by its C
 * values); β changes no fit, so every β is scored on the same fit in one
 * pass (NbSvm.decisionFunctions). A logistic fit starts from the duals of
 * the fold's previous logistic fit at the same C (the previous floor's),
 * else of its previous one: every fit of a fold is on the same rows, and a
 * nearby optimum takes fewer passes to the same stopping rule
 * (LogisticRegression.fitFrom says how many).
 */
import type { GridFold } from './grid-cv.js';
import { NbSvm, type NbLoss, type NbSvmDual, type NbSvmInputs } from './nbsvm.js';

/** One fit of the grid: everything but β. */
export interface NbSvmFit {
  alpha: number;
  minDf: number;
  loss: NbLoss;
  bias: number;
  C: number;
}

/** What a fold's fits need besides its rows. */
export interface NbSvmFoldPlan {
  /** In grid order: α outermost, then the floor, C innermost. */
  fits: NbSvmFit[];
  betas: number[];
  seed: number;
  rawColumns: number;
}

/** The fold's decision values, one array per (fit, β) in plan order (β innermost); `onFit` after each fit. */
export function scoreNbSvmFold({ xTrain, yTrain, xEval }: GridFold, plan: NbSvmFoldPlan, onFit: () => void = () => {}): Float64Array[] {
  const raw = plan.rawColumns;
  const out: Float64Array[] = [];
  let byFloor: { alpha: number; at: (minDf: number) => NbSvmInputs } | undefined;
  let inputs: NbSvmInputs | undefined;
  const warmAt = new Map<number, NbSvmDual>();
  let last: NbSvmDual | undefined;
  for (const { alpha, minDf, loss, bias, C } of plan.fits) {
    if (byFloor?.alpha !== alpha) byFloor = { alpha, at: NbSvm.floorInputs(xTrain, yTrain, alpha, raw) };
    if (inputs?.alpha !== alpha || inputs.minDf !== minDf) inputs = byFloor.at(minDf);
    const model = new NbSvm({ alpha, minDf, loss, bias, C, seed: plan.seed }).fit(xTrain, yTrain, raw, inputs, warmAt.get(C) ?? last);
    if (model.dual) warmAt.set(C, (last = model.dual));
    out.push(...model.decisionFunctions(xEval, plan.betas));
    onFit();
  }
  return out;
}
