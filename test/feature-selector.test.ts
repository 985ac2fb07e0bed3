/**
 * FeatureSelector (chi2:K, fdr:α) fitted inside each cross-validation fold,
 * the leakage test (shuffled labels → chance, and the same selection made
 * outside the folds caught being optimistic), and permutation importance
 * against its exact expectation on a small matrix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { takeRows } from '../src/features/matrix.js';
import { FeatureSelector, parseSelectorSpec, selectorSpecText } from '../src/features/selection/feature-selector.js';
import { permutationImportance } from '../src/eval/permutation-importance.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { stratifiedKFold } from '../src/models/classifiers/model-selection.js';
import { rfecv, rfeSchedule } from '../src/models/classifiers/rfecv.js';
import { Rng } from '../src/util/rng.js';

/** Binary CSR: `cols` columns; the first `informative` are present with probability 0.45 in class 1, 0.15 in class 0; the rest 0.3. */
function planted(n: number, cols: number, informative: number, seed: number): { X: CsrMatrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const y = Uint8Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) if (rng.next() < (j < informative ? (y[i] ? 0.45 : 0.15) : 0.3)) indices.push(j);
    indptr[i + 1] = indices.length;
  }
  return { X: { rows: n, cols, indptr, indices: Int32Array.from(indices), data: new Float64Array(indices.length).fill(1) }, y };
}

/** Out-of-fold accuracy of logistic regression, with the selector fitted inside each fold or once on all rows. */
function cvAccuracy(X: CsrMatrix, y: Uint8Array, spec: string, where: 'inside' | 'outside'): number {
  const fold = stratifiedKFold(y, 5, 3);
  const outside = where === 'outside' ? new FeatureSelector(parseSelectorSpec(spec)).fit(X, y) : null;
  let hits = 0;
  for (let f = 0; f < 5; f++) {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? ev : tr).push(i);
    const ytr = Uint8Array.from(tr, (i) => y[i]);
    const selector = outside ?? new FeatureSelector(parseSelectorSpec(spec)).fit(takeRows(X, tr), ytr);
    const lr = new LogisticRegression({ C: 1, seed: 1 }).fit(selector.transform(takeRows(X, tr)), ytr);
    const s = lr.decisionFunction(selector.transform(takeRows(X, ev)));
    ev.forEach((i, k) => (hits += (s[k] > 0 ? 1 : 0) === y[i] ? 1 : 0));
  }
  return hits / y.length;
}

test('selector specs parse and print back; bad ones are SentivecErrors', () => {
  assert.deepEqual(parseSelectorSpec('chi2:500'), { rule: 'k-best', test: 'chi2', k: 500 });
  assert.deepEqual(parseSelectorSpec('fdr:0.05'), { rule: 'fdr', test: 'chi2', alpha: 0.05 });
  assert.equal(selectorSpecText(new FeatureSelector(parseSelectorSpec('mi:20')).settings), 'mi:20');
  assert.equal(selectorSpecText(new FeatureSelector(parseSelectorSpec('fdr:0.1')).settings), 'fdr:0.1');
  for (const bad of ['chi2', 'chi2:0', 'chi2:1.5', 'fdr:0', 'fdr:0.9', 'lasso:3']) assert.throws(() => parseSelectorSpec(bad), { name: 'SentivecError' }, bad);
  assert.throws(() => new FeatureSelector({ k: 0 }), /k must be/);
});

test('k-best and fdr keep the planted informative columns; transform renumbers them', () => {
  const { X, y } = planted(600, 200, 8, 1);
  const k = new FeatureSelector({ rule: 'k-best', k: 8 }).fit(X, y);
  assert.deepEqual([...k.selected], [0, 1, 2, 3, 4, 5, 6, 7]);
  const T = k.transform(X);
  assert.equal(T.cols, 8);
  assert.equal(T.indptr[T.rows], [...X.indices].filter((j) => j < 8).length);
  const fdr = new FeatureSelector({ rule: 'fdr', alpha: 0.05 }).fit(X, y);
  assert.ok([0, 1, 2, 3, 4, 5, 6, 7].every((j) => fdr.keeps(j)), `fdr kept ${[...fdr.selected]}`);
  assert.ok(fdr.selected.length <= 8 + 3, `fdr kept ${fdr.selected.length} columns`);
  assert.throws(() => k.transform(takeRows({ ...X, cols: 10 } as CsrMatrix, [0])), /fitted on 200 columns/);
});

