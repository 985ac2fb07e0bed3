import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { LinearSVC, type SvmLoss } from '../src/models/classifiers/svm.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { accuracy, selectC, stratifiedKFold, takeRows } from '../src/models/classifiers/model-selection.js';
import { libsvmLines } from '../src/models/classifiers/libsvm-format.js';
import { SentivecError } from '../src/util/errors.js';
import { Rng } from '../src/util/rng.js';

/** Dense rows → CSR, dropping zeros. */
function csr(rows: number[][], cols = rows[0].length): CsrMatrix {
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (const r of rows) {
    r.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        data.push(v);
      }
    });
    indptr.push(indices.length);
  }
  return { rows: rows.length, cols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** Gaussian blobs around ±mu, so `spread` controls overlap. */
function blobs(n: number, dim: number, spread: number, seed: number): { X: CsrMatrix; y: Uint8Array; rows: number[][] } {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const s = y[i] ? 1 : -1;
    rows.push(Array.from({ length: dim }, (_, j) => (j < 2 ? s * 1.5 : 0) + 0.5 + spread * rng.normal()));
  }
  return { X: csr(rows), y, rows };
}

const dotRow = (w: ArrayLike<number>, x: number[]) => x.reduce((s, v, j) => s + v * w[j], 0);

/** Primal objective with the bias weight w_b = intercept / bias regularized, as LIBLINEAR does. */
function svmPrimal(m: LinearSVC, rows: number[][], y: Uint8Array, loss: SvmLoss): number {
  const wb = m.bias > 0 ? m.intercept / m.bias : 0;
  let v = 0.5 * (m.coef.reduce((s, c) => s + c * c, 0) + wb * wb);
  rows.forEach((x, i) => {
    const xi = Math.max(0, 1 - (y[i] ? 1 : -1) * (dotRow(m.coef, x) + m.intercept));
    v += m.C * (loss === 'l2' ? xi * xi : xi);
  });
  return v;
}

for (const loss of ['l1', 'l2'] as const) {
  test(`LinearSVC (${loss}) separates a separable problem with margins >= 1`, () => {
    const rows = [[2, 1], [3, 2], [2.5, 3], [-2, -1], [-3, -1], [-1.5, -2.5]];
    const y = Uint8Array.from([1, 1, 1, 0, 0, 0]);
    const X = csr(rows);
    const m = new LinearSVC({ C: 1000, loss, tol: 1e-6 }).fit(X, y);
    assert.equal(accuracy(y, m.predict(X)), 1);
    assert.ok(m.converged);
    const f = m.decisionFunction(X);
    for (let i = 0; i < y.length; i++) {
      const margin = (y[i] ? 1 : -1) * f[i];
      assert.ok(margin >= 0.999, `row ${i}: margin ${margin}`);
    }
    // decisionFunction is exactly coef·x + intercept.
    rows.forEach((x, i) => assert.ok(Math.abs(f[i] - dotRow(m.coef, x) - m.intercept) < 1e-12));
  });

  test(`LinearSVC (${loss}) on overlapping data: duality gap closes and KKT holds`, () => {
    const { X, y, rows } = blobs(80, 5, 1.2, 3);
    const m = new LinearSVC({ C: 0.5, loss, tol: 1e-6 }).fit(X, y);
    assert.ok(m.converged);
    const P = svmPrimal(m, rows, y, loss);
    const gap = P + m.dualObjective; // dualObjective is the dual's minimum, so P* = -D*
    assert.ok(gap >= -1e-9, `negative gap ${gap}`);
    assert.ok(gap / P < 1e-5, `relative duality gap ${gap / P}`);
    // Primal check by perturbation: no coordinate step improves the primal.
    for (let j = 0; j < m.coef.length; j++) {
      for (const h of [1e-3, -1e-3]) {
        const pert = new LinearSVC({ C: 0.5, loss });
        pert.coef = Float64Array.from(m.coef);
        pert.coef[j] += h;
        pert.intercept = m.intercept;
        assert.ok(svmPrimal(pert, rows, y, loss) >= P - 1e-7, `coordinate ${j} step ${h} improves primal`);
      }
    }
    if (loss === 'l1') {
      const f = m.decisionFunction(X);
      for (let i = 0; i < y.length; i++) {
        const yf = (y[i] ? 1 : -1) * f[i];
        const a = m.alpha[i];
        if (a === 0) assert.ok(yf >= 1 - 1e-4, `α=0 but y·f=${yf}`);
        else if (a === m.C) assert.ok(yf <= 1 + 1e-4, `α=C but y·f=${yf}`);
        else assert.ok(Math.abs(yf - 1) < 1e-4, `0<α<C but y·f=${yf}`);
      }
    }
  });
}

