import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTinyImdb, tempDir, type TinyImdb } from './fixtures/tiny-imdb.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SENTIVEC_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A user error: non-zero exit, one line on stderr naming `mention`, no stack trace. */
function assertUserError(r: ReturnType<typeof run>, mention: RegExp): void {
  assert.notEqual(r.status, 0, r.stderr);
  assert.match(r.stderr, mention);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(r.stderr, /^sentivec: /);
}

let dir: string;
let cleanup: () => Promise<void>;
let tiny: TinyImdb;

before(async () => {
  const t = await tempDir();
  dir = t.dir;
  cleanup = t.cleanup;
  tiny = await makeTinyImdb(dir, { perFolder: 24 });
});

after(async () => cleanup());

test('reproduce runs the baseline rows on a small corpus and writes the JSON report', () => {
  const json = path.join(dir, 'report.json');
  const chart = path.join(dir, 'report.svg');
  const r = run(['reproduce', '--data', tiny.archive, '--rows', 'bow-bnc,bow-dtc', '--folds', '2', '--skip-top', '0', '--vocab-size', '40', '--json', json, '--chart', chart, '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  const svg = readFileSync(chart, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /Bag of Words \(bnc\), ours: \d+\.\d\d%/);
  assert.match(svg, /Bag of Words \(bnc\), paper: 87\.80%/);
  assert.doesNotMatch(svg, /<script|href=/, 'self-contained');
  assert.match(r.stdout, /bow-bnc\s+Bag of Words \(bnc\)/);
  assert.match(r.stdout, /bow-dtc/);
  const report = JSON.parse(readFileSync(json, 'utf8')) as {
    rows: { id: string; name: string; accuracy: number; paper: number; seconds: number }[];
    config: { seed: number; vocabSize: number; documents: { train: number } };
    seconds: number;
  };
  assert.deepEqual(report.rows.map((x) => x.id), ['bow-bnc', 'bow-dtc']);
  for (const row of report.rows) {
    assert.ok(row.accuracy >= 0.9 && row.accuracy <= 1, `${row.id} accuracy ${row.accuracy}`);
    assert.equal(typeof row.paper, 'number');
    assert.ok(row.seconds >= 0);
  }
  assert.equal(report.config.seed, 1);
  assert.equal(report.config.documents.train, 48);
  assert.ok(report.seconds > 0);
});

test('reproduce gives the same accuracies for the same seed, from archive or directory', () => {
  const a = path.join(dir, 'a.json');
  const b = path.join(dir, 'b.json');
  const common = ['--rows', 'bow-bnc', '--folds', '3', '--skip-top', '0', '--vocab-size', '30', '--log-format', 'quiet', '--seed', '5'];
  assert.equal(run(['reproduce', '--data', tiny.archive, '--json', a, ...common]).status, 0);
  assert.equal(run(['reproduce', '--data', tiny.directory, '--json', b, ...common]).status, 0);
  const acc = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { rows: { accuracy: number }[] }).rows[0].accuracy;
  assert.equal(acc(a), acc(b));
});

test('model rows run end to end on a small corpus', () => {
  const json = path.join(dir, 'model.json');
  const r = run(['reproduce', '--data', tiny.archive, '--rows', 'semantic,full-unlabeled-bow', '--folds', '2', '--skip-top', '0', '--vocab-size', '40', '--epochs', '2', '--json', json, '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(json, 'utf8')) as { rows: { id: string; accuracy: number; features: number }[]; config: { vocabSize: number; model: { maxEpochs: number } }; words: { neighbours: Record<string, unknown> } };
  assert.deepEqual(report.rows.map((x) => [x.id, x.features]), [['semantic', 50], ['full-unlabeled-bow', 50 + report.config.vocabSize]]);
  for (const row of report.rows) assert.ok(row.accuracy > 0.5 && row.accuracy <= 1, `${row.id}: ${row.accuracy}`);
  assert.equal(report.config.model.maxEpochs, 2);
  assert.deepEqual(Object.keys(report.words.neighbours).sort(), ['full-unlabeled', 'semantic']);
});


test('--select-model searches λ and the sentiment weight on held-out train and records the search', () => {
  const json = path.join(dir, 'select.json');
  const r = run([
    'reproduce', '--data', tiny.archive, '--rows', 'full', '--folds', '2', '--skip-top', '0', '--vocab-size', '40', '--epochs', '2',
    '--select-model', '--select-weights', '1,100', '--select-lambdas', '0.05,0.5', '--json', json, '--log-format', 'quiet',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /model options: λ .*\(chosen on a held-out fifth of train/);
  const report = JSON.parse(readFileSync(json, 'utf8')) as {
    config: {
      model: { lambda: number; sentimentWeight: number };
      modelSelection: { chosen: { lambda: number; sentimentWeight: number }; candidates: { candidate: { lambda: number; sentimentWeight: number }; heldOut: { vectors: number } }[] };
    };
  };
  const { modelSelection, model } = report.config;
  assert.deepEqual(
    modelSelection.candidates.map((c) => [c.candidate.lambda, c.candidate.sentimentWeight]),
    [[0.05, 1], [0.05, 100], [0.5, 1], [0.5, 100]],
  );
  for (const c of modelSelection.candidates) assert.ok(c.heldOut.vectors >= 0 && c.heldOut.vectors <= 1);
  // The rows ran with what the search chose.
  assert.deepEqual([model.lambda, model.sentimentWeight], [modelSelection.chosen.lambda, modelSelection.chosen.sentimentWeight]);
  assert.ok(modelSelection.candidates.some((c) => c.candidate.lambda === model.lambda && c.candidate.sentimentWeight === model.sentimentWeight));
});
test('unknown row id is a clear error', () => {
  assertUserError(run(['reproduce', '--data', tiny.archive, '--rows', 'bow-bnc,nope']), /unknown row id 'nope'/);
});

test('unknown option and bad option values are clear errors', () => {
  assertUserError(run(['reproduce', '--bogus']), /unknown option '--bogus'/);
  assertUserError(run(['reproduce', '--seed', 'abc']), /not an integer/);
  assertUserError(run(['reproduce', '--tokenizer', 'fancy']), /not one of paper, strip/);
  assertUserError(run(['frobnicate']), /unknown command/);
  assertUserError(run(['reproduce', '--lambda', '-1']), /not a positive number/);
});

test('missing dataset path is named in the error', () => {
  const missing = path.join(dir, 'nowhere', 'aclImdb_v1.tar.gz');
  assertUserError(run(['reproduce', '--data', missing]), new RegExp(missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('corrupt archive is named in the error', () => {
  const bad = path.join(dir, 'corrupt.tar.gz');
  writeFileSync(bad, Buffer.from('this is not gzip at all, just text'));
  assertUserError(run(['reproduce', '--data', bad]), /corrupt\.tar\.gz/);
});

test('a directory that is not aclImdb-shaped is named in the error', () => {
  const notImdb = path.join(dir, 'not-imdb');
  mkdirSync(path.join(notImdb, 'stuff'), { recursive: true });
  assertUserError(run(['reproduce', '--data', notImdb]), /not-imdb.*not an aclImdb directory/);
});

test('--json into a missing directory fails clearly and leaves no file', () => {
  const out = path.join(dir, 'no-such-dir', 'r.json');
  const r = run(['reproduce', '--data', tiny.archive, '--rows', 'bow-bnc', '--folds', '2', '--skip-top', '0', '--json', out, '--log-format', 'quiet']);
  assertUserError(r, /no-such-dir/);
  assert.equal(existsSync(out), false);
});

test('SENTIVEC_KERNELS=bogus is the same one-line error, exit 2, in every command', () => {
  const commands = buildCommandNames();
  assert.ok(commands.length >= 9, commands.join(' '));
  for (const command of commands) {
    const r = spawnSync(process.execPath, [CLI, command, 'x'], { encoding: 'utf8', env: { ...process.env, SENTIVEC_DEBUG: '', SENTIVEC_KERNELS: 'bogus' } });
    assert.equal(r.status, 2, `${command}: ${r.stderr}`);
    assert.equal(r.stderr, 'sentivec: SENTIVEC_KERNELS must be one of auto, wasm-fma, wasm, js, js64; got "bogus"\n', command);
  }
});

/** The subcommands as `sentivec --help` lists them. */
function buildCommandNames(): string[] {
  const help = run(['--help']).stdout;
  const section = help.slice(help.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
}

test('--json alone prints the JSON report on stdout in place of the table; --json FILE writes it', () => {
  const args = ['reproduce', '--data', tiny.archive, '--rows', 'bow-bnc', '--folds', '2', '--skip-top', '0', '--vocab-size', '40', '--log-format', 'quiet'];
  const r = run([...args, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { rows: { id: string; accuracy: number }[] };
  assert.deepEqual(report.rows.map((x) => x.id), ['bow-bnc']);
  const file = path.join(dir, 'bare.json');
  const f = run([...args, '--json', file]);
  assert.equal(f.status, 0, f.stderr);
  assert.match(f.stdout, /bow-bnc|BoW/);
  assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { rows: { accuracy: number }[] }).rows[0].accuracy, report.rows[0].accuracy);
});
