import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentimentVectors, type EpochInfo, type SentimentVectorsOptions } from '../src/models/embeddings/sentiment-vectors.js';
import type { TokenizedDocs } from '../src/text/documents.js';
import { SentivecError } from '../src/util/errors.js';
import { Rng } from '../src/util/rng.js';

const TOPICS = 4;
const TOPIC_WORDS = 10;
const POSITIVE = Array.from({ length: 8 }, (_, i) => TOPICS * TOPIC_WORDS + i);
const NEGATIVE = Array.from({ length: 8 }, (_, i) => TOPICS * TOPIC_WORDS + 8 + i);
const VOCAB = TOPICS * TOPIC_WORDS + 16;

/**
 * Reviews about one of four topics, each with exactly one polarity word: from
 * the review's own side with probability 0.8. Polarity words never meet each
 * other, so their co-occurrence statistics are identical: only the ratings
 * tell them apart. Every third review is unlabeled.
 */
function plantedCorpus(docs: number, seed: number): { docs: TokenizedDocs; stars: Float64Array } {
  const rng = new Rng(seed);
  const offsets = new Int32Array(docs + 1);
  const tokens: number[] = [];
  const stars = new Float64Array(docs);
  for (let d = 0; d < docs; d++) {
    const positive = rng.next() < 0.5;
    stars[d] = d % 3 === 2 ? 0 : positive ? 7 + rng.int(4) : 1 + rng.int(4);
    const topic = rng.int(TOPICS);
    const len = 8 + rng.int(10);
    const at = rng.int(len);
    for (let i = 0; i < len; i++) {
      if (i === at) {
        const side = rng.next() < 0.8 === positive ? POSITIVE : NEGATIVE;
        tokens.push(side[rng.int(side.length)]);
      } else tokens.push(topic * TOPIC_WORDS + rng.int(TOPIC_WORDS));
    }
    offsets[d + 1] = tokens.length;
  }
  return { docs: { count: docs, offsets, tokens: Int32Array.from(tokens) }, stars };
}

const corpus = plantedCorpus(480, 1);
const base: SentimentVectorsOptions = { dim: 6, lambda: 0.1, nu: 0.1, maxEpochs: 30, batchSize: 32, learningRate: 0.03, learningRateDecay: 1, tol: 0, threads: 1, seed: 5 };

function scores(m: SentimentVectors, words: number[]): number[] {
  return words.map((w) => m.bc + m.psi.reduce((s, x, j) => s + x * m.R.data[w * m.dim + j], 0));
}

test('objective trace is non-decreasing and improves on the start', () => {
  const epochs: number[] = [];
  const m = new SentimentVectors({ ...base, sentimentWeight: 20, onEpoch: (e) => epochs.push(e.epoch) }).fit(corpus.docs, corpus.stars, VOCAB);
  const tr = m.objectiveTrace;
  assert.ok(tr.length >= 4, `only ${tr.length} accepted epochs`);
  for (let i = 1; i < tr.length; i++) assert.ok(tr[i] >= tr[i - 1], `F fell from ${tr[i - 1]} to ${tr[i]} at epoch ${i}`);
  assert.ok(tr[tr.length - 1] > tr[0] + 0.01 * Math.abs(tr[0]), `F barely moved: ${tr[0]} → ${tr[tr.length - 1]}`);
  assert.deepEqual(epochs, Array.from({ length: m.epochs + 1 }, (_, i) => i));
  // The logged value uses θ after one Newton pass; solving θ fully can only raise it.
  assert.ok(m.objective(corpus.docs, corpus.stars, { maxPasses: 300, gradientTol: 1e-9 }) >= tr[tr.length - 1] - 1e-9 * Math.abs(tr[tr.length - 1]));
});

/** Mean cosine between words of the same polarity group minus mean cosine across groups. */
function polarityContrast(m: SentimentVectors): number {
  const v = m.wordVectors(Array.from({ length: VOCAB }, (_, i) => `w${i}`));
  const mean = (pairs: [number, number][]): number => pairs.reduce((s, [a, b]) => s + v.similarity(`w${a}`, `w${b}`), 0) / pairs.length;
  const within: [number, number][] = [];
  const across: [number, number][] = [];
  for (const g of [POSITIVE, NEGATIVE]) for (const a of g) for (const b of g) if (a < b) within.push([a, b]);
  for (const a of POSITIVE) for (const b of NEGATIVE) across.push([a, b]);
  return mean(within) - mean(across);
}

test('an epoch that would lower F is undone and the learning rate halved', () => {
  const infos: EpochInfo[] = [];
  const m = new SentimentVectors({ ...base, maxEpochs: 4, learningRate: 30, onEpoch: (e) => infos.push(e) }).fit(corpus.docs, corpus.stars, VOCAB);
  const undone = infos.filter((e) => !e.accepted);
  assert.ok(undone.length > 0, 'a learning rate of 30 should overshoot');
  for (let i = 1; i < infos.length; i++) {
    if (!infos[i].accepted) {
      assert.equal(infos[i].objective, infos[i - 1].objective, 'an undone epoch keeps the previous state');
      assert.equal(infos[i].learningRate, infos[i - 1].learningRate / 2);
    }
  }
  assert.equal(m.objectiveTrace.length, infos.length - undone.length);
  for (let i = 1; i < m.objectiveTrace.length; i++) assert.ok(m.objectiveTrace[i] >= m.objectiveTrace[i - 1]);
});

