import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { betaI, chi2LogSf, fLogSf, gammaP, gammaQ, logGamma, normalQuantile } from '../src/features/selection/distributions.js';
import { classCounts } from '../src/features/selection/class-counts.js';
import { chi2Test } from '../src/features/selection/chi2.js';
import { anovaTest } from '../src/features/selection/anova.js';
import { mutualInformationTest } from '../src/features/selection/mutual-information.js';
import { ratingTest } from '../src/features/selection/rating-tests.js';
import { benjaminiHochberg, bonferroni } from '../src/features/selection/corrections.js';
import { logOddsRatio } from '../src/features/selection/effect-size.js';
import { filterColumns } from '../src/features/selection/filters.js';
import { cramersV, redundancyGroups } from '../src/features/selection/redundancy.js';
import { rankFeatures, rankFeaturesByRating } from '../src/features/selection/ranking.js';
import { Rng } from '../src/util/rng.js';

const rel = (a: number, b: number, eps: number, what = '') => assert.ok(Math.abs(a - b) <= eps * Math.max(Math.abs(b), 1e-300), `${what}: ${a} vs ${b}`);

/** Binary CSR from a dense 0/1 document × feature table. */
function csr(rows: number[][]): CsrMatrix {
  const indptr = [0];
  const indices: number[] = [];
  for (const r of rows) {
    r.forEach((v, j) => v && indices.push(j));
    indptr.push(indices.length);
  }
  return { rows: rows.length, cols: rows[0].length, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: new Float64Array(indices.length).fill(1) };
}

test('special functions match SciPy / mpmath values', () => {
  rel(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14, 'lnΓ(1/2)');
  rel(logGamma(10), Math.log(362880), 1e-14, 'lnΓ(10)');
  rel(gammaQ(0.5, 2), 0.04550026389635857, 1e-12, 'Q(0.5, 2)');
  rel(gammaP(3, 1.5), 0.19115316946194183, 1e-12, 'P(3, 1.5)');
  rel(betaI(2, 3, 0.4), 0.5248, 1e-12, 'I_0.4(2, 3)');
  rel(betaI(0.5, 12500, 0.0002), 0.9746585394816918, 1e-10, 'I(0.5, 12500)');
  rel(Math.exp(chi2LogSf(3.841458820694124, 1)), 0.05, 1e-12, 'χ²₁ 95%');
  rel(Math.exp(chi2LogSf(10, 5)), 0.07523524614651217, 1e-12, 'χ²₅(10)');
  rel(Math.exp(chi2LogSf(0.5, 3)), 0.9188914116546758, 1e-12, 'χ²₃(0.5)');
  rel(Math.exp(chi2LogSf(1e-3, 2)), 0.9995001249791693, 1e-12, 'χ²₂(0.001)');
  // Deep tails, where p underflows and only ln p survives (mpmath, 40 digits).
  rel(chi2LogSf(2000, 1), -1004.026741958951945, 1e-12, 'ln χ²₁(2000)');
  rel(chi2LogSf(600, 5), -291.7240133388891386, 1e-12, 'ln χ²₅(600)');
  rel(Math.exp(fLogSf(3, 2, 10)), 0.095367431640625, 1e-12, 'F(2,10)');
  rel(Math.exp(fLogSf(4.5, 1, 25000)), 0.03390466558887619, 1e-9, 'F(1,25000)');
  rel(Math.exp(fLogSf(0.3, 5, 7)), 0.8981557643278846, 1e-12, 'F(5,7)');
  rel(fLogSf(900, 1, 24998), -445.6991015352421, 1e-9, 'ln F(1,24998)(900)');
  rel(normalQuantile(0.975), 1.959963984540054, 1e-12, 'z 97.5%');
});

// Two classes of 5 documents; the feature is in 1 negative and 4 positive documents.
const y2 = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
const X2 = csr([[1], [0], [0], [0], [0], [1], [1], [1], [1], [0]]);

