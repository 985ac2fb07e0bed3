import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentBuilder } from '../src/text/documents.js';
import { countMatrix, denseRow, takeRows, hstackDense, denseToCsr } from '../src/features/matrix.js';
import { bnn, bnc, bdc, deltaIdf, cosineNormalize } from '../src/features/smart.js';
import { projectDocuments } from '../src/features/projection.js';
import { BinaryBag, inverseProjectionNorm, widenWordMatrix } from '../src/features/binary-bag.js';
import { Rng } from '../src/util/rng.js';

function docs(rows: number[][]) {
  const b = new DocumentBuilder();
  for (const r of rows) b.push(r);
  return b.finish();
}

const close = (a: ArrayLike<number>, b: number[], eps = 1e-12) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= eps, `index ${i}: ${a[i]} vs ${b[i]}`);
};

// Vocabulary of 4 terms; doc 0 and 1 positive, doc 2 and 3 negative.
const X = countMatrix(docs([[0, 0, 1], [1, 2], [2, 3, 3, 3], []]), 4);
const y = [1, 1, 0, 0];

test('countMatrix counts terms with sorted column indices', () => {
  assert.deepEqual([...X.indptr], [0, 2, 4, 6, 6]);
  assert.deepEqual([...X.indices], [0, 1, 1, 2, 2, 3]);
  assert.deepEqual([...X.data], [2, 1, 1, 1, 1, 3]);
  const unsorted = countMatrix(docs([[3, 1, 3, 0]]), 4);
  assert.deepEqual([...unsorted.indices], [0, 1, 3]);
  assert.deepEqual([...unsorted.data], [1, 1, 2]);
  assert.throws(() => countMatrix(docs([[4]]), 4), /outside the vocabulary/);
});

test('bnn is binary presence, bnc is its cosine normalization', () => {
  assert.deepEqual([...bnn(X).data], [1, 1, 1, 1, 1, 1]);
  const s = 1 / Math.sqrt(2);
  close(bnc(X).data, [s, s, s, s, s, s]);
  close(denseRow(bnc(X), 3), [0, 0, 0, 0]);
  close(cosineNormalize(X).data, [2 / Math.sqrt(5), 1 / Math.sqrt(5), s, s, 1 / Math.sqrt(10), 3 / Math.sqrt(10)]);
});

test("delta-idf matches hand-computed values and bΔt'c normalizes", () => {
  // N_pos = N_neg = 2. df_pos = [1,2,1,0], df_neg = [0,0,1,1].
  const idf = deltaIdf(X, y);
  const expected = [
    Math.log2((2 * 1 + 0.5) / (2 * 0 + 0.5)),
    Math.log2((2 * 2 + 0.5) / (2 * 0 + 0.5)),
    Math.log2((2 * 1 + 0.5) / (2 * 1 + 0.5)),
    Math.log2((2 * 0 + 0.5) / (2 * 1 + 0.5)),
  ];
  close(idf, expected);
  const w = bdc(X, idf);
  const n0 = Math.hypot(expected[0], expected[1]);
  close(denseRow(w, 0), [expected[0] / n0, expected[1] / n0, 0, 0]);
  // Row 2: term 2 has idf 0, so only term 3 remains, with norm |idf3| → sign kept.
  close(denseRow(w, 2), [0, 0, 0, -1]);
});

test('takeRows and hstackDense keep values in place', () => {
  const t = takeRows(X, [2, 0]);
  close(denseRow(t, 0), [0, 0, 1, 3]);
  close(denseRow(t, 1), [2, 1, 0, 0]);
  const z = Float32Array.from([0.5, -0.5, 1, 2, 0, 0, 3, 4]);
  const h = hstackDense(z, 2, X);
  assert.equal(h.cols, 6);
  close(denseRow(h, 0), [0.5, -0.5, 2, 1, 0, 0]);
  close(denseRow(h, 3), [3, 4, 0, 0, 0, 0]);
  close(denseRow(denseToCsr(z, 2), 1), [1, 2]);
});

test('projectDocuments computes cosine-normalized R v from bnn', () => {
  // R: 2 dims × 4 words, word-major.
  const r = { dim: 2, vocabSize: 4, data: Float32Array.from([1, 0, 0, 1, 1, 1, -2, 0]) };
  const z = projectDocuments(bnn(X), r);
  // doc0: words 0,1 → (1,1)/√2 ; doc2: words 2,3 → (-1,1)/√2 ; doc3 empty → 0.
  const s = Math.SQRT1_2;
  close(z.subarray(0, 2), [s, s], 1e-7);
  close(z.subarray(4, 6), [-s, s], 1e-7);
  close(z.subarray(6, 8), [0, 0]);
  assert.throws(() => projectDocuments(bnn(X), { dim: 2, vocabSize: 3, data: new Float32Array(6) }), /terms/);
});

test('binary bag: distinct words in first-occurrence order with counts; ‖R v‖ bit-identical to one word per pass', () => {
  const rng = new Rng(11);
  const V = 40;
  const dim = 7;
  const data = Float32Array.from({ length: V * dim }, () => rng.next() * 2 - 1);
  const bag = new BinaryBag(V);
  const acc = new Float64Array(dim);
  for (let trial = 0; trial < 200; trial++) {
    const ids = Int32Array.from({ length: rng.int(30) }, () => rng.int(V));
    bag.fill(ids);
    const order = [...new Set(ids)];
    assert.deepEqual(Array.from(bag.words.subarray(0, bag.size)), order);
    for (const w of order) assert.equal(bag.occurrences(w), ids.filter((i) => i === w).length);
    for (let w = 0; w < V; w++) if (!order.includes(w)) assert.equal(bag.occurrences(w), 0, 'a word of an earlier bag only');
    const sum = new Float64Array(dim);
    for (const w of order) for (let j = 0; j < dim; j++) sum[j] += data[w * dim + j];
    const s = sum.reduce((t, x) => t + x * x, 0);
    assert.equal(inverseProjectionNorm(bag, widenWordMatrix({ dim, vocabSize: V, data }), acc), s > 0 ? 1 / Math.sqrt(s) : 0);
  }
});
