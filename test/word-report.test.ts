import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neighbourTable, parseExpectedRatings, polarityAgreement } from '../src/eval/word-report.js';

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
