/**
 * The feature report as one self-contained HTML page: no script, no font,
 * no request leaves the file. Summary, volcano plot (inline SVG), per-class
 * top features, one ranked table per test, redundancy groups.
 */
import type { FeatureReport, FeatureRow, TestReport, VolcanoPoint } from './feature-report.js';
import { rfecvSvg } from './rfecv-chart.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A p-value; one that underflows a double is written from its −log10 (known from ln p). */
export function formatP(p: number, minusLog10?: number): string {
  if (p > 0) return p < 1e-3 ? p.toExponential(2) : p.toPrecision(3);
  if (minusLog10 === undefined || !Number.isFinite(minusLog10)) return '<1e-307';
  const e = Math.floor(-minusLog10);
  return `${(10 ** (-minusLog10 - e)).toFixed(2)}e${e}`;
}

export function formatStatistic(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3);
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function volcanoSvg(points: readonly VolcanoPoint[], alpha: number, xLabel: string): string {
  const W = 720;
  const H = 420;
  const m = { l: 60, r: 20, t: 20, b: 50 };
  const xs = points.map((p) => p.effect).filter(Number.isFinite);
  const ys = points.map((p) => p.y).filter(Number.isFinite);
  const xMax = Math.max(1, ...xs.map(Math.abs));
  const yMax = Math.max(-Math.log10(alpha) * 1.5, ...ys);
  const sx = (x: number): number => m.l + ((x + xMax) / (2 * xMax)) * (W - m.l - m.r);
  const sy = (y: number): number => H - m.b - (Math.max(0, y) / yMax) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="volcano plot" data-testid="volcano">`);
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="#fafafa" stroke="#ccc"/>`);
  for (const t of niceTicks(-xMax, xMax, 8)) parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${H - m.b}" y2="${H - m.b + 5}" stroke="#333"/><text x="${sx(t)}" y="${H - m.b + 18}" text-anchor="middle" font-size="11">${t}</text>`);
  for (const t of niceTicks(0, yMax, 6)) parts.push(`<line x1="${m.l - 5}" x2="${m.l}" y1="${sy(t)}" y2="${sy(t)}" stroke="#333"/><text x="${m.l - 8}" y="${sy(t) + 4}" text-anchor="end" font-size="11">${t}</text>`);
  const yAlpha = sy(-Math.log10(alpha));
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${yAlpha}" y2="${yAlpha}" stroke="#c33" stroke-dasharray="4 3"/><text x="${W - m.r - 4}" y="${yAlpha - 4}" text-anchor="end" font-size="11" fill="#c33">corrected p = ${alpha}</text>`);
  parts.push(`<line x1="${sx(0)}" x2="${sx(0)}" y1="${m.t}" y2="${H - m.b}" stroke="#999"/>`);
  for (const p of points) {
    if (!Number.isFinite(p.effect) || !Number.isFinite(p.y)) continue;
    const fill = !p.significant ? '#9aa' : p.effect >= 0 ? '#1a7f37' : '#b42318';
    parts.push(`<circle cx="${sx(p.effect).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="2.5" fill="${fill}" fill-opacity="0.7"><title>${esc(p.ngram)}: effect ${p.effect.toFixed(2)}, −log10 q ${p.y.toFixed(1)}</title></circle>`);
  }
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`);
  parts.push(`<text x="14" y="${(m.t + H - m.b) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${(m.t + H - m.b) / 2})">−log10 corrected p</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function effectCell(r: FeatureRow): string {
  const e = r.effect;
  const what = e.kind === 'log-odds' ? `log-odds ${e.towards}` : `rating ${e.towards}`;
  return `${esc(what)} ${e.estimate.toFixed(2)} [${e.low.toFixed(2)}, ${e.high.toFixed(2)}]`;
}

