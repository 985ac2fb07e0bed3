/**
 * Mutual information (nats) between a binary feature and the class: the
 * plug-in estimate from the 2 × k table of counts, which is what
 * scikit-learn's `mutual_info_classif(discrete_features=True)` computes for
 * discrete features. Its p-value is the G-test's: G = 2 N · MI is
 * asymptotically χ²((2−1)(k−1)) under independence.
 */
import type { ClassCounts } from './class-counts.js';
import { chi2LogSf } from './distributions.js';
import type { TestResult } from './test-result.js';

export function mutualInformationTest(counts: ClassCounts): TestResult {
  const { classes: k, cols, sizes, df, total, rows: n } = counts;
  const statistic = new Float64Array(cols);
  const logP = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    const present = total[j];
    const absent = n - present;
    let mi = 0;
    for (let c = 0; c < k; c++) {
      const a = df[c * cols + j];
      const b = sizes[c] - a;
      if (a > 0) mi += (a / n) * Math.log((a * n) / (present * sizes[c]));
      if (b > 0) mi += (b / n) * Math.log((b * n) / (absent * sizes[c]));
    }
    // Rounding can leave −1e-17 for an independent column; MI is ≥ 0.
    if (mi < 0) mi = 0;
    statistic[j] = mi;
    logP[j] = chi2LogSf(2 * n * mi, k - 1);
  }
  return { test: 'mi', statistic, logP, df1: k - 1 };
}
