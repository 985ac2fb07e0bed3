/**
 * Ratings as ratings (issue #14): the ridge and threshold-ordinal heads on
 * their own, then `train --task regression | ordinal | classes` on a
 * synthetic 1..5 corpus whose words are graded by rating (known answer:
 * fresh texts' ratings), the estimate's leakage check (shuffled ratings →
 * no better than predicting the mean rating), save/load, evaluate's rating
 * metrics, POST /v1/predict and the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arraySource, type CorpusRecord } from '../src/corpus/record.js';
import type { RatingTask } from '../src/corpus/labels.js';
import type { CsrMatrix } from '../src/features/csr.js';
import { denseToCsr } from '../src/features/matrix.js';
import { RidgeRegression } from '../src/models/classifiers/ridge.js';
import { OrdinalRegression } from '../src/models/classifiers/ordinal.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { evaluateModel } from '../src/eval/evaluate-model.js';
import { averageRanks, spearman } from '../src/eval/rating-metrics.js';
import { startServer } from '../src/serve/server.js';
import { Rng } from '../src/util/rng.js';
import { tempDir } from './fixtures/tiny-imdb.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');
/** Words of each rating 1..5. */
const GRADED = [
  ['terrible', 'awful', 'worst'],
  ['poor', 'weak', 'meh'],
  ['okay', 'fine', 'average'],
  ['good', 'nice', 'solid'],
  ['superb', 'brilliant', 'best'],
];
const FILLER = ['the', 'a', 'film', 'plot', 'we', 'was', 'it', 'this', 'movie', 'actor'];

/** n reviews, ratings 1..5 in turn; 30% words of the rating, 10% of a neighbouring one, the rest filler. */
function reviews(n: number, seed: number, shuffled = false): { text: string; rating: number }[] {
  const rng = new Rng(seed);
  const out = Array.from({ length: n }, (_, i) => {
    const r = 1 + (i % 5);
    const words = Array.from({ length: 12 }, () => {
      const u = rng.next();
      if (u < 0.3) return GRADED[r - 1][rng.int(3)];
      if (u < 0.4) return GRADED[Math.max(0, Math.min(4, r - 1 + (rng.next() < 0.5 ? -1 : 1)))][rng.int(3)];
      return FILLER[rng.int(FILLER.length)];
    });
    return { text: words.join(' '), rating: r };
  });
  if (shuffled) {
    const ratings = rng.shuffle(Int32Array.from(out, (o) => o.rating));
    out.forEach((o, i) => (o.rating = ratings[i]));
  }
  return out;
}

const SMALL = { dim: 8, epochs: 3, skipTop: 0, threads: 1, seed: 3, folds: 3 } as const;

function train(task: RatingTask, rs: { text: string; rating: number }[]): Promise<SentimentModel> {
  return trainSentimentModel(arraySource(rs), { target: { kind: 'rating', min: 1, max: 5, task }, ...SMALL });
}

function mae(model: SentimentModel, rs: { text: string; rating: number }[]): number {
  const p = model.predict(rs.map((r) => r.text), 0);
  return p.reduce((s, q, i) => s + Math.abs((q.rating ?? NaN) - rs[i].rating), 0) / rs.length;
}

/** Mean absolute deviation of the ratings from their mean: the MAE of predicting the mean. */
function meanBaseline(rs: { rating: number }[]): number {
  const m = rs.reduce((s, r) => s + r.rating, 0) / rs.length;
  return rs.reduce((s, r) => s + Math.abs(r.rating - m), 0) / rs.length;
}

/** Dense rows (float32 values, so the check's arithmetic sees what the matrix holds) as CSR. */
function dense(rows: number[][]): CsrMatrix {
  return denseToCsr(Float32Array.from(rows.flat()), rows[0].length);
}

