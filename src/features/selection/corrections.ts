/**
 * Multiple-testing corrections over the m features tested (every column
 * that entered a test, after the filters): Bonferroni (family-wise error,
 * p·m capped at 1) and Benjamini–Hochberg (false discovery rate, step-up:
 * q_(i) = min_{k ≥ i} p_(k)·m/k, capped at 1), the values statsmodels'
 * `multipletests(method='bonferroni' | 'fdr_bh')` returns.
 */
export const CORRECTIONS = ['bh', 'bonferroni', 'none'] as const;
export type Correction = (typeof CORRECTIONS)[number];

export function bonferroni(p: Float64Array): Float64Array {
  const m = p.length;
  return p.map((x) => Math.min(1, x * m));
}

export function benjaminiHochberg(p: Float64Array): Float64Array {
  const m = p.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
  const q = new Float64Array(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r];
    running = Math.min(running, (p[i] * m) / (r + 1));
    q[i] = running;
  }
  return q;
}

export function correct(p: Float64Array, method: Correction): Float64Array {
  if (method === 'bh') return benjaminiHochberg(p);
  if (method === 'bonferroni') return bonferroni(p);
  return Float64Array.from(p);
}
