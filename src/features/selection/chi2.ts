/**
 * χ² of binary features against k classes, as scikit-learn's `chi2` defines
 * it: observed O_cj = documents of class c containing j, expected
 * E_cj = P(c) · df_j, χ²_j = Σ_c (O_cj − E_cj)² / E_cj, compared with χ²(k − 1).
 * Only the "feature present" cells enter (the absent cells are not a second
 * set of observations in this definition); we keep it so that figures match
 * the tool analysts already use (BENCHMARKS.md #16 checks them to 1e-6).
 * Operations follow scikit-learn's order, so the doubles agree bit for bit.
 */
import type { ClassCounts } from './class-counts.js';
import { chi2LogSf } from './distributions.js';
import type { TestResult } from './test-result.js';

export function chi2Test(counts: ClassCounts): TestResult {
  const { classes: k, cols, sizes, df, total, rows } = counts;
  const statistic = new Float64Array(cols);
  const logP = new Float64Array(cols);
  const prob = Float64Array.from(sizes, (s) => s / rows);
  for (let j = 0; j < cols; j++) {
    let chi = 0;
    for (let c = 0; c < k; c++) {
      const e = prob[c] * total[j];
      const d = df[c * cols + j] - e;
      chi += (d * d) / e;
    }
    statistic[j] = chi;
    logP[j] = Number.isNaN(chi) ? NaN : chi2LogSf(chi, k - 1);
  }
  return { test: 'chi2', statistic, logP, df1: k - 1 };
}