test('ridge regression: conjugate gradients reach the normal equations (centred X, unpenalised intercept); a warm start lands on the same solution', () => {
  const rng = new Rng(5);
  const rows = Array.from({ length: 40 }, () => Array.from({ length: 6 }, () => (rng.next() < 0.5 ? 0 : Math.fround(rng.next()))));
  const y = rows.map((r) => 2 + 3 * r[0] - r[3] + 0.1 * (rng.next() - 0.5));
  const X = dense(rows);
  const alpha = 0.5;
  const ridge = new RidgeRegression({ alpha, tol: 1e-10 }).fit(X, y);
  // The gradient of ½‖Xw + b − y‖² + ½α‖w‖² is zero at the solution: Xᵀr + αw = 0 and Σr = 0.
  const p = ridge.predict(X);
  const r = p.map((v, i) => v - y[i]);
  assert.ok(Math.abs(r.reduce((a, b) => a + b, 0)) < 1e-8);
  for (let j = 0; j < 6; j++) {
    const g = rows.reduce((s, row, i) => s + row[j] * r[i], 0) + alpha * ridge.coef[j];
    assert.ok(Math.abs(g) < 1e-7, `gradient ${j}: ${g}`);
  }
  assert.ok(ridge.coef[0] > 2 && ridge.coef[3] < -0.5, `recovered the planted weights: ${[...ridge.coef].map((c) => c.toFixed(2))}`);
  const warm = new RidgeRegression({ alpha, tol: 1e-10 }).fit(X, y, new RidgeRegression({ alpha: 5 }).fit(X, y));
  for (let j = 0; j < 6; j++) assert.ok(Math.abs(warm.coef[j] - ridge.coef[j]) < 1e-6);
});

test('ordinal regression: ordered levels on one score are recovered, thresholds ascending, and the optimum has zero gradient in the thresholds', () => {
  // Feature 0 is the level (with noise): levels 0..3.
  const rng = new Rng(2);
  const levels = Array.from({ length: 80 }, (_, i) => i % 4);
  const X = dense(levels.map((l) => [l + 0.3 * (rng.next() - 0.5), 1]));
  const model = new OrdinalRegression({ C: 10, tol: 1e-9, maxIter: 2000 }).fit(X, levels, 4);
  assert.equal(model.thresholds.length, 3);
  for (let j = 1; j < 3; j++) assert.ok(model.thresholds[j] > model.thresholds[j - 1]);
  const predicted = model.predict(X);
  assert.deepEqual([...predicted], levels);
  // ∂/∂θ_j = −C Σ_i s_ij σ(−s_ij(θ_j − f_i)) = 0 at the optimum.
  const f = model.scores(X);
  for (let j = 0; j < 3; j++) {
    let g = 0;
    levels.forEach((l, i) => {
      const s = l <= j ? 1 : -1;
      g -= (10 * s) / (1 + Math.exp(s * (model.thresholds[j] - f[i])));
    });
    assert.ok(Math.abs(g) < 1e-4, `threshold ${j}: gradient ${g}`);
  }
});

