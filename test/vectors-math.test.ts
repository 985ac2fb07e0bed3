import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmNN, gemmNT, gemmTNAdd, softmaxRows } from '../src/models/vectors/kernels.js';
import { symmetricEigen } from '../src/models/vectors/preconditioner.js';
import { prepareData, plainAlloc } from '../src/models/vectors/data.js';
import { evaluateObjective, objectiveGradient, type Hyperparameters, type ModelParams } from '../src/models/vectors/objective.js';
import { createWorkspace, solveTheta } from '../src/models/vectors/theta.js';
import { ShardPool } from '../src/models/vectors/pool.js';
import type { TokenizedDocs } from '../src/text/documents.js';
import { Rng } from '../src/util/rng.js';

const randn = (rng: Rng, n: number, scale = 1): Float64Array => Float64Array.from({ length: n }, () => scale * rng.normal());

test('gemm kernels match naive products, including ragged edges and tiles', () => {
  const rng = new Rng(3);
  for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [3, 130, 50], [64, 301, 50], [4, 9, 600]]) {
    const a = randn(rng, m * k);
    const bt = randn(rng, n * k);
    const c = new Float64Array(m * n);
    gemmNT(m, n, k, a, bt, c);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * bt[j * k + p];
      assert.ok(Math.abs(c[i * n + j] - s) < 1e-10, `gemmNT ${m}×${n}×${k} at ${i},${j}`);
    }
    const b = randn(rng, k * n);
    gemmNN(m, n, k, a, b, c);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      assert.ok(Math.abs(c[i * n + j] - s) < 1e-10, `gemmNN ${m}×${n}×${k} at ${i},${j}`);
    }
    // C (m×n) += Aᵀ B with A stored k×m.
    const at = randn(rng, k * m);
    const acc = randn(rng, m * n);
    const before = Float64Array.from(acc);
    gemmTNAdd(m, n, k, at, b, acc);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = before[i * n + j];
      for (let p = 0; p < k; p++) s += at[p * m + i] * b[p * n + j];
      assert.ok(Math.abs(acc[i * n + j] - s) < 1e-10, `gemmTNAdd ${m}×${n}×${k} at ${i},${j}`);
    }
  }
});

test('softmaxRows normalises rows of S + bias and returns log-sum-exp, even for huge scores', () => {
  const s = Float64Array.from([1, 2, 3, 1000, 1001, 999]);
  const bias = Float64Array.from([0, -1, 0.5]);
  const lse = new Float64Array(2);
  softmaxRows(2, 3, s, bias, lse);
  const ref = (row: number[]): number => {
    const mx = Math.max(...row);
    return mx + Math.log(row.reduce((t, x) => t + Math.exp(x - mx), 0));
  };
  const r0 = [1, 1, 3.5];
  const r1 = [1000, 1000, 999.5];
  assert.ok(Math.abs(lse[0] - ref(r0)) < 1e-12);
  assert.ok(Math.abs(lse[1] - ref(r1)) < 1e-12);
  for (let j = 0; j < 3; j++) {
    assert.ok(Math.abs(s[j] - Math.exp(r0[j] - lse[0])) < 1e-12);
    assert.ok(Math.abs(s[3 + j] - Math.exp(r1[j] - lse[1])) < 1e-12);
  }
});

test('symmetricEigen reconstructs a symmetric matrix', () => {
  const n = 12;
  const rng = new Rng(5);
  const x = randn(rng, n * n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let p = 0; p < n; p++) a[i * n + j] += x[p * n + i] * x[p * n + j];
  const vec = new Float64Array(n * n);
  const val = new Float64Array(n);
  symmetricEigen(a, n, vec, val);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let e = 0; e < n; e++) s += val[e] * vec[e * n + i] * vec[e * n + j];
    assert.ok(Math.abs(s - a[i * n + j]) < 1e-9 * (1 + Math.abs(a[i * n + j])), `entry ${i},${j}`);
  }
});

/** Random documents over a tiny vocabulary; ratings cycle through 0 (unlabeled), 2, 9, 4, 7, 10. */
function tinyCorpus(docs: number, vocab: number, seed: number): { docs: TokenizedDocs; stars: Float64Array } {
  const rng = new Rng(seed);
  const offsets = new Int32Array(docs + 1);
  const tokens: number[] = [];
  for (let d = 0; d < docs; d++) {
    const len = d === 3 ? 0 : 3 + rng.int(15);
    for (let i = 0; i < len; i++) tokens.push(Math.min(vocab - 1, Math.floor(vocab * rng.next() * rng.next() * 1.6)));
    offsets[d + 1] = tokens.length;
  }
  const cycle = [0, 2, 9, 4, 7, 10];
  const stars = Float64Array.from({ length: docs }, (_, d) => cycle[d % cycle.length]);
  return { docs: { count: docs, offsets, tokens: Int32Array.from(tokens) }, stars };
}

function randomParams(dim: number, vocab: number, rng: Rng): ModelParams {
  return { dim, w: randn(rng, vocab * dim, 0.4), b: randn(rng, vocab, 0.5), psi: randn(rng, dim, 0.7), bc: 0.3 };
}

