/**
 * Naive-Bayes features for k > 2 classes (issue #14): the one-vs-rest NB
 * logistic regression (nb-one-vs-rest.ts) folds each class's ratios into its
 * weights; the nbsvm-* blueprints train, explain and round-trip a 3-class
 * model; and the estimate with shuffled labels is chance on a corpus where
 * ratios fitted on held-out rows would show (every document has words of
 * its own), so the ratios are refitted inside every fold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import type { CsrMatrix } from '../src/features/csr.js';
import { NbRatios } from '../src/features/nb-ratios.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { NbOneVsRest } from '../src/models/classifiers/nb-one-vs-rest.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { Rng } from '../src/util/rng.js';
import { classMatrix } from './fixtures/class-matrix.js';

const LABELS = ['negative', 'neutral', 'positive'];
const SMALL = { dim: 8, epochs: 2, minCount: 2, skipTop: 0, threads: 1, seed: 3, folds: 3, cGrid: [0.1, 1, 10] } as const;

/**
 * Three classes told apart only by bigrams: every document has the same
 * words "not", "so", "bad", "good", "late", "on", "time" in a random order
 * except for its class's pair (negative "so bad", neutral "on time",
 * positive "not bad").
 */
function bigramRecords(n: number, seed: number): { text: string; label: string }[] {
  const rng = new Rng(seed);
  const pairs = [['so', 'bad'], ['on', 'time'], ['not', 'bad']];
  const filler = ['not', 'so', 'bad', 'good', 'late', 'on', 'time', 'the', 'flight', 'was'];
  return Array.from({ length: n }, (_, i) => {
    const c = i % 3;
    const words = Array.from({ length: 8 }, () => filler[rng.int(filler.length)]);
    // Shuffled filler never forms a pair by chance often enough to matter; the class's pair is inserted at a random place.
    words.splice(rng.int(words.length + 1), 0, ...pairs[c]);
    return { text: words.join(' '), label: LABELS[c] };
  });
}

test('one-vs-rest NB logistic regression: class c is the binary LR on the bag scaled by r_c, folded into unscaled weights; columns below `from` stay unscaled', () => {
  // Column 0: a dense value (a vector block); then the class's word (80%) and two noise words.
  const { X, y } = classMatrix(120, 3, 10, 5, (c, rng) => {
    const word = 1 + (rng.next() < 0.8 ? c : rng.int(3));
    const noise = [4 + rng.int(3), 7 + rng.int(3)];
    return [[0, rng.next() - 0.5], [word, 0.5], [noise[0], 0.5], [noise[1], 0.5]];
  });
  const n = X.rows;
  const ovr = new NbOneVsRest({ C: 1, alpha: 1, from: 1, tol: 0.01, seed: 1 }).fit(X, y, 3);
  const r1 = NbRatios.fit(X, y, { alpha: 1, classes: 3 }).ratios(1);
  const scaled: CsrMatrix = { ...X, data: X.data.map((v, p) => (X.indices[p] >= 1 ? v * r1[X.indices[p]] : v)) };
  const one = new LogisticRegression({ C: 1, tol: 0.01, seed: 1 }).fit(scaled, Uint8Array.from(y, (v) => (v === 1 ? 1 : 0)));
  const direct = one.decisionFunction(scaled);
  const folded = ovr.decisionFunction(X);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(folded[i * 3 + 1] - direct[i]) < 1e-9, `row ${i}: ${folded[i * 3 + 1]} vs ${direct[i]}`);
  assert.equal(ovr.coef[10], one.coef[0], 'the unscaled column keeps its weight');
  const p = ovr.predictProba(X);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2] - 1) < 1e-12);
  const hits = Array.from(ovr.predict(X)).filter((c, i) => c === y[i]).length;
  assert.ok(hits / n > 0.75, `training accuracy ${hits / n}`);
  assert.throws(() => new NbOneVsRest({ C: 1, alpha: 1, tol: 0.01, seed: 1 }).fit(X, Uint8Array.from(y, (v) => v % 2), 2), /k ≥ 3/);
});

test('warm start along a C path: each head reaches the cold fit\'s weights in fewer solver passes', () => {
  // Noisy classes, so large C is a slow fit: the class's word 60% of the time, among four noise words.
  const { X, y } = classMatrix(600, 3, 40, 9, (c, rng) => [[rng.next() < 0.6 ? c : rng.int(3), 1], ...Array.from({ length: 4 }, (): [number, number] => [3 + rng.int(37), 1])]);
  let previous: NbOneVsRest | undefined;
  let warmPasses = 0;
  let coldPasses = 0;
  for (const C of [0.3, 1, 3, 10, 30]) {
    const cold = new NbOneVsRest({ C, alpha: 1, tol: 0.01, seed: 1 }).fit(X, y, 3);
    const warm = new NbOneVsRest({ C, alpha: 1, tol: 0.01, seed: 1 }).fit(X, y, 3, previous);
    coldPasses += cold.passes;
    warmPasses += warm.passes;
    for (let j = 0; j < cold.coef.length; j++) assert.ok(Math.abs(cold.coef[j] - warm.coef[j]) < 1e-2 * Math.max(1, Math.abs(cold.coef[j])), `C ${C}, weight ${j}: ${warm.coef[j]} vs ${cold.coef[j]}`);
    const a = cold.predict(X);
    const b = warm.predict(X);
    assert.ok(a.filter((v, i) => v !== b[i]).length <= 3, `C ${C}: predictions differ`);
    previous = warm;
  }
  // 426 against 856 passes when written.
  assert.ok(warmPasses < 0.7 * coldPasses, `warm ${warmPasses} vs cold ${coldPasses} passes`);
  // A binary fit warm-started from itself at the same C starts at its optimum.
  const yb = Uint8Array.from(y, (v) => (v === 0 ? 1 : 0));
  const lr = new LogisticRegression({ C: 10, tol: 1e-3, seed: 1 }).fit(X, yb);
  const again = new LogisticRegression({ C: 10, tol: 1e-3, seed: 1 }).fitFrom(X, yb, lr);
  assert.ok(again.nIter <= 2, `${again.nIter} passes from the optimum`);
  assert.throws(() => new NbOneVsRest({ C: 1, alpha: 1, tol: 0.01, seed: 1 }).fit(X, y, 4, previous), /the warm start has 3 classes, not 4/);
});