test("Spearman's ρ: monotone → 1, reversed → −1, ties share their mean rank", () => {
  assert.deepEqual([...averageRanks([10, 20, 20, 5])], [2, 3.5, 3.5, 1]);
  assert.equal(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
});

for (const task of ['regression', 'ordinal'] as const) {
  test(`train --task ${task}: fresh texts' ratings predicted far better than the mean, the estimate says so, and shuffled ratings estimate no better than the mean`, async () => {
    const model = await train(task, reviews(400, 1));
    const fresh = reviews(300, 9);
    const base = meanBaseline(fresh);
    const error = mae(model, fresh);
    assert.ok(error < 0.4 * base, `${task}: test MAE ${error} vs predicting the mean ${base}`);
    const est = model.info.rating?.estimate;
    assert.ok(est, 'a rating model reports its MAE');
    assert.equal(est.metric, 'mae');
    assert.ok(est.low <= est.value && est.value <= est.high);
    assert.ok(est.value < 0.4 * est.baseline, `estimate ${est.value} vs its baseline ${est.baseline}`);
    assert.ok(Math.abs(est.value - error) < 0.15, `the estimate ${est.value} is near the fresh-text MAE ${error}`);
    assert.equal(model.info.estimate, null);
    const [p] = model.predict([fresh[0].text]);
    assert.ok(p.rating !== undefined && p.rating >= 1 && p.rating <= 5);
    if (task === 'ordinal') assert.ok(Number.isInteger(p.rating));
    // The label is the side of the middle; the score still decomposes over the words.
    assert.equal(p.label, p.rating > 3 ? 'positive' : 'negative');
    const e = model.explain(fresh[0].text);
    const sum = e.tokens.reduce((s, t) => s + t.weight, e.intercept);
    assert.ok(Math.abs(sum - e.score) < 1e-9);
    // Save / load keeps the reading.
    const loaded = SentimentModel.fromBytes(model.toBytes());
    assert.deepEqual(loaded.predict(fresh.slice(0, 20).map((r) => r.text)), model.predict(fresh.slice(0, 20).map((r) => r.text)));

    // Leakage check: with the ratings shuffled there is nothing to learn, so the cross-validated MAE
    // must not beat predicting the training folds' mean (the estimate may not be better by more than 5%).
    const shuffled = await train(task, reviews(400, 1, true));
    const s = shuffled.info.rating?.estimate;
    assert.ok(s);
    assert.ok(s.value >= 0.95 * s.baseline, `shuffled ${task}: estimated MAE ${s.value} vs predicting the mean ${s.baseline}`);
    assert.ok(s.low <= s.baseline, 'the mean baseline lies inside or above the interval');
  });
}

test('train --task classes: every rating value is a class, predictions carry the rating; evaluate reports MAE, RMSE, exact, within one and Spearman', async () => {
  const model = await train('classes', reviews(300, 4));
  assert.deepEqual(model.labels, ['1', '2', '3', '4', '5']);
  const fresh = reviews(200, 8);
  const [p] = model.predict([fresh[0].text]);
  assert.equal(p.rating, Number(p.label));
  async function* records(): AsyncIterable<CorpusRecord> {
    for (const [i, r] of fresh.entries()) yield { text: r.text, rating: r.rating, source: { file: 'fresh.csv', line: i + 2 } };
  }
  const report = await evaluateModel(model, records(), { ratingScale: { min: 1, max: 5 } });
  assert.ok(report.rating);
  assert.equal(report.rating.documents, 200);
  assert.ok(Math.abs(report.rating.mae - mae(model, fresh)) < 1e-12);
  assert.ok(report.rating.rmse >= report.rating.mae);
  assert.ok(report.rating.withinOne >= report.rating.exact && report.rating.exact > 0.5);
  assert.ok(report.rating.spearman > 0.7);
  assert.equal(report.confusion.length, 5);
});

test('a regression model over HTTP and the CLI: POST /v1/predict and predict --json give the rating, evaluate --json the rating metrics', async () => {
  const model = await train('regression', reviews(300, 6));
  const { app } = await startServer(model, { port: 0, host: '127.0.0.1' });
  try {
    const r = await app.inject({ method: 'POST', url: '/v1/predict', payload: { texts: ['superb brilliant best', 'terrible awful'] } });
    const body = r.json() as { predictions: { rating: number }[] };
    assert.ok(body.predictions[0].rating > 4 && body.predictions[1].rating < 2, JSON.stringify(body.predictions.map((q) => q.rating)));
  } finally {
    await app.close();
  }
  const { dir, cleanup } = await tempDir();
  const csv = path.join(dir, 'stars.csv');
  await fs.writeFile(csv, `text,stars\n${reviews(200, 7).map((r) => `${r.text},${r.rating}`).join('\n')}\n`);
  const out = path.join(dir, 'stars.svec');
  const run = (args: string[]): { status: number | null; stdout: string; stderr: string } => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const t = run(['train', '--input', csv, '--rating', 'stars', '--rating-scale', '1..5', '--task', 'ordinal', '--out', out, '--dim', '8', '--epochs', '3', '--folds', '3', '--log-format', 'quiet']);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /ordinal regression/);
  assert.match(t.stdout, /estimate: MAE \d\.\d{3} \(95% interval/);
  const p = run(['predict', '--model', out, '--json', 'superb brilliant best']);
  assert.equal(p.status, 0, p.stderr);
  assert.equal((JSON.parse(p.stdout) as { rating: number }).rating, 5);
  const e = run(['evaluate', '--model', out, '--input', csv, '--json']);
  assert.equal(e.status, 0, e.stderr);
  const report = JSON.parse(e.stdout) as { rating: { mae: number; rmse: number; exact: number; withinOne: number; spearman: number } };
  for (const k of ['mae', 'rmse', 'exact', 'withinOne', 'spearman'] as const) assert.equal(typeof report.rating[k], 'number');
  const bad = run(['train', '--input', csv, '--label', 'stars', '--task', 'regression', '--out', out]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--task applies to --rating/);
  await cleanup();
});
