/**
 * The C path's warm start (LogisticRegression.fitFrom, used by chooseLogisticC):
 * starting from a fit at another C reaches the same optimum as a cold fit,
 * and a large C needs fewer passes than from scratch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { chooseLogisticC } from '../src/models/classifiers/choose-c.js';
import { Rng } from '../src/util/rng.js';

/** Sparse bag-like rows: a few informative columns among many noise columns (text-shaped, nearly separable). */
function sparseRows(n: number, cols: number, seed: number): { X: CsrMatrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const picked = new Set<number>();
    for (let k = 0; k < 12; k++) picked.add(rng.next() < 0.3 ? (y[i] ? 0 : 1) * 5 + rng.int(5) : 10 + rng.int(cols - 10));
    for (const j of [...picked].sort((a, b) => a - b)) {
      indices.push(j);
      data.push(1);
    }
    indptr.push(indices.length);
  }
  return { X: { rows: n, cols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) }, y };
}

test('fitFrom: the same optimum as a cold fit, in fewer passes at a large C', () => {
  const { X, y } = sparseRows(400, 300, 5);
  const tol = 1e-6;
  const small = new LogisticRegression({ C: 1, tol, maxIter: 100_000 }).fit(X, y);
  const cold = new LogisticRegression({ C: 30, tol, maxIter: 100_000 }).fit(X, y);
  const warm = new LogisticRegression({ C: 30, tol, maxIter: 100_000 }).fitFrom(X, y, small);
  assert.ok(cold.converged && warm.converged);
  // Both are within the tolerance of the one optimum: the dual objectives agree closely, and so do the weights.
  assert.ok(Math.abs(cold.dualObjective - warm.dualObjective) < 1e-6 * Math.abs(cold.dualObjective), `${cold.dualObjective} vs ${warm.dualObjective}`);
  let maxDiff = 0;
  for (let j = 0; j < X.cols; j++) maxDiff = Math.max(maxDiff, Math.abs(cold.coef[j] - warm.coef[j]));
  assert.ok(maxDiff < 1e-3, `largest weight difference ${maxDiff}`);
  assert.ok(warm.nIter < cold.nIter, `warm ${warm.nIter} passes vs cold ${cold.nIter}`);
  // A warm start from other rows is a mistake, not a silent wrong answer.
  assert.throws(() => new LogisticRegression({ C: 3 }).fitFrom(X, y, { C: 1, alpha: new Float64Array(3) }));
});

test('chooseLogisticC with warm starts: the same choice and scores for the same seed, and a C that learns', () => {
  const { X, y } = sparseRows(300, 200, 7);
  const a = chooseLogisticC(X, y, { grid: [0.03, 0.1, 0.3, 1, 3, 10, 30], folds: 5, seed: 1 });
  const b = chooseLogisticC(X, y, { grid: [0.03, 0.1, 0.3, 1, 3, 10, 30], folds: 5, seed: 1 });
  assert.deepEqual(a, b);
  const best = a.scores.find((s) => s.C === a.C);
  assert.ok(best && best.accuracy > 0.6, `accuracy at the chosen C: ${best?.accuracy}`);
});
