/**
 * One-way ANOVA F of a binary feature across k classes (scikit-learn's
 * `f_classif`): with s_c = documents of class c containing j (Σx = Σx² for
 * binary x), SS_between = Σ s_c²/n_c − S²/N, SS_within = S − S²/N − SS_between,
 * F = (SS_between/(k−1)) / (SS_within/(N−k)) against F(k−1, N−k).
 * Written in scikit-learn's order of operations so the doubles agree; a
 * column with zero within-class variance gets F = ∞ (separates perfectly)
 * or NaN (constant), as there.
 */
import type { ClassCounts } from './class-counts.js';
import { fLogSf } from './distributions.js';
import type { TestResult } from './test-result.js';

export function anovaTest(counts: ClassCounts): TestResult {
  const { classes: k, cols, sizes, df, total, rows: n } = counts;
  const statistic = new Float64Array(cols);
  const logP = new Float64Array(cols);
  const dfbn = k - 1;
  const dfwn = n - k;
  for (let j = 0; j < cols; j++) {
    const s = total[j];
    const ssAll = s; // Σx² = Σx for 0/1 values
    const sqSumAll = s * s;
    const sstot = ssAll - sqSumAll / n;
    let ssbn = 0;
    for (let c = 0; c < k; c++) {
      const sc = df[c * cols + j];
      ssbn += (sc * sc) / sizes[c];
    }
    ssbn -= sqSumAll / n;
    const sswn = sstot - ssbn;
    const msb = ssbn / dfbn;
    const msw = sswn / dfwn;
    const f = msb / msw;
    statistic[j] = f;
    logP[j] = Number.isNaN(f) ? NaN : fLogSf(f, dfbn, dfwn);
  }
  return { test: 'anova', statistic, logP, df1: dfbn, df2: dfwn };
}