test('nbsvm-bi on three classes told apart only by bigrams: one-vs-rest heads, estimate well above chance, explain adds up, the file round-trips', async () => {
  const model = await trainSentimentModel(arraySource(bigramRecords(450, 1)), { ...SMALL, blueprint: 'nbsvm-bi' });
  assert.equal(model.heads, 3);
  assert.equal(model.info.classifier.kind, 'one-vs-rest-logistic-regression');
  assert.ok(model.ngramCount > 0);
  const e = model.info.estimate;
  assert.ok(e && e.value > 0.8, `estimate ${e?.value}`);
  const test = bigramRecords(150, 2);
  const predicted = model.predict(test.map((r) => r.text));
  const hits = predicted.filter((p, i) => p.label === test[i].label).length;
  assert.ok(hits / test.length > 0.8, `held-out accuracy ${hits / test.length}`);
  for (const p of predicted) assert.ok(Math.abs(Object.values(p.probabilities).reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const x = model.explain('the flight was not bad');
  assert.equal(x.label, 'positive');
  const total = x.tokens.reduce((s, t) => s + t.weight, x.intercept) + (x.ngrams ?? []).reduce((s, g) => s + g.weight, 0);
  assert.ok(Math.abs(total - x.score) < 1e-9, `Σ shares + intercept ${total} vs score ${x.score}`);
  assert.equal(x.ngrams?.find((g) => g.ngram === 'not bad')?.toward, 'positive');
  const loaded = SentimentModel.fromBytes(model.toBytes());
  assert.deepEqual(loaded.predict(test.map((r) => r.text)), predicted);
});

test('NB features for three classes, labels independent of the text (as shuffled): the estimate is chance (1/3) although ratios fitted on all rows would predict those same rows', async () => {
  // 600 documents, each of 6 words from 900 (minCount 2 keeps most): many words are in a few documents only,
  // so ratios that had seen a held-out row's label would point its own words at it.
  const rng = new Rng(8);
  const rs = Array.from({ length: 600 }, (_, i) => ({ text: Array.from({ length: 6 }, () => `w${rng.int(900)}`).join(' '), label: LABELS[i % 3] }));
  const model = await trainSentimentModel(arraySource(rs), { ...SMALL, blueprint: 'nbsvm-uni' });
  const e = model.info.estimate;
  assert.ok(e, 'an estimate');
  assert.ok(Math.abs(e.value - 1 / 3) <= 0.06, `estimate ${e.value}`);
  assert.ok(e.low < 1 / 3 + 0.01, `interval ${e.low}–${e.high}`);
  // The control: the same model on the rows it was fitted on is far above chance, so a leak would have shown.
  const seen = model.predict(rs.map((r) => r.text)).filter((p, i) => p.label === rs[i].label).length / rs.length;
  assert.ok(seen > 0.6, `accuracy on the training rows ${seen}`);
});

test('temperature scaling (k > 2): recovers the temperature that made planted scores overconfident; never changes the most probable class', async () => {
  const { fitTemperature, temperatureReport } = await import('../src/models/product/calibration.js');
  const rng = new Rng(12);
  const n = 3000;
  const k = 3;
  // Calibrated scores s (labels drawn from softmax(s)), shown ×4: the fitted temperature should be ≈ 1/4.
  const shown = new Float64Array(n * k);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = [0, 1, 2].map(() => 2 * (rng.next() - 0.5));
    const z = s.reduce((a, v) => a + Math.exp(v), 0);
    let u = rng.next() * z;
    y[i] = s.findIndex((v) => (u -= Math.exp(v)) <= 0);
    if (y[i] === 255) y[i] = 2;
    s.forEach((v, c) => (shown[i * k + c] = 4 * v));
  }
  const a = fitTemperature(shown, y, k);
  assert.ok(Math.abs(a - 0.25) < 0.04, `temperature ${a}`);
  const fold = Int32Array.from({ length: n }, (_, i) => i % 3);
  const { report, probabilities } = temperatureReport(shown, y, fold, 3, k);
  assert.equal(report.method, 'temperature');
  assert.ok(report.ece < 0.05, `ECE ${report.ece}`);
  for (let i = 0; i < n; i++) {
    const best = (v: ArrayLike<number>): number => [0, 1, 2].reduce((b, c) => (v[i * k + c] > v[i * k + b] ? c : b), 0);
    assert.equal(best(probabilities), best(shown));
  }
});