test('LinearSVC: same seed, same model; shrinking changes speed, not the solution', () => {
  const { X, y } = blobs(200, 8, 1.5, 5);
  const a = new LinearSVC({ C: 1, seed: 9 }).fit(X, y);
  const b = new LinearSVC({ C: 1, seed: 9 }).fit(X, y);
  assert.deepEqual(a.coef, b.coef);
  assert.equal(a.intercept, b.intercept);
  const tight = new LinearSVC({ C: 1, tol: 1e-8, maxIter: 100_000 }).fit(X, y);
  const noShrink = new LinearSVC({ C: 1, tol: 1e-8, maxIter: 100_000, shrinking: false, seed: 2 }).fit(X, y);
  assert.ok(tight.converged && noShrink.converged);
  for (let j = 0; j < tight.coef.length; j++) assert.ok(Math.abs(tight.coef[j] - noShrink.coef[j]) < 1e-5);
  assert.ok(Math.abs(tight.intercept - noShrink.intercept) < 1e-5);
});

test('LinearSVC: the uniform-row fast path and the general path give the same model', () => {
  // Binary rows scaled to unit length are "uniform" (one value per row) and skip
  // reading values; a 1e-300 entry makes row 0 non-uniform without changing the problem.
  const uniform = csr([[0.5, 0.5, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.25, 0.25, 0.25]]);
  const mixed = csr([[0.5, 0.5, 1e-300], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.25, 0.25, 0.25]]);
  const yu = Uint8Array.from([1, 0, 1, 0]);
  const mu = new LinearSVC({ C: 10, tol: 1e-8 }).fit(uniform, yu);
  const mm = new LinearSVC({ C: 10, tol: 1e-8 }).fit(mixed, yu);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(mu.coef[j] - mm.coef[j]) < 1e-6);
  assert.ok(Math.abs(mu.intercept - mm.intercept) < 1e-6);
  // Scaling x (and the bias value) by 2 and C by 1/4 is the same problem with w halved.
  const { X, y } = blobs(60, 4, 1.0, 8);
  const m1 = new LinearSVC({ C: 1, tol: 1e-8 }).fit(X, y);
  const m2 = new LinearSVC({ C: 0.25, tol: 1e-8, bias: 2 }).fit({ ...X, data: X.data.map((v) => v * 2) }, y);
  for (let j = 0; j < m1.coef.length; j++) assert.ok(Math.abs(m1.coef[j] - 2 * m2.coef[j]) < 1e-5);
});

test('bias: liblinear -B semantics (a constant feature of value bias); bias <= 0 means none', () => {
  // One feature, always positive: only an intercept can separate 1 from 3.
  const X = csr([[1], [1.2], [0.8], [3], [3.2], [2.8]]);
  const y = Uint8Array.from([0, 0, 0, 1, 1, 1]);
  const withBias = new LinearSVC({ C: 100, tol: 1e-6 }).fit(X, y);
  assert.equal(accuracy(y, withBias.predict(X)), 1);
  assert.ok(Math.abs(-withBias.intercept / withBias.coef[0] - 2) < 0.01); // midpoint of 1.2 and 2.8
  const noBias = new LinearSVC({ C: 100, tol: 1e-6, bias: 0 }).fit(X, y);
  assert.equal(noBias.intercept, 0);
  assert.ok(accuracy(y, noBias.predict(X)) <= 0.5);
  // bias = B is the same as no bias on data with an explicit constant column B,
  // whose weight times B is the intercept (so the intercept is regularized).
  const { rows, y: yb } = blobs(50, 3, 1.5, 6);
  const B = 3;
  for (const Model of [LinearSVC, LogisticRegression]) {
    const a = new Model({ C: 0.3, tol: 1e-9, maxIter: 100_000, bias: B }).fit(csr(rows), yb);
    const b = new Model({ C: 0.3, tol: 1e-9, maxIter: 100_000, bias: -1 }).fit(csr(rows.map((r) => [...r, B])), yb);
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(a.coef[j] - b.coef[j]) < 1e-6, `${Model.name} w${j}`);
    assert.ok(Math.abs(a.intercept - b.coef[3] * B) < 1e-6, `${Model.name} intercept`);
    assert.equal(b.intercept, 0);
  }
});

