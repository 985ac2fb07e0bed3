import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './fixtures/tiny-imdb.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const CSV = path.join(ROOT, 'examples/reviews.csv');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SENTIVEC_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let cleanup: () => Promise<void>;
before(async () => {
  ({ dir, cleanup } = await tempDir());
});
after(async () => cleanup());

interface CvJson {
  rows: { id: string; accuracies: number[]; mean: number; std: number; C: number[] }[];
  folds: number;
  labeled: number;
}

const base = ['cv', '--input', CSV, '--folds', '3', '--inner-folds', '2', '--epochs', '2', '--log-format', 'quiet'];

test('cv scores each requested row on every fold and reports mean ± std, JSON and an SVG chart', () => {
  const json = path.join(dir, 'cv.json');
  const chart = path.join(dir, 'cv.svg');
  const r = run([...base, '--rows', 'bow-bnc,full-bow', '--json', json, '--chart', chart]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3-fold cross-validation on \d+ labeled documents/);
  assert.match(r.stdout, /full-bow\s+Our Full \+ Bag of Words \(bnc\)\s+\d+\.\d\d\s+\d+\.\d\d/);
  const out = JSON.parse(readFileSync(json, 'utf8')) as CvJson;
  assert.deepEqual(out.rows.map((x) => x.id), ['bow-bnc', 'full-bow']);
  for (const row of out.rows) {
    assert.equal(row.accuracies.length, 3);
    assert.equal(row.C.length, 3);
    const mean = row.accuracies.reduce((s, a) => s + a, 0) / 3;
    assert.ok(Math.abs(row.mean - mean) < 1e-12);
    const std = Math.sqrt(row.accuracies.reduce((s, a) => s + (a - mean) ** 2, 0) / 2);
    assert.ok(Math.abs(row.std - std) < 1e-12);
    // The example corpus is easy: a working pipeline is far above chance.
    assert.ok(row.mean > 0.8, `${row.id} mean ${row.mean}`);
  }
  const svg = readFileSync(chart, 'utf8');
  assert.match(svg, /^<svg /);
  assert.match(svg, /Our Full \+ Bag of Words \(bnc\), ours \(± \d+\.\d\d\)/);
});

test('cv is deterministic for a seed', () => {
  const a = path.join(dir, 'a.json');
  const b = path.join(dir, 'b.json');
  assert.equal(run([...base, '--rows', 'semantic', '--json', a]).status, 0);
  assert.equal(run([...base, '--rows', 'semantic', '--json', b]).status, 0);
  // Everything but the timings.
  const rows = (f: string): CvJson['rows'] => (JSON.parse(readFileSync(f, 'utf8')) as CvJson).rows.map(({ id, accuracies, mean, std, C }) => ({ id, accuracies, mean, std, C }));
  assert.deepEqual(rows(a), rows(b));
});

test('cv bad input: unlabeled rows without --unlabeled, too many folds, unknown row', () => {
  const json = path.join(dir, 'never.json');
  for (const [args, mention] of [
    [['--rows', 'full-unlabeled'], /full-unlabeled.*need unlabeled text \(--unlabeled PATH\)/],
    [['--folds', '100000'], /folds/],
    [['--rows', 'nope'], /unknown row id 'nope'/],
  ] as const) {
    const r = run([...base.filter((a, i) => !(a === '--folds' || base[i - 1] === '--folds')), ...args, '--json', json]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, mention);
    assert.match(r.stderr, /^sentivec: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  assert.equal(existsSync(json), false, 'nothing written on failure');
});