test('leakage: selection inside the folds gives chance on shuffled labels; the same selection outside the folds does not', () => {
  // 150 documents, 3,000 pure-noise columns: choosing 20 of them with all labels in view finds some that fit by chance.
  const { X, y } = planted(150, 3000, 0, 2);
  const inside = cvAccuracy(X, y, 'chi2:20', 'inside');
  const outside = cvAccuracy(X, y, 'chi2:20', 'outside');
  assert.ok(Math.abs(inside - 0.5) < 0.12, `inside the folds: ${inside}`);
  assert.ok(outside > 0.7, `outside the folds (leaky, must look optimistic): ${outside}`);
  // With signal, selecting inside the folds still finds it.
  const real = planted(300, 3000, 10, 4);
  assert.ok(cvAccuracy(real.X, real.y, 'chi2:20', 'inside') > 0.75);
  assert.ok(Math.abs(cvAccuracy(X, y, 'fdr:0.05', 'inside') - 0.5) < 0.12);
});

/** Exact expected accuracy drop of permuting column j over all n! orders (small n). */
function exactDrop(X: number[][], y: number[], w: number[], b: number, j: number): number {
  const n = X.length;
  const acc = (rows: number[][]): number => rows.filter((r, i) => (r.reduce((s, v, k) => s + v * w[k], b) > 0 ? 1 : 0) === y[i]).length / n;
  const base = acc(X);
  let total = 0;
  let count = 0;
  const perm = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) {
      total += base - acc(X.map((r, i) => r.map((v, k) => (k === j ? X[prefix[i]][j] : v))));
      count++;
      return;
    }
    rest.forEach((x, q) => perm([...prefix, x], rest.filter((_, t) => t !== q)));
  };
  perm([], [...Array(n).keys()]);
  return total / count;
}

