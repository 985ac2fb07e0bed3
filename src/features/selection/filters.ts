/**
 * Filters applied before any test, each reported: a minimum document
 * frequency (a phrase seen in 2 documents can neither be trusted nor
 * generalise), and a variance threshold on the binary feature (variance
 * p(1 − p), p = df/N, scikit-learn's VarianceThreshold: 0 drops only
 * features present in no or in every document). Columns that survive are
 * the m of the multiple-testing corrections.
 */
import type { ClassCounts } from './class-counts.js';

export interface FilterOptions {
  /** Keep features in at least this many documents. */
  minDf: number;
  /** Keep features whose binary variance p(1 − p) is above this. */
  minVariance: number;
}

export const FILTER_DEFAULTS: Readonly<FilterOptions> = { minDf: 5, minVariance: 0 };

export interface FilterReport {
  readonly input: number;
  readonly belowMinDf: number;
  readonly lowVariance: number;
  readonly kept: number;
}

/** The columns of `counts` that pass, ascending, and how many each filter removed. */
export function filterColumns(counts: Pick<ClassCounts, 'cols' | 'rows' | 'total'>, opts: FilterOptions): { keep: Int32Array; report: FilterReport } {
  const keep: number[] = [];
  let belowMinDf = 0;
  let lowVariance = 0;
  for (let j = 0; j < counts.cols; j++) {
    const df = counts.total[j];
    if (df < opts.minDf) {
      belowMinDf++;
      continue;
    }
    const p = df / counts.rows;
    if (!(p * (1 - p) > opts.minVariance)) {
      lowVariance++;
      continue;
    }
    keep.push(j);
  }
  return { keep: Int32Array.from(keep), report: { input: counts.cols, belowMinDf, lowVariance, kept: keep.length } };
}

/** Counts restricted to the columns `keep` (column i of the result is column keep[i]). */
export function subsetCounts(counts: ClassCounts, keep: Int32Array): ClassCounts {
  const m = keep.length;
  const df = new Int32Array(counts.classes * m);
  const total = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    total[i] = counts.total[keep[i]];
    for (let c = 0; c < counts.classes; c++) df[c * m + i] = counts.df[c * counts.cols + keep[i]];
  }
  return { classes: counts.classes, rows: counts.rows, cols: m, sizes: counts.sizes, df, total };
}
