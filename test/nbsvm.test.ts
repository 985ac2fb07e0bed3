import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NbRatios, nbScale } from '../src/features/nb-ratios.js';
import { NgramHasher, tokenHash } from '../src/features/ngrams.js';
import { denseRow } from '../src/features/matrix.js';
import { documentFrequencies, dropRareColumns } from '../src/features/document-frequency.js';
import type { CsrMatrix } from '../src/features/csr.js';
import { NbSvm, NbLogistic, type NbSvmDual } from '../src/models/classifiers/nbsvm.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { LinearSVC } from '../src/models/classifiers/svm.js';
import { selectNbSvm } from '../src/models/classifiers/nbsvm-selection.js';
import { arraySource } from '../src/corpus/record.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { crossValidateRows } from '../src/eval/cv.js';
import { BEYOND_ROW_IDS } from '../src/eval/rows.js';
import { Rng } from '../src/util/rng.js';

function csr(rows: number[][], cols: number): CsrMatrix {
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (const r of rows) {
    r.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        data.push(v);
      }
    });
    indptr.push(indices.length);
  }
  return { rows: rows.length, cols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

test('NB ratios: r = log((p/‖p‖₁)/(q/‖q‖₁)) on hand-computed counts; binarized; α smoothing; one-vs-rest', () => {
  // Counts above 1 count once (binarized).
  const X = csr([[2, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 3]], 3);
  const y = [1, 1, 0, 0];
  const r = NbRatios.fit(X, y, { alpha: 1 }).ratios(1);
  // p = 1 + [2, 1, 0] = [3, 2, 1], ‖p‖ = 6; q = 1 + [0, 1, 2] = [1, 2, 3], ‖q‖ = 6.
  const want = [Math.log(3 / 6 / (1 / 6)), Math.log(2 / 6 / (2 / 6)), Math.log(1 / 6 / (3 / 6))];
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(r[j] - want[j]) < 1e-12, `r[${j}] = ${r[j]}, want ${want[j]}`);
  // α = 0.5: p = [2.5, 1.5, 0.5] (‖4.5‖), q = [0.5, 1.5, 2.5] (‖4.5‖).
  const r2 = NbRatios.fit(X, y, { alpha: 0.5 }).ratios(1);
  assert.ok(Math.abs(r2[0] - Math.log(2.5 / 0.5)) < 1e-12);
  // Unequal norms: p = 1 + [1, 1, 1, 0] = [2, 2, 2, 1] (‖7‖); q = 1 + [0, 0, 0, 1] = [1, 1, 1, 2] (‖5‖).
  const Y = csr([[1, 1, 1, 0], [0, 0, 0, 1]], 4);
  const r3 = NbRatios.fit(Y, [1, 0], { alpha: 1 }).ratios(1);
  assert.ok(Math.abs(r3[0] - Math.log(2 / 7 / (1 / 5))) < 1e-12);
  assert.ok(Math.abs(r3[3] - Math.log(1 / 7 / (2 / 5))) < 1e-12);
  // Two classes: class 0 against the rest is exactly −r.
  const r0 = NbRatios.fit(X, y, { alpha: 1 }).ratios(0);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(r0[j] + r[j]) < 1e-12);
  // Three classes one-vs-rest: class 2 against classes 0 and 1 pooled.
  const r3c = NbRatios.fit(X, [0, 1, 2, 2], { alpha: 1, classes: 3 }).ratios(2);
  // p = 1 + [0, 1, 2] = [1, 2, 3] (6); q = 1 + [2, 1, 0] = [3, 2, 1] (6).
  assert.ok(Math.abs(r3c[2] - Math.log(3 / 1)) < 1e-12);
  assert.throws(() => NbRatios.fit(X, y, { alpha: 0 }), /α must be a positive number/);
  assert.throws(() => NbRatios.fit(X, [0, 1, 2, 0], { alpha: 1 }), /labels must be integers in 0\.\.1; row 2 has 2/);
  const scaled = nbScale(X, r);
  assert.deepEqual(Array.from(denseRow(scaled, 0)), [r[0], r[1], 0]);
});

