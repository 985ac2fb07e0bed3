/**
 * Word vectors with several targets (issue #14 item 3): the summed objective's
 * gradient against finite differences for a binary and a continuous target
 * (and a k-class one), one target given as a list is the single-target model
 * bit for bit, and on a planted two-target corpus each ψ_t separates its own
 * word group and not the other's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateObjective, objectiveGradient, type ModelParams } from '../src/models/embeddings/objective.js';
import { prepareSupervision } from '../src/models/embeddings/targets.js';
import { SentimentVectors } from '../src/models/embeddings/sentiment-vectors.js';
import type { TokenizedDocs } from '../src/text/documents.js';
import { Rng } from '../src/util/rng.js';
import { SentivecError } from '../src/util/errors.js';

const randn = (rng: Rng, n: number, scale = 1): Float64Array => Float64Array.from({ length: n }, () => scale * rng.normal());

function randomDocs(docs: number, vocab: number, seed: number): TokenizedDocs {
  const rng = new Rng(seed);
  const offsets = new Int32Array(docs + 1);
  const tokens: number[] = [];
  for (let d = 0; d < docs; d++) {
    const len = 3 + rng.int(10);
    for (let i = 0; i < len; i++) tokens.push(rng.int(vocab));
    offsets[d + 1] = tokens.length;
  }
  return { count: docs, offsets, tokens: Int32Array.from(tokens) };
}

test('several targets: the summed objective matches finite differences (binary + continuous, and + 3 classes)', () => {
  const dim = 3;
  const V = 8;
  const D = 18;
  const docs = randomDocs(D, V, 4);
  const binary = { soft: Float64Array.from({ length: D }, (_, d) => (d % 4 === 3 ? NaN : d % 2)) };
  const rating = { soft: Float64Array.from({ length: D }, (_, d) => (d % 5 === 0 ? NaN : ((d * 7) % 10) / 9)) };
  const three = { classes: Float64Array.from({ length: D }, (_, d) => (d % 7 === 6 ? NaN : d % 3)), k: 3 };
  for (const [name, given, K] of [
    ['binary + continuous', { targets: [binary, rating], weights: [1.5, 0.7] }, 2],
    ['binary + continuous + 3 classes', { targets: [binary, rating, three] }, 4],
  ] as const) {
    const data = prepareSupervision(docs, given, V);
    assert.equal(data.sentClasses, K);
    const rng = new Rng(K);
    const params: ModelParams = { dim, w: randn(rng, V * dim, 0.5), b: randn(rng, V, 0.3), psi: randn(rng, K * dim, 0.8), bc: randn(rng, K, 0.4) };
    const theta = randn(rng, D * dim, 0.5);
    const hyper = { lambda: 0.3, nu: 0.1, sentimentWeight: 20 };
    const g = objectiveGradient(params, data, theta, hyper, 'js64');
    const f = (p: ModelParams): number => evaluateObjective(p, data, theta, hyper, 'js64').total;
    const h = 1e-5;
    const bump = (a: Float64Array, i: number, d: number): Float64Array => {
      const x = Float64Array.from(a);
      x[i] += d;
      return x;
    };
    const check = (what: string, analytic: number, plus: number, minus: number): void => {
      const fd = (plus - minus) / (2 * h);
      assert.ok(Math.abs(fd - analytic) <= 1e-6 * Math.max(1, Math.abs(fd)), `${name} ${what}: finite difference ${fd}, analytic ${analytic}`);
    };
    for (let i = 0; i < params.w.length; i++) check(`∂F/∂R[${i}]`, g.w[i], f({ ...params, w: bump(params.w, i, h) }), f({ ...params, w: bump(params.w, i, -h) }));
    for (let i = 0; i < K * dim; i++) check(`∂F/∂ψ[${i}]`, g.psi[i], f({ ...params, psi: bump(params.psi, i, h) }), f({ ...params, psi: bump(params.psi, i, -h) }));
    const bc = params.bc as Float64Array;
    for (let i = 0; i < K; i++) check(`∂F/∂b[${i}]`, g.bcs[i], f({ ...params, bc: bump(bc, i, h) }), f({ ...params, bc: bump(bc, i, -h) }));
  }
});

test('several targets: the sentiment term is the weighted sum of each target alone', () => {
  const V = 6;
  const docs = randomDocs(12, V, 9);
  const a = { soft: Float64Array.from({ length: 12 }, (_, d) => d % 2) };
  const b = { soft: Float64Array.from({ length: 12 }, (_, d) => (d % 3 === 0 ? NaN : (d % 4) / 3)) };
  const rng = new Rng(2);
  const w = randn(rng, V * 2, 0.5);
  const psi = randn(rng, 4, 0.7);
  const bcs = randn(rng, 2, 0.3);
  const theta = new Float64Array(12 * 2);
  const hyper = { lambda: 1, nu: 0, sentimentWeight: 1 };
  const one = (s: typeof a, t: number): number =>
    evaluateObjective({ dim: 2, w, b: new Float64Array(V), psi: psi.subarray(2 * t, 2 * t + 2), bc: bcs[t] }, prepareSupervision(docs, s, V), theta, hyper).sentiment;
  const both = evaluateObjective({ dim: 2, w, b: new Float64Array(V), psi, bc: bcs }, prepareSupervision(docs, { targets: [a, b], weights: [2, 0.5] }, V), theta, hyper).sentiment;
  assert.ok(Math.abs(both - (2 * one(a, 0) + 0.5 * one(b, 1))) < 1e-9, `${both} vs ${2 * one(a, 0) + 0.5 * one(b, 1)}`);
});

test('one target given as a list trains exactly the single-target vectors', () => {
  const docs = randomDocs(50, 15, 6);
  const soft = Float64Array.from({ length: 50 }, (_, d) => (d % 5 === 4 ? NaN : d % 2));
  const opts = { dim: 4, maxEpochs: 3, sentimentWeight: 30, threads: 1, seed: 3 };
  const single = new SentimentVectors(opts).fit(docs, { soft }, 15);
  const listed = new SentimentVectors(opts).fit(docs, { targets: [{ soft }] }, 15);
  assert.deepEqual(Array.from(listed.R.data), Array.from(single.R.data));
  assert.deepEqual(Array.from(listed.psi), Array.from(single.psi));
  assert.equal(listed.bc, single.bc);
});

test('bad target lists are SentivecErrors', () => {
  const docs = randomDocs(5, 4, 1);
  const soft = [0, 1, 0, 1, 0];
  assert.throws(() => prepareSupervision(docs, { targets: [] }, 4), SentivecError);
  assert.throws(() => prepareSupervision(docs, { targets: [{ soft }], weights: [1, 2] }, 4), SentivecError);
  assert.throws(() => prepareSupervision(docs, { targets: [{ soft }], weights: [-1] }, 4), SentivecError);
  assert.throws(() => new SentimentVectors({ dim: 2, threads: 1 }).fit(docs, { targets: [{ soft }, { soft: [NaN, NaN, NaN, NaN, NaN] }] }, 4), /every target/);
});

/**
 * Planted: target A (binary) shows in words 0–1 (A = 1) and 2–3 (A = 0),
 * target B (a rating, 1..5 scaled to [0, 1]) in words 4–5 (4–5 stars) and
 * 6–7 (1–2 stars); words 8–13 are filler. A third of the documents miss B.
 */