test('χ², F and MI on a hand-computed 2 × 2 table (and scikit-learn values)', () => {
  const counts = classCounts(X2, y2, 2);
  // E = 2.5 per class: (1 − 2.5)²/2.5 + (4 − 2.5)²/2.5.
  const chi = chi2Test(counts);
  rel(chi.statistic[0], 1.8, 1e-15, 'χ²');
  rel(Math.exp(chi.logP[0]), 0.17971249487899593, 1e-12, 'χ² p');
  // SS_tot = 5 − 25/10 = 2.5, SS_between = 1/5 + 16/5 − 2.5 = 0.9, F = 0.9 / (1.6/8).
  const f = anovaTest(counts);
  rel(f.statistic[0], 4.5, 1e-14, 'F');
  rel(Math.exp(f.logP[0]), 0.0666879999999999, 1e-12, 'F p');
  // Cells 1, 4 (present), 4, 1 (absent) of 10: MI = 0.2 ln 0.4 + 0.8 ln 1.6.
  const mi = mutualInformationTest(counts);
  rel(mi.statistic[0], 0.2 * Math.log(0.4) + 0.8 * Math.log(1.6), 1e-14, 'MI');
  rel(Math.exp(mi.logP[0]), Math.exp(chi2LogSf(20 * mi.statistic[0], 1)), 1e-14, 'G-test p');
});

test('χ², F and MI on a hand-computed 3-class table (and scikit-learn values)', () => {
  const y = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const X = csr([[1], [1], [1], [0], [0], [0], [0], [1], [0], [0]]);
  const counts = classCounts(X, y, 3);
  // E = 0.4·4, 0.3·4, 0.3·4: 1.4²/1.6 + 1.2²/1.2 + 0.2²/1.2.
  rel(chi2Test(counts).statistic[0], 1.4 ** 2 / 1.6 + 1.2 ** 2 / 1.2 + 0.2 ** 2 / 1.2, 1e-14, 'χ²');
  rel(chi2Test(counts).statistic[0], 2.458333333333333, 1e-14, 'χ² sklearn');
  rel(Math.exp(chi2Test(counts).logP[0]), 0.2925362563476027, 1e-12, 'χ² p');
  // SS_between = 9/4 + 0 + 1/3 − 1.6, SS_within = 4 − 1.6 − SS_between; F = (SSb/2)/(SSw/7).
  const ssb = 9 / 4 + 1 / 3 - 1.6;
  rel(anovaTest(counts).statistic[0], ssb / 2 / ((2.4 - ssb) / 7), 1e-13, 'F');
  rel(Math.exp(anovaTest(counts).logP[0]), 0.1580147097192247, 1e-12, 'F p');
  const mi = (3 / 10) * Math.log((3 * 10) / (4 * 4)) + (1 / 10) * Math.log((1 * 10) / (4 * 3)) + (1 / 10) * Math.log((1 * 10) / (6 * 4)) + (3 / 10) * Math.log((3 * 10) / (6 * 3)) + (2 / 10) * Math.log((2 * 10) / (6 * 3));
  rel(mutualInformationTest(counts).statistic[0], mi, 1e-14, 'MI');
  rel(mi, 0.2571233586732895, 1e-12, 'MI sklearn');
  // Ratings 1..5 twice: scikit-learn f_regression F = 1.846…, p = 0.2113.
  const r = ratingTest(X, [1, 2, 3, 4, 5, 1, 2, 3, 4, 5], 1.96);
  rel(r.statistic[0], 1.8461538461538465, 1e-12, 'f_regression');
  rel(Math.exp(r.logP[0]), 0.21129923687481186, 1e-10, 'f_regression p');
  rel(r.meanWith[0], (1 + 2 + 3 + 3) / 4, 1e-14, 'mean with');
  rel(r.meanWithout[0], (4 + 5 + 1 + 2 + 4 + 5) / 6, 1e-14, 'mean without');
});

test('log-odds ratio with the +½ correction and a Woolf interval', () => {
  const counts = classCounts(X2, y2, 2);
  const o = logOddsRatio(counts, 0, 1, 1.959963984540054);
  // a = 4.5, b = 1.5, c = 1.5, d = 4.5.
  rel(o.estimate, Math.log((4.5 * 4.5) / (1.5 * 1.5)), 1e-14, 'log OR');
  const se = Math.sqrt(2 / 4.5 + 2 / 1.5);
  rel(o.high - o.estimate, 1.959963984540054 * se, 1e-12, 'CI');
  rel(logOddsRatio(counts, 0, 0, 1.96).estimate, -o.estimate, 1e-14, 'symmetry');
});

