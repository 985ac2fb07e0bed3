import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { takeRows } from '../src/features/matrix.js';
import { bdc, deltaIdf } from '../src/features/smart.js';
import { LinearSVC } from '../src/models/classifiers/svm.js';
import { fixedFeatures, selectC, type EstimatorSpec, type SplitFeaturizer } from '../src/models/classifiers/model-selection.js';
import { selectSvmC } from '../src/eval/reproduce.js';
import { SentivecError } from '../src/util/errors.js';
import { Rng } from '../src/util/rng.js';

/** Sparse word counts where a few "sentiment" columns lean toward one class, plus noise columns. */
function randomCounts(n: number, cols: number, seed: number): { X: CsrMatrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const y = new Uint8Array(n);
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(2);
    for (let j = 0; j < cols; j++) {
      const lean = j < 10 ? (y[i] === (j % 2) ? 0.25 : 0.05) : 0.08;
      if (rng.next() < lean) {
        indices.push(j);
        data.push(1 + rng.int(3));
      }
    }
    indptr[i + 1] = indices.length;
  }
  return { X: { rows: n, cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) }, y };
}

const grid = [0.001, 0.01, 0.1, 1, 10];
const svc: EstimatorSpec = { kind: 'linear-svc', options: { seed: 5 } };

test('parallel selectC: scores and C equal the sequential loop for fixed features, any thread count', () => {
  const { X, y } = randomCounts(400, 60, 1);
  const opts = { grid, folds: 5, seed: 3 };
  const sequential = selectC((C) => new LinearSVC({ C, seed: 5 }), X, y, opts);
  // The data must separate the grid values, or equality would be trivial.
  assert.ok(new Set(sequential.scores.map((s) => s.accuracy)).size >= 3, JSON.stringify(sequential.scores));
  assert.ok(Math.max(...sequential.scores.map((s) => s.accuracy)) > 0.7);
  for (const threads of [1, 2, 3]) assert.deepEqual(selectC(svc, X, y, { ...opts, threads }), sequential, `threads=${threads}`);
  assert.deepEqual(selectC(svc, fixedFeatures(X), y, { ...opts, threads: 2 }), sequential);
  // More threads than (fold, C) fits.
  assert.deepEqual(selectC(svc, X, y, { grid: [0.1], folds: 2, seed: 3, threads: 4 }), selectC(svc, X, y, { grid: [0.1], folds: 2, seed: 3, threads: 1 }));
});

test('parallel selectC: equal to sequential with a featurizer refitted per fold (delta-idf), SVM and logistic', () => {
  const { X, y } = randomCounts(300, 80, 2);
  let calls = 0;
  const featurize: SplitFeaturizer = (tr, ev) => {
    calls++;
    const xTr = takeRows(X, tr);
    const idf = deltaIdf(xTr, Uint8Array.from(tr, (i) => y[i]));
    return { train: bdc(xTr, idf), eval: bdc(takeRows(X, ev), idf) };
  };
  const opts = { grid, folds: 4, seed: 9 };
  const sequential = selectC((C) => new LinearSVC({ C, seed: 5 }), featurize, y, opts);
  assert.ok(new Set(sequential.scores.map((s) => s.accuracy)).size >= 2, JSON.stringify(sequential.scores));
  calls = 0;
  assert.deepEqual(selectC(svc, featurize, y, { ...opts, threads: 2 }), sequential);
  assert.equal(calls, 4, 'the featurizer runs once per fold');
  const logistic: EstimatorSpec = { kind: 'logistic', options: { seed: 2, tol: 0.01 } };
  assert.deepEqual(selectC(logistic, featurize, y, { ...opts, threads: 2 }), selectC(logistic, featurize, y, { ...opts, threads: 1 }));
});

test('selectSvmC: the grid extension gives the same selection on 1 and 2 threads', () => {
  const { X, y } = randomCounts(250, 40, 4);
  const fixed: SplitFeaturizer = (tr, ev) => ({ train: takeRows(X, tr), eval: takeRows(X, ev) });
  const opts = { seed: 1, folds: 3, cGrid: [1e-4, 3e-4] };
  const one = selectSvmC(fixed, y, { ...opts, threads: 1 });
  assert.ok(one.scores.length > 2, 'an edge C extended the grid');
  assert.deepEqual(selectSvmC(fixed, y, { ...opts, threads: 2 }), one);
});

test('selectSvmC extends an edge one value at a time and stops at the first that does not win', () => {
  const { X, y } = randomCounts(250, 40, 4);
  const fixed: SplitFeaturizer = (tr, ev) => ({ train: takeRows(X, tr), eval: takeRows(X, ev) });
  let extended = 0;
  for (const cGrid of [[1e-4, 3e-4], [30, 100], [1e-3, 1e-2, 0.1, 1, 10]]) {
    const sel = selectSvmC(fixed, y, { seed: 1, folds: 3, cGrid, threads: 1 });
    assert.deepEqual(sel.scores.slice(0, cGrid.length).map((s) => s.C), cGrid);
    let best = sel.scores.slice(0, cGrid.length).reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    const extra = sel.scores.slice(cGrid.length);
    extra.forEach((s, i) => {
      const wins = s.accuracy > best.accuracy;
      // Only the last value tried may lose (and must, unless the 3 rounds ran out).
      if (i < extra.length - 1) assert.ok(wins, `${s.C} lost but the extension went on: ${JSON.stringify(sel.scores)}`);
      if (wins) best = s;
    });
    if (extra.length > 0 && extra.length < 6) assert.ok(extra[extra.length - 1].C !== sel.C, 'stopped at a value that won');
    assert.equal(sel.C, best.C);
    extended += extra.length > 0 ? 1 : 0;
  }
  assert.ok(extended >= 2, 'the grids above reach their edges');
});

test('parallel selectC: errors in a worker, the featurizer or the options surface as clear errors', () => {
  const { X, y } = randomCounts(120, 20, 3);
  const bad = Uint8Array.from(y, (v, i) => (i === 7 ? 2 : v));
  const opts = { grid: [0.1, 1], folds: 3, seed: 1 };
  const message = (threads: number): string => {
    try {
      selectC(svc, X, bad, { ...opts, threads });
    } catch (e) {
      assert.ok(e instanceof SentivecError, String(e));
      return e.message;
    }
    assert.fail('bad labels were accepted');
  };
  assert.match(message(2), /labels must be 0 or 1; row \d+ has 2/);
  assert.equal(message(2), message(1));
  const failing: SplitFeaturizer = (tr) => {
    if (tr.length > 0) throw new SentivecError('featurizer broke');
    return { train: X, eval: X };
  };
  assert.throws(() => selectC(svc, failing, y, { ...opts, threads: 2 }), /featurizer broke/);
  assert.throws(() => selectC({ kind: 'linear-svc', options: { tol: -1 } }, X, y, { ...opts, threads: 2 }), /tol must be a positive number/);
  assert.throws(() => selectC(svc, X, y, { ...opts, threads: 0 }), /threads must be a positive integer/);
  // The failed calls left nothing behind that breaks the next one.
  assert.deepEqual(selectC(svc, X, y, { ...opts, threads: 2 }), selectC(svc, X, y, { ...opts, threads: 1 }));
});