/** Two overlapping word distributions, n documents, 0/1 labels. */
function synthetic(n: number, seed: number, vocab = 60): { X: CsrMatrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const row = new Array<number>(vocab).fill(0);
    for (let k = 0; k < 12; k++) {
      const w = rng.int(vocab);
      // Class 1 favours the upper half of the words, class 0 the lower half.
      const biased = rng.int(3) === 0 ? (y[i] === 1 ? vocab / 2 + (w % (vocab / 2)) : w % (vocab / 2)) : w;
      row[biased] = 1;
    }
    rows.push(row);
  }
  return { X: csr(rows, vocab), y };
}

test('NBSVM: β = 0 is the SVM on x̂ ∘ r; β = 1 scores along r (the MNB direction); weights per feature sum to the score', () => {
  const { X, y } = synthetic(200, 3);
  const m = new NbSvm({ alpha: 1, C: 0.5, beta: 0.25, seed: 7 }).fit(X, y);
  const svm = new LinearSVC({ C: 0.5, seed: 7 }).fit(nbScale(X, m.r), y);
  const a = m.decisionFunction(X, 0);
  const b = svm.decisionFunction(nbScale(X, m.r));
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9, `row ${i}: ${a[i]} vs ${b[i]}`);
  // β = 1: every weight is w̄ r_j, so the weights are r scaled by one positive constant.
  const w1 = m.featureWeights(1);
  const k = w1[0] / m.r[0];
  assert.ok(k > 0);
  for (let j = 0; j < w1.length; j++) assert.ok(Math.abs(w1[j] - k * m.r[j]) < 1e-12);
  let l1 = 0;
  for (const w of m.svmCoef) l1 += Math.abs(w);
  assert.ok(Math.abs(k - l1 / m.seenColumns) < 1e-12, 'w̄ = ‖w‖₁ / columns seen');
  // Inputs computed once for a C grid give the very fit that computing them in fit gives; inputs of other rows or α are refused.
  const inputs = NbSvm.inputs(X, y, 1);
  assert.deepEqual(new NbSvm({ alpha: 1, C: 0.5, beta: 0.25, seed: 7 }).fit(X, y, 0, inputs).featureWeights(), m.featureWeights());
  assert.throws(() => new NbSvm({ alpha: 0.5, C: 0.5 }).fit(X, y, 0, inputs), /precomputed inputs were made for other rows, α, document-frequency floor or raw columns/);
  // In between: the straight line between the two.
  const wh = m.featureWeights(0.25);
  const w0 = m.featureWeights(0);
  for (let j = 0; j < wh.length; j++) assert.ok(Math.abs(wh[j] - (0.75 * w0[j] + 0.25 * w1[j])) < 1e-12);
  // The classifier learns the synthetic signal.
  const test = synthetic(400, 99);
  let hits = 0;
  const pred = m.predict(test.X);
  for (let i = 0; i < pred.length; i++) if (pred[i] === test.y[i]) hits++;
  assert.ok(hits / pred.length > 0.75, `held-out accuracy ${hits / pred.length}`);
  const lr = new NbLogistic({ alpha: 1, C: 1 }).fit(X, y);
  const p = lr.predictProba(test.X);
  assert.ok(p.every((v) => v > 0 && v < 1));
  assert.throws(() => new NbSvm({ beta: 1.5 }), /NBSVM option beta must be a number ≥ 0 and ≤ 1, got 1\.5/);
  assert.throws(() => new NbLogistic({ alpha: 0 }), /option alpha must be a positive number/);
  assert.deepEqual(Object.keys(new NbSvm().describe()).sort(), ['C', 'alpha', 'beta', 'bias', 'loss', 'minDf', 'seed'], 'options declared once, in a table');
  // Mesnil et al.'s script: logistic regression on x̂ ∘ r with no intercept (liblinear -s 0, no -B).
  const mesnil = new NbSvm({ alpha: 1, C: 1, beta: 0, loss: 'logistic', bias: 0, seed: 7 }).fit(X, y);
  const logistic = new LogisticRegression({ C: 1, bias: 0, seed: 7 }).fit(nbScale(X, mesnil.r), y);
  assert.equal(mesnil.intercept, 0);
  assert.deepEqual(mesnil.svmCoef, logistic.coef);
  assert.throws(() => new NbSvm({ loss: 'hinge' as 'logistic' }), /NBSVM option loss/);
});

