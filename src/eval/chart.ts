/**
 * A self-contained SVG bar chart of accuracies, ours beside the paper's, one
 * group per row (no scripts, fonts or links: it opens anywhere, offline).
 * Error bars show ± one standard deviation when a row has one (k-fold CV).
 */

export interface ChartRow {
  label: string;
  /** Accuracies as fractions. */
  ours: number;
  paper?: number;
  /** Standard deviation of `ours` across folds. */
  std?: number;
  /** Rows with a section are drawn after a dashed divider labelled with it (the rows beyond the paper). */
  section?: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function accuracyChartSvg(rows: readonly ChartRow[], title: string): string {
  const barW = 18;
  const groupW = 2 * barW + 22;
  const left = 56;
  const top = 48;
  const plotH = 260;
  const bottom = 150;
  const width = Math.max(360, left + rows.length * groupW + 140);
  const height = top + plotH + bottom;
  const values = rows.flatMap((r) => [r.ours + (r.std ?? 0), r.ours - (r.std ?? 0), ...(r.paper === undefined ? [] : [r.paper])]);
  // Accuracies differ in the first decimals: start the axis near the lowest bar, on a whole percent.
  const lo = Math.max(0, Math.floor(100 * Math.min(...values) - 2) / 100);
  const hi = Math.min(1, Math.ceil(100 * Math.max(...values) + 1) / 100);
  const y = (v: number): number => top + plotH * (1 - (v - lo) / (hi - lo || 1));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  const step = hi - lo > 0.2 ? 0.05 : hi - lo > 0.08 ? 0.02 : 0.01;
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) {
    out.push(`<line x1="${left}" x2="${width - 130}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${(100 * v).toFixed(0)}%</text>`);
  }
  rows.forEach((r, i) => {
    const x = left + 10 + i * groupW;
    if (r.section !== undefined && (i === 0 || rows[i - 1].section !== r.section)) {
      const dx = x - 6;
      out.push(`<line x1="${dx}" x2="${dx}" y1="${top - 8}" y2="${top + plotH}" stroke="#888" stroke-dasharray="4 3"/>`);
      out.push(`<text x="${dx + 4}" y="${top - 10}" font-size="11" fill="#555">${esc(r.section)}</text>`);
    }
    const bar = (bx: number, v: number, fill: string, what: string): void => {
      out.push(`<rect x="${bx}" y="${y(v).toFixed(1)}" width="${barW}" height="${(top + plotH - y(v)).toFixed(1)}" fill="${fill}"><title>${esc(`${r.label}, ${what}: ${(100 * v).toFixed(2)}%`)}</title></rect>`);
    };
    bar(x, r.ours, '#2b6cb0', r.std === undefined ? 'ours' : `ours (± ${(100 * r.std).toFixed(2)})`);
    if (r.std !== undefined) {
      const cx = x + barW / 2;
      out.push(`<line x1="${cx}" x2="${cx}" y1="${y(r.ours + r.std).toFixed(1)}" y2="${y(Math.max(lo, r.ours - r.std)).toFixed(1)}" stroke="#111"/>`);
    }
    if (r.paper !== undefined) bar(x + barW, r.paper, '#bbb', 'paper');
    const lx = x + barW;
    const ly = top + plotH + 10;
    out.push(`<text x="${lx}" y="${ly}" transform="rotate(45 ${lx} ${ly})">${esc(r.label)}</text>`);
  });
  const lx = width - 120;
  out.push(`<rect x="${lx}" y="${top}" width="12" height="12" fill="#2b6cb0"/><text x="${lx + 18}" y="${top + 10}">sentivec</text>`);
  if (rows.some((r) => r.paper !== undefined)) out.push(`<rect x="${lx}" y="${top + 20}" width="12" height="12" fill="#bbb"/><text x="${lx + 18}" y="${top + 30}">paper</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