test('class weights shift the boundary toward the lighter class', () => {
  const { X, y } = blobs(200, 4, 2.5, 11);
  const plain = new LinearSVC({ C: 0.1 }).fit(X, y);
  const heavyPos = new LinearSVC({ C: 0.1, classWeight: { 0: 1, 1: 10 } }).fit(X, y);
  const count = (p: Uint8Array) => p.reduce((s, v) => s + v, 0);
  assert.ok(count(heavyPos.predict(X)) > count(plain.predict(X)));
});

test('bad inputs raise SentivecError', () => {
  const X = csr([[1, 0], [0, 1], [1, 1]]);
  const fit = (y: number[]) => () => new LinearSVC().fit(X, y);
  assert.throws(fit([0, 1]), SentivecError); // length mismatch
  assert.throws(fit([0, 1, 2]), SentivecError); // not 0/1
  assert.throws(fit([-1, 1, 1]), SentivecError);
  assert.throws(fit([1, 1, 1]), SentivecError); // one class
  assert.throws(fit([0, Number.NaN, 1]), SentivecError);
  assert.throws(() => new LogisticRegression().fit(X, [0, 0, 0]), SentivecError);
  assert.throws(() => new LinearSVC({ C: 0 }), SentivecError);
  assert.throws(() => new LinearSVC({ tol: -1 }), SentivecError);
  assert.throws(() => new LinearSVC({ maxIter: 1.5 }), SentivecError);
  assert.throws(() => new LinearSVC().predict(X), SentivecError); // not fitted
  const m = new LinearSVC().fit(X, [0, 1, 1]);
  assert.throws(() => m.predict(csr([[1, 0, 0]])), SentivecError); // wrong column count
  assert.throws(() => stratifiedKFold([0, 1], 3, 1), SentivecError);
  assert.throws(() => accuracy([0, 1], [0]), SentivecError);
});

test('maxIter stops the solver and reports non-convergence', () => {
  const { X, y } = blobs(300, 10, 2, 4);
  const m = new LinearSVC({ C: 100, tol: 1e-10, maxIter: 2 }).fit(X, y);
  assert.equal(m.nIter, 2);
  assert.equal(m.converged, false);
});

/** Reference: plain gradient descent on the (smooth, strongly convex) LR primal. */
function lrByGradientDescent(rows: number[][], y: Uint8Array, C: number, iters: number): number[] {
  const xs = rows.map((r) => [...r, 1]); // bias feature of value 1
  const d = xs[0].length;
  const L = 1 + (C / 4) * xs.reduce((s, x) => s + x.reduce((t, v) => t + v * v, 0), 0);
  const w = new Array<number>(d).fill(0);
  for (let it = 0; it < iters; it++) {
    const g = [...w];
    xs.forEach((x, i) => {
      const s = y[i] ? 1 : -1;
      const m = s * dotRow(w, x);
      const c = (-C * s) / (1 + Math.exp(m));
      for (let j = 0; j < d; j++) g[j] += c * x[j];
    });
    for (let j = 0; j < d; j++) w[j] -= g[j] / L;
  }
  return w;
}

test('LogisticRegression matches a gradient-descent reference and its dual objective', () => {
  const { X, y, rows } = blobs(40, 3, 1.5, 21);
  const C = 0.7;
  const m = new LogisticRegression({ C, tol: 1e-10, maxIter: 10_000 }).fit(X, y);
  assert.ok(m.converged);
  const ref = lrByGradientDescent(rows, y, C, 20_000);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(m.coef[j] - ref[j]) < 1e-6, `w${j}: ${m.coef[j]} vs ${ref[j]}`);
  assert.ok(Math.abs(m.intercept - ref[3]) < 1e-6, `b: ${m.intercept} vs ${ref[3]}`);
  const wAll = [...m.coef, m.intercept];
  let primal = 0.5 * wAll.reduce((s, v) => s + v * v, 0);
  rows.forEach((x, i) => (primal += C * Math.log1p(Math.exp(-(y[i] ? 1 : -1) * (dotRow(m.coef, x) + m.intercept)))));
  assert.ok(Math.abs(primal + m.dualObjective) < 1e-6 * primal, `primal ${primal} vs dual ${-m.dualObjective}`);
});

