import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { NbRatios } from '../src/features/nb-ratios.js';
import { NbTrainable, NbTrainableState } from '../src/models/classifiers/nb-trainable.js';
import { gridCrossValidate } from '../src/models/classifiers/grid-cv.js';
import { Rng } from '../src/util/rng.js';

/** Random binary rows: features 0..9 lean positive, 10..19 negative, 20..cols noise. */
function toy(n: number, cols: number, seed: number): { X: CsrMatrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const indptr = [0];
  const indices: number[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const set = new Set<number>();
    for (let k = 0; k < 4; k++) set.add((y[i] === 1 ? 0 : 10) + rng.int(10));
    for (let k = 0; k < 8; k++) set.add(20 + rng.int(cols - 20));
    // A little label noise in the features: one word of the other side.
    if (rng.next() < 0.3) set.add((y[i] === 1 ? 10 : 0) + rng.int(10));
    indices.push(...[...set].sort((a, b) => a - b));
    indptr.push(indices.length);
  }
  return { X: { rows: n, cols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: new Float64Array(indices.length).fill(1) }, y };
}

test('NBSVM++: the gradient of the logistic loss in w, r and b matches central finite differences', () => {
  const { X, y } = toy(30, 40, 3);
  const rng = new Rng(9);
  const p = new NbTrainableState(Float64Array.from({ length: 40 }, () => rng.normal()), Float64Array.from({ length: 40 }, () => 2 * rng.normal()));
  p.b = 0.3;
  const rows = Int32Array.from({ length: 30 }, (_, i) => i);
  p.addGradient(X, y, rows);
  const h = 1e-6;
  const numeric = (nudge: (d: number) => void): number => {
    nudge(h);
    const up = p.loss(X, y, rows);
    nudge(-2 * h);
    const down = p.loss(X, y, rows);
    nudge(h);
    return (up - down) / (2 * h);
  };
  let checked = 0;
  for (let j = 0; j < 40; j++) {
    const [gw, gr] = p.gradient(j);
    const dw = numeric((d) => p.set(j, p.w(j) + d, p.r(j)));
    const dr = numeric((d) => p.set(j, p.w(j), p.r(j) + d));
    assert.ok(Math.abs(dw - gw) < 1e-7, `w[${j}]: analytic ${gw}, numeric ${dw}`);
    assert.ok(Math.abs(dr - gr) < 1e-7, `r[${j}]: analytic ${gr}, numeric ${dr}`);
    if (gw !== 0) checked++;
  }
  assert.ok(checked > 30, 'most columns carry a gradient');
  const db = numeric((d) => (p.b += d));
  assert.ok(Math.abs(db - p.gb) < 1e-7, `b: analytic ${p.gb}, numeric ${db}`);
  // Touched columns listed once each: exactly the columns present in the rows.
  const present = new Set(X.indices);
  assert.deepEqual(new Set(p.touched.subarray(0, p.count)), present);
  assert.equal(p.count, present.size);
  // An Adam step moves every touched column against its gradient's sign (the first step is ±rate exactly) and clears the sums.
  const j0 = p.touched[0];
  const [gw0] = p.gradient(j0);
  const w0 = p.w(j0);
  p.adamStep(0.01, 1);
  assert.ok(Math.abs(p.w(j0) - (w0 - 0.01 * Math.sign(gw0))) < 1e-6, `w moved ${p.w(j0) - w0}`);
  assert.deepEqual(p.gradient(j0), [0, 0]);
  assert.equal(p.count, 0);
});

test('NBSVM++: training lowers the loss below its NB start, generalizes to held-out rows, its weights decompose the score, is deterministic with a seed, and validates its options', () => {
  const train = toy(600, 200, 1);
  const held = toy(400, 200, 2);
  const accuracy = (pred: Uint8Array, y: Uint8Array): number => pred.reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / y.length;
  const m = new NbTrainable({ epochs: 3, seed: 4 }).fit(train.X, train.y);
  assert.ok(accuracy(m.predict(held.X), held.y) > 0.9, `held-out accuracy ${accuracy(m.predict(held.X), held.y)}`);
  // The start: w = 0 gives 0.04·r (a = 0.4, s = 10), b = 0. Training must lower the training loss below it.
  const r = NbRatios.fit(train.X, train.y, { alpha: 1 }).ratios(1);
  const rows = Int32Array.from({ length: 600 }, (_, i) => i);
  const start = new NbTrainableState(new Float64Array(200), r).loss(train.X, train.y, rows);
  const weights = m.featureWeights();
  // featureWeights is the score's decomposition: Σ present weights + intercept = decision value.
  const d = m.decisionFunction(train.X);
  let s0 = m.intercept;
  for (let q = train.X.indptr[0]; q < train.X.indptr[1]; q++) s0 += weights[train.X.indices[q]];
  assert.ok(Math.abs(s0 - d[0]) < 1e-9);
  const trained = Array.from(d).reduce((s, z, i) => s + Math.log1p(Math.exp(-(train.y[i] === 1 ? 1 : -1) * z)), 0) / 600;
  assert.ok(trained < start, `trained loss ${trained} vs NB start ${start}`);
  // Same seed, same weights, bit for bit; another seed, other weights.
  assert.deepEqual(new NbTrainable({ epochs: 3, seed: 4 }).fit(train.X, train.y).featureWeights(), weights);
  assert.notDeepEqual(new NbTrainable({ epochs: 3, seed: 5 }).fit(train.X, train.y).featureWeights(), weights);
  assert.throws(() => new NbTrainable({ lr: 0 }), /option lr must be a positive number/);
  assert.throws(() => new NbTrainable({ epochs: 0 }), /option epochs must be a positive integer/);
  assert.throws(() => new NbTrainable().decisionFunction(train.X), /call fit\(\) before predicting/);
  assert.throws(() => m.decisionFunction(toy(5, 30, 1).X), /200 features but the matrix has 30 columns/);
});

test('grid cross-validation: out-of-fold values land on their rows, accuracy is pooled, ties go to the earlier point', () => {
  const { X, y } = toy(100, 40, 6);
  // Point 0 says "positive" everywhere, point 1 the row's label from feature 0..9 presence (a perfect-ish rule), point 2 the same rule again.
  const rule = (x: CsrMatrix): Float64Array => Float64Array.from({ length: x.rows }, (_, i) => {
    for (let q = x.indptr[i]; q < x.indptr[i + 1]; q++) if (x.indices[q] < 10) return 1;
    return -1;
  });
  const cv = gridCrossValidate(X, y, 3, { folds: 4, seed: 1 }, ({ xEval }) => [new Float64Array(xEval.rows).fill(1), rule(xEval), rule(xEval)]);
  assert.equal(cv.accuracy[0], 0.5);
  assert.ok(cv.accuracy[1] > 0.75, `rule accuracy ${cv.accuracy[1]}`);
  assert.equal(cv.accuracy[1], cv.accuracy[2]);
  assert.equal(cv.best, 1);
  assert.deepEqual(Array.from(cv.oof[1]), Array.from(rule(X)));
  assert.throws(() => gridCrossValidate(X, y, 2, { folds: 4, seed: 1 }, () => [new Float64Array(1)]), /scored 1 grid points, expected 2/);
});
