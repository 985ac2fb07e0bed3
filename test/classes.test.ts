/**
 * k > 2 classes through the product path (issue #14): the multinomial head,
 * a 3-class synthetic problem with a known answer (train → predict →
 * explain → save/load → evaluate), the estimate's leakage check (shuffled
 * labels give chance, 1/3), and evaluate's unknown and ignored labels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { evaluateModel } from '../src/eval/evaluate-model.js';
import { classificationReport } from '../src/eval/metrics.js';
import { MultinomialLogisticRegression } from '../src/models/classifiers/multinomial.js';
import { anyClassLoss, softmaxLoss } from '../src/models/classifiers/softmax-loss.js';
import { OneVsRest } from '../src/models/classifiers/one-vs-rest.js';
import { LinearSVC } from '../src/models/classifiers/svm.js';
import { startServer } from '../src/serve/server.js';
import { Rng } from '../src/util/rng.js';
import { classMatrix } from './fixtures/class-matrix.js';

const CLASS_WORDS: Record<string, string[]> = {
  negative: ['awful', 'boring', 'dull', 'tedious', 'terrible', 'worst'],
  neutral: ['flight', 'gate', 'schedule', 'arrives', 'departs', 'terminal'],
  positive: ['great', 'wonderful', 'superb', 'lovely', 'charming', 'best'],
};
const FILLER = ['the', 'a', 'plane', 'seat', 'time', 'we', 'was', 'it', 'this', 'today'];
const LABELS = Object.keys(CLASS_WORDS);

/** Balanced classes; each document has ~35% words of its class. */
function records(n: number, seed: number): { text: string; label: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = LABELS[i % 3];
    const words = Array.from({ length: 10 }, () => (rng.next() < 0.35 ? CLASS_WORDS[label][rng.int(6)] : FILLER[rng.int(FILLER.length)]));
    return { text: words.join(' '), label };
  });
}

async function* iterate(rs: { text: string; label?: string }[]): AsyncIterable<{ text: string; label?: string; source: { file: string; line: number } }> {
  for (const [i, r] of rs.entries()) yield { ...r, source: { file: 'test.csv', line: i + 2 } };
}

const SMALL = { dim: 8, epochs: 3, minCount: 2, skipTop: 0, threads: 1, seed: 3, folds: 3, cGrid: [0.1, 1, 10] } as const;

test('multinomial logistic regression: probabilities sum to 1, separable classes are learnt, the optimum has zero gradient', () => {
  // One indicator feature per class plus a shared one.
  const { X, y } = classMatrix(60, 3, 4, 0, (c) => [[c, 1], [3, 0.5]]);
  const n = X.rows;
  const { indptr, indices, data } = X;
  const lr = new MultinomialLogisticRegression({ C: 1, tol: 1e-8 }).fit(X, y);
  assert.ok(lr.converged);
  const p = lr.predictProba(X);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(p[3 * i] + p[3 * i + 1] + p[3 * i + 2] - 1) < 1e-12);
  assert.deepEqual(Array.from(lr.predict(X)), Array.from(y));
  // Stationarity: W = C Σ_i (y_i − p_i) x_iᵀ at the optimum.
  for (let c = 0; c < 3; c++) {
    for (let f = 0; f < 4; f++) {
      let g = 0;
      for (let i = 0; i < n; i++) for (let q = indptr[i]; q < indptr[i + 1]; q++) if (indices[q] === f) g += ((y[i] === c ? 1 : 0) - p[3 * i + c]) * data[q];
      assert.ok(Math.abs(lr.coef[c * 4 + f] - g) < 1e-5, `W[${c}][${f}] = ${lr.coef[c * 4 + f]} vs ${g}`);
    }
  }
});

