/**
 * `sentivec cv` beyond two labels (issue #14): on k > 2 classes and for the
 * rating heads it cross-validates the product's blueprints
 * (eval/blueprint-cv.ts), every label-reading step inside the folds. Known
 * answers on synthetic corpora, the leakage checks (labels or ratings
 * shuffled → chance: for balanced classes the majority-class rate, 1/3; for
 * ratings the MAE of predicting the training folds' mean), and the command
 * line (table, JSON, bad input → exit 2).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arraySource } from '../src/corpus/record.js';
import { crossValidateBlueprints, type BlueprintCvResult } from '../src/eval/blueprint-cv.js';
import { blueprintById, type BlueprintSettings } from '../src/models/product/blueprint.js';
import { ratingFit } from '../src/models/product/rating-values.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { Tokenizer } from '../src/text/tokenizer.js';
import { Rng } from '../src/util/rng.js';
import { tempDir } from './fixtures/tiny-imdb.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');
const LABELS = ['negative', 'neutral', 'positive'];
const CLASS_WORDS = [
  ['awful', 'late', 'rude', 'lost', 'worst', 'delayed'],
  ['gate', 'schedule', 'flight', 'today', 'seat', 'route'],
  ['great', 'thanks', 'superb', 'lovely', 'best', 'kind'],
];
const SETTINGS: BlueprintSettings = { dim: 8, epochs: 2, lambda: 0.05, nu: 1, sentimentWeight: null, C: null, cGrid: [0.1, 1, 10], innerFolds: 3, seed: 3, threads: 1 };

/** Balanced classes; 40% of a document's words are its class's, the rest filler and a word of its own (so a leak would show). */
function records(n: number, seed: number): { text: string; label: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const c = i % 3;
    const words = Array.from({ length: 8 }, () => (rng.next() < 0.4 ? CLASS_WORDS[c][rng.int(6)] : `w${rng.int(60)}`));
    return { text: `${words.join(' ')} u${i} u${i}`, label: LABELS[c] };
  });
}

function shuffledLabels<T extends { label: string }>(rs: T[], seed: number): T[] {
  const order = new Rng(seed).shuffle(Int32Array.from(rs.keys()));
  return rs.map((r, i) => ({ ...r, label: rs[order[i]].label }));
}

async function cvOf(rs: { text: string; label?: string; rating?: number }[], ids: string[], rating?: { min: number; max: number; task: 'regression' | 'ordinal' }): Promise<BlueprintCvResult> {
  const corpus = await buildRecordCorpus(arraySource(rs), [], { tokenizer: new Tokenizer({ mode: 'product' }), target: rating ? { kind: 'rating', ...rating } : { kind: 'label' }, minCount: 2, skipTop: 0 });
  const fit = rating ? ratingFit(corpus, rating, [0.1, 1, 10]) : undefined;
  return crossValidateBlueprints(corpus, { blueprints: ids.map(blueprintById), folds: 3, seed: 2, settings: SETTINGS, ...(fit ? { rating: fit } : {}) });
}

test('cv on three classes: per-fold accuracy and macro-F1, their mean ± std, the pooled estimate with its interval; far above chance', async () => {
  const r = await cvOf(records(450, 1), ['bnc', 'nbsvm-uni']);
  assert.equal(r.kind, 'classes');
  if (r.kind !== 'classes') return;
  assert.deepEqual(r.labels, LABELS);
  assert.equal(r.labeled, 450);
  assert.ok(Math.abs(r.majority - 1 / 3) < 1e-12);
  assert.deepEqual(r.rows.map((x) => x.id), ['bnc', 'nbsvm-uni']);
  for (const row of r.rows) {
    assert.equal(row.accuracies.length, 3);
    assert.equal(row.macroF1.length, 3);
    assert.equal(row.C.length, 3);
    const mean = row.accuracies.reduce((s, a) => s + a, 0) / 3;
    assert.ok(Math.abs(row.mean - mean) < 1e-12);
    assert.ok(Math.abs(row.std - Math.sqrt(row.accuracies.reduce((s, a) => s + (a - mean) ** 2, 0) / 2)) < 1e-12);
    // Equal folds (150 each): the pooled accuracy is the mean of the fold accuracies.
    assert.ok(Math.abs(row.estimate.value - row.mean) < 1e-12);
    assert.ok(row.estimate.low < row.estimate.value && row.estimate.value < row.estimate.high);
    assert.ok(row.mean > 0.85, `${row.id}: ${row.mean}`);
    assert.ok(row.macroF1Mean > 0.85, `${row.id}: macro-F1 ${row.macroF1Mean}`);
  }
});

test('cv on three classes, labels shuffled: every blueprint is at chance (the majority-class rate, 1/3 here), though each document has words of its own a leak would use', async () => {
  const r = await cvOf(shuffledLabels(records(450, 1), 5), ['bnc', 'nbsvm-uni']);
  assert.equal(r.kind, 'classes');
  if (r.kind !== 'classes') return;
  for (const row of r.rows) {
    assert.ok(row.estimate.value < r.majority + 0.07, `${row.id}: ${row.estimate.value} against ${r.majority}`);
    assert.ok(row.estimate.low < r.majority, `${row.id}: interval ${row.estimate.low}–${row.estimate.high}`);
  }
});

