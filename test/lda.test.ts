import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { Lda, lgamma } from '../src/models/baselines/lda.js';
import { Rng } from '../src/util/rng.js';

const TOPICS = 4;
const WORDS_PER_TOPIC = 10;
const V = TOPICS * WORDS_PER_TOPIC;

/** Topic t owns words [10t, 10t+10) with uneven in-topic frequencies; each document mixes two topics. */
function plantedCorpus(docs: number, tokensPerDoc: number, seed: number): CsrMatrix {
  const rng = new Rng(seed);
  const inTopic = Array.from({ length: WORDS_PER_TOPIC }, (_, i) => 1 / (i + 1));
  const z = inTopic.reduce((a, b) => a + b, 0);
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (let d = 0; d < docs; d++) {
    const a = rng.int(TOPICS);
    const b = rng.int(TOPICS);
    const mix = rng.next();
    const counts = new Float64Array(V);
    for (let i = 0; i < tokensPerDoc; i++) {
      const t = rng.next() < mix ? a : b;
      let u = rng.next() * z;
      let w = 0;
      while (w < WORDS_PER_TOPIC - 1 && u >= inTopic[w]) u -= inTopic[w++];
      counts[t * WORDS_PER_TOPIC + w]++;
    }
    for (let w = 0; w < V; w++) {
      if (counts[w] > 0) {
        indices.push(w);
        data.push(counts[w]);
      }
    }
    indptr.push(indices.length);
  }
  return { rows: docs, cols: V, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** For each planted topic, the mass the best-matching learned topic puts on its words; also checks the match is one-to-one. */
function recovery(lda: Lda): number[] {
  const used = new Set<number>();
  return Array.from({ length: TOPICS }, (_, planted) => {
    let best = -1;
    let bestMass = -1;
    for (let k = 0; k < lda.topics; k++) {
      let mass = 0;
      for (let w = planted * WORDS_PER_TOPIC; w < (planted + 1) * WORDS_PER_TOPIC; w++) mass += lda.topicWord[k * V + w];
      if (mass > bestMass) [best, bestMass] = [k, mass];
    }
    assert.ok(!used.has(best), `learned topic ${best} matches two planted topics`);
    used.add(best);
    return bestMass;
  });
}

const x = plantedCorpus(300, 40, 1);
const opts = { topics: TOPICS, alpha: 0.5, eta: 0.05, maxIterations: 60, minIterations: 60, seed: 3 };

test('collapsed Gibbs recovers planted topics and its log-likelihood improves', () => {
  const lda = new Lda({ ...opts, threads: 1 }).fit(x);
  for (const mass of recovery(lda)) assert.ok(mass > 0.97, `topic mass on its planted words ${mass}`);
  const ll = lda.logLikelihood;
  assert.equal(ll.length, 60);
  assert.ok(ll[ll.length - 1] > ll[0] + 0.3, `log-likelihood ${ll[0]} → ${ll[ll.length - 1]}`);
  for (let k = 0; k < TOPICS; k++) {
    const row = lda.topicWord.subarray(k * V, (k + 1) * V);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  }
});

test('fits are deterministic for a seed, with one shard or two in parallel', () => {
  for (const threads of [1, 2]) {
    const a = new Lda({ ...opts, threads }).fit(x);
    const b = new Lda({ ...opts, threads }).fit(x);
    assert.deepEqual(a.topicWord, b.topicWord);
    assert.deepEqual(a.logLikelihood, b.logLikelihood);
    if (threads === 2) for (const mass of recovery(a)) assert.ok(mass > 0.97, `two shards: mass ${mass}`);
  }
  const c = new Lda({ ...opts, threads: 1, seed: 4 }).fit(x);
  assert.notDeepEqual(c.logLikelihood, new Lda({ ...opts, threads: 1 }).fit(x).logLikelihood);
});

test('the WebAssembly and TypeScript sweeps give the same topics to the last bit (K with and without a remainder of 4)', () => {
  for (const topics of [TOPICS, 1, 3, 7, 50]) {
    for (const threads of [1, 2]) {
      const o = { ...opts, topics, maxIterations: 8, minIterations: 8, threads };
      const js = new Lda({ ...o, kernels: 'js' }).fit(x);
      const wasm = new Lda({ ...o, kernels: 'wasm' }).fit(x);
      assert.deepEqual(wasm.wordTopicCounts, js.wordTopicCounts, `K = ${topics}, ${threads} thread(s)`);
      assert.deepEqual(wasm.logLikelihood, js.logLikelihood, `K = ${topics}, ${threads} thread(s)`);
    }
  }
  const empty: CsrMatrix = { rows: 3, cols: V, indptr: Int32Array.of(0, 1, 1, 2), indices: Int32Array.of(2, 5), data: Float64Array.of(3, 1) };
  assert.deepEqual(
    new Lda({ ...opts, maxIterations: 3, minIterations: 3, threads: 2, kernels: 'wasm' }).fit(empty).wordTopicCounts,
    new Lda({ ...opts, maxIterations: 3, minIterations: 3, threads: 2, kernels: 'js' }).fit(empty).wordTopicCounts,
    'empty documents',
  );
});

test('sequential initialisation is deterministic and keeps counts consistent; odd K works', () => {
  const a = new Lda({ ...opts, init: 'sequential', maxIterations: 15, minIterations: 15, threads: 2 }).fit(x);
  const b = new Lda({ ...opts, init: 'sequential', maxIterations: 15, minIterations: 15, threads: 2 }).fit(x);
  assert.deepEqual(a.wordTopicCounts, b.wordTopicCounts);
  let tokens = 0;
  for (const c of x.data) tokens += c;
  for (const topics of [1, 3, 7]) {
    const lda = new Lda({ ...opts, topics, maxIterations: 5, minIterations: 5, threads: 2 }).fit(x);
    assert.equal(lda.wordTopicCounts.reduce((s, c) => s + c, 0), tokens);
    assert.ok(lda.wordTopicCounts.every((c) => c >= 0));
  }
});

test('word vectors: p(w | t) per topic, or p(t | w) summing to one per word', () => {
  const tw = new Lda({ ...opts, maxIterations: 20, minIterations: 20, threads: 1 }).fit(x);
  assert.equal(tw.wordVectors.dim, TOPICS);
  assert.equal(tw.wordVectors.vocabSize, V);
  for (let w = 0; w < V; w++) for (let k = 0; k < TOPICS; k++) assert.equal(tw.wordVectors.data[w * TOPICS + k], Math.fround(tw.topicWord[k * V + w]));
  const wt = new Lda({ ...opts, maxIterations: 20, minIterations: 20, threads: 1, vectors: 'word-topic' }).fit(x);
  assert.deepEqual(wt.topicWord, tw.topicWord);
  for (let w = 0; w < V; w++) {
    let s = 0;
    for (let k = 0; k < TOPICS; k++) s += wt.wordVectors.data[w * TOPICS + k];
    assert.ok(Math.abs(s - 1) < 1e-6);
  }
});

test('convergence check stops early once the log-likelihood flattens', () => {
  const lda = new Lda({ ...opts, maxIterations: 500, minIterations: 20, evalEvery: 10, tol: 1e-3, threads: 1 }).fit(x);
  assert.ok(lda.converged);
  assert.ok(lda.iterations < 500);
});

test('lgamma matches known values; bad input is rejected', () => {
  assert.ok(Math.abs(lgamma(1)) < 1e-14);
  assert.ok(Math.abs(lgamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  assert.ok(Math.abs(lgamma(10) - Math.log(362880)) < 1e-12);
  assert.ok(Math.abs(lgamma(0.01) - 4.599479878042022) < 1e-12);
  assert.throws(() => new Lda({ topics: 0 }), /topics/);
  const frac: CsrMatrix = { rows: 1, cols: 2, indptr: Int32Array.from([0, 1]), indices: Int32Array.from([0]), data: Float64Array.from([0.5]) };
  assert.throws(() => new Lda({ threads: 1 }).fit(frac), /integer term counts/);
});
