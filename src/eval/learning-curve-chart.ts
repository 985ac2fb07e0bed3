/**
 * The learning curve as a self-contained SVG: accuracy against labeled
 * documents (log scale), the 95% interval of each point as a bar, and the
 * extrapolated point at twice the data dashed.
 */
import type { LearningCurve } from '../models/product/model-info.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function learningCurveSvg(c: LearningCurve): string {
  const width = 520;
  const height = 340;
  const left = 60;
  const right = 20;
  const top = 40;
  const bottom = 50;
  const last = c.points.at(-1);
  const extra = last && c.gainFromDoubling !== null ? { documents: 2 * last.documents, value: last.value + c.gainFromDoubling } : null;
  const xs = [...c.points.map((p) => p.documents), ...(extra ? [extra.documents] : [])];
  const ys = [...c.points.flatMap((p) => [p.low, p.high]), ...(extra ? [extra.value] : [])];
  const x0 = Math.log2(Math.min(...xs)) - 0.3;
  const x1 = Math.log2(Math.max(...xs)) + 0.3;
  const y0 = Math.max(0, Math.floor(100 * Math.min(...ys) - 1) / 100);
  const y1 = Math.min(1, Math.ceil(100 * Math.max(...ys) + 1) / 100);
  const X = (n: number): number => left + ((Math.log2(n) - x0) / (x1 - x0 || 1)) * (width - left - right);
  const Y = (v: number): number => top + (1 - (v - y0) / (y1 - y0 || 1)) * (height - top - bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${esc(`Learning curve: ${c.blueprint}`)}</text>`,
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="black"/>`,
    `<text x="${width / 2}" y="${height - 10}" text-anchor="middle">labeled documents (log scale)</text>`,
    `<text x="14" y="${(top + height - bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(top + height - bottom) / 2})">accuracy (95% interval)</text>`,
  ];
  const steps = 5;
  for (let i = 0; i <= steps; i++) {
    const v = y0 + ((y1 - y0) * i) / steps;
    out.push(`<line x1="${left - 4}" y1="${Y(v).toFixed(1)}" x2="${width - right}" y2="${Y(v).toFixed(1)}" stroke="#ddd"/>`, `<text x="${left - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end">${(100 * v).toFixed(1)}%</text>`);
  }
  for (const n of xs) out.push(`<text x="${X(n).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${n}</text>`);
  const path = c.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.documents).toFixed(1)},${Y(p.value).toFixed(1)}`).join(' ');
  if (path) out.push(`<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="2"/>`);
  for (const p of c.points) {
    out.push(
      `<line x1="${X(p.documents).toFixed(1)}" y1="${Y(p.low).toFixed(1)}" x2="${X(p.documents).toFixed(1)}" y2="${Y(p.high).toFixed(1)}" stroke="#1f77b4"/>`,
      `<circle cx="${X(p.documents).toFixed(1)}" cy="${Y(p.value).toFixed(1)}" r="4" fill="#1f77b4"><title>${p.documents} documents: ${(100 * p.value).toFixed(1)}% [${(100 * p.low).toFixed(1)}–${(100 * p.high).toFixed(1)}%]</title></circle>`,
    );
  }
  if (extra && last) {
    out.push(
      `<line x1="${X(last.documents).toFixed(1)}" y1="${Y(last.value).toFixed(1)}" x2="${X(extra.documents).toFixed(1)}" y2="${Y(extra.value).toFixed(1)}" stroke="#ff7f0e" stroke-dasharray="5,4" stroke-width="2"/>`,
      `<circle cx="${X(extra.documents).toFixed(1)}" cy="${Y(extra.value).toFixed(1)}" r="4" fill="white" stroke="#ff7f0e" stroke-width="2"><title>extrapolated: ${(100 * extra.value).toFixed(1)}%</title></circle>`,
      `<text x="${(X(extra.documents) - 6).toFixed(1)}" y="${(Y(extra.value) - 10).toFixed(1)}" text-anchor="end" fill="#ff7f0e">twice the data: ${c.gainFromDoubling !== null && c.gainFromDoubling >= 0 ? '+' : ''}${(100 * (c.gainFromDoubling ?? 0)).toFixed(1)} pp</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