test('document-frequency floor: rare columns dropped from the rows, leading raw columns kept; NBSVM gives them no ratio and no weight at any β', () => {
  // Column 0 in 3 rows, 1 in 2, 2 in 1, 3 in none; a stored zero is not a presence.
  const X = csr([[1, 1, 0, 0], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0]], 4);
  const withZero = { ...X, data: Float64Array.from(X.data, (v, p) => (p === 1 ? 0 : v)) };
  assert.deepEqual(Array.from(documentFrequencies(X)), [3, 2, 1, 0]);
  assert.deepEqual(Array.from(documentFrequencies(withZero)), [3, 1, 1, 0]);
  const two = dropRareColumns(X, 2);
  assert.deepEqual([two.rows, two.cols], [4, 4]);
  assert.deepEqual(Array.from(denseRow(two, 1)), [1, 0, 0, 0]);
  assert.deepEqual(Array.from(two.indptr), [0, 2, 3, 5, 5]);
  assert.equal(dropRareColumns(X, 1), X, 'a floor of 1 keeps every column (no copy)');
  // Columns below `from` are real-valued features: kept whatever their frequency.
  assert.deepEqual(Array.from(denseRow(dropRareColumns(X, 3), 0)), [1, 0, 0, 0]);
  assert.deepEqual(Array.from(denseRow(dropRareColumns(X, 3, 2), 0)), [1, 1, 0, 0]);
  assert.throws(() => dropRareColumns(X, 0), /document-frequency floor must be an integer ≥ 1, got 0/);
  // NBSVM with the floor is NBSVM on the matrix without those columns: same ratios and weights on the kept ones, zero on the others.
  const { X: S, y } = synthetic(200, 11, 400);
  const df = documentFrequencies(S);
  const floor = 5;
  const rare = Array.from(df, (d, j) => (d > 0 && d < floor ? j : -1)).filter((j) => j >= 0);
  assert.ok(rare.length > 20 && rare.length < 300, `the synthetic matrix needs some rare columns, got ${rare.length}`);
  const m = new NbSvm({ alpha: 1, C: 0.5, beta: 0.25, minDf: floor, seed: 7 }).fit(S, y);
  const manual = new NbSvm({ alpha: 1, C: 0.5, beta: 0.25, seed: 7 }).fit(dropRareColumns(S, floor), y);
  const keptCols = Array.from(df).filter((d) => d >= floor).length;
  assert.equal(m.seenColumns, keptCols, 'w̄ averages over the kept columns');
  for (const beta of [0, 0.25, 1]) {
    const w = m.featureWeights(beta);
    for (const j of rare) assert.equal(w[j], 0, `rare column ${j} at β ${beta}`);
    assert.deepEqual(Array.from(m.decisionFunction(S, beta)).map((v) => v.toFixed(9)), Array.from(manual.decisionFunction(dropRareColumns(S, floor), beta)).map((v) => v.toFixed(9)));
  }
  assert.throws(() => new NbSvm({ minDf: 2 }).fit(S, y, 0, NbSvm.inputs(S, y, 1)), /document-frequency floor/);
});

