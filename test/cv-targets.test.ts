/**
 * `sentivec cv --target` on one shared set of word vectors (issue #14 item 3,
 * --target-vectors shared, the default): each target cross-validated as
 * train --target's leaderboard does it, every fold's word vectors carrying
 * every target's sentiment term read on that fold's training rows only
 * (eval/targets-cv.ts). On a planted two-target corpus each target is far
 * above chance; with every target's labels shuffled each is at chance; a
 * second target that copies the first on text-unrelated labels does not leak
 * held-out labels; the co-targets do enter the fit (a vectors blueprint's
 * figures change, a bag of words' do not); the same seed gives the same
 * report; the command line reports every target under its name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arraySource } from '../src/corpus/record.js';
import type { TargetSpec } from '../src/corpus/labels.js';
import { crossValidateBlueprints, type BlueprintCvResult } from '../src/eval/blueprint-cv.js';
import { crossValidateTargets, type CvTarget } from '../src/eval/targets-cv.js';
import { blueprintById, type BlueprintSettings } from '../src/models/product/blueprint.js';
import { ratingFit } from '../src/models/product/rating-values.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { Tokenizer } from '../src/text/tokenizer.js';
import { Rng } from '../src/util/rng.js';
import { multiTargetRows, type MultiTargetRow } from './fixtures/multi-target.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '../src/cli/main.js');
const FIXTURE = path.resolve(HERE, '../../test/fixtures/multi-target.csv');
const SETTINGS: BlueprintSettings = { dim: 8, epochs: 5, lambda: 0.05, nu: 1, sentimentWeight: null, C: null, cGrid: [0.1, 1, 10], innerFolds: 3, seed: 3, threads: 1 };

type Row = Pick<MultiTargetRow, 'text' | 'sentiment' | 'subjectivity'> & { stars?: number };

async function targetOf(rows: readonly Row[], field: 'sentiment' | 'subjectivity' | 'stars'): Promise<CvTarget> {
  const target: TargetSpec = field === 'stars' ? { kind: 'rating', min: 1, max: 5, task: 'regression' } : { kind: 'label' };
  const records = rows.map((r) => (field === 'stars' ? { text: r.text, rating: r.stars } : { text: r.text, label: r[field] }));
  const corpus = await buildRecordCorpus(arraySource(records, `planted-${field}`), [], { tokenizer: new Tokenizer({ mode: 'product' }), target, minCount: 2, skipTop: 0 });
  return { name: field, corpus, ...(field === 'stars' ? { rating: ratingFit(corpus, { min: 1, max: 5, task: 'regression' }, [0.1, 1, 10]) } : {}) };
}

async function cvTargets(rows: readonly Row[], ids: string[], fields: ('sentiment' | 'subjectivity' | 'stars')[] = ['sentiment', 'subjectivity'], folds = 5): Promise<Record<string, BlueprintCvResult>> {
  const targets: CvTarget[] = [];
  for (const f of fields) targets.push(await targetOf(rows, f));
  const out = crossValidateTargets(targets, { blueprints: ids.map(blueprintById), folds, seed: 2, settings: SETTINGS });
  assert.deepEqual(out.map((o) => o.name), fields);
  return Object.fromEntries(out.map((o) => [o.name, o.result]));
}

function accuracyOf(r: BlueprintCvResult, id: string): number {
  assert.equal(r.kind, 'classes');
  const row = r.rows.find((x) => x.id === id);
  assert.ok(row, `no row ${id}`);
  return row.estimate.value;
}

test('shared cv on a planted two-target corpus: each target far above chance, with the vectors blueprint and with nbsvm', async () => {
  const r = await cvTargets(multiTargetRows(360, 3), ['vectors-bnc', 'nbsvm-uni']);
  for (const f of ['sentiment', 'subjectivity'])
    for (const id of ['vectors-bnc', 'nbsvm-uni']) {
      const a = accuracyOf(r[f], id);
      assert.ok(a > 0.85, `${f} ${id}: ${a}`);
    }
});

test('shared cv, leakage: every target shuffled → each target within 50 ± 3 %', async () => {
  const rows = multiTargetRows(2400, 7);
  const rng = new Rng(13);
  const a = rng.shuffle(Int32Array.from(rows.keys()));
  const b = rng.shuffle(Int32Array.from(rows.keys()));
  const shuffled = rows.map((r, i) => ({ text: r.text, sentiment: rows[a[i]].sentiment, subjectivity: rows[b[i]].subjectivity }));
  const r = await cvTargets(shuffled, ['vectors-bnc']);
  for (const f of ['sentiment', 'subjectivity']) {
    const acc = accuracyOf(r[f], 'vectors-bnc');
    assert.ok(Math.abs(acc - 0.5) <= 0.03, `shuffled ${f}: ${acc}`);
  }
});

test('shared cv, leakage through another target: a second target copying the first on text-unrelated labels → both at chance', async () => {
  // 20 words from a pool of 1,000 per text: a fold that read a held-out row's copy in the other target's term could learn it.
  const rng = new Rng(21);
  const rows = Array.from({ length: 300 }, () => {
    const label = rng.next() < 0.5 ? 'positive' : 'negative';
    return { text: Array.from({ length: 20 }, () => `w${rng.int(1000)}`).join(' '), sentiment: label, subjectivity: label === 'positive' ? 'subjective' : 'objective' } as const;
  });
  const r = await cvTargets(rows, ['vectors-bnc']);
  for (const f of ['sentiment', 'subjectivity']) {
    const acc = accuracyOf(r[f], 'vectors-bnc');
    assert.ok(Math.abs(acc - 0.5) < 0.1, `${f}: ${acc}`);
  }
});

test('shared cv: the other targets enter every fold of a vectors blueprint (its figures change) and not a bag of words (unchanged); the same seed gives the same report', async () => {
  const rows = multiTargetRows(240, 9);
  const shared = await cvTargets(rows, ['vectors-bnc', 'nbsvm-uni'], ['stars', 'sentiment', 'subjectivity'], 3);
  const stars = await targetOf(rows, 'stars');
  const alone = crossValidateBlueprints(stars.corpus, { blueprints: ['vectors-bnc', 'nbsvm-uni'].map(blueprintById), folds: 3, seed: 2, settings: SETTINGS, ...(stars.rating ? { rating: stars.rating } : {}) });
  assert.equal(shared.stars.kind, 'rating');
  const mae = (r: BlueprintCvResult, id: string): number => r.rows.find((x) => x.id === id)?.mean ?? NaN;
  assert.notEqual(mae(shared.stars, 'vectors-bnc'), mae(alone, 'vectors-bnc'));
  assert.equal(mae(shared.stars, 'nbsvm-uni'), mae(alone, 'nbsvm-uni'));
  const strip = (r: Record<string, BlueprintCvResult>): unknown => JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'seconds' ? 0 : v)));
  assert.deepEqual(strip(await cvTargets(rows, ['vectors-bnc', 'nbsvm-uni'], ['stars', 'sentiment', 'subjectivity'], 3)), strip(shared));
});

test('targets read from different records are refused with both counts', async () => {
  const sentiment = await targetOf(multiTargetRows(60, 1), 'sentiment');
  const subjectivity = await targetOf(multiTargetRows(50, 1), 'subjectivity');
  assert.throws(() => crossValidateTargets([sentiment, subjectivity], { blueprints: [blueprintById('nbsvm-uni')], folds: 3, seed: 1, settings: SETTINGS }), /target 'subjectivity' was read as 50 documents .* target 'sentiment' as 60 .*fields of the same records/);
});

test('cv --target: shared by default (product blueprints, JSON and text per target, the mode in the config), separate as a single-target cv', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'cv', '--input', FIXTURE, '--label', 'sentiment', '--target', 'subjectivity', '--folds', '3', '--epochs', '3', '--log-format', 'quiet', ...args], { encoding: 'utf8' });
  const r = run(['--rows', 'vectors-bnc', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const { targets } = JSON.parse(r.stdout) as { targets: Record<string, { kind: string; rows: { id: string; estimate: { value: number } }[]; config: { targetVectors: string } }> };
  assert.deepEqual(Object.keys(targets), ['sentiment', 'subjectivity']);
  for (const t of Object.values(targets)) {
    assert.equal(t.config.targetVectors, 'shared');
    assert.equal(t.rows[0].id, 'vectors-bnc');
    assert.ok(t.rows[0].estimate.value > 0.85, JSON.stringify(t.rows[0]));
  }
  const text = run(['--rows', 'vectors-bnc']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^target sentiment\n3-fold cross-validation on 240 labeled documents[\s\S]*\nvectors-bnc [\s\S]*\ntarget subjectivity\n[\s\S]*\nvectors-bnc /);
  // A paper row is not a blueprint: refused, naming the mode.
  const paper = run(['--rows', 'full']);
  assert.equal(paper.status, 2);
  assert.match(paper.stderr, /--rows: with --target and --target-vectors shared, cv runs the product's blueprints; unknown blueprint 'full'/);
  // Blueprints of different tokenizers would share one corpus read with the first's tokenizer: refused, naming both.
  const mixed = run(['--rows', 'vectors-bnc,vectors-bnc-paper']);
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /--rows: 'vectors-bnc' and 'vectors-bnc-paper' read the text with different tokenizers/);
  assert.doesNotMatch(mixed.stderr, /\n\s+at /);
  // separate: each target as a single-target cv (two labels: the paper's rows).
  const separate = run(['--rows', 'bow-bnc', '--target-vectors', 'separate', '--json']);
  assert.equal(separate.status, 0, separate.stderr);
  const sep = JSON.parse(separate.stdout) as { targets: Record<string, { rows: { id: string; mean: number }[]; config: { targetVectors?: string } }> };
  assert.deepEqual(Object.keys(sep.targets), ['sentiment', 'subjectivity']);
  assert.equal(sep.targets.subjectivity.rows[0].id, 'bow-bnc');
  assert.ok(sep.targets.subjectivity.rows[0].mean > 0.85);
});

test('cv --rating F --task classes (every rating value a class) cross-validates the blueprints on the ratings as classes, alone and as a separate --target', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'cv', '--input', FIXTURE, '--rows', 'nbsvm-uni', '--folds', '3', '--log-format', 'quiet', '--json', ...args], { encoding: 'utf8' });
  type Report = { kind: string; labels: string[]; majority: number; rows: { id: string; mean: number }[] };
  const check = (r: Report): void => {
    assert.equal(r.kind, 'classes');
    assert.deepEqual(r.labels, ['1', '2', '3', '4', '5']);
    // Only the stars far from 3 have words of their own: well above the most frequent class, far from perfect.
    assert.ok(r.rows[0].mean > r.majority + 0.1, JSON.stringify(r.rows[0]));
  };
  const alone = run(['--rating', 'stars', '--rating-scale', '1..5', '--task', 'classes']);
  assert.equal(alone.status, 0, alone.stderr);
  check(JSON.parse(alone.stdout) as Report);
  const separate = run(['--label', 'sentiment', '--target', 'stars:rating:1..5:classes', '--target-vectors', 'separate']);
  assert.equal(separate.status, 0, separate.stderr);
  check((JSON.parse(separate.stdout) as { targets: Record<string, Report> }).targets.stars);
});
