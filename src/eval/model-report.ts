/**
 * The text a person reads about a trained model's honesty: its estimate with
 * the interval, calibration, the leaderboard table and the learning curve
 * (shared by `train` and `info`).
 */
import type { Estimate, LeaderboardResult, LearningCurve, ModelInfo, CalibrationReport } from '../models/product/model-info.js';
import type { RatingEstimate } from '../models/product/rating-estimate.js';

const pct = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)}%`;

export function estimateLine(e: Estimate | null): string {
  if (!e) return 'estimate: none (a class has fewer than 2 labeled documents, so nothing can be held out)';
  const folds = e.groups ? `${e.folds}-fold nested CV grouped by ${e.groups} groups (no group in two folds)` : `${e.folds}-fold nested CV`;
  return `estimate: accuracy ${pct(e.value)} (95% interval ${pct(e.low)}–${pct(e.high)}; ${folds}, every label-reading step inside the folds, Wilson interval on ${e.documents} out-of-fold predictions)`;
}

export function ratingEstimateLine(e: RatingEstimate | null): string {
  if (!e) return 'estimate: none (too few labeled documents to hold any out)';
  const r = (x: number): string => x.toFixed(3);
  return `estimate: MAE ${r(e.value)} (95% interval ${r(e.low)}–${r(e.high)}; RMSE ${r(e.rmse)}; predicting the mean rating: MAE ${r(e.baseline)}; ${e.folds}-fold CV, every label-reading step inside the folds, ${e.documents} out-of-fold predictions)`;
}

export function calibrationLine(c: CalibrationReport | null): string {
  if (!c) return 'calibration: none';
  const how = c.method === 'softmax' ? 'the multinomial model\'s own probabilities, measured out of fold' : c.method === 'temperature' ? `softmax of the class scores × ${c.a.toPrecision(3)} (temperature fitted on out-of-fold scores)` : 'Platt on out-of-fold scores';
  return `calibration: ${how}; log-loss ${c.logLoss.toFixed(3)}, Brier ${c.brier.toFixed(3)}, ECE ${c.ece.toFixed(3)}`;
}

export function reliabilityTable(c: CalibrationReport): string[] {
  const lines = [c.method !== 'platt' ? 'P(predicted class)     documents  mean predicted  observed' : 'predicted P(positive)  documents  mean predicted  observed'];
  for (const b of c.reliability) {
    if (b.count === 0) continue;
    lines.push(`${`${b.low.toFixed(1)}–${b.high.toFixed(1)}`.padEnd(22)} ${String(b.count).padStart(9)}  ${b.predicted.toFixed(3).padStart(14)}  ${b.observed.toFixed(3).padStart(8)}`);
  }
  return lines;
}

export function leaderboardTable(l: LeaderboardResult): string[] {
  const header = ['blueprint', 'data', 'estimate', '95% interval', 'fit s/fold', 'predict docs/s', 'result'];
  const rows = l.entries.map((e) => {
    const r = e.rungs.at(-1);
    return [
      e.blueprint,
      r ? `${Math.round(100 * r.fraction)}% (${r.documents})` : '-',
      r && Number.isFinite(r.estimate.value) ? pct(r.estimate.value) : '-',
      r && Number.isFinite(r.estimate.low) ? `${pct(r.estimate.low)}–${pct(r.estimate.high)}` : '-',
      r && typeof r.fitSeconds === 'number' ? r.fitSeconds.toFixed(2) : '-', // absent unless saved with --record-timings
      r && typeof r.predictPerSecond === 'number' ? String(Math.round(r.predictPerSecond)) : '-',
      e.blueprint === l.winner ? 'winner' : e.droppedAfter !== null ? `dropped after ${Math.round(100 * e.droppedAfter)}%` : e.leftOut !== undefined ? 'not run (budget)' : e.sameAs !== undefined ? `same as ${e.sameAs} (same tokens)` : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const lines = [`leaderboard (successive halving ${l.fractions.map((f) => `${Math.round(100 * f)}%`).join(' → ')}, ${typeof l.seconds === 'number' ? `${l.seconds.toFixed(1)} s of ` : ''}a ${l.budgetSeconds} s budget):`, fmt(header), ...rows.map(fmt)];
  if (l.shortcut) lines.push(`note: ${l.shortcut}`);
  return lines;
}

export function learningCurveLines(c: LearningCurve): string[] {
  const lines = [`learning curve of ${c.blueprint}:`];
  for (const p of c.points) lines.push(`  ${String(p.documents).padStart(7)} labeled (${Math.round(100 * p.fraction)}%): ${pct(p.value)} [${pct(p.low)}–${pct(p.high)}]`);
  lines.push(c.gainFromDoubling === null ? '  twice the data: not enough points to extrapolate' : `  twice the data: ${c.gainFromDoubling >= 0 ? '+' : ''}${(100 * c.gainFromDoubling).toFixed(1)} pp expected (${c.method})`);
  return lines;
}

/** Everything above, for a model's info. */
export function modelReport(info: ModelInfo): string[] {
  const lines = [`blueprint: ${info.blueprint.id} (${info.blueprint.description})`, estimateLine(info.estimate), calibrationLine(info.calibration)];
  if (info.leaderboard) lines.push(...leaderboardTable(info.leaderboard));
  if (info.learningCurve) lines.push(...learningCurveLines(info.learningCurve));
  return lines;
}