test('the softmax loss: its three-class loop gives the bits of the loop over classes, and its gradient matches finite differences', () => {
  const rng = new Rng(5);
  for (const k of [3, 4]) {
    const { X, y } = classMatrix(40, k, 6, 2, (c) => [[c, 1], [k, 0.5 + rng.next()]]);
    const x = Float64Array.from({ length: k * X.cols + k }, () => rng.next() - 0.5);
    const loss = softmaxLoss(X, y, k, 0.7);
    const g = new Float64Array(x.length);
    const f = loss(x, g);
    if (k === 3) {
      const g2 = new Float64Array(x.length);
      assert.equal(anyClassLoss(X, y, 3, 0.7)(x, g2), f);
      assert.deepEqual(g2, g);
    }
    for (let j = 0; j < x.length; j++) {
      const h = 1e-6;
      const up = Float64Array.from(x);
      up[j] += h;
      const down = Float64Array.from(x);
      down[j] -= h;
      const numeric = (loss(up, new Float64Array(x.length)) - loss(down, new Float64Array(x.length))) / (2 * h);
      assert.ok(Math.abs(numeric - g[j]) < 1e-6 * Math.max(1, Math.abs(g[j])), `k ${k}, x[${j}]: ${g[j]} vs ${numeric}`);
    }
  }
});

test('three classes: train, predict (probabilities per label), explain (shares add up), save/load, evaluate', async () => {
  const model = await trainSentimentModel(arraySource(records(600, 1)), { ...SMALL, blueprint: 'vectors-bnc' });
  assert.deepEqual(model.labels, ['negative', 'neutral', 'positive']);
  assert.equal(model.heads, 3);
  assert.equal(model.info.classifier.kind, 'multinomial-logistic-regression');
  assert.equal(model.info.calibration?.method, 'temperature');
  const e = model.info.estimate;
  assert.ok(e && e.value > 0.8, `estimate ${e?.value}`);
  const [p] = model.predict(['a wonderful superb flight, the best']);
  assert.equal(p.label, 'positive');
  assert.deepEqual(Object.keys(p.probabilities), LABELS);
  const sum = Object.values(p.probabilities).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12);
  assert.equal(p.probability, p.probabilities.positive);
  assert.ok(p.top.positive.some((w) => w.word === 'wonderful'));
  const x = model.explain('the gate was boring and the flight awful');
  assert.equal(x.label, 'negative');
  const total = x.tokens.reduce((s, t) => s + t.weight, x.intercept);
  assert.ok(Math.abs(total - x.score) < 1e-9, `Σ shares + intercept ${total} vs score ${x.score}`);
  assert.equal(x.tokens.find((t) => t.token === 'awful')?.toward, 'negative');
  assert.equal(x.tokens.find((t) => t.token === 'gate')?.toward, 'neutral');
  // The word vectors' own k-class sentiment: each class's words lean to it.
  for (const label of LABELS) {
    for (const w of CLASS_WORDS[label].slice(0, 3)) {
      const info = model.word(w);
      assert.ok(info?.classes, `${w}: p(c | w)`);
      const best = Object.entries(info.classes).sort((a, b) => b[1] - a[1])[0][0];
      assert.equal(best, label, `${w} leans to ${best}`);
    }
  }
  assert.ok(model.map(20).every((m) => m.lean !== undefined && LABELS.includes(m.lean)));

  const loaded = SentimentModel.fromBytes(model.toBytes());
  const texts = records(30, 9).map((r) => r.text);
  assert.deepEqual(loaded.predict(texts), model.predict(texts));

  // POST /v1/predict: probabilities as an object with one entry per label.
  const { app } = await startServer(loaded, { port: 0, host: '127.0.0.1' });
  try {
    const r = await app.inject({ method: 'POST', url: '/v1/predict', payload: { texts: ['a dull boring gate', 'superb'], explain: true } });
    assert.equal(r.statusCode, 200);
    const body = r.json() as { predictions: { label: string; probabilities: Record<string, number>; tokens: { toward?: string | null }[] }[] };
    assert.deepEqual(body.predictions.map((q) => q.label), ['negative', 'positive']);
    for (const q of body.predictions) assert.deepEqual(Object.keys(q.probabilities), LABELS);
    assert.ok(body.predictions[0].tokens.some((t) => t.toward === 'negative'));
    const m = (await app.inject({ method: 'GET', url: '/v1/model' })).json() as { labels: string[]; names: string[] };
    assert.deepEqual(m.labels, LABELS);
    assert.deepEqual(m.names, LABELS);
  } finally {
    await app.close();
  }

  const held = records(300, 2);
  const report = await evaluateModel(loaded, iterate([...held, { text: 'a dull gate', label: 'mixed' }, { text: 'great', label: 'mixed' }]));
  assert.equal(report.documents, 300);
  assert.deepEqual(report.unknown, { mixed: 2 });
  assert.equal(report.confusion.length, 3);
  assert.equal(report.confusion.flat().reduce((a, b) => a + b, 0), 300);
  assert.ok(report.accuracy > 0.8, `held-out accuracy ${report.accuracy}`);
  assert.ok(report.macroF1 > 0.8);
  // The report agrees with predictions counted by hand.
  const byHand = classificationReport(held.map((r) => LABELS.indexOf(r.label)), loaded.predict(held.map((r) => r.text)).map((q) => LABELS.indexOf(q.label)), LABELS);
  assert.deepEqual(report.confusion, byHand.confusion);
  const ignoring = await evaluateModel(loaded, iterate(held), { ignoreLabels: ['neutral'] });
  assert.equal(ignoring.documents, 200);
  assert.deepEqual(ignoring.ignored, { neutral: 100 });
  assert.deepEqual(ignoring.confusion[1], [0, 0, 0]);
  // Macro-F1 averages the classes left: 'neutral' counts only if the model predicted it for some document.
  const scored = ignoring.classes.filter((m, t) => m.support > 0 || ignoring.confusion.some((row) => row[t] > 0));
  assert.ok(Math.abs(ignoring.macroF1 - scored.reduce((s, m) => s + m.f1, 0) / scored.length) < 1e-12);
  // A label asked for that no record has is reported with 0 (a typo shows).
  const typo = await evaluateModel(loaded, iterate(held), { ignoreLabels: ['neutral', 'nuetral'] });
  assert.deepEqual(typo.ignored, { neutral: 100, nuetral: 0 });
});

