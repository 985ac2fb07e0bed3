import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigen } from '../src/models/embeddings/preconditioner.js';
import { prepareData, plainAlloc } from '../src/models/embeddings/data.js';
import { evaluateObjective, objectiveGradient, type Hyperparameters, type ModelParams } from '../src/models/embeddings/objective.js';
import { createWorkspace, solveTheta } from '../src/models/embeddings/theta.js';
import { ShardPool } from '../src/models/embeddings/pool.js';
import type { TokenizedDocs } from '../src/text/documents.js';
import { Rng } from '../src/util/rng.js';

const randn = (rng: Rng, n: number, scale = 1): Float64Array => Float64Array.from({ length: n }, () => scale * rng.normal());

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

function randomParams(dim: number, vocab: number, rng: Rng): ModelParams & { bc: number } {
  return { dim, w: randn(rng, vocab * dim, 0.4), b: randn(rng, vocab, 0.5), psi: randn(rng, dim, 0.7), bc: 0.3 };
}

/**
 * Central differences of F along single coordinates of each parameter group
 * vs the analytic gradient, on the float64 reference kernels (js64): float32
 * scores make F ragged at 1e-8 relative, too coarse for differences with
 * h = 1e-5. The float32 kernels are held to js64 by the test after these.
 */
function checkGradients(hyper: Hyperparameters): void {
  const dim = 4;
  const V = 11;
  const rng = new Rng(11);
  const corpus = tinyCorpus(14, V, 2);
  const data = prepareData(corpus.docs, corpus.stars, V);
  const params = randomParams(dim, V, rng);
  const theta = randn(rng, data.docCount * dim, 0.6);
  const g = objectiveGradient(params, data, theta, hyper, 'js64');
  const h = 1e-5;
  const f = (p: ModelParams, th: Float64Array): number => evaluateObjective(p, data, th, hyper, 'js64').total;
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

for (const kind of ['wasm-fma', 'wasm', 'js'] as const) {
  test(`${kind} (float32) kernels give the float64 objective and gradient to float32 accuracy`, () => {
    const dim = 6;
    const V = 37;
    const rng = new Rng(12);
    const corpus = tinyCorpus(150, V, 3);
    const data = prepareData(corpus.docs, corpus.stars, V);
    const params = randomParams(dim, V, rng);
    const theta = randn(rng, data.docCount * dim, 0.6);
    const hyper = { lambda: 0.3, nu: 0.2, sentimentWeight: 40 };
    const ref = objectiveGradient(params, data, theta, hyper, 'js64');
    const got = objectiveGradient(params, data, theta, hyper, kind);
    // Scores carry float32 rounding (~1e-7 relative), which mostly cancels in
    // F (float64 sums); gradients are float32 products. Measured: F 2e-11,
    // gradients 2e-7 of their largest entry.
    assert.ok(Math.abs(got.total - ref.total) <= 1e-8 * Math.abs(ref.total), `F ${got.total} vs ${ref.total}`);
    assert.ok(Math.abs(got.semantic - ref.semantic) <= 1e-8 * Math.abs(ref.semantic));
    const close = (name: string, a: Float64Array, b: Float64Array): void => {
      let scale = 0;
      for (const x of b) scale = Math.max(scale, Math.abs(x));
      for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 2e-6 * scale, `${name}[${i}]: ${a[i]} vs ${b[i]} (scale ${scale})`);
    };
    close('∂F/∂θ', got.theta, ref.theta);
    close('∂F/∂R', got.w, ref.w);
    close('∂F/∂b', got.b, ref.b);
    close('∂F/∂ψ', got.psi, ref.psi);
  });
}

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

/**
 * Float32 kernels put a floor under ‖∂L/∂θ‖/N near 1e-7 (scores rounded at
 * ~6e-8), so they are asked for 1e-6 instead of js64's 1e-10, and their θ̂
 * must match the float64 one to 1e-5.
 */
for (const [kind, tol] of [['js64', 1e-10], ['wasm-fma', 1e-6], ['wasm', 1e-6], ['js', 1e-6]] as const) {
  test(`${kind}: θ̂ from the θ solver is the per-document optimum: zero gradient, and perturbations lower F`, () => {
    const dim = 5;
    const V = 25;
    const rng = new Rng(21);
    const corpus = tinyCorpus(30, V, 4);
    const data = prepareData(corpus.docs, corpus.stars, V);
    const params = randomParams(dim, V, rng);
    const hyper = { lambda: 0.1, nu: 0, sentimentWeight: 0 };
    const solve = (k: typeof kind): { theta: Float64Array; value: number; passes: number; maxGradient: number } => {
      const ws = createWorkspace(data, dim, hyper.lambda, Float64Array.from(params.w), Float64Array.from(params.b), plainAlloc, k);
      const pool = new ShardPool(ws, 1);
      const solved = solveTheta(ws, pool, data, { maxPasses: 300, gradientTol: k === 'js64' ? 1e-10 : tol });
      pool.close();
      return { ...solved, theta: Float64Array.from(ws.theta) };
    };
    const solved = solve(kind);
    assert.ok(solved.passes < 300, `θ solver did not converge (max gradient ${solved.maxGradient})`);
    const { theta } = solved;
    const g = objectiveGradient(params, data, theta, hyper, kind);
    let maxG = 0;
    for (const x of g.theta) maxG = Math.max(maxG, Math.abs(x));
    assert.ok(maxG < (kind === 'js64' ? 1e-8 : 1e-5), `‖∂F/∂θ‖∞ = ${maxG}`);
    const f0 = evaluateObjective(params, data, theta, hyper, kind).total;
    assert.ok(Math.abs(f0 - solved.value) < (kind === 'js64' ? 1e-9 : 1e-6) * Math.abs(f0));
    if (kind !== 'js64') {
      const ref = solve('js64').theta;
      for (let i = 0; i < theta.length; i++) assert.ok(Math.abs(theta[i] - ref[i]) < 1e-5 * (1 + Math.abs(ref[i])), `θ[${i}] ${theta[i]} vs float64 ${ref[i]}`);
    }
    // Judged on the float64 objective, where 1e-3 perturbations are far above rounding.
    const f64 = (t: Float64Array): number => evaluateObjective(params, data, t, hyper, 'js64').total;
    const base = f64(theta);
    for (let trial = 0; trial < 20; trial++) {
      const t = Float64Array.from(theta);
      const d = rng.int(data.docCount);
      for (let j = 0; j < dim; j++) t[d * dim + j] += 1e-3 * rng.normal();
      assert.ok(f64(t) < base, `perturbing θ of document ${d} raised F`);
    }
  });
}
