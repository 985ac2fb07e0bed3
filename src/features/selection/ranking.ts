/**
 * Ranks the columns of a binary document × feature matrix against class
 * labels (or a rating): filters, then each requested test with raw and
 * corrected p-values over the m columns that survived the filters.
 * Everything here reads labels, so inside cross-validation it must run on
 * the training part of each fold only.
 */
import type { CsrMatrix } from '../csr.js';
import { anovaTest } from './anova.js';
import { chi2Test } from './chi2.js';
import { classCounts, type ClassCounts } from './class-counts.js';
import { correct, type Correction } from './corrections.js';
import { normalQuantile } from './distributions.js';
import { filterColumns, subsetCounts, type FilterOptions, type FilterReport } from './filters.js';
import { mutualInformationTest } from './mutual-information.js';
import { ratingTest, type RatingTestResult } from './rating-tests.js';
import { pValues, type ClassTest, type TestResult } from './test-result.js';
import { SentivecError } from '../../util/errors.js';

export interface RankingOptions extends FilterOptions {
  tests: readonly ClassTest[];
  correction: Correction;
  /** Significance level for the corrected p-values. */
  alpha: number;
  /** Confidence level of the effect-size intervals. */
  confidence: number;
}

export const RANKING_DEFAULTS: Readonly<RankingOptions> = { minDf: 5, minVariance: 0, tests: ['chi2', 'anova', 'mi'], correction: 'bh', alpha: 0.05, confidence: 0.95 };

export interface RankedTest {
  readonly result: TestResult | (Omit<RatingTestResult, 'df1'> & { test: 'anova'; df1: number });
  readonly p: Float64Array;
  readonly corrected: Float64Array;
  /** Columns (of the tested set) with corrected p ≤ α. */
  readonly significant: number;
  /** Tested columns, strongest first (smallest ln p, then largest statistic). */
  readonly order: Int32Array;
}

interface RankingBase {
  /** tested[i]: the input column behind tested column i. */
  readonly tested: Int32Array;
  readonly filters: FilterReport;
  readonly tests: readonly RankedTest[];
  readonly options: RankingOptions;
  /** z of the effect-size intervals. */
  readonly z: number;
}

export interface ClassRanking extends RankingBase {
  readonly kind: 'classes';
  /** Per-class document frequencies of the tested columns. */
  readonly counts: ClassCounts;
}

export interface RatingRanking extends RankingBase {
  readonly kind: 'rating';
  readonly rating: RatingTestResult;
}

export type FeatureRanking = ClassRanking | RatingRanking;

function checkOptions(o: RankingOptions): void {
  if (!(o.alpha > 0 && o.alpha < 1)) throw new SentivecError(`alpha must be in (0, 1), got ${o.alpha}`);
  if (!(o.confidence > 0 && o.confidence < 1)) throw new SentivecError(`confidence must be in (0, 1), got ${o.confidence}`);
  if (o.tests.length === 0) throw new SentivecError('no test asked for');
}

function rankTest(result: RankedTest['result'], o: RankingOptions): RankedTest {
  const p = pValues(result as TestResult);
  const corrected = correct(p, o.correction);
  let significant = 0;
  for (let j = 0; j < corrected.length; j++) if (corrected[j] <= o.alpha) significant++;
  const logP = result.logP;
  const stat = result.statistic;
  const key = (j: number): number => (Number.isNaN(logP[j]) ? Infinity : logP[j]);
  const order = Int32Array.from({ length: p.length }, (_, j) => j).sort((a, b) => key(a) - key(b) || (stat[b] || 0) - (stat[a] || 0) || a - b);
  return { result, p, corrected, significant, order };
}

/** Ranking against class labels y ∈ {0, …, classes − 1}. */
export function rankFeatures(X: CsrMatrix, y: ArrayLike<number>, classes: number, options: Partial<RankingOptions> = {}): ClassRanking {
  const o = { ...RANKING_DEFAULTS, ...options };
  checkOptions(o);
  const all = classCounts(X, y, classes);
  const { keep, report } = filterColumns(all, o);
  const counts = subsetCounts(all, keep);
  const tests = o.tests.map((t) => rankTest(t === 'chi2' ? chi2Test(counts) : t === 'anova' ? anovaTest(counts) : mutualInformationTest(counts), o));
  return { kind: 'classes', tested: keep, filters: report, tests, options: o, z: normalQuantile(1 - (1 - o.confidence) / 2), counts };
}

/** Ranking against a numeric rating: the F test of the correlation (as `anova`), class means as effect. */
export function rankFeaturesByRating(X: CsrMatrix, rating: ArrayLike<number>, options: Partial<RankingOptions> = {}): RatingRanking {
  const o = { ...RANKING_DEFAULTS, ...options };
  checkOptions(o);
  if (o.tests.some((t) => t !== 'anova')) throw new SentivecError(`with a rating only the F test of the correlation applies (--test anova); χ² and mutual information need classes`);
  const z = normalQuantile(1 - (1 - o.confidence) / 2);
  const total = new Int32Array(X.cols);
  for (let p = 0; p < X.indptr[X.rows]; p++) if (X.data[p] !== 0) total[X.indices[p]]++;
  const { keep, report } = filterColumns({ cols: X.cols, rows: X.rows, total }, o);
  const full = ratingTest(X, rating, z);
  const pick = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(keep.length);
    for (let i = 0; i < keep.length; i++) out[i] = a[keep[i]];
    return out;
  };
  const rating2: RatingTestResult = {
    statistic: pick(full.statistic),
    logP: pick(full.logP),
    df1: 1,
    df2: full.df2,
    r: pick(full.r),
    total: pick(full.total),
    meanWith: pick(full.meanWith),
    meanWithout: pick(full.meanWithout),
    halfWidth: pick(full.halfWidth),
  };
  const tests = [rankTest({ ...rating2, test: 'anova' }, o)];
  return { kind: 'rating', tested: keep, filters: report, tests, options: o, z, rating: rating2 };
}
