import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/util/rng.js';
import { tempDir } from './fixtures/tiny-imdb.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');
/** Small and fast: these tests check the surfaces, not the model's quality. */
const FAST = ['--dim', '8', '--epochs', '3', '--folds', '3', '--log-format', 'quiet'];

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SENTIVEC_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit status 2 and exactly one line on stderr naming the problem; no stack trace. */
function assertUserError(r: ReturnType<typeof run>, ...mentions: RegExp[]): void {
  assert.equal(r.status, 2, `status ${r.status}: ${r.stderr}`);
  assert.match(r.stderr, /^sentivec: [^\n]+\n$/, `one line: ${JSON.stringify(r.stderr)}`);
  for (const m of mentions) assert.match(r.stderr, m);
}

const POSITIVE = ['great', 'wonderful', 'superb', 'moving', 'charming', 'delightful'];
const NEGATIVE = ['awful', 'boring', 'dull', 'clumsy', 'tedious', 'terrible'];
const NEUTRAL = ['film', 'plot', 'actor', 'scene', 'story', 'music', 'ending', 'cast'];

function review(rng: Rng, positive: boolean): string {
  const pick = (a: string[]): string => a[rng.int(a.length)];
  return Array.from({ length: 9 }, () => (rng.next() < 0.35 ? pick(positive ? POSITIVE : NEGATIVE) : pick(NEUTRAL))).join(' ');
}

function csv(n: number, seed: number, labels: [string, string] = ['neg', 'pos']): string {
  const rng = new Rng(seed);
  const rows = ['id,text,label'];
  for (let i = 0; i < n; i++) {
    const positive = i % 2 === 0;
    rows.push(`${i},"${review(rng, positive)}, ""quoted""\nsecond line",${labels[positive ? 1 : 0]}`);
  }
  return `${rows.join('\n')}\n`;
}

let dir: string;
let cleanup: () => Promise<void>;
let trainCsv: string;
let testCsv: string;
let model: string;
/** The paper's model (vectors-bnc) whatever the leaderboard picks, for the commands that need a sentiment component. */
let vectorsModel: string;

const file = (name: string): string => path.join(dir, name);
async function write(name: string, content: string | Buffer): Promise<string> {
  await fs.mkdir(path.dirname(file(name)), { recursive: true });
  await fs.writeFile(file(name), content);
  return file(name);
}

