/**
 * Successive halving over blueprints (Jamieson & Talwalkar 2016; the
 * progressive retraining of automated-ML tools): every candidate is
 * cross-validated (cross-validate.ts, all label-reading steps inside the
 * folds) on 16% of the labeled documents, the better half goes on to 32%,
 * then 64%, and the best one to 100%. The subsets are nested and stratified,
 * and the text-only documents shrink in the same proportion, so a rung costs
 * about its fraction of a full run.
 *
 * The budget covers the halving and the winner's final fit, all projected
 * by the cost model (cost-model.ts, from the data's size, never from a
 * clock, so the path and the winner do not depend on the machine's load).
 * Before the first rung the costliest candidates are left out until the
 * whole path fits (budget-plan.ts: an upper bound whoever survives, so no
 * later rung can overrun it). The final rung always runs: it is the
 * estimate the model reports.
 */
import { Rng } from '../../util/rng.js';
import { silentReporter, type Reporter } from '../../util/log.js';
import type { RecordCorpus } from '../../text/record-corpus.js';
import type { TokenizerOptions } from '../../text/tokenizer.js';
import type { CalibrationReport } from './calibration.js';
import { assess, crossValidateBlueprint, usableFolds, type CrossValidation, type CrossValidationPlan } from './cross-validate.js';
import { withLearningCurveCorrection, type Estimate } from './estimate.js';
import { doublingGain } from './learning-curve.js';
import { projectedCvSeconds, projectedFitSeconds, type CostInputs } from './cost-model.js';
import { planCandidates, SINGLE_CANDIDATE_RUNGS } from './budget-plan.js';
import type { Blueprint } from './blueprint.js';
import { textVariantTwins } from './blueprint-twin.js';

export const HALVING_FRACTIONS: readonly number[] = [0.16, 0.32, 0.64, 1];

export interface RungResult {
  fraction: number;
  /** Labeled documents in this rung's subset. */
  documents: number;
  estimate: Estimate;
  /** Mean seconds of one fold's fit, and documents scored per second. */
  fitSeconds: number;
  predictPerSecond: number;
}

export interface LeaderboardEntry {
  blueprint: string;
  description: string;
  /** One per rung the blueprint ran, in order. */
  rungs: RungResult[];
  /** Fraction of the rung after which it was dropped; null for the winner (and for one that never ran). */
  droppedAfter: number | null;
  /** Why it never ran (the budget could not afford it), when it did not. */
  leftOut?: string;
  /** The candidate it equals on this data (its text options changed no token, blueprint-twin.ts): it did not run again. */
  sameAs?: string;
}

export interface LeaderboardResult {
  fractions: number[];
  budgetSeconds: number;
  /** The cost model's seconds for the path actually run plus the winner's final fit (what the budget is checked against). */
  projectedSeconds?: number;
  seconds: number;
  /** Why the run went over the budget (a lone candidate that alone exceeds it), when it did. */
  shortcut: string | null;
  entries: LeaderboardEntry[];
  winner: string;
}

export interface HalvingRequest extends CrossValidationPlan {
  candidates: readonly Blueprint[];
  /** The corpus for a tokenizer (built once per mode by the caller; same documents in the same order). */
  corpusFor: (text: TokenizerOptions) => Promise<RecordCorpus>;
  budgetSeconds: number;
  fractions?: readonly number[];
  reporter?: Reporter;
}

export interface HalvingOutcome {
  leaderboard: LeaderboardResult;
  winner: Blueprint;
  /** The winner's cross-validation and assessment on all labeled documents. */
  final: { cv: CrossValidation; calibration: CalibrationReport; estimate: Estimate };
}

/** Nested stratified prefixes: the first ⌈f·n_c⌉ of a seeded shuffle of each class. */
export function nestedSubsets(y: Uint8Array, fractions: readonly number[], seed: number): Int32Array[] {
  const rng = new Rng(seed);
  let classes = 2;
  for (const c of y) classes = Math.max(classes, c + 1);
  const byClass = Array.from({ length: classes }, (_, c) => c).map((c) => rng.shuffle(Int32Array.from([...y.keys()].filter((i) => y[i] === c))));
  return fractions.map((f) => {
    const take = byClass.flatMap((idx) => [...idx.subarray(0, f >= 1 ? idx.length : Math.ceil(f * idx.length))]);
    return Int32Array.from(take.sort((a, b) => a - b));
  });
}