test('permutation importance: its mean converges to the exact expectation over all permutations', () => {
  const dense = [
    [1, 0, 2],
    [1, 1, 0],
    [0, 1, 1],
    [0, 0, 0],
    [1, 0, 0],
    [0, 1, 3],
  ];
  const y = [1, 0, 0, 0, 1, 1];
  const w = [1.5, -1, 0.4];
  const b = -0.5;
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (const r of dense) {
    r.forEach((v, k) => v && (indices.push(k), data.push(v)));
    indptr.push(indices.length);
  }
  const X: CsrMatrix = { rows: 6, cols: 3, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
  const r = permutationImportance({ X, y, coef: w, intercept: b, repeats: 20000, seed: 5 });
  assert.deepEqual([...r.columns], [0, 1, 2]);
  assert.equal(r.baseline, 5 / 6);
  for (let c = 0; c < 3; c++) {
    const exact = exactDrop(dense, y, w, b, c);
    // 20,000 repeats of a drop in [−1, 1] with sd ≤ 0.4: the mean is within 0.01 of the expectation.
    assert.ok(Math.abs(r.mean[c] - exact) < 0.01, `column ${c}: ${r.mean[c]} vs exact ${exact}`);
    assert.ok(r.low[c] <= r.mean[c] && r.mean[c] <= r.high[c]);
  }
});

test('permutation importance: informative columns matter on held-out rows, null-label columns stay within their interval of zero', () => {
  const { X, y } = planted(1000, 60, 5, 9);
  const tr = [...Array(800).keys()];
  const ev = [...Array(200).keys()].map((i) => i + 800);
  const fit = (labels: Uint8Array) => new LogisticRegression({ C: 0.1, seed: 1 }).fit(takeRows(X, tr), Uint8Array.from(tr, (i) => labels[i]));
  const lr = fit(y);
  const pi = permutationImportance({ X: takeRows(X, ev), y: Uint8Array.from(ev, (i) => y[i]), coef: lr.coef, intercept: lr.intercept, repeats: 30, seed: 2 });
  // Every informative column's mean drop is above every noise column's, and most intervals exclude zero.
  const noise = Math.max(...Array.from(pi.mean.subarray(5)));
  for (let j = 0; j < 5; j++) assert.ok(pi.mean[j] > noise, `informative column ${j}: ${pi.mean[j]} vs noise up to ${noise}`);
  assert.ok([0, 1, 2, 3, 4].filter((j) => pi.low[j] > 0).length >= 3, `intervals ${[0, 1, 2, 3, 4].map((j) => `${pi.low[j]}..${pi.high[j]}`)}`);
  const shuffled = new Rng(4).shuffle(Uint8Array.from(y));
  const lrNull = fit(shuffled);
  const nullImportance = (confidence: number) => permutationImportance({ X: takeRows(X, ev), y: Uint8Array.from(ev, (i) => shuffled[i]), coef: lrNull.coef, intercept: lrNull.intercept, repeats: 30, seed: 2, confidence });
  const excluding = (r: ReturnType<typeof nullImportance>): number => [...r.columns.keys()].filter((c) => r.low[c] > 0 || r.high[c] < 0).length;
  // Per-column 95% intervals: about 5% exclude zero by chance; simultaneous (Bonferroni) 95% intervals: none should.
  const single = nullImportance(0.95);
  assert.ok(excluding(single) <= 0.12 * single.columns.length, `${excluding(single)} of ${single.columns.length} null columns exclude zero`);
  const simultaneous = nullImportance(1 - 0.05 / single.columns.length);
  assert.equal(excluding(simultaneous), 0);
  // The informative columns survive the simultaneous intervals of the real model.
  const strict = permutationImportance({ X: takeRows(X, ev), y: Uint8Array.from(ev, (i) => y[i]), coef: lr.coef, intercept: lr.intercept, repeats: 30, seed: 2, confidence: 1 - 0.05 / pi.columns.length });
  assert.ok([0, 1, 2, 3, 4].some((j) => strict.low[j] > 0));
});

test('RFE-CV on a synthetic problem with 12 informative of 300 features: the knee is near 12 and keeps them', () => {
  const { X, y } = planted(800, 300, 12, 21);
  const r = rfecv(X, y, Int32Array.from({ length: 300 }, (_, j) => j), { step: 0.2, minFeatures: 4, C: 0.3, seed: 1 });
  assert.deepEqual(r.curve.map((p) => p.features), rfeSchedule(300, 0.2, 4));
  assert.ok(r.chosen >= 8 && r.chosen <= 24, `chosen ${r.chosen}; curve ${r.curve.map((p) => `${p.features}:${p.accuracy.toFixed(3)}`).join(' ')}`);
  assert.equal(r.kept.length, r.chosen);
  const informativeKept = [...r.kept].filter((j) => j < 12).length;
  assert.ok(informativeKept >= Math.min(10, r.chosen - 2), `kept ${[...r.kept]}`);
  // The knee is no worse than the best by more than one standard error, and much better than 4 features.
  const at = (k: number) => r.curve.find((p) => p.features === k)!;
  const best = at(r.best);
  assert.ok(at(r.chosen).accuracy >= best.accuracy - best.se);
  assert.ok(at(r.chosen).accuracy > at(4).accuracy);
  // Shuffled labels: nothing to find, the curve stays near chance.
  const shuffled = new Rng(5).shuffle(Uint8Array.from(y));
  const nul = rfecv(X, shuffled, Int32Array.from({ length: 300 }, (_, j) => j), { step: 0.5, C: 0.3 });
  for (const p of nul.curve) assert.ok(Math.abs(p.accuracy - 0.5) < 0.08, `null curve ${p.features}: ${p.accuracy}`);
});