test('floorInputs: one count of the rows gives, at every floor, exactly the ratios and scaled rows of the matrix without the rare columns', () => {
  const { X: S, y } = synthetic(200, 11, 400);
  // Leading real-valued columns (document vectors) stay as given at every floor.
  const raw = 3;
  const rng = new Rng(4);
  const dense = Array.from({ length: S.rows }, () => [rng.next() - 0.5, rng.next(), 0]);
  const rows = Array.from({ length: S.rows }, (_, i) => [...dense[i], ...Array.from(denseRow(S, i))]);
  const X = csr(rows, S.cols + raw);
  const at = NbSvm.floorInputs(X, y, 0.5, raw);
  for (const minDf of [1, 3, 6]) {
    const got = at(minDf);
    // The construction before floorInputs: drop the rare columns, count NB ratios on what is left, scale.
    const kept = dropRareColumns(X, minDf, raw);
    const df = documentFrequencies(X);
    const r = NbRatios.fit(kept, y, { alpha: 0.5 }).ratios(1);
    r.fill(1, 0, raw);
    for (let j = raw; j < X.cols; j++) if (df[j] < minDf) r[j] = 0;
    const scaled = nbScale(kept, r);
    for (let p = 0; p < kept.indptr[kept.rows]; p++) if (kept.indices[p] < raw) scaled.data[p] = kept.data[p];
    assert.deepEqual(Array.from(got.r), Array.from(r), `ratios at floor ${minDf}`);
    assert.deepEqual([Array.from(got.scaled.indptr), Array.from(got.scaled.indices), Array.from(got.scaled.data)], [Array.from(scaled.indptr), Array.from(scaled.indices), Array.from(scaled.data)], `rows at floor ${minDf}`);
    assert.equal(got.seenColumns, Array.from(df).filter((d, j) => j >= raw && d >= minDf).length);
  }
  assert.ok(at(6).scaled.indptr[X.rows] < at(1).scaled.indptr[X.rows], 'the floor dropped entries');
  assert.throws(() => at(0), /floor must be an integer ≥ 1, got 0/);
});

test('NBSVM: decisionFunctions scores a β grid in one pass, equal to decisionFunction at each β up to rounding', () => {
  const { X, y } = synthetic(200, 3, 80);
  for (const loss of ['logistic', 'squared-hinge'] as const) {
    const m = new NbSvm({ loss, C: 0.5, minDf: 2, seed: 3 }).fit(X, y);
    const betas = [0, 0.25, 0.75, 1];
    const all = m.decisionFunctions(X, betas);
    betas.forEach((beta, k) => {
      const one = m.decisionFunction(X, beta);
      for (let i = 0; i < X.rows; i++) assert.ok(Math.abs(all[k][i] - one[i]) <= 1e-12 * (1 + Math.abs(one[i])), `${loss}, β ${beta}, row ${i}: ${all[k][i]} vs ${one[i]}`);
    });
  }
});

test('NBSVM warm start: a logistic fit started from another C or floor on the same rows reaches the cold fit within tolerance', () => {
  const { X, y } = synthetic(300, 8, 120);
  const tol = 1e-5;
  const at = NbSvm.floorInputs(X, y, 1, 0);
  const fit = (C: number, minDf: number, warm?: NbSvmDual): NbSvm => new NbSvm({ loss: 'logistic', bias: 0, C, minDf, seed: 2 }).fit(X, y, 0, at(minDf), warm);
  const first = fit(0.3, 1);
  assert.ok(first.dual && first.dual.C === 0.3 && first.dual.alpha.length === X.rows);
  for (const [C, minDf] of [[1, 1], [0.3, 3], [1, 3]]) {
    // A tight tolerance, so both are at the one optimum: the weights then agree closely.
    const lr = (): LogisticRegression => new LogisticRegression({ C, bias: 0, seed: 2, tol });
    const a = lr().fit(at(minDf).scaled, y).coef;
    const b = lr().fitFrom(at(minDf).scaled, y, first.dual, 'none').coef;
    let diff = 0;
    for (let j = 0; j < a.length; j++) diff = Math.max(diff, Math.abs(a[j] - b[j]));
    assert.ok(diff < 1e-3, `C ${C}, floor ${minDf}: largest weight difference ${diff}`);
    // At the default tolerance NbSvm's warm fit scores like the cold one.
    const w = fit(C, minDf, first.dual).decisionFunction(X);
    const c = fit(C, minDf).decisionFunction(X);
    const agree = w.filter((v, i) => v > 0 === c[i] > 0).length;
    assert.ok(agree >= X.rows - 2, `C ${C}, floor ${minDf}: ${agree}/${X.rows} predictions agree`);
  }
  // The squared-hinge SVM has no dual to share.
  assert.equal(new NbSvm({ loss: 'squared-hinge', C: 1 }).fit(X, y).dual, undefined);
});