test('planted polarity words separate along ψ only with the sentiment term on', () => {
  // Each polarity word has ~20 occurrences of semantic evidence and, at the
  // paper's weight, ~20/160 of sentiment evidence (|S_k| = 160 here), so the
  // sentiment term needs a weight of the order of |S_k| to shape R.
  const full = new SentimentVectors({ ...base, sentimentWeight: 1000 }).fit(corpus.docs, corpus.stars, VOCAB);
  const pos = scores(full, POSITIVE);
  const neg = scores(full, NEGATIVE);
  assert.ok(Math.min(...pos) > 0 && Math.max(...neg) < 0, `positive ${pos.map((x) => x.toFixed(2))} negative ${neg.map((x) => x.toFixed(2))}`);
  const contrastFull = polarityContrast(full);

  const semantic = new SentimentVectors({ ...base, useSentiment: false }).fit(corpus.docs, corpus.stars, VOCAB);
  assert.ok(semantic.psi.every((x) => x === 0) && semantic.bc === 0, 'semantic-only model has no sentiment direction');
  assert.ok(scores(semantic, [...POSITIVE, ...NEGATIVE]).every((x) => x === 0));
  const contrastSemantic = polarityContrast(semantic);
  // Same-polarity words are much closer than opposite ones only in the full model.
  assert.ok(contrastFull > 0.3, `full model: within − across cosine ${contrastFull}`);
  assert.ok(Math.abs(contrastSemantic) < 0.15, `semantic-only model: within − across cosine ${contrastSemantic}`);

  const words = Array.from({ length: VOCAB }, (_, i) => `w${i}`);
  assert.throws(() => semantic.wordVectors(words).sentiment('w0'), SentivecError);
  assert.ok(full.wordVectors(words).sentiment(`w${POSITIVE[0]}`) > 0);
});

test('same data, options and seed give bit-identical vectors, whatever the thread count', () => {
  const opts = { ...base, maxEpochs: 3, sentimentWeight: 5 };
  const a = new SentimentVectors(opts).fit(corpus.docs, corpus.stars, VOCAB);
  const b = new SentimentVectors(opts).fit(corpus.docs, corpus.stars, VOCAB);
  const c = new SentimentVectors({ ...opts, threads: 2 }).fit(corpus.docs, corpus.stars, VOCAB);
  for (const other of [b, c]) {
    assert.deepEqual(Buffer.from(other.R.data.buffer), Buffer.from(a.R.data.buffer));
    assert.deepEqual(Array.from(other.b), Array.from(a.b));
    assert.deepEqual(Array.from(other.psi), Array.from(a.psi));
    assert.equal(other.bc, a.bc);
    assert.deepEqual(other.objectiveTrace, a.objectiveTrace);
  }
  const d = new SentimentVectors({ ...opts, seed: 6 }).fit(corpus.docs, corpus.stars, VOCAB);
  assert.notDeepEqual(Array.from(d.R.data), Array.from(a.R.data));
});

test('float32 kernels (wasm-fma, wasm, js) train to the float64 reference model; each is deterministic for 1 or 2 threads', () => {
  const opts = { ...base, maxEpochs: 3, sentimentWeight: 5 };
  const ref = new SentimentVectors({ ...opts, kernels: 'js64' }).fit(corpus.docs, corpus.stars, VOCAB);
  for (const kernels of ['wasm-fma', 'wasm', 'js'] as const) {
    const a = new SentimentVectors({ ...opts, kernels }).fit(corpus.docs, corpus.stars, VOCAB);
    const b = new SentimentVectors({ ...opts, kernels, threads: 2 }).fit(corpus.docs, corpus.stars, VOCAB);
    assert.deepEqual(Buffer.from(b.R.data.buffer), Buffer.from(a.R.data.buffer), `${kernels}: 2 threads = 1 thread`);
    assert.deepEqual(b.objectiveTrace, a.objectiveTrace);
    // Measured after 3 epochs: objective 4e-9, R 1e-7 relative to float64.
    assert.equal(a.objectiveTrace.length, ref.objectiveTrace.length);
    a.objectiveTrace.forEach((f, i) => assert.ok(Math.abs(f - ref.objectiveTrace[i]) <= 1e-7 * Math.abs(f), `${kernels} epoch ${i}: F ${f} vs ${ref.objectiveTrace[i]}`));
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < a.R.data.length; i++) {
      diff += (a.R.data[i] - ref.R.data[i]) ** 2;
      norm += ref.R.data[i] ** 2;
    }
    assert.ok(Math.sqrt(diff / norm) < 1e-5, `${kernels}: ‖R − R_float64‖/‖R‖ = ${Math.sqrt(diff / norm)}`);
  }
});

test('inferTheta solves θ̂ for new documents', () => {
  const m = new SentimentVectors({ ...base, maxEpochs: 3, useSentiment: false }).fit(corpus.docs, corpus.stars, VOCAB);
  const held = plantedCorpus(20, 9);
  const theta = m.inferTheta(held.docs, { gradientTol: 1e-9, maxPasses: 400 });
  assert.equal(theta.length, 20 * m.dim);
  assert.ok(theta.every(Number.isFinite) && theta.some((x) => x !== 0));
});

test('bad inputs are rejected with SentivecErrors', () => {
  assert.throws(() => new SentimentVectors({ lambda: 0 }), /lambda/);
  assert.throws(() => new SentimentVectors({ dim: 2.5 }), /dim/);
  const m = new SentimentVectors({ ...base, maxEpochs: 1 });
  assert.throws(() => m.fit(corpus.docs, corpus.stars.subarray(1), VOCAB), /ratings for 480 documents/);
  assert.throws(() => m.fit(corpus.docs, corpus.stars, 10), /outside the vocabulary of 10/);
  assert.throws(() => m.fit(corpus.docs, new Float64Array(480).fill(11), VOCAB), /expected 1–10/);
  assert.throws(() => m.fit(corpus.docs, new Float64Array(480), VOCAB), /needs labeled documents/);
  assert.throws(() => m.inferTheta(corpus.docs), /not fitted/);
});
