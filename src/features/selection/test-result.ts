/**
 * What every univariate test returns: one statistic and one p-value per
 * feature column. p-values are kept as ln p as well, because the strongest
 * features' p underflow to 0 while their ln p still ranks and plots them.
 */
export const CLASS_TESTS = ['chi2', 'anova', 'mi'] as const;
export type ClassTest = (typeof CLASS_TESTS)[number];

export interface TestResult {
  readonly test: ClassTest;
  /** χ², F, or mutual information in nats, per column. NaN where undefined (constant column). */
  readonly statistic: Float64Array;
  /** ln p per column (NaN where the statistic is). */
  readonly logP: Float64Array;
  /** Degrees of freedom of the reference distribution (χ²: df1 only). */
  readonly df1: number;
  readonly df2?: number;
}

/** p = exp(ln p); a NaN p (untestable column) counts as 1 so it is never significant. */
export function pValues(r: TestResult): Float64Array {
  const p = new Float64Array(r.logP.length);
  for (let j = 0; j < p.length; j++) p[j] = Number.isNaN(r.logP[j]) ? 1 : Math.exp(r.logP[j]);
  return p;
}