test('NBSVM selection: every (loss, intercept, C) is one fit per fold, every β scored on it; the best point is refitted as chosen', () => {
  const { X, y } = synthetic(300, 5);
  const grid = { alphas: [1], minDfs: [1, 3], Cs: [0.1, 1], betas: [0, 0.5], losses: ['squared-hinge', 'logistic'] as const, biases: [1, 0] };
  let fits = 0;
  const sel = selectNbSvm(X, y, grid, { folds: 3, seed: 2, onFit: (d) => (fits = d) });
  assert.equal(fits, 3 * 2 * 2 * 2 * 2);
  assert.equal(sel.scores.length, 2 * 2 * 2 * 2 * 2);
  const best = Math.max(...sel.scores.map((s) => s.accuracy));
  const first = sel.scores.find((s) => s.accuracy === best);
  assert.deepEqual([sel.minDf, sel.loss, sel.bias, sel.C, sel.beta], [first?.minDf, first?.loss, first?.bias, first?.C, first?.beta], 'ties keep the earlier grid point');
  assert.ok(sel.scores.some((s) => s.minDf === 3) && sel.scores.some((s) => s.minDf === 1));
  assert.ok(sel.scores.some((s) => s.loss === 'logistic' && s.bias === 0));
});

test('NBSVM selection on 2 and 3 threads: folds scored on workers give bit-identical scores, choice and out-of-fold values', () => {
  const { X, y } = synthetic(400, 9, 120);
  const grid = { alphas: [1], minDfs: [1, 2], Cs: [0.3, 1], betas: [0, 0.5, 0.75], losses: ['logistic'] as const, biases: [0] };
  const one = selectNbSvm(X, y, grid, { folds: 4, seed: 3, threads: 1 });
  for (const threads of [2, 3]) {
    let last = 0;
    const many = selectNbSvm(X, y, grid, { folds: 4, seed: 3, threads, onFit: (d, t) => (last = d === t ? d : last) });
    assert.deepEqual(many.scores, one.scores, `${threads} threads: scores`);
    assert.deepEqual([many.minDf, many.C, many.beta], [one.minDf, one.C, one.beta]);
    assert.deepEqual(Array.from(many.oof), Array.from(one.oof), `${threads} threads: out-of-fold values`);
    assert.equal(last, 4 * 4, 'progress reaches every fit');
  }
  assert.throws(() => selectNbSvm(X, y, grid, { folds: 4, seed: 3, threads: 0 }), /threads must be a positive integer, got 0/);
});

test('n-grams: shorter than n, repeated n-grams once, order-sensitive, ids hash like strings, collisions counted', () => {
  const tri = new NgramHasher({ order: 3, bits: 20 });
  // One token: only its unigram.
  assert.equal(tri.transformTokens([['great']]).indptr[1], 1);
  // Two tokens under order 3: 2 unigrams + 1 bigram, no trigram.
  assert.equal(tri.transformTokens([['not', 'good']]).indptr[1], 3);
  // Empty document: an empty row.
  assert.equal(tri.transformTokens([[]]).indptr[1], 0);
  // Repeats count once (binary): "a b a b" has unigrams a, b; bigrams ab, ba; trigrams aba, bab.
  const rep = tri.transformTokens([['a', 'b', 'a', 'b']]);
  assert.equal(rep.indptr[1], 6);
  assert.ok(Array.from(rep.data).every((v) => v === 1));
  // Order matters: "not good" and "good not" share unigrams only.
  const two = new NgramHasher({ order: 2, bits: 20 }).transformTokens([['not', 'good'], ['good', 'not']]);
  const first = new Set(two.indices.subarray(0, 3));
  const shared = Array.from(two.indices.subarray(3, 6)).filter((c) => first.has(c));
  assert.equal(shared.length, 2);
  // Token ids through tokenHashes give the same buckets as the strings.
  const words = ['the', 'film', 'was', 'not', 'good'];
  const docs = { count: 1, offsets: Int32Array.from([0, 5]), tokens: Int32Array.from([0, 1, 2, 3, 4]) };
  const viaIds = tri.transform(docs, NgramHasher.tokenHashes(words));
  const viaStrings = tri.transformTokens([words]);
  assert.deepEqual(Array.from(viaIds.indices), Array.from(viaStrings.indices));
  assert.equal(tokenHash('film'), NgramHasher.tokenHashes(['film'])[0]);
  // Two buckets: the 12 n-grams of these five tokens must collide, and colliding n-grams make one feature of value 1.
  const tiny = new NgramHasher({ order: 3, bits: 1 });
  const st = tiny.stats(docs, NgramHasher.tokenHashes(words), NgramHasher.fingerprints(words));
  assert.equal(st.occupiedBuckets, 2);
  assert.equal(st.collidedBuckets, 2);
  const row = tiny.transform(docs, NgramHasher.tokenHashes(words));
  assert.equal(row.indptr[1], 2);
  // Enough buckets: twelve distinct n-grams, no collision.
  const wide = new NgramHasher({ order: 3, bits: 24 }).stats(docs, NgramHasher.tokenHashes(words), NgramHasher.fingerprints(words));
  assert.equal(wide.occupiedBuckets, 12);
  assert.equal(wide.collidedBuckets, 0);
  // Explanations: every n-gram of the text with its position and bucket.
  const occ = tri.occurrences(words);
  assert.equal(occ.length, 12);
  assert.deepEqual(occ.slice(0, 3).map((o) => [o.start, o.n]), [[0, 1], [0, 2], [0, 3]]);
  assert.throws(() => new NgramHasher({ order: 0 }), /order must be an integer in 1\.\.5/);
});