function plantedCorpus(D: number, seed: number): { docs: TokenizedDocs; a: Float64Array; b: Float64Array } {
  const rng = new Rng(seed);
  const offsets = new Int32Array(D + 1);
  const tokens: number[] = [];
  const a = new Float64Array(D);
  const b = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    // Every (A, stars) pair equally often: the targets are independent by construction.
    const pa = d % 2;
    const stars = 1 + (Math.floor(d / 2) % 5);
    a[d] = pa;
    b[d] = d % 3 === 2 ? NaN : (stars - 1) / 4;
    for (let i = 0; i < 10; i++) {
      const r = rng.next();
      if (r < 0.25) tokens.push((pa === 1 ? 0 : 2) + rng.int(2));
      else if (r < 0.5 && stars !== 3) tokens.push((stars > 3 ? 4 : 6) + rng.int(2));
      else tokens.push(8 + rng.int(6));
    }
    offsets[d + 1] = tokens.length;
  }
  return { docs: { count: D, offsets, tokens: Int32Array.from(tokens) }, a, b };
}

test('planted two-target corpus: each ψ_t separates its own word group and not the other', () => {
  const { docs, a, b } = plantedCorpus(600, 11);
  const dim = 5;
  const m = new SentimentVectors({ dim, maxEpochs: 30, sentimentWeight: 2000, threads: 1, seed: 2 }).fit(docs, { targets: [{ soft: a }, { soft: b }] }, 14);
  assert.equal(m.targets.length, 2);
  assert.equal(m.psi.length, 2 * dim);
  const R = m.R.data;
  const score = (t: number, w: number): number => {
    const { psi, bcs } = m.target(t);
    let u = bcs[0];
    for (let j = 0; j < dim; j++) u += psi[j] * R[w * dim + j];
    return u;
  };
  // Gap between a group's "high" and "low" words along target t.
  const gap = (t: number, hi: number, lo: number): number => (score(t, hi) + score(t, hi + 1) - score(t, lo) - score(t, lo + 1)) / 2;
  const ownA = gap(0, 0, 2);
  const crossA = gap(0, 4, 6);
  const ownB = gap(1, 4, 6);
  const crossB = gap(1, 0, 2);
  const msg = `ψ_A: own ${ownA.toFixed(2)}, B's ${crossA.toFixed(2)}; ψ_B: own ${ownB.toFixed(2)}, A's ${crossB.toFixed(2)}`;
  assert.ok(ownA > 1 && ownB > 1, msg);
  assert.ok(Math.abs(crossA) < 0.15 * ownA && Math.abs(crossB) < 0.15 * ownB, msg);
  // Every planted word sits on its own side of its own target.
  for (const w of [0, 1]) assert.ok(score(0, w) > score(0, 2) && score(0, w) > score(0, 3), msg);
  for (const w of [4, 5]) assert.ok(score(1, w) > score(1, 6) && score(1, w) > score(1, 7), msg);
});

test('several targets: the vectors do not depend on the thread count, and a target of weight 0 keeps ψ = 0', () => {
  const { docs, a, b } = plantedCorpus(120, 3);
  const opts = { dim: 4, maxEpochs: 3, sentimentWeight: 500, seed: 5 };
  const given = { targets: [{ soft: a }, { soft: b }], weights: [1, 0] };
  const one = new SentimentVectors({ ...opts, threads: 1 }).fit(docs, given, 14);
  const two = new SentimentVectors({ ...opts, threads: 2 }).fit(docs, given, 14);
  assert.deepEqual(Array.from(two.R.data), Array.from(one.R.data));
  assert.deepEqual(Array.from(two.psi), Array.from(one.psi));
  assert.ok(one.target(0).psi.some((x) => x !== 0));
  assert.deepEqual(Array.from(one.target(1).psi), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(one.target(1).bcs), [0]);
});
