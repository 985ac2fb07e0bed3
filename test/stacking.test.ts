import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { fixedFeatures } from '../src/models/classifiers/model-selection.js';
import { NbSvm } from '../src/models/classifiers/nbsvm.js';
import { NaiveBayesScorer } from '../src/models/classifiers/naive-bayes.js';
import { outOfFoldDecisions, type ScoringModel } from '../src/models/classifiers/out-of-fold.js';
import { Stacker, STACKER_C_GRID } from '../src/models/classifiers/stacking.js';
import { Rng } from '../src/util/rng.js';
import type { Review } from '../src/corpus/review.js';
import type { TokenizedDocs } from '../src/text/documents.js';
import { tokenizeCorpus } from '../src/text/tokenized-corpus.js';
import { Tokenizer } from '../src/text/tokenizer.js';

/** One column per row: column i is row i's id, so a model can tell which rows it was fitted on. */
function identityRows(n: number): CsrMatrix {
  return { rows: n, cols: n, indptr: Int32Array.from({ length: n + 1 }, (_, i) => i), indices: Int32Array.from({ length: n }, (_, i) => i), data: new Float64Array(n).fill(1) };
}

/** Scores +1 on a row it was fitted on, −1 otherwise: a perfect memorizer. */
class Memorizer implements ScoringModel {
  private seen = new Set<number>();
  fit(X: CsrMatrix): this {
    for (let i = 0; i < X.rows; i++) this.seen.add(X.indices[X.indptr[i]]);
    return this;
  }
  decisionFunction(X: CsrMatrix): Float64Array {
    return Float64Array.from({ length: X.rows }, (_, i) => (this.seen.has(X.indices[X.indptr[i]]) ? 1 : -1));
  }
}

test('out-of-fold decisions: no row is scored by a model that was fitted on it', () => {
  const n = 50;
  const y = Uint8Array.from({ length: n }, (_, i) => i % 2);
  const oof = outOfFoldDecisions(() => new Memorizer(), fixedFeatures(identityRows(n)), y, { folds: 5, seed: 3 });
  assert.deepEqual(Array.from(oof), new Array(n).fill(-1));
});

test('stacking: the informative member gets the weight, the noise member next to none; C from the grid by CV', () => {
  const rng = new Rng(4);
  const n = 2000;
  const y = Uint8Array.from({ length: n }, (_, i) => i % 2);
  // Member 0: a noisy margin around the label, on a large scale; member 1: pure noise.
  const informative = Float64Array.from(y, (v) => 40 * ((v === 1 ? 1 : -1) + 1.2 * rng.normal()));
  const noise = Float64Array.from(y, () => rng.normal());
  const stacker = Stacker.fit([informative, noise], y, { folds: 4, seed: 1 });
  const [w0, w1] = stacker.weights;
  assert.ok(w0 > 0, `informative weight ${w0}`);
  assert.ok(Math.abs(w1) < 0.2 * w0, `noise weight ${w1} against ${w0}`);
  assert.ok(STACKER_C_GRID.includes(stacker.selection.C));
  assert.equal(stacker.selection.scores.length, STACKER_C_GRID.length);
  // It predicts like the informative member's sign (the noise adds nothing).
  const pred = stacker.predict([informative, noise]);
  let agree = 0;
  for (let i = 0; i < n; i++) if (pred[i] === (informative[i] > 0 ? 1 : 0)) agree++;
  assert.ok(agree / n > 0.97, `agreement ${agree / n}`);
  assert.throws(() => stacker.predict([informative]), /stacker has 2 members, got 1 score columns/);
  assert.throws(() => Stacker.fit([], y, { folds: 4, seed: 1 }), /at least one member/);
});

test('NBSVM with raw columns: document vectors used as given (no NB ratio, binarization or interpolation)', () => {
  const rng = new Rng(9);
  const n = 400;
  // Column 0 is a real-valued score carrying the label; columns 1..20 are label-free binary noise.
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    indices.push(0);
    data.push((y[i] === 1 ? 0.5 : -0.5) + 0.3 * rng.normal());
    for (let j = 1; j <= 20; j++) if (rng.int(4) === 0) {
      indices.push(j);
      data.push(1);
    }
    indptr.push(indices.length);
  }
  const X: CsrMatrix = { rows: n, cols: 21, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
  const m = new NbSvm({ C: 1, beta: 0.5 }).fit(X, y, 1);
  assert.equal(m.r[0], 1);
  // The raw column's weight is its SVM weight at every β, and the score multiplies it by the value.
  for (const beta of [0, 0.5, 1]) assert.equal(m.featureWeights(beta)[0], m.svmCoef[0]);
  assert.ok(m.svmCoef[0] > 1, `raw weight ${m.svmCoef[0]}`);
  let hits = 0;
  m.predict(X).forEach((p, i) => (hits += p === y[i] ? 1 : 0));
  assert.ok(hits / n > 0.85, `training accuracy ${hits / n}`);
  assert.equal(m.seenColumns, 20, 'w̄ counts n-gram columns only');
  assert.throws(() => new NbSvm().fit(X, y, 22), /rawColumns must be an integer in 0\.\.21, got 22/);
});

test("n-gram rows' tokens: lowercased, <br /> gone, punctuation as tokens; the paper's vocabulary keeps its own tokenizer", async () => {
  const reviews: Review[] = [
    { id: 1, text: 'Great movie.<br /><br />NOT bad, really!', stars: 9, label: 'pos', bucket: 'train' },
    { id: 2, text: 'Awful... just awful?', stars: 1, label: 'neg', bucket: 'test' },
  ];
  const corpus = await tokenizeCorpus(reviews, { tokenizer: new Tokenizer({ mode: 'paper' }), size: 100, skipTop: 0, keepTokens: true });
  const all = corpus.allTokens;
  assert.ok(all);
  const text = (docs: TokenizedDocs, d: number): string[] => Array.from(docs.tokens.subarray(docs.offsets[d], docs.offsets[d + 1]), (id) => all.words[id]);
  assert.deepEqual(text(all.train, 0), ['great', 'movie', '.', 'not', 'bad', ',', 'really', '!']);
  assert.deepEqual(text(all.test, 0), ['awful', '.', 'just', 'awful', '?']);
  // The paper's tokenizer drops '.' and ',' (its vocabulary is unchanged by the n-gram tokens).
  assert.ok(corpus.vocabulary.id('.') < 0);
});

test('Naive Bayes scorer: Σ x̂_j r_j + log(n₊/n₋), binarized', () => {
  const X: CsrMatrix = { rows: 3, cols: 2, indptr: Int32Array.from([0, 1, 2, 4]), indices: Int32Array.from([0, 1, 0, 1]), data: Float64Array.from([3, 1, 1, 1]) };
  const y = [1, 0, 1];
  const nb = new NaiveBayesScorer(1).fit(X, y);
  // p = 1 + [2, 1] = [3, 2] (5), q = 1 + [0, 1] = [1, 2] (3): r = [log(9/5), log(6/10)].
  const r = [Math.log(3 / 5 / (1 / 3)), Math.log(2 / 5 / (2 / 3))];
  const d = nb.decisionFunction(X);
  const prior = Math.log(2 / 1);
  assert.ok(Math.abs(d[0] - (r[0] + prior)) < 1e-12);
  assert.ok(Math.abs(d[2] - (r[0] + r[1] + prior)) < 1e-12);
  assert.throws(() => new NaiveBayesScorer().fit(X, [1, 1, 1]), /both classes/);
});
