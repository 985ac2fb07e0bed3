import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedRatingsFromDocs, neighbourTable, parseExpectedRatings, polarityAgreement } from '../src/eval/word-report.js';
import { chooseCandidate, type TuneResult } from '../src/eval/tune-model.js';

// Six words in 2-D: three positive near (1, 0), three negative near (-1, 0.1).
const words = ['good', 'great', 'fine', 'bad', 'awful', 'poor'];
const r = { dim: 2, vocabSize: 6, data: Float32Array.from([1, 0, 0.9, 0.1, 0.8, -0.1, -1, 0.1, -0.9, 0, -0.8, 0.2]) };
const ratings = new Map([['good', 0.5], ['great', 0.6], ['fine', 0.2], ['bad', -0.5], ['awful', -0.7], ['poor', -0.3]]);

test('parseExpectedRatings aligns imdb.vocab with imdbEr.txt', () => {
  const m = parseExpectedRatings('the\ngood\nbad\n', '0.01\n0.5\n-0.4\n');
  assert.deepEqual([...m], [['the', 0.01], ['good', 0.5], ['bad', -0.4]]);
});

test('polarity agreement is 1 when neighbours share polarity and drops when vectors ignore it', () => {
  assert.equal(polarityAgreement(words, r, ratings, { top: 6, k: 2 }), 1);
  // Vectors where each word's nearest neighbour is of the opposite polarity.
  const mixed = { dim: 2, vocabSize: 6, data: Float32Array.from([1, 0, 0, 1, -1, 0, 0.99, 0.1, 0.1, 0.99, -0.99, 0.1]) };
  assert.ok(polarityAgreement(words, mixed, ratings, { top: 6, k: 1 }) < 0.5);
});

test('neighbour table lists the k nearest words, skipping unknown targets', () => {
  const t = neighbourTable(words, r, ['good', 'missing'], 2);
  assert.deepEqual(Object.keys(t), ['good']);
  assert.deepEqual(t.good, ['great', 'fine']);
});

test('expected ratings from labeled documents average the stars over occurrences and ignore unlabeled ones', () => {
  // Documents as token ids over ['good', 'bad', 'plot']: "good good plot" (10★), "bad plot" (1★), "bad" (unlabeled).
  const docs = { count: 3, offsets: Int32Array.from([0, 3, 5, 6]), tokens: Int32Array.from([0, 0, 2, 1, 2, 1]) };
  const m = expectedRatingsFromDocs(['good', 'bad', 'plot'], docs, Uint8Array.from([10, 1, 0]));
  assert.deepEqual([...m], [['good', 10], ['bad', 1], ['plot', 5.5]]);
});

test('model choice: accuracy first, candidates within one standard error tied and broken by polarity agreement', () => {
  const result = (weight: number, vectors: number, vectorsBow: number, polarity: number, documents = 5000): TuneResult => ({
    candidate: { useSentiment: true, unlabeled: false, lambda: 0.05, nu: 1, sentimentWeight: weight },
    heldOut: { vectors, vectorsBow, documents },
    polarity: { train: polarity },
    seconds: 1,
  });
  // Best mean 0.8938; one standard error on 5,000 documents is 0.0044: 1e6 (0.8921) is tied and has the best
  // polarity, 5e6 (0.8888) is not tied although its polarity is perfect.
  const a = [result(12500, 0.892, 0.8944, 0.95), result(200000, 0.8918, 0.8958, 0.978), result(1e6, 0.8904, 0.8938, 0.996), result(5e6, 0.885, 0.8926, 1)];
  assert.equal(chooseCandidate(a).candidate.sentimentWeight, 1e6);
  // The band shrinks with more held-out documents: on 500,000 the same scores are no longer tied.
  assert.equal(chooseCandidate(a.map((r) => ({ ...r, heldOut: { ...r.heldOut, documents: 500000 } }))).candidate.sentimentWeight, 200000);
  // A clearly more accurate candidate wins whatever its polarity.
  const b = [result(1, 0.9, 0.9, 0.5), result(2, 0.88, 0.88, 1)];
  assert.equal(chooseCandidate(b).candidate.sentimentWeight, 1);
});