/** Central differences of F along single coordinates of each parameter group vs the analytic gradient. */
function checkGradients(hyper: Hyperparameters): void {
  const dim = 4;
  const V = 11;
  const rng = new Rng(11);
  const corpus = tinyCorpus(14, V, 2);
  const data = prepareData(corpus.docs, corpus.stars, V);
  const params = randomParams(dim, V, rng);
  const theta = randn(rng, data.docCount * dim, 0.6);
  const g = objectiveGradient(params, data, theta, hyper);
  const h = 1e-5;
  const f = (p: ModelParams, th: Float64Array): number => evaluateObjective(p, data, th, hyper).total;
  const check = (name: string, analytic: number, plus: number, minus: number): void => {
    const fd = (plus - minus) / (2 * h);
    assert.ok(Math.abs(fd - analytic) <= 1e-6 * Math.max(1, Math.abs(fd)), `${name}: finite difference ${fd}, analytic ${analytic}`);
  };
  const bump = (a: Float64Array, i: number, d: number): Float64Array => {
    const c = Float64Array.from(a);
    c[i] += d;
    return c;
  };
  for (let i = 0; i < theta.length; i += 3) check(`∂F/∂θ[${i}]`, g.theta[i], f(params, bump(theta, i, h)), f(params, bump(theta, i, -h)));
  for (let i = 0; i < params.w.length; i += 2) {
    check(`∂F/∂R[${i}]`, g.w[i], f({ ...params, w: bump(params.w, i, h) }, theta), f({ ...params, w: bump(params.w, i, -h) }, theta));
  }
  for (let i = 0; i < V; i++) check(`∂F/∂b[${i}]`, g.b[i], f({ ...params, b: bump(params.b, i, h) }, theta), f({ ...params, b: bump(params.b, i, -h) }, theta));
  for (let i = 0; i < dim; i++) {
    check(`∂F/∂ψ[${i}]`, g.psi[i], f({ ...params, psi: bump(params.psi, i, h) }, theta), f({ ...params, psi: bump(params.psi, i, -h) }, theta));
  }
  check('∂F/∂b_c', g.bc, f({ ...params, bc: params.bc + h }, theta), f({ ...params, bc: params.bc - h }, theta));
}

test('gradient of the semantic objective matches finite differences (θ, R, b)', () => {
  checkGradients({ lambda: 0.3, nu: 0, sentimentWeight: 0 });
});

test('gradient of the full objective matches finite differences (θ, R, b, ψ, b_c, with ν and a heavy sentiment term)', () => {
  checkGradients({ lambda: 0.3, nu: 0.2, sentimentWeight: 40 });
});

test('the sentiment term weights each labeled document by 1/|S_k| and ignores unlabeled ones', () => {
  // Two negative (2★: s = 1/9), one positive (10★: s = 1), one unlabeled; one token each.
  const docs: TokenizedDocs = { count: 4, offsets: Int32Array.from([0, 1, 2, 3, 4]), tokens: Int32Array.from([0, 0, 1, 1]) };
  const data = prepareData(docs, [2, 2, 10, 0], 2);
  assert.deepEqual(Array.from(data.sentA), [1, 1]);
  assert.ok(Math.abs(data.sentB[0] - 1 / 9) < 1e-15);
  assert.equal(data.sentB[1], 1);
  assert.equal(data.labeledCount, 3);
  // With ψ = 0, b_c = 0 every p(s | w) is 1/2: the term is Σ_w A_w log ½.
  const params: ModelParams = { dim: 1, w: new Float64Array(2), b: new Float64Array(2), psi: new Float64Array(1), bc: 0 };
  const v = evaluateObjective(params, data, new Float64Array(4), { lambda: 1, nu: 0, sentimentWeight: 1 });
  assert.ok(Math.abs(v.sentiment - 2 * Math.log(0.5)) < 1e-12);
});

test('θ̂ from the θ solver is the per-document optimum: zero gradient, and perturbations lower F', () => {
  const dim = 5;
  const V = 25;
  const rng = new Rng(21);
  const corpus = tinyCorpus(30, V, 4);
  const data = prepareData(corpus.docs, corpus.stars, V);
  const params = randomParams(dim, V, rng);
  const hyper = { lambda: 0.1, nu: 0, sentimentWeight: 0 };
  const ws = createWorkspace(data, dim, hyper.lambda, Float64Array.from(params.w), Float64Array.from(params.b), plainAlloc);
  const pool = new ShardPool(ws, 1);
  const solved = solveTheta(ws, pool, data, { maxPasses: 300, gradientTol: 1e-10 });
  pool.close();
  assert.ok(solved.passes < 300, `θ solver did not converge (max gradient ${solved.maxGradient})`);
  const theta = Float64Array.from(ws.theta);
  const g = objectiveGradient(params, data, theta, hyper);
  let maxG = 0;
  for (const x of g.theta) maxG = Math.max(maxG, Math.abs(x));
  assert.ok(maxG < 1e-8, `‖∂F/∂θ‖∞ = ${maxG}`);
  const f0 = evaluateObjective(params, data, theta, hyper).total;
  assert.ok(Math.abs(f0 - solved.value) < 1e-9 * Math.abs(f0));
  for (let trial = 0; trial < 20; trial++) {
    const t = Float64Array.from(theta);
    const d = rng.int(data.docCount);
    for (let j = 0; j < dim; j++) t[d * dim + j] += 1e-3 * rng.normal();
    assert.ok(evaluateObjective(params, data, t, hyper).total < f0, `perturbing θ of document ${d} raised F`);
  }
});
