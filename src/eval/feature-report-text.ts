/** The feature report as terminal lines: one table per test. */
import type { FeatureReport, FeatureRow } from './feature-report.js';
import { formatP, formatStatistic } from './feature-report-html.js';

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function cells(r: FeatureRow): string[] {
  const e = r.effect;
  const ex = r.example ? `${r.example.left.slice(-30)} [${r.example.match}] ${r.example.right.slice(0, 30)}` : '';
  return [
    String(r.rank),
    clip(r.ngram, 28),
    formatStatistic(r.statistic),
    formatP(r.p, r.minusLog10P),
    formatP(r.corrected),
    r.significant ? '*' : '',
    `${clip(e.towards, 10)} ${e.estimate.toFixed(2)} [${e.low.toFixed(2)}, ${e.high.toFixed(2)}]`,
    r.dfPerClass ? r.dfPerClass.join('/') : String(r.df),
    ex,
  ];
}

export function featureReportLines(report: FeatureReport): string[] {
  const f = report.filters;
  const lines = [
    `${report.documents} documents; ${report.target.kind === 'classes' ? `classes ${report.target.classes.map((c) => `${c.name} (${c.documents})`).join(', ')}` : `rating ${report.target.field}`}`,
    `n-grams ${report.ngrams.min}..${report.ngrams.max}: ${report.ngrams.kept.join(' / ')} in ≥ ${report.ngrams.minDf} documents (of ${report.ngrams.counted.join(' / ')} candidates); ${f.lowVariance} dropped by the variance threshold; ${f.kept} tested; ${report.correction} correction, α = ${report.alpha}`,
  ];
  for (const t of report.tests) {
    lines.push('', `${t.statisticName} (${t.test}): ${t.significant} of ${t.tested} significant`);
    const effect = report.target.kind === 'classes' ? 'log-odds [CI]' : 'rating with−without [CI]';
    const header = ['#', 'n-gram', t.statisticName, 'p', 'corrected', '', effect, report.target.kind === 'classes' ? `df ${report.target.classes.map((c) => c.name).join('/')}` : 'df', 'in context'];
    const rows = t.top.map(cells);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    lines.push(fmt(header), ...rows.map(fmt));
  }
  if (report.importance) {
    const r = report.importance;
    lines.push('', `importance: logistic regression (C = ${r.C}) on ${r.split.training} documents, held-out accuracy ${(100 * r.heldOutAccuracy).toFixed(2)}% on ${r.split.heldOut}; ${r.excludingZero} of ${r.assessed} permutation intervals exclude zero (${r.excludingZeroSimultaneous} simultaneous)`);
    lines.push(`  weights × held-out presence: ${r.modelBased.slice(0, 10).map((m) => `${m.ngram} ${m.meanContribution.toFixed(3)}`).join(', ')}`);
    lines.push(`  permutation (accuracy drop, pp): ${r.permutation.slice(0, 10).map((m) => `${m.ngram} ${(100 * m.drop).toFixed(2)} [${(100 * m.low).toFixed(2)}, ${(100 * m.high).toFixed(2)}]`).join(', ')}`);
  }
  if (report.model) {
    const r = report.model;
    lines.push('', `model ${r.model}: accuracy ${(100 * r.accuracy).toFixed(2)}% on these ${r.documents} documents; word, mean share of the score, permutation drop (pp) [interval]:`);
    for (const w of r.words) lines.push(`  ${w.word.padEnd(16)} ${w.meanShare.toFixed(4).padStart(8)}  ${(100 * w.drop).toFixed(2)} [${(100 * w.low).toFixed(2)}, ${(100 * w.high).toFixed(2)}]`);
  }
  if (report.rfecv) {
    const r = report.rfecv;
    lines.push('', `RFE-CV (${r.folds} folds): ${r.curve.map((p) => `${p.features}: ${(100 * p.accuracy).toFixed(1)}%`).join(', ')}; best ${r.best}, knee ${r.chosen}`);
  }
  if (report.redundancy.groups.length > 0) {
    lines.push('', `redundant (Cramér's V ≥ ${report.redundancy.threshold} among the ${report.redundancy.candidates} strongest; first kept):`);
    for (const g of report.redundancy.groups.slice(0, 20)) lines.push(`  ${g.kept}: ${g.redundant.map((r) => `${r.ngram} (${r.v.toFixed(2)})`).join(', ')}`);
  }
  return lines;
}