test('LogisticRegression probabilities are in (0,1), equal σ(f) and increase with f', () => {
  const { X, y } = blobs(100, 4, 2, 2);
  const m = new LogisticRegression({ C: 1 }).fit(X, y);
  const f = m.decisionFunction(X);
  const p = m.predictProba(X);
  const order = Array.from(f.keys()).sort((a, b) => f[a] - f[b]);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    assert.ok(p[i] > 0 && p[i] < 1);
    assert.ok(Math.abs(p[i] - 1 / (1 + Math.exp(-f[i]))) < 1e-12);
    if (k > 0) assert.ok(p[i] >= p[order[k - 1]]);
  }
  const pred = m.predict(X);
  for (let i = 0; i < p.length; i++) assert.equal(pred[i], p[i] > 0.5 ? 1 : 0);
  // Extreme scores do not overflow to NaN.
  const far = new LogisticRegression({ C: 1 }).fit(X, y);
  far.coef = far.coef.map((c) => c * 1e6);
  for (const v of far.predictProba(X)) assert.ok(v >= 0 && v <= 1);
});

test('stratifiedKFold: balanced per class and per fold, deterministic for a seed', () => {
  const y = Array.from({ length: 60 }, (_, i) => (i < 37 ? 0 : 1));
  const k = 5;
  const a = stratifiedKFold(y, k, 42);
  assert.deepEqual(a, stratifiedKFold(y, k, 42));
  assert.notDeepEqual(a, stratifiedKFold(y, k, 43));
  const counts = Array.from({ length: k }, () => [0, 0]);
  a.forEach((f, i) => {
    assert.ok(f >= 0 && f < k);
    counts[f][y[i]]++;
  });
  for (const c of [0, 1]) {
    const per = counts.map((r) => r[c]);
    assert.ok(Math.max(...per) - Math.min(...per) <= 1, `class ${c}: ${per}`);
  }
  const sizes = counts.map((r) => r[0] + r[1]);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
});

test('takeRows selects rows in order; accuracy counts matches', () => {
  const X = csr([[1, 0, 2], [0, 3, 0], [4, 5, 6]]);
  const t = takeRows(X, [2, 0]);
  assert.equal(t.rows, 2);
  assert.deepEqual([...t.indptr], [0, 3, 5]);
  assert.deepEqual([...t.indices], [0, 1, 2, 0, 2]);
  assert.deepEqual([...t.data], [4, 5, 6, 1, 2]);
  assert.throws(() => takeRows(X, [3]), SentivecError);
  assert.equal(accuracy([1, 0, 1, 1], Uint8Array.from([1, 1, 1, 0])), 0.5);
});

test('selectC: picks a C that learns, breaks ties toward the smaller C, is deterministic', () => {
  const { X, y } = blobs(300, 6, 1.5, 17);
  const grid = [1e-6, 1e-2, 1, 100];
  const run = () => selectC((C) => new LinearSVC({ C, seed: 1 }), X, y, { grid, folds: 5, seed: 3 });
  const r = run();
  assert.deepEqual(r, run());
  assert.deepEqual(r.scores.map((s) => s.C), grid);
  assert.notEqual(r.C, 1e-6, `picked an underfitting C: ${JSON.stringify(r.scores)}`);
  const best = Math.max(...r.scores.map((s) => s.accuracy));
  assert.equal(r.scores.find((s) => s.C === r.C)?.accuracy, best);
  assert.ok(best > 0.85);
  // A model that ignores C ties everywhere: the smallest C wins.
  const constant = selectC(() => ({ fit: () => undefined, predict: (m: CsrMatrix) => new Uint8Array(m.rows) }), X, y, { grid: [10, 0.1, 1], folds: 3, seed: 1 });
  assert.equal(constant.C, 0.1);
});

test('LIBSVM text: 1-based indices, +1/-1 labels, exact values', () => {
  const X = csr([[0, 0.1, 0], [2, 0, 1 / 3]]);
  assert.equal(libsvmLines(X, [1, 0]), `+1 2:0.1\n-1 1:2 3:${1 / 3}\n`);
  assert.throws(() => libsvmLines(X, [1, 2]), SentivecError);
});

test('a seed must be an integer: 1.5 and NaN are errors, not other seeds in disguise', async () => {
  const { Lda } = await import('../src/models/baselines/lda.js');
  const { Lsa } = await import('../src/models/baselines/lsa.js');
  const { SentimentVectors } = await import('../src/models/embeddings/sentiment-vectors.js');
  for (const seed of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    const bad = (e: unknown): boolean => e instanceof SentivecError && /seed must be an integer/.test(e.message);
    assert.throws(() => new LinearSVC({ seed }), bad);
    assert.throws(() => new LogisticRegression({ seed }), bad);
    assert.throws(() => new Lda({ seed }), bad);
    assert.throws(() => new Lsa({ seed }), bad);
    assert.throws(() => new SentimentVectors({ seed }), bad);
    assert.throws(() => stratifiedKFold([0, 1, 0, 1], 2, seed), bad);
  }
});