/** n reviews rated 1..5 in turn; 30% words of the rating, the rest filler. */
function reviews(n: number, seed: number): { text: string; rating: number }[] {
  const rng = new Rng(seed);
  const graded = [['terrible', 'awful'], ['poor', 'weak'], ['okay', 'fine'], ['good', 'nice'], ['superb', 'best']];
  return Array.from({ length: n }, (_, i) => {
    const r = 1 + (i % 5);
    const words = Array.from({ length: 10 }, () => (rng.next() < 0.3 ? graded[r - 1][rng.int(2)] : `w${rng.int(40)}`));
    return { text: `${words.join(' ')} u${i} u${i}`, rating: r };
  });
}

for (const task of ['regression', 'ordinal'] as const) {
  test(`cv of the ${task} rating head: per-fold MAE, RMSE, exact, within one; the pooled MAE far below predicting the mean, and no better than it with the ratings shuffled`, async () => {
    const rs = reviews(400, 4);
    const r = await cvOf(rs, ['bnc'], { min: 1, max: 5, task });
    assert.equal(r.kind, 'rating');
    if (r.kind !== 'rating') return;
    const [row] = r.rows;
    assert.equal(row.foldMetrics.length, 3);
    assert.ok(Math.abs(row.mean - row.foldMetrics.reduce((s, m) => s + m.mae, 0) / 3) < 1e-12);
    assert.ok(row.estimate.value < 0.5 * row.estimate.baseline, `MAE ${row.estimate.value} vs mean-only ${row.estimate.baseline}`);
    assert.ok(row.spearman > 0.6, `Spearman ${row.spearman}`);
    const order = new Rng(6).shuffle(Int32Array.from(rs.keys()));
    const shuffled = await cvOf(rs.map((x, i) => ({ ...x, rating: rs[order[i]].rating })), ['bnc'], { min: 1, max: 5, task });
    assert.equal(shuffled.kind, 'rating');
    if (shuffled.kind !== 'rating') return;
    const s = shuffled.rows[0].estimate;
    assert.ok(s.value > 0.95 * s.baseline, `shuffled: MAE ${s.value} vs mean-only ${s.baseline}`);
  });
}

let dir: string;
let cleanup: () => Promise<void>;
before(async () => {
  ({ dir, cleanup } = await tempDir());
});
after(async () => cleanup());

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SENTIVEC_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('sentivec cv on a 3-class CSV: a table and JSON per blueprint; rating heads with --task; bad input exits 2 with a message', () => {
  const csv = path.join(dir, 'three.csv');
  writeFileSync(csv, `text,label\n${records(300, 2).map((r) => `${r.text},${r.label}`).join('\n')}\n`);
  const json = path.join(dir, 'cv.json');
  const base = ['cv', '--input', csv, '--folds', '3', '--epochs', '2', '--log-format', 'quiet'];
  const r = run([...base, '--rows', 'bnc', '--json', json]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3-fold cross-validation on 300 labeled documents, 3 classes \('negative' \/ 'neutral' \/ 'positive'; the most frequent is 33\.33%\)/);
  assert.match(r.stdout, /^bnc\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+\.\d\d\s+0\.\d{4}\s+\d+\.\d\d \[\d+\.\d\d–\d+\.\d\d\]/m);
  const out = JSON.parse(readFileSync(json, 'utf8')) as { kind: string; rows: { id: string; accuracies: number[]; macroF1: number[] }[] };
  assert.equal(out.kind, 'classes');
  assert.deepEqual(out.rows.map((x) => x.id), ['bnc']);
  assert.equal(out.rows[0].macroF1.length, 3);

  const ratings = path.join(dir, 'ratings.csv');
  writeFileSync(ratings, `text,stars\n${reviews(200, 3).map((x) => `${x.text},${x.rating}`).join('\n')}\n`);
  const rr = run(['cv', '--input', ratings, '--rating', 'stars', '--rating-scale', '1..5', '--task', 'ordinal', '--rows', 'bnc', '--folds', '3', '--epochs', '2', '--log-format', 'quiet']);
  assert.equal(rr.status, 0, rr.stderr);
  assert.match(rr.stdout, /3-fold cross-validation of the ordinal rating head on 200 labeled documents/);
  assert.match(rr.stdout, /^bnc\s+\d\.\d{3}\s+\d\.\d{3}/m);

  const unknown = run([...base, '--rows', 'bow-bnc']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--rows: with more than two labels or a rating head, cv runs the product's blueprints; unknown blueprint 'bow-bnc'/);
  assert.doesNotMatch(unknown.stderr, /\n\s+at /);
  const task = run([...base, '--task', 'ordinal']);
  assert.equal(task.status, 2);
  assert.match(task.stderr, /--task applies to --rating/);
  const tiny = path.join(dir, 'tiny.csv');
  writeFileSync(tiny, `text,label\n${records(12, 2).map((x) => `${x.text},${x.label}`).join('\n')}\n`);
  const few = run(['cv', '--input', tiny, '--folds', '5', '--log-format', 'quiet']);
  assert.equal(few.status, 2);
  assert.match(few.stderr, /5 folds need at least 5 labeled documents per class; the corpus has 4 'negative', 4 'neutral', 4 'positive'/);
});