export async function successiveHalving(req: HalvingRequest): Promise<HalvingOutcome> {
  const started = performance.now();
  const reporter = req.reporter ?? silentReporter;
  const fractions = [...(req.fractions ?? HALVING_FRACTIONS)];
  const subsets = nestedSubsets(req.y, fractions, req.seed);
  const unlabeledSubsets = fractions.map((f) => (f >= 1 ? req.unlabeled : req.unlabeled.subarray(0, Math.ceil(f * req.unlabeled.length))));
  const entries = new Map<string, LeaderboardEntry>(req.candidates.map((b) => [b.id, { blueprint: b.id, description: b.description, rungs: [], droppedAfter: null }]));
  // The cost model's inputs at rung r, from the first candidate's corpus for every candidate (the text
  // variants' corpora are about the same size, and pricing one must not cost building it).
  const reference = await req.corpusFor(req.candidates[0].tokenizer);
  const inputs = (r: number): CostInputs => ({
    labeled: subsets[r].length,
    unlabeled: unlabeledSubsets[r].length,
    vocabularySize: reference.vocabulary.size,
    tokensPerDocument: reference.stats.tokens / Math.max(1, reference.stats.documents),
    folds: req.folds,
    settings: req.settings,
  });
  const projected = (bp: Blueprint, r: number): number => projectedCvSeconds(bp, inputs(r));
  const fitCost = (bp: Blueprint): number => projectedFitSeconds(bp, inputs(fractions.length - 1));
  const plan = planCandidates(req.candidates, { rungs: fractions.length, rung: projected, fit: fitCost }, req.budgetSeconds);
  for (const { blueprint, seconds } of plan.leftOut) {
    const e = entries.get(blueprint.id);
    if (e) e.leftOut = `budget: its last rung and final fit alone project to ${seconds.toFixed(0)} s; the ${req.budgetSeconds} s budget covers the whole leaderboard`;
    reporter.event('blueprint left out', { blueprint: blueprint.id, projectedSeconds: seconds, budgetSeconds: req.budgetSeconds });
  }
  // A text variant that tokenizes this corpus exactly as an earlier candidate would only repeat its figures.
  const twins = await textVariantTwins(plan.run, (bp) => req.corpusFor(bp.tokenizer));
  for (const [id, twin] of twins) {
    const e = entries.get(id);
    if (e) e.sameAs = twin;
    reporter.event('blueprint same as another', { blueprint: id, sameAs: twin, reason: 'its text options changed no token of this corpus' });
  }
  let alive = plan.run.filter((bp) => !twins.has(bp.id));
  // A lone candidate needs no halving, only the last rungs for the learning-curve correction.
  const single = alive.length === 1;
  // The plan's bound covers every later rung, so only a lone candidate that alone exceeds the budget can overrun it.
  const shortcut = plan.projectedSeconds > req.budgetSeconds ? `budget: even ${alive[0].id} alone projects to ${plan.projectedSeconds.toFixed(0)} s (cost model) against ${req.budgetSeconds} s; it ran anyway, as the one candidate left` : null;
  if (shortcut) reporter.event('leaderboard over budget', { reason: shortcut });
  // Planned fold fits, for the progress bar: a candidate list halving at every rung.
  let planned = 0;
  for (let r = 0, n = alive.length; r < fractions.length; r++, n = Math.max(1, Math.ceil(n / 2))) {
    if (r >= fractions.length - SINGLE_CANDIDATE_RUNGS || !single) planned += (r === fractions.length - 1 ? 1 : n) * req.folds;
  }
  const task = reporter.task('leaderboard', planned);
  let done = 0;
  const elapsed = (): number => (performance.now() - started) / 1000;
  let final: HalvingOutcome['final'] | null = null;
  // Projected seconds (the cost model) of the rungs run so far.
  let spent = 0;

  for (let r = 0; r < fractions.length; r++) {
    const last = r === fractions.length - 1;
    if (r < fractions.length - SINGLE_CANDIDATE_RUNGS && single) continue;
    if (last) alive = alive.slice(0, 1);
    const rows = Int32Array.from(subsets[r], (i) => req.rows[i]);
    const y = Uint8Array.from(subsets[r], (i) => req.y[i]);
    const reqGroups = req.groups;
    const groups = reqGroups ? Int32Array.from(subsets[r], (i) => reqGroups[i]) : undefined;
    const scored: { bp: Blueprint; estimate: Estimate; fitSeconds: number }[] = [];
    for (const bp of alive) {
      if (usableFolds(y, req.folds, req.classes ?? 2, groups) < 2) {
        scored.push({ bp, estimate: { metric: 'accuracy', value: NaN, low: NaN, high: NaN, method: 'too few documents', documents: y.length, folds: 0, groups: 0, crossValidated: NaN, correction: 0 }, fitSeconds: 0 });
        continue;
      }
      const corpus = await req.corpusFor(bp.tokenizer);
      const base = done;
      const cv = crossValidateBlueprint(bp, {
        corpus,
        rows,
        y,
        unlabeled: unlabeledSubsets[r],
        ...(groups ? { groups } : {}),
        ...(req.coTargets ? { coTargets: req.coTargets } : {}),
        // N-gram pruning (ngram-keep.ts) refits every fold at every fraction: only where one blueprint runs (the
        // final rung, or a lone candidate's rungs), not while candidates are compared (on airline tweets it made
        // the default train 16% slower for nothing: the early rungs only rank the blueprints).
        ...(req.ngramKeep && alive.length === 1 ? { ngramKeep: req.ngramKeep } : {}),
        settings: req.settings,
        folds: req.folds,
        // A different fold split per rung, so the final estimate is not the selection's own folds.
        seed: req.seed + r,
        onFold: (f) => task.tick((done = base + f), { blueprint: bp.id, fraction: fractions[r] }),
      });
      done = base + req.folds;
      const a = assess(cv, y);
      const rung: RungResult = { fraction: fractions[r], documents: y.length, estimate: a.estimate, fitSeconds: cv.fitSeconds, predictPerSecond: cv.predictPerSecond };
      entries.get(bp.id)?.rungs.push(rung);
      reporter.event('blueprint', { blueprint: bp.id, fraction: fractions[r], documents: y.length, accuracy: a.estimate.value, low: a.estimate.low, high: a.estimate.high, fitSeconds: cv.fitSeconds, ...(cv.ngramKeep ? { ngramKeep: cv.ngramKeep.fraction } : {}) });
      scored.push({ bp, estimate: a.estimate, fitSeconds: cv.fitSeconds });
      if (last) final = { cv, calibration: a.calibration, estimate: a.estimate };
    }
    for (const bp of alive) spent += projected(bp, r);
    // Best estimate first; equal estimates keep the cheaper blueprint (no word vectors to fit), then
    // the registry order. The cost is the blueprint's kind, not a measured fit time: a clock reading
    // would make the same data and seed pick different blueprints run to run (issue #15).
    const ranked = scored
      .map((s, i) => ({ ...s, i }))
      .sort((a, b) => (Number.isNaN(b.estimate.value) ? 0 : b.estimate.value) - (Number.isNaN(a.estimate.value) ? 0 : a.estimate.value) || Number(a.bp.usesVectors) - Number(b.bp.usesVectors) || a.i - b.i)
      .map((s) => s.bp);
    if (!last) {
      const keep = Math.max(1, Math.ceil(ranked.length / 2));
      for (const bp of ranked.slice(keep)) {
        const e = entries.get(bp.id);
        if (e) e.droppedAfter = fractions[r];
      }
      alive = ranked.slice(0, keep);
    } else alive = ranked;
  }
  task.end({ winner: alive[0].id });
  if (!final) throw new Error('successive halving: the final rung did not run');
  const winner = alive[0];
  const winnerEntry = entries.get(winner.id);
  if (winnerEntry) {
    // The reported estimate moves from (k−1)/k of the documents to all of them along the winner's own curve (estimate.ts).
    const corrected = withLearningCurveCorrection(final.estimate, doublingGain(winnerEntry.rungs.map((r) => ({ documents: r.documents, value: r.estimate.crossValidated }))));
    final = { ...final, estimate: corrected };
    const top = winnerEntry.rungs.at(-1);
    if (top) top.estimate = corrected;
  }
  const order = (e: LeaderboardEntry): number => (e.leftOut !== undefined ? -2 : e.sameAs !== undefined ? -1 : e.droppedAfter === null ? 2 : e.droppedAfter);
  const sorted = [...entries.values()].sort((a, b) => order(b) - order(a) || (b.rungs.at(-1)?.estimate.value ?? 0) - (a.rungs.at(-1)?.estimate.value ?? 0));
  return {
    leaderboard: { fractions, budgetSeconds: req.budgetSeconds, projectedSeconds: spent + fitCost(winner), seconds: elapsed(), shortcut, entries: sorted, winner: winner.id },
    winner,
    final,
  };
}
