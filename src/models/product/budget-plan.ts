/**
 * Which blueprints a leaderboard can afford: before any rung runs, the whole
 * successive-halving path is projected by the cost model (cost-model.ts) and
 * the costliest candidates are left out until it fits the budget.
 *
 * Why up front: a rung, once started, runs for every candidate alive, and the
 * final rung (the winner's estimate on all documents) and the final fit
 * always run; a check between rungs cannot undo a first rung that already
 * cost more than the budget (on 2,000 IMDb reviews one word-vector blueprint
 * costs more at 100% than all the bag-of-words ones together).
 *
 * The projection is an upper bound that does not depend on who wins: at rung
 * r the ⌈n/2^r⌉ candidates left are taken to be the costliest ones, and the
 * final rung and fit to be those of the costliest candidate. Candidates are
 * left out costliest first (by their final rung and fit; ties: the later one
 * in the registry), so what stays is always a prefix of the cheap end, and
 * the same data, options and budget give the same list on any machine.
 */
import type { Blueprint } from './blueprint.js';

export interface CandidatePlan {
  /** The candidates that run, in registry order. */
  run: Blueprint[];
  /** Left out by the budget, with the projected seconds of their final rung and fit. */
  leftOut: { blueprint: Blueprint; seconds: number }[];
  /** Projected seconds of the whole path with `run` (upper bound). */
  projectedSeconds: number;
}

export interface PlanCosts {
  /** Rungs, by fraction of the labeled documents (the last is 1). */
  rungs: number;
  /** Projected seconds of candidate `bp`'s cross-validation at rung r. */
  rung: (bp: Blueprint, r: number) => number;
  /** Projected seconds of the final fit if `bp` wins. */
  fit: (bp: Blueprint) => number;
}

/** Rungs a lone candidate runs: the last three, for the learning-curve correction of its estimate (leaderboard.ts). */
export const SINGLE_CANDIDATE_RUNGS = 3;

/** Projected seconds (upper bound) of successive halving over `candidates` plus the final fit. */
export function pathBound(candidates: readonly Blueprint[], costs: PlanCosts): number {
  const last = costs.rungs - 1;
  const finish = Math.max(...candidates.map((bp) => costs.rung(bp, last) + costs.fit(bp)));
  let total = finish;
  if (candidates.length === 1) {
    for (let r = Math.max(0, costs.rungs - SINGLE_CANDIDATE_RUNGS); r < last; r++) total += costs.rung(candidates[0], r);
    return total;
  }
  for (let r = 0, n = candidates.length; r < last; r++, n = Math.max(1, Math.ceil(n / 2))) {
    const costliest = candidates.map((bp) => costs.rung(bp, r)).sort((a, b) => b - a);
    for (let i = 0; i < n; i++) total += costliest[i];
  }
  return total;
}

export function planCandidates(candidates: readonly Blueprint[], costs: PlanCosts, budgetSeconds: number): CandidatePlan {
  const finish = (bp: Blueprint): number => costs.rung(bp, costs.rungs - 1) + costs.fit(bp);
  const run = [...candidates];
  const leftOut: CandidatePlan['leftOut'] = [];
  let bound = pathBound(run, costs);
  while (run.length > 1 && bound > budgetSeconds) {
    let worst = 0;
    for (let i = 1; i < run.length; i++) if (finish(run[i]) >= finish(run[worst])) worst = i;
    leftOut.push({ blueprint: run[worst], seconds: finish(run[worst]) });
    run.splice(worst, 1);
    bound = pathBound(run, costs);
  }
  return { run, leftOut, projectedSeconds: bound };
}