function testTable(t: TestReport, report: FeatureReport): string {
  const dfHead = report.target.kind === 'classes' ? report.target.classes.map((c) => `<th>df ${esc(c.name)}</th>`).join('') : '<th>df</th><th>r</th>';
  const rows = t.top.map((r) => {
    const df = r.dfPerClass ? r.dfPerClass.map((d) => `<td class="num">${d}</td>`).join('') : `<td class="num">${r.df}</td><td class="num">${(r.r ?? NaN).toFixed(3)}</td>`;
    const ex = r.example ? `${esc(r.example.left)} <mark>${esc(r.example.match)}</mark> ${esc(r.example.right)}` : '';
    return `<tr class="${r.significant ? 'sig' : ''}"><td class="num">${r.rank}</td><td class="ngram">${esc(r.ngram)}</td><td class="num">${formatStatistic(r.statistic)}</td><td class="num">${formatP(r.p, r.minusLog10P)}</td><td class="num">${formatP(r.corrected)}</td><td>${r.significant ? '✓' : ''}</td><td>${effectCell(r)}</td>${df}<td class="kwic">${ex}</td></tr>`;
  });
  const dfs = t.df2 !== undefined ? `${t.df1}, ${t.df2}` : `${t.df1}`;
  return `<section data-testid="table-${t.test}"><h2>${esc(t.statisticName)} (${t.test}, df ${dfs})</h2><p>${t.significant} of ${t.tested} features significant at corrected p ≤ ${report.alpha} (${esc(report.correction)}).</p><table><thead><tr><th>#</th><th>n-gram</th><th>${esc(t.statisticName)}</th><th>p</th><th>corrected p</th><th>sig.</th><th>effect [${Math.round(report.confidence * 100)}% CI]</th>${dfHead}<th>in context</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

export function featureReportHtml(report: FeatureReport): string {
  const target = report.target.kind === 'classes' ? report.target.classes.map((c) => `${esc(c.name)} (${c.documents})`).join(', ') : `rating field ${esc(report.target.field)} (mean ${report.target.mean.toFixed(2)})`;
  const xLabel = report.target.kind === 'rating' ? 'mean rating with − without the feature' : report.target.classes.length === 2 ? `log-odds ratio (${report.target.classes[1].name} vs ${report.target.classes[0].name})` : 'log-odds ratio of the strongest class vs the rest';
  const perClass = report.perClass.map((c) => `<div class="cls"><h3>${esc(c.name)}</h3><ol>${c.features.map((f) => `<li>${esc(f)}</li>`).join('')}</ol></div>`).join('');
  const groups = report.redundancy.groups.map((g) => `<li><b>${esc(g.kept)}</b> kept; redundant: ${g.redundant.map((r) => `${esc(r.ngram)} (V = ${r.v.toFixed(2)})`).join(', ')}</li>`).join('');
  const f = report.filters;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sentivec features: ${esc(report.input)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:8px 0 24px}th,td{border-bottom:1px solid #e3e3e3;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.ngram{font-weight:600;white-space:nowrap}td.kwic{color:#555;font-size:12px}mark{background:#fff3a3}
tr.sig td.ngram{color:#0b5394}.classes{display:flex;gap:24px;flex-wrap:wrap}.cls ol{margin:0;padding-left:20px}
</style></head><body>
<h1>Which words and phrases carry the signal</h1>
<p data-testid="summary">${esc(report.input)}: ${report.documents} documents; target ${target}. n-grams ${report.ngrams.min}..${report.ngrams.max} (uni / bi / trigrams): ${report.ngrams.kept.join(' / ')} in at least ${report.ngrams.minDf} documents, of ${report.ngrams.counted.join(' / ')} candidates counted.
Filters: ${f.input} features in, ${f.belowMinDf} below the minimum document frequency, ${f.lowVariance} at or below the variance threshold, ${f.kept} tested. Corrections over the ${f.kept} tested features (${esc(report.correction)}), α = ${report.alpha}.</p>
<h2>Volcano plot (${esc(report.volcano.test)})</h2>
<p>${report.volcano.plotted} of ${report.volcano.tested} features plotted: the strongest half, then an even spread of the rest. Where a corrected p underflows a double, its Bonferroni bound is plotted.</p>
${volcanoSvg(report.volcano.points, report.alpha, xLabel)}
<h2>Top features per ${report.target.kind === 'rating' ? 'direction' : 'class'} (significant, by ${esc(report.volcano.test)})</h2>
<div class="classes" data-testid="per-class">${perClass}</div>
${report.tests.map((t) => testTable(t, report)).join('\n')}
${importanceHtml(report)}
${rfecvHtml(report)}
${modelHtml(report)}
<h2>Redundant features</h2>
<p>Among the ${report.redundancy.candidates} strongest features, pairs with Cramér's V ≥ ${report.redundancy.threshold} are grouped; the strongest of a group is kept.</p>
<ul data-testid="redundancy">${groups || '<li>none</li>'}</ul>
<p>Computed in ${report.seconds.toFixed(1)} s by sentivec features.</p>
</body></html>
`;
}

