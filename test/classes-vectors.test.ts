/**
 * The k-class sentiment term (issue #14): its gradient against finite
 * differences, k = 2 given as classes is the binary term exactly, and the
 * trained ψ_c separate words planted for each of three classes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareData } from '../src/models/embeddings/data.js';
import { evaluateObjective, objectiveGradient, type ModelParams } from '../src/models/embeddings/objective.js';
import { SentimentVectors } from '../src/models/embeddings/sentiment-vectors.js';
import type { TokenizedDocs } from '../src/text/documents.js';
import { Rng } from '../src/util/rng.js';

const randn = (rng: Rng, n: number, scale = 1): Float64Array => Float64Array.from({ length: n }, () => scale * rng.normal());

/** Random documents; class d mod (k + 1), where k means unlabeled. */
function corpus(docs: number, vocab: number, k: number, seed: number): { docs: TokenizedDocs; classes: Float64Array } {
  const rng = new Rng(seed);
  const offsets = new Int32Array(docs + 1);
  const tokens: number[] = [];
  for (let d = 0; d < docs; d++) {
    const len = 3 + rng.int(12);
    for (let i = 0; i < len; i++) tokens.push(Math.min(vocab - 1, Math.floor(vocab * rng.next() * rng.next() * 1.6)));
    offsets[d + 1] = tokens.length;
  }
  const classes = Float64Array.from({ length: docs }, (_, d) => (d % (k + 1) === k ? NaN : d % (k + 1)));
  return { docs: { count: docs, offsets, tokens: Int32Array.from(tokens) }, classes };
}

test('k-class sentiment term: gradient matches finite differences (R, ψ_c, b_c), k = 3 and 4', () => {
  for (const k of [3, 4]) {
    const dim = 3;
    const V = 9;
    const K = k - 1;
    const rng = new Rng(30 + k);
    const c = corpus(16, V, k, k);
    const data = prepareData(c.docs, { classes: c.classes, k }, V);
    assert.equal(data.sentClasses, K);
    const params: ModelParams = { dim, w: randn(rng, V * dim, 0.5), b: randn(rng, V, 0.3), psi: randn(rng, K * dim, 0.8), bc: randn(rng, K, 0.4) };
    const theta = randn(rng, data.docCount * dim, 0.5);
    const hyper = { lambda: 0.3, nu: 0.1, sentimentWeight: 25 };
    const g = objectiveGradient(params, data, theta, hyper, 'js64');
    const f = (p: ModelParams): number => evaluateObjective(p, data, theta, hyper, 'js64').total;
    const h = 1e-5;
    const bump = (a: Float64Array, i: number, d: number): Float64Array => {
      const x = Float64Array.from(a);
      x[i] += d;
      return x;
    };
    const check = (name: string, analytic: number, plus: number, minus: number): void => {
      const fd = (plus - minus) / (2 * h);
      assert.ok(Math.abs(fd - analytic) <= 1e-6 * Math.max(1, Math.abs(fd)), `k=${k} ${name}: finite difference ${fd}, analytic ${analytic}`);
    };
    for (let i = 0; i < params.w.length; i++) check(`∂F/∂R[${i}]`, g.w[i], f({ ...params, w: bump(params.w, i, h) }), f({ ...params, w: bump(params.w, i, -h) }));
    for (let i = 0; i < K * dim; i++) check(`∂F/∂ψ[${i}]`, g.psi[i], f({ ...params, psi: bump(params.psi, i, h) }), f({ ...params, psi: bump(params.psi, i, -h) }));
    const bc = params.bc as Float64Array;
    for (let i = 0; i < K; i++) check(`∂F/∂b[${i}]`, g.bcs[i], f({ ...params, bc: bump(bc, i, h) }), f({ ...params, bc: bump(bc, i, -h) }));
  }
});

test('k-class sentiment term: at ψ = 0, b = 0 every class is 1/k, so the term is Σ_w A_w log(1/k)', () => {
  const docs: TokenizedDocs = { count: 4, offsets: Int32Array.from([0, 1, 2, 3, 4]), tokens: Int32Array.from([0, 0, 1, 1]) };
  const data = prepareData(docs, { classes: [0, 1, 2, NaN], k: 3 }, 2);
  // Each labeled document is alone in its class (weight 1); word 0 in classes 0 and 1, word 1 in class 2.
  assert.deepEqual(Array.from(data.sentA), [2, 1]);
  assert.deepEqual(Array.from(data.sentB), [1, 0, 0, 1]);
  const v = evaluateObjective({ dim: 1, w: new Float64Array(2), b: new Float64Array(2), psi: new Float64Array(2), bc: new Float64Array(2) }, data, new Float64Array(4), { lambda: 1, nu: 0, sentimentWeight: 1 });
  assert.ok(Math.abs(v.sentiment - 3 * Math.log(1 / 3)) < 1e-12);
});

test('k = 2 given as classes trains exactly the binary word vectors', () => {
  const c = corpus(60, 20, 2, 5);
  const opts = { dim: 4, maxEpochs: 3, sentimentWeight: 30, threads: 1, seed: 3 };
  const a = new SentimentVectors(opts).fit(c.docs, { soft: c.classes }, 20);
  const b = new SentimentVectors(opts).fit(c.docs, { classes: c.classes, k: 2 }, 20);
  assert.deepEqual(Array.from(b.R.data), Array.from(a.R.data));
  assert.deepEqual(Array.from(b.psi), Array.from(a.psi));
  assert.equal(b.bc, a.bc);
  assert.equal(a.psi.length, 4);
});

test("three classes: each class's planted words get the highest p(c | w)", () => {
  // Class c documents use words 3c..3c+2 plus shared filler words 9..14.
  const rng = new Rng(8);
  const D = 240;
  const offsets = new Int32Array(D + 1);
  const tokens: number[] = [];
  const classes = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    const cls = d % 3;
    classes[d] = cls;
    for (let i = 0; i < 8; i++) tokens.push(rng.next() < 0.4 ? 3 * cls + rng.int(3) : 9 + rng.int(6));
    offsets[d + 1] = tokens.length;
  }
  const m = new SentimentVectors({ dim: 5, maxEpochs: 20, sentimentWeight: 2000, threads: 1, seed: 2 }).fit({ count: D, offsets, tokens: Int32Array.from(tokens) }, { classes, k: 3 }, 15);
  assert.equal(m.psi.length, 10);
  assert.equal(m.bcs.length, 2);
  const R = m.R.data;
  for (let w = 0; w < 9; w++) {
    const u = [0, 1].map((c) => m.bcs[c] + Array.from({ length: 5 }, (_, j) => m.psi[c * 5 + j] * R[w * 5 + j]).reduce((s, x) => s + x, 0));
    const scores = [0, ...u];
    const best = scores.indexOf(Math.max(...scores));
    assert.equal(best, Math.floor(w / 3), `word ${w}: class scores ${scores.map((s) => s.toFixed(2)).join(', ')}`);
  }
});