test('leakage: with labels shuffled, every beyond row stays at chance in sentivec cv (NB ratios, vectors, stacking refitted inside the folds)', async () => {
  // Strong signal first (the text predicts the original label almost perfectly), then the labels are shuffled:
  // a label-fitted step outside the folds would score far above 50%.
  const rng = new Rng(5);
  const n = 2400;
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const review = (positive: boolean): string => {
    const words: string[] = [];
    for (let k = 0; k < 14; k++) words.push(`${positive ? 'p' : 'q'}${rng.int(40)}`, `w${rng.int(300)}`);
    return words.join(' ');
  };
  const records = labels.map((l) => ({ text: review(l === 1), label: '' }));
  // Unlabeled text for the vector rows (full-unlabeled vectors); it carries no labels to leak.
  const unlabeled = [arraySource(Array.from({ length: 600 }, (_, i) => ({ text: review(i % 2 === 1) })), 'unlabeled')];
  const corpusOf = () => buildRecordCorpus(arraySource(records), unlabeled, { skipTop: 0, minCount: 1, keepTokens: true });
  const options = { folds: 4, innerFolds: 3, cGrid: [0.1, 1], seed: 1, model: { maxEpochs: 3 }, ngramBits: 16, nbsvm: { alphas: [1, 0.25], Cs: [0.03, 0.3], betas: [0, 0.5] }, nbTrainable: { lrs: [0.02, 0.05], epochs: [2] }, docVectors: { dim: 16, epochs: 10, inferEpochs: 10, bits: 16, minCount: 2, sample: 0 } };
  // The true labels are learnable (so chance below is the shuffle, not a broken row).
  records.forEach((r, i) => (r.label = labels[i] === 1 ? 'pos' : 'neg'));
  const real = crossValidateRows(await corpusOf(), { ...options, rows: ['nbsvm-uni', 'nbsvm-pp', 'dv-ngrams', 'ensemble'] });
  for (const row of real.rows) assert.ok(row.mean > 0.95, `true labels, ${row.id}: ${row.mean}`);
  const shuffled = rng.shuffle(Int32Array.from(labels));
  records.forEach((r, i) => (r.label = shuffled[i] === 1 ? 'pos' : 'neg'));
  const result = crossValidateRows(await corpusOf(), { ...options, rows: [...BEYOND_ROW_IDS] });
  assert.equal(result.rows.length, BEYOND_ROW_IDS.length);
  for (const row of result.rows) assert.ok(Math.abs(row.mean - 0.5) <= 0.03, `${row.id}: ${row.mean}`);
});