function importanceHtml(report: FeatureReport): string {
  const r = report.importance;
  if (!r) return '';
  const pct = (x: number): string => `${(100 * x).toFixed(2)}`;
  const model = r.modelBased.map((m, k) => `<tr><td class="num">${k + 1}</td><td class="ngram">${esc(m.ngram)}</td><td class="num">${m.weight.toFixed(3)}</td><td class="num">${m.documents}</td><td class="num">${m.meanContribution.toFixed(4)}</td></tr>`).join('');
  const perm = r.permutation.map((m, k) => `<tr><td class="num">${k + 1}</td><td class="ngram">${esc(m.ngram)}</td><td class="num">${m.weight.toFixed(3)}</td><td class="num">${pct(m.drop)}</td><td class="num">[${pct(m.low)}, ${pct(m.high)}]</td></tr>`).join('');
  return `<section data-testid="importance"><h2>Model-based and permutation importance</h2>
<p>Logistic regression (C = ${r.C}) on ${r.split.training} documents, assessed on ${r.split.heldOut} held-out documents (${esc(r.split.what)}): held-out accuracy ${pct(r.heldOutAccuracy)}%. Permutation importance over ${r.repeats} shuffles per feature; ${Math.round(100 * r.confidence)}% intervals over the held-out documents and the shuffles. Of ${r.assessed} features assessed, ${r.excludingZero} have an interval excluding zero (${r.excludingZeroSimultaneous} with simultaneous intervals).</p>
<h3>Weights aggregated over the held-out documents</h3><table><thead><tr><th>#</th><th>n-gram</th><th>weight</th><th>documents</th><th>mean contribution</th></tr></thead><tbody>${model}</tbody></table>
<h3>Permutation importance (accuracy drop, percentage points)</h3><table><thead><tr><th>#</th><th>n-gram</th><th>weight</th><th>drop</th><th>interval</th></tr></thead><tbody>${perm}</tbody></table></section>`;
}

function rfecvHtml(report: FeatureReport): string {
  const r = report.rfecv;
  if (!r) return '';
  return `<section data-testid="rfecv"><h2>Recursive feature elimination (RFE-CV)</h2>
<p>${r.folds}-fold cross-validated accuracy of a logistic regression against the features kept, each fold eliminating on its own training documents. Best at ${r.best} features; knee (fewest features within one standard error of the best): <b>${r.chosen}</b>.</p>
${rfecvSvg(r.curve, r.chosen, r.best)}
<p>Kept at the knee, strongest first: ${r.kept.map(esc).join(', ')}</p></section>`;
}

function modelHtml(report: FeatureReport): string {
  const r = report.model;
  if (!r) return '';
  const pct = (x: number): string => (100 * x).toFixed(2);
  const rows = r.words.map((w, k) => `<tr><td class="num">${k + 1}</td><td class="ngram">${esc(w.word)}</td><td class="num">${w.documents}</td><td class="num">${w.meanShare.toFixed(4)}</td><td class="num">${pct(w.drop)}</td><td class="num">[${pct(w.low)}, ${pct(w.high)}]</td></tr>`).join('');
  return `<section data-testid="model-importance"><h2>The model's own words: ${esc(r.model)}</h2>
<p>On these ${r.documents} documents the model's accuracy is ${pct(r.accuracy)}%. Each word's share of the scores (as <code>explain</code> shows for one text) summed over the corpus per document; permutation importance of the strongest words (presence shuffled across the documents, ${r.repeats} repeats, ${Math.round(100 * r.confidence)}% intervals over documents and repeats; drop in percentage points).</p>
<table><thead><tr><th>#</th><th>word</th><th>documents</th><th>mean share of the score</th><th>drop</th><th>interval</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