test('macro-F1 averages the classes present in the truth or the predictions (scikit-learn\'s default labels)', () => {
  // Class 1 neither occurs nor is predicted: F1 of class 0 is 2/3 (P 1, R 1/2), of class 2 is 4/5 (P 2/3, R 1).
  const r = classificationReport([0, 0, 2, 2], [0, 2, 2, 2], LABELS);
  assert.ok(Math.abs(r.macroF1 - (2 / 3 + 4 / 5) / 2) < 1e-12, `${r.macroF1}`);
  // Predicted but absent from the truth: it stays in the average with F1 0.
  const s = classificationReport([0, 0, 2, 2], [0, 1, 2, 2], LABELS);
  assert.ok(Math.abs(s.macroF1 - (2 / 3 + 0 + 1) / 3) < 1e-12, `${s.macroF1}`);
});

test('three classes, shuffled labels: the estimate through the whole train path (leaderboard included) is chance, 1/3', async () => {
  const rs = records(1200, 4);
  const rng = new Rng(7);
  const shuffled = rng.shuffle(Int32Array.from(rs.keys()));
  const model = await trainSentimentModel(arraySource(rs.map((r, i) => ({ text: r.text, label: rs[shuffled[i]].label }))), SMALL);
  const e = model.info.estimate;
  assert.ok(e, 'an estimate');
  assert.ok(Math.abs(e.value - 1 / 3) <= 0.05, `estimate ${e.value}`);
  assert.ok(e.low < 1 / 3 + 0.01, `interval ${e.low}–${e.high}`);
  assert.ok(model.info.leaderboard && model.info.leaderboard.entries.length > 1, 'the leaderboard ran');
});