before(async () => {
  ({ dir, cleanup } = await tempDir('sentivec-cli-product-'));
  trainCsv = await write('train.csv', csv(120, 1));
  testCsv = await write('test.csv', csv(40, 2));
  model = file('model.svec');
  const r = run(['train', '--input', trainCsv, '--out', model, ...FAST]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /labels: negative = 'neg', positive = 'pos' \(recognised name\)/);
  assert.match(r.stdout, /documents: 120 labeled \(60 neg, 60 pos\), 0 unlabeled/);
  assert.match(r.stdout, /classifier: logistic regression, C = [\d.]+ \(chosen by 3-fold CV\)/);
  assert.match(r.stdout, /estimate: accuracy [\d.]+% \(95% interval [\d.]+%–[\d.]+%; 3-fold nested CV/);
  assert.match(r.stdout, /leaderboard \(successive halving 16% → 32% → 64% → 100%/);
  vectorsModel = file('vectors.svec');
  const v = run(['train', '--input', trainCsv, '--out', vectorsModel, '--blueprint', 'vectors-bnc', ...FAST]);
  assert.equal(v.status, 0, v.stderr);
});
after(async () => cleanup());

test('predict: texts as arguments, human and JSON output', () => {
  const r = run(['predict', '--model', model, 'a great and wonderful film', 'boring, dull and tedious']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^pos (0\.\d\d|1\.00) {2}\+ .*(great|wonderful)/);
  assert.match(lines[1], /^neg (0\.\d\d|1\.00) .*− .*(boring|dull|tedious)/);
  const j = run(['predict', '--model', model, '--json', 'superb']);
  const p = JSON.parse(j.stdout) as { label: string; probability: number; score: number; top: { positive: { word: string; weight: number }[] } };
  assert.equal(p.label, 'pos');
  assert.ok(p.probability >= 0.5 && p.score > 0);
  assert.equal(p.top.positive[0].word, 'superb');
});

test('predict: evidence in JSON; with no known word the CLI says the probability is the class prior', () => {
  const j = run(['predict', '--model', model, '--json', 'superb superb', 'zzyzx qwxq']);
  assert.equal(j.status, 0, j.stderr);
  const [known, unknown] = j.stdout.trim().split('\n').map((l) => JSON.parse(l) as { label: string; probability: number; evidence: number });
  assert.equal(known.evidence, 2);
  assert.equal(unknown.evidence, 0);
  assert.equal(unknown.probability, 0.5, 'the training labels are 60 neg / 60 pos');
  const h = run(['predict', '--model', model, 'zzyzx qwxq']);
  assert.equal(h.status, 0, h.stderr);
  assert.match(h.stdout, /^neg 0\.50 {2}\(no known words: the probability is the class prior\)\n$/);
});

test('predict --input streams any format, one line per record', () => {
  const r = run(['predict', '--model', model, '--input', testCsv, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { label: string; source: { line: number } });
  assert.equal(lines.length, 40);
  assert.deepEqual(lines.slice(0, 2).map((l) => l.source.line), [2, 4], 'records spanning two lines are numbered by their first');
  const right = lines.filter((l, i) => l.label === (i % 2 === 0 ? 'pos' : 'neg')).length;
  assert.ok(right >= 34, `${right}/40 right`);
});

test('neighbors, similarity and sentiment-of explore the vectors', () => {
  const n = run(['neighbors', '--model', model, 'great', '-k', '3']);
  assert.equal(n.status, 0, n.stderr);
  assert.equal(n.stdout.trim().split('\n').length, 3);
  assert.match(n.stdout, /^\S+\s+-?\d\.\d{4}$/m);
  const nj = JSON.parse(run(['neighbors', '--model', model, 'Great', '-k', '2', '--json']).stdout) as { word: string; similarity: number }[];
  assert.equal(nj.length, 2);
  const s = run(['similarity', '--model', model, 'great', 'wonderful']);
  assert.equal(s.status, 0, s.stderr);
  assert.ok(Math.abs(Number(s.stdout)) <= 1);
  const so = run(['sentiment-of', '--model', vectorsModel, 'wonderful', 'tedious', '--json']);
  assert.equal(so.status, 0, so.stderr);
  const [w, t] = so.stdout.trim().split('\n').map((l) => JSON.parse(l) as { word: string; sentiment: number; probability: number });
  assert.ok(w.sentiment > t.sentiment, `${w.sentiment} vs ${t.sentiment}`);
  assert.match(run(['sentiment-of', '--model', vectorsModel, 'wonderful']).stdout, /^wonderful\s+\+\d\.\d{3}\s+P\(pos\) 0\.\d\d$/m);
});

test('info: the saved record with the honest estimate, as text and as JSON', () => {
  const r = run(['info', '--model', model]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^model: .*model\.svec \([\d.]+ [KMG]?B\), format \d+, written by sentivec \d/);
  assert.match(r.stdout, /estimate: accuracy [\d.]+% \(95% interval [\d.]+%–[\d.]+%; 3-fold nested CV/);
  assert.match(r.stdout, /leaderboard \(successive halving/);
  const j = run(['info', '--model', model, '--json']);
  assert.equal(j.status, 0, j.stderr);
  const info = JSON.parse(j.stdout) as {
    labels: string[];
    estimate: { metric: string; value: number; low: number; high: number; method: string };
    blueprint: { id: string };
    leaderboard: unknown;
    learningCurve: unknown;
    calibration: unknown;
    data: { labeled: number };
    options: object;
  };
  assert.deepEqual(info.labels, ['neg', 'pos']);
  assert.equal(info.estimate.metric, 'accuracy');
  assert.ok(info.estimate.low <= info.estimate.value && info.estimate.value <= info.estimate.high && info.estimate.high <= 1, JSON.stringify(info.estimate));
  assert.match(info.estimate.method, /nested/);
  assert.equal(info.data.labeled, 120);
  for (const k of ['blueprint', 'leaderboard', 'learningCurve', 'calibration', 'options'] as const) assert.ok(info[k] !== undefined, k);
  assertUserError(run(['info', '--model', file('missing.svec')]), /missing\.svec/);
});

test('evaluate: accuracy, per-class precision / recall / F1 and the confusion matrix', () => {
  const r = run(['evaluate', '--model', model, '--input', testCsv, '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^documents\s+40$/m);
  assert.match(r.stdout, /^accuracy\s+\d+\.\d\d%$/m);
  assert.match(r.stdout, /^neg\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}\s+20$/m);
  assert.match(r.stdout, /confusion matrix/);
  const j = JSON.parse(run(['evaluate', '--model', model, '--input', testCsv, '--json']).stdout) as {
    accuracy: number;
    classes: { label: string; support: number; f1: number }[];
    confusion: number[][];
  };
  assert.ok(j.accuracy >= 0.85, `accuracy ${j.accuracy}`);
  assert.deepEqual(j.classes.map((c) => [c.label, c.support]), [
    ['neg', 20],
    ['pos', 20],
  ]);
  assert.equal(j.confusion.flat().reduce((a, b) => a + b, 0), 40);
});

test('other formats: JSON Lines with ratings, a folder per label with unlabeled text', async () => {
  const rng = new Rng(4);
  const jsonl = Array.from({ length: 80 }, (_, i) => JSON.stringify({ body: review(rng, i % 2 === 0), stars: i % 2 === 0 ? 4 + (i % 4 === 0 ? 1 : 0) : 1 + (i % 4 === 1 ? 1 : 0) }));
  jsonl.push(JSON.stringify({ body: 'a film with a plot', stars: 3 }));
  const input = await write('rated.jsonl', `${jsonl.join('\n')}\n`);
  const out = file('rated.svec');
  const r = run(['train', '--input', input, '--text', 'body', '--rating', 'stars', '--rating-scale', '1..5', '--out', out, ...FAST]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ratings on 1\.\.5.*\(1 at the middle used as unlabeled text\)/);
  // evaluate reads the field and scale the model was trained with.
  const e = JSON.parse(run(['evaluate', '--model', out, '--input', input, '--json']).stdout) as { documents: number; skipped: number };
  assert.deepEqual([e.documents, e.skipped], [80, 1]);

  for (let i = 0; i < 30; i++) {
    await write(`folders/good/${i}.txt`, review(rng, true));
    await write(`folders/bad/${i}.txt`, review(rng, false));
  }
  const extra = await write('extra.txt', Array.from({ length: 20 }, () => review(rng, rng.next() < 0.5)).join('\n'));
  const d = run(['train', '--input', file('folders'), '--unlabeled', extra, '--out', file('folders.svec'), ...FAST]);
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /negative = 'bad', positive = 'good' \(recognised name\)/);
  assert.match(d.stdout, /60 labeled \(30 bad, 30 good\), 20 unlabeled/);
});

test('bad input: exit 2, one line naming the problem, no model file written', async () => {
  const out = file('never.svec');
  const cases: [string[], RegExp[]][] = [
    [['--input', trainCsv, '--label', 'sentiment'], [/train\.csv line 1/, /no column 'sentiment'/, /'id', 'text', 'label'/]],
    [['--input', await write('many.csv', `text,label\n${Array.from({ length: 101 }, (_, i) => `t,l${i}\n`).join('')}`)], [/many\.csv line 102/, /'l100' is the 101st distinct/, /is the label field right/]],
    [['--input', await write('single.csv', 'text,label\na,pos\nb,pos\n')], [/single\.csv/, /every labeled record has the label 'pos'/]],
    [['--input', await write('empty.csv', '')], [/empty\.csv: empty file/]],
    [['--input', await write('header-only.csv', 'text,label\n')], [/header-only\.csv: no records/]],
    [['--input', await write('latin1.csv', Buffer.concat([Buffer.from('text,label\nok,pos\n'), Buffer.from('caf\xe9,neg\n', 'latin1')]))], [/latin1\.csv line 3/, /not valid UTF-8/]],
    [['--input', await write('short.jsonl', '{"text":"a","label":"pos"}\n{"text":"b"}\n')], [/short\.jsonl line 2/, /no field 'label'/]],
    [['--input', file('missing.csv')], [/missing\.csv/, /no such file/]],
    [['--input', trainCsv, '--rating', 'label'], [/--rating needs --rating-scale/]],
    [['--input', trainCsv, '--positive', 'maybe'], [/--positive 'maybe' is not one of the labels/]],
  ];
  for (const [args, mentions] of cases) {
    assertUserError(run(['train', ...args, '--out', out, ...FAST]), ...mentions);
    assert.equal(existsSync(out), false, `no model after: ${args.join(' ')}`);
  }
  assertUserError(run(['train', '--input', trainCsv, '--out', file('no-such-dir/m.svec'), ...FAST]), /--out .*no-such-dir.* does not exist/);
  // A failed run leaves an existing model untouched, and no temporary file beside it.
  await fs.copyFile(model, out);
  const before = readFileSync(out);
  assertUserError(run(['train', '--input', file('many.csv'), '--out', out, ...FAST]), /101st distinct/);
  assert.deepEqual(readFileSync(out), before);
  assert.deepEqual((await fs.readdir(dir)).filter((f) => f.includes('never')), ['never.svec']);
});

test('bad n-gram options: exit 2 naming the option and the value, no stack trace, no model file', () => {
  const out = file('bad-ngrams.svec');
  for (const [args, mention] of [
    [['--ngram-min-df', '0'], /--ngram-min-df .*'0' is invalid.*outside 1\.\./],
    [['--max-ngrams', '1.5'], /--max-ngrams .*'1\.5' is invalid.*not an integer/],
    [['--ngram-keep', '1.5'], /--ngram-keep .*'1\.5' is invalid.*not a fraction > 0 and ≤ 1/],
    [['--ngram-keep', '0'], /--ngram-keep .*'0' is invalid.*not a positive number/],
    [['--ngram-keep', 'most'], /--ngram-keep .*'most' is invalid/],
  ] as [string[], RegExp][]) {
    const r = run(['train', '--input', trainCsv, '--out', out, ...args, ...FAST]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, mention);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(existsSync(out), false);
  }
});

test('bad input to the other commands: unknown word, newer model file, unknown label, nothing to predict', async () => {
  assertUserError(run(['neighbors', '--model', model, 'splendiferous']), /"splendiferous" is not in the model's vocabulary/);
  assertUserError(run(['similarity', '--model', model, 'great', 'zzz']), /"zzz" is not in the model's vocabulary/);
  assertUserError(run(['sentiment-of', '--model', vectorsModel, 'great', 'zzz']), /"zzz"/);
  const newer = Buffer.from(readFileSync(model));
  newer.writeUInt32LE(99, 8);
  const newerFile = await write('newer.svec', newer);
  assertUserError(run(['predict', '--model', newerFile, 'hello']), /newer\.svec/, /format version 99 is newer/);
  const corrupt = Buffer.from(readFileSync(model));
  corrupt[corrupt.length - 40] ^= 1;
  assertUserError(run(['predict', '--model', await write('corrupt.svec', corrupt), 'hello']), /corrupt\.svec/, /checksum mismatch/);
  assertUserError(run(['evaluate', '--model', model, '--input', await write('other-labels.csv', csv(4, 3, ['bad', 'good']))]), /nothing to evaluate/, /labels the model does not know \('good', 'bad'; it knows 'neg', 'pos'\)/);
  assertUserError(run(['predict', '--model', model]), /nothing to predict/);
  assertUserError(run(['predict', '--model', file('nope.svec'), 'x']), /nope\.svec: no such file/);
});