test('Benjamini–Hochberg and Bonferroni on the textbook example (Benjamini & Hochberg 1995)', () => {
  const p = Float64Array.from([0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0]);
  const q = benjaminiHochberg(p);
  // Four hypotheses rejected at FDR 0.05, as in the paper.
  assert.equal([...q].filter((x) => x <= 0.05).length, 4);
  rel(q[3], (0.0095 * 15) / 4, 1e-12, 'q4');
  // Step-up: q5 = min(p5·15/5, p6·15/6, p7·15/7, …) = p5·3, q6 = p7·15/7.
  rel(q[4], 0.0201 * 3, 1e-12, 'q5');
  rel(q[5], (0.0298 * 15) / 7, 1e-12, 'q6');
  rel(q[14], 1, 1e-15, 'q15');
  const shuffled = Float64Array.from([p[9], p[0], p[5], p[14], p[3]]);
  const qs = benjaminiHochberg(shuffled);
  rel(qs[1], p[0] * 5, 1e-12, 'unsorted input');
  const b = bonferroni(p);
  rel(b[0], 0.0015, 1e-12, 'bonf 1');
  rel(b[8], 0.0459 * 15, 1e-12, 'bonf 9');
  assert.equal(b[9], 1);
  assert.equal([...b].filter((x) => x <= 0.05).length, 3);
});

test('filters: minimum document frequency and variance threshold are reported', () => {
  const X = csr([[1, 1, 0, 1], [1, 0, 0, 1], [1, 1, 0, 0], [1, 0, 1, 0]]);
  const counts = classCounts(X, [0, 0, 1, 1], 2);
  const { keep, report } = filterColumns(counts, { minDf: 2, minVariance: 0 });
  assert.deepEqual([...keep], [1, 3]);
  assert.deepEqual(report, { input: 4, belowMinDf: 1, lowVariance: 1, kept: 2 });
});

test('redundancy grouping finds a planted pair and keeps the stronger one', () => {
  const rng = new Rng(7);
  const n = 400;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const york = rng.next() < 0.2 ? 1 : 0;
    // "new york" is "york" but for 2% of the documents; feature 2 is independent.
    const newYork = york && rng.next() > 0.02 ? 1 : 0;
    rows.push([york, newYork, rng.next() < 0.2 ? 1 : 0, rng.next() < 0.5 ? 1 : 0]);
  }
  const X = csr(rows);
  const groups = redundancyGroups(X, [1, 0, 2, 3], 0.9);
  assert.equal(groups.length, 1);
  assert.equal(groups[0].leader, 1);
  assert.deepEqual(groups[0].members.map((m) => m.column), [0]);
  assert.ok(groups[0].members[0].v > 0.9 && groups[0].members[0].v <= 1);
  rel(cramersV(10, 5, 5, 5), 1, 1e-15, 'identical');
  rel(cramersV(10, 5, 5, 0), 1, 1e-15, 'complement');
  assert.equal(cramersV(10, 0, 5, 0), 0);
});

test('ranking: informative features first, null labels give few discoveries', () => {
  const rng = new Rng(3);
  const n = 600;
  const cols = 200;
  const y = Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
  const rows = y.map((c) => Array.from({ length: cols }, (_, j) => (rng.next() < (j < 5 ? (c ? 0.5 : 0.2) : 0.3) ? 1 : 0)));
  const X = csr(rows);
  const r = rankFeatures(X, y, 2, { minDf: 1 });
  for (const t of r.tests) {
    assert.deepEqual([...t.order.slice(0, 5)].map((i) => r.tested[i]).sort((a, b) => a - b), [0, 1, 2, 3, 4], t.result.test);
    assert.ok(t.significant >= 5 && t.significant <= 8, `${t.result.test}: ${t.significant}`);
  }
  const shuffled = rng.shuffle(y.slice());
  for (const t of rankFeatures(X, shuffled, 2, { minDf: 1 }).tests) assert.ok(t.significant <= 0.05 * cols, `${t.result.test}: ${t.significant}`);
  const rating = y.map((c) => c * 4 + 1 + rng.next());
  const rr = rankFeaturesByRating(X, rating, { tests: ['anova'], minDf: 1 });
  assert.ok(rr.rating.meanWith[0] > rr.rating.meanWithout[0]);
  assert.deepEqual([...rr.tests[0].order.slice(0, 5)].sort((a, b) => a - b), [0, 1, 2, 3, 4]);
  assert.throws(() => rankFeaturesByRating(X, rating, { tests: ['chi2'] }), /need classes/);
});