test('--label-names: stored in the model, through save/load, on every prediction; a name for a value that is not a label is an error', async () => {
  const rs = records(300, 5).filter((r) => r.label !== 'neutral').map((r) => ({ text: r.text, label: r.label === 'positive' ? '1' : '0' }));
  const model = await trainSentimentModel(arraySource(rs), { ...SMALL, blueprint: 'bnc', labelNames: { '0': 'negative', '1': 'positive' } });
  assert.deepEqual(model.labels, ['0', '1']);
  assert.deepEqual(model.names, ['negative', 'positive']);
  const loaded = SentimentModel.fromBytes(model.toBytes());
  assert.deepEqual(loaded.names, ['negative', 'positive']);
  const [p] = loaded.predict(['wonderful superb best']);
  assert.equal(p.label, '1');
  assert.equal(p.name, 'positive');
  assert.equal(loaded.explain('awful dull').name, 'negative');
  // Without names nothing changes: no name field.
  const plain = await trainSentimentModel(arraySource(rs), { ...SMALL, blueprint: 'bnc' });
  assert.equal(plain.predict(['great'])[0].name, undefined);
  assert.deepEqual(plain.names, ['0', '1']);
  await assert.rejects(trainSentimentModel(arraySource(rs), { ...SMALL, blueprint: 'bnc', labelNames: { '2': 'neutral' } }), /--label-names names '2', which is not a label in <records> \('0', '1'\)/);
  await assert.rejects(trainSentimentModel(arraySource(rs), { ...SMALL, blueprint: 'bnc', labelNames: { '0': 'same', '1': 'same' } }), /two labels would show the same name/);
});

test('one-vs-rest LinearSVC: three separable classes are learnt; each class model is the binary SVM of that class against the rest', () => {
  const { X, y } = classMatrix(90, 3, 7, 4, (c, rng) => [[c, 1], [3 + rng.int(4), 1]]);
  const ovr = new OneVsRest(() => new LinearSVC({ C: 1 })).fit(X, y, 3);
  assert.deepEqual(Array.from(ovr.predict(X)), Array.from(y));
  const one = new LinearSVC({ C: 1 }).fit(X, Uint8Array.from(y, (v) => (v === 1 ? 1 : 0)));
  assert.deepEqual(Array.from(ovr.coef.subarray(7, 14)), Array.from(one.coef));
  assert.equal(ovr.intercepts[1], one.intercept);
});

test('choosing C for k > 2 classes: the warm-started path of ascending C stops at the first C past the peak scoring below it; two labels score the whole grid', async () => {
  const { chooseLogisticC } = await import('../src/models/classifiers/choose-c.js');
  // Noisy one-feature-per-class data: a small C underfits, a huge one no longer changes the hits.
  const { denseToCsr } = await import('../src/features/matrix.js');
  const rng = new Rng(11);
  const y = Uint8Array.from({ length: 150 }, (_, i) => i % 3);
  // Each row: its class's indicator 70% of the time (else a random class's), and one of five noise columns.
  const cells = new Float32Array(150 * 8);
  y.forEach((c, i) => {
    cells[i * 8 + (rng.next() < 0.7 ? c : rng.int(3))] = 1;
    cells[i * 8 + 3 + rng.int(5)] = 1;
  });
  const X = denseToCsr(cells, 8);
  const grid = [0.001, 0.01, 0.1, 1, 10, 100, 1000];
  const three = chooseLogisticC(X, y, { grid, folds: 3, seed: 1, classes: 3 });
  const scored = three.scores.map((s) => s.C);
  const best = three.scores.find((s) => s.C === three.C);
  assert.ok(best);
  // Every C scored is a prefix of the grid (plus extensions below it); past the chosen C at most one, and it scored lower.
  assert.ok(scored.length < grid.length, `the path stopped: ${scored.join(', ')}`);
  const after = three.scores.filter((s) => s.C > three.C);
  assert.ok(after.length <= 1, `scored past the best: ${scored.join(', ')}`);
  for (const s of after) assert.ok(s.accuracy < best.accuracy);
  const binaryY = Uint8Array.from(y, (c) => (c === 2 ? 1 : 0));
  const two = chooseLogisticC(X, binaryY, { grid, folds: 3, seed: 1 });
  for (const C of grid) assert.ok(two.scores.some((s) => s.C === C), `binary scored C = ${C}`);
});
