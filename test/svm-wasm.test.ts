import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { LinearSVC, type LinearSvcOptions } from '../src/models/classifiers/svm.js';
import { rowAxpy, rowDot, solverRows } from '../src/models/classifiers/sparse-rows.js';
import { svmWasmAvailable } from '../src/models/classifiers/svm-wasm.js';
import { SentivecError } from '../src/util/errors.js';
import { Rng } from '../src/util/rng.js';

/**
 * Rows of `nnz` ± a few random columns among `cols` (column ids ≥ `offset`),
 * after an optional dense block of `dense` values in columns 0..dense−1.
 * `values`: 'binary' gives cosine-normalized 0/1 rows (all of a row after the
 * dense block is one equal-valued tail); 'idf' unequal values.
 */
function problem(opts: { rows: number; cols: number; nnz: number; dense?: number; values: 'binary' | 'idf'; seed: number; emptyRows?: boolean }): { X: CsrMatrix; y: Uint8Array } {
  const rng = new Rng(opts.seed);
  const dense = opts.dense ?? 0;
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  const y = new Uint8Array(opts.rows);
  const signal = Float64Array.from({ length: opts.cols }, () => rng.normal());
  for (let i = 0; i < opts.rows; i++) {
    const row = new Map<number, number>();
    for (let j = 0; j < dense; j++) row.set(j, Math.fround(rng.normal()));
    const n = (opts.emptyRows && i % 7 === 3) || opts.nnz === 0 ? 0 : opts.nnz + rng.int(5);
    while (row.size < dense + n) {
      const c = dense + rng.int(opts.cols - dense);
      row.set(c, opts.values === 'binary' ? 1 : 1 + rng.int(9) / 3);
    }
    const cols = [...row.keys()].sort((a, b) => a - b);
    let norm = 0;
    for (const c of cols) if (c >= dense) norm += row.get(c)! ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    let score = 0;
    for (const c of cols) {
      const v = c < dense ? row.get(c)! : row.get(c)! * inv;
      indices.push(c);
      data.push(v);
      score += v * signal[c];
    }
    indptr.push(indices.length);
    y[i] = score + 0.5 * rng.normal() > 0 ? 1 : 0;
  }
  y[0] = 0;
  y[1] = 1;
  return { X: { rows: opts.rows, cols: opts.cols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) }, y };
}

const shapes = {
  'bnc-like (all tail)': problem({ rows: 300, cols: 400, nnz: 20, values: 'binary', seed: 1 }),
  'idf-like (unequal values), some empty rows': problem({ rows: 300, cols: 400, nnz: 20, values: 'idf', seed: 2, emptyRows: true }),
  '[z | bnc] (dense block + tail)': problem({ rows: 300, cols: 450, nnz: 20, dense: 50, values: 'binary', seed: 3 }),
  'dense only, 7 columns': problem({ rows: 300, cols: 7, nnz: 0, dense: 7, values: 'binary', seed: 4 }),
  'wide column indices (> 65536 columns)': problem({ rows: 200, cols: 70_000, nnz: 30, values: 'idf', seed: 5 }),
};

test('the WebAssembly solver loads after npm run build', () => {
  assert.equal(svmWasmAvailable(), true);
});

for (const [name, { X, y }] of Object.entries(shapes)) {
  test(`LinearSVC kernel wasm and js give the same model bit for bit: ${name}`, () => {
    const settings: LinearSvcOptions[] = [
      { C: 0.5, loss: 'l2' },
      { C: 2, loss: 'l1' },
      { C: 0.1, loss: 'l2', bias: 0, seed: 7 },
      { C: 1, loss: 'l1', shrinking: false, classWeight: { 0: 1, 1: 3 } },
      { C: 100, loss: 'l2', tol: 1e-9, maxIter: 5 },
    ];
    for (const opts of settings) {
      const js = new LinearSVC({ ...opts, kernels: 'js' }).fit(X, y);
      const wasm = new LinearSVC({ ...opts, kernels: 'wasm' }).fit(X, y);
      const what = JSON.stringify(opts);
      assert.equal(wasm.nIter, js.nIter, what);
      assert.equal(wasm.converged, js.converged, what);
      assert.deepEqual(wasm.coef, js.coef, what);
      assert.deepEqual(wasm.alpha, js.alpha, what);
      assert.equal(wasm.intercept, js.intercept, what);
      assert.equal(wasm.dualObjective, js.dualObjective, what);
    }
  });
}

test('solverRows: the dense prefix is the shared run of columns 0, 1, … rounded down to 4, and reading it without indices changes no bit', () => {
  const { X } = shapes['[z | bnc] (dense block + tail)'];
  const rows = solverRows(X);
  assert.equal(rows.dense, 48);
  assert.equal(solverRows(shapes['dense only, 7 columns'].X).dense, 4);
  assert.equal(solverRows(shapes['idf-like (unequal values), some empty rows'].X).dense, 0);
  const gathered = { ...rows, dense: 0 };
  const rng = new Rng(11);
  const w = Float64Array.from({ length: X.cols }, () => rng.normal());
  for (let i = 0; i < X.rows; i++) assert.equal(rowDot(rows, w, i), rowDot(gathered, w, i));
  const w1 = Float64Array.from(w);
  const w2 = Float64Array.from(w);
  for (let i = 0; i < X.rows; i++) {
    rowAxpy(rows, 0.25 - i / X.rows, w1, i);
    rowAxpy(gathered, 0.25 - i / X.rows, w2, i);
  }
  assert.deepEqual(w1, w2);
});

test('LinearSVC rejects column indices outside [0, cols) and unknown kernels', () => {
  const { X, y } = shapes['bnc-like (all tail)'];
  for (const kernels of ['js', 'wasm'] as const) {
    const tooBig = Int32Array.from(X.indices);
    tooBig[5] = X.cols;
    assert.throws(() => new LinearSVC({ kernels }).fit({ ...X, indices: tooBig }, y), SentivecError);
    const negative = Int32Array.from(X.indices);
    negative[7] = -1;
    assert.throws(() => new LinearSVC({ kernels }).fit({ ...X, indices: negative }, y), SentivecError);
  }
  assert.throws(() => new LinearSVC({ kernels: 'gpu' as 'js' }), SentivecError);
});
