/**
 * The RFE-CV curve as an inline SVG: held-out accuracy (± one standard
 * error) against the number of features kept, on a log axis (the sizes
 * halve), with the best size and the knee chosen by the one-standard-error
 * rule marked. No script, no external resource.
 */
import type { RfecvPoint } from '../models/classifiers/rfecv.js';

export function rfecvSvg(curve: readonly RfecvPoint[], chosen: number, best: number): string {
  const W = 720;
  const H = 360;
  const m = { l: 60, r: 20, t: 20, b: 50 };
  const xs = curve.map((p) => Math.log10(p.features));
  const xLo = Math.min(...xs);
  const xHi = Math.max(xLo + 1e-9, ...xs);
  const lows = curve.map((p) => p.accuracy - p.se);
  const highs = curve.map((p) => p.accuracy + p.se);
  const yLo = Math.max(0, Math.min(...lows) - 0.01);
  const yHi = Math.min(1, Math.max(...highs) + 0.01);
  const sx = (f: number): number => m.l + ((Math.log10(f) - xLo) / (xHi - xLo)) * (W - m.l - m.r);
  const sy = (a: number): number => H - m.b - ((a - yLo) / (yHi - yLo || 1)) * (H - m.t - m.b);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="RFE-CV curve" data-testid="rfecv-curve">`];
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="#fafafa" stroke="#ccc"/>`);
  const band = [...curve.map((p) => `${sx(p.features).toFixed(1)},${sy(p.accuracy + p.se).toFixed(1)}`), ...[...curve].reverse().map((p) => `${sx(p.features).toFixed(1)},${sy(p.accuracy - p.se).toFixed(1)}`)];
  parts.push(`<polygon points="${band.join(' ')}" fill="#0b5394" fill-opacity="0.12"/>`);
  parts.push(`<polyline points="${curve.map((p) => `${sx(p.features).toFixed(1)},${sy(p.accuracy).toFixed(1)}`).join(' ')}" fill="none" stroke="#0b5394" stroke-width="2"/>`);
  for (const p of curve) {
    const mark = p.features === chosen ? '#c33' : p.features === best ? '#1a7f37' : '#0b5394';
    parts.push(`<circle cx="${sx(p.features).toFixed(1)}" cy="${sy(p.accuracy).toFixed(1)}" r="${p.features === chosen ? 5 : 3}" fill="${mark}"><title>${p.features} features: ${(100 * p.accuracy).toFixed(2)}% ± ${(100 * p.se).toFixed(2)}</title></circle>`);
    parts.push(`<text x="${sx(p.features).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle" font-size="10">${p.features}</text>`);
  }
  for (let k = 0; k <= 4; k++) {
    const a = yLo + ((yHi - yLo) * k) / 4;
    parts.push(`<text x="${m.l - 6}" y="${(sy(a) + 4).toFixed(1)}" text-anchor="end" font-size="11">${(100 * a).toFixed(1)}%</text>`);
  }
  parts.push(`<text x="${sx(chosen).toFixed(1)}" y="${(sy(curve.find((p) => p.features === chosen)?.accuracy ?? yLo) - 10).toFixed(1)}" text-anchor="middle" font-size="11" fill="#c33">knee: ${chosen}</text>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle" font-size="12">features kept (log scale)</text>`);
  parts.push(`<text x="14" y="${(m.t + H - m.b) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${(m.t + H - m.b) / 2})">cross-validated accuracy</text>`);
  parts.push('</svg>');
  return parts.join('');
}
