/**
 * Models of several targets (issue #14 item 3) through the CLI and the
 * library: train --target, predict / evaluate / info per target, the file
 * layout (single-target files unchanged, a multi-target file read as its first
 * target by single-model readers, an unknown layout version refused), and the
 * leakage test: a target with shuffled labels is estimated at chance while the
 * other target keeps its accuracy.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './fixtures/tiny-imdb.js';
import { multiTargetCsv, multiTargetRows } from './fixtures/multi-target.js';
import { arraySource } from '../src/corpus/record.js';
import { MultiTargetModel, TARGETS_SECTION_VERSION } from '../src/models/product/multi-target-model.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { trainTargets } from '../src/models/product/train-targets.js';
import { decodeModelFile, encodeModelFile } from '../src/models/product/model-file.js';
import { Rng } from '../src/util/rng.js';
import { buildServer } from '../src/serve/server.js';
import { SentivecError } from '../src/util/errors.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '../src/cli/main.js');
const FIXTURE = path.resolve(HERE, '../../test/fixtures/multi-target.csv');
const FAST = ['--dim', '8', '--epochs', '3', '--folds', '3', '--log-format', 'quiet', '--blueprint', 'vectors-bnc'];

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SENTIVEC_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let cleanup: () => Promise<void>;
let multi: string;
let testCsv: string;
const file = (name: string): string => path.join(dir, name);

before(async () => {
  ({ dir, cleanup } = await tempDir('sentivec-multi-target-'));
  testCsv = file('test.csv');
  await fs.writeFile(testCsv, multiTargetCsv(120, 2));
  multi = file('multi.svec');
  const r = run(['train', '--input', FIXTURE, '--label', 'sentiment', '--target', 'subjectivity', '--target', 'stars:rating:1..5:regression', '--out', multi, ...FAST]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /target 1 of 3: sentiment/);
  assert.match(r.stdout, /target 2 of 3: subjectivity/);
  assert.match(r.stdout, /target 3 of 3: stars/);
  assert.match(r.stdout, /3 targets/);
  assert.equal(r.stdout.match(/one fit shared by targets sentiment, subjectivity, stars/g)?.length, 3, r.stdout);
});

after(async () => cleanup());

test('the committed multi-target fixture is what its generator writes', () => {
  assert.equal(readFileSync(FIXTURE, 'utf8'), multiTargetCsv(240, 1));
});

test('predict --json gives one entry per target: labels with probabilities, and the rating', () => {
  const r = run(['predict', '--model', multi, '--json', 'great lovely superb i think honestly feel spacious quiet clean room', 'awful dull tedious reported measured listed cramped noisy dirty hotel']);
  assert.equal(r.status, 0, r.stderr);
  const [a, b] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { targets: Record<string, { label: string; probabilities: Record<string, number>; rating?: number }> });
  assert.deepEqual(Object.keys(a.targets), ['sentiment', 'subjectivity', 'stars']);
  assert.equal(a.targets.sentiment.label, 'positive');
  assert.equal(b.targets.sentiment.label, 'negative');
  assert.equal(a.targets.subjectivity.label, 'subjective');
  assert.equal(b.targets.subjectivity.label, 'objective');
  assert.deepEqual(Object.keys(a.targets.subjectivity.probabilities).sort(), ['objective', 'subjective']);
  assert.ok(typeof a.targets.stars.rating === 'number' && typeof b.targets.stars.rating === 'number');
  assert.ok(a.targets.stars.rating > b.targets.stars.rating + 1, `stars ${a.targets.stars.rating} vs ${b.targets.stars.rating}`);
  const text = run(['predict', '--model', multi, 'great lovely think spacious']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^sentiment: positive [\d.]+.*\|  subjectivity: subjective [\d.]+.*\|  stars: rating [\d.]+/);
});

test('evaluate --json reports every target on held-out data: accuracy for labels, MAE for the rating', () => {
  const r = run(['evaluate', '--model', multi, '--input', testCsv, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const { targets } = JSON.parse(r.stdout) as { targets: Record<string, { accuracy: number; documents: number; rating?: { mae: number } }> };
  assert.deepEqual(Object.keys(targets), ['sentiment', 'subjectivity', 'stars']);
  assert.ok(targets.sentiment.accuracy > 0.85, `sentiment ${targets.sentiment.accuracy}`);
  assert.ok(targets.subjectivity.accuracy > 0.85, `subjectivity ${targets.subjectivity.accuracy}`);
  assert.equal(targets.sentiment.documents, 120);
  assert.ok(targets.stars.rating !== undefined && targets.stars.rating.mae < 1, JSON.stringify(targets.stars.rating));
  const text = run(['evaluate', '--model', multi, '--input', testCsv]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^target sentiment\n[\s\S]*\ntarget subjectivity\n[\s\S]*\ntarget stars\n[\s\S]*MAE/);
  const picked = run(['evaluate', '--model', multi, '--input', testCsv, '--label', 'sentiment']);
  assert.equal(picked.status, 2);
  assert.match(picked.stderr, /^sentivec: --label, --rating and --rating-scale pick one field[^\n]*\n$/);
});

test('info shows each target, and its estimate', () => {
  const r = run(['info', '--model', multi]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /target 2 of 3: subjectivity\n {2}labels: /);
  const j = JSON.parse(run(['info', '--model', multi, '--json']).stdout) as { targets: Record<string, { labels: string[]; estimate: { value: number } | null }> };
  assert.deepEqual(j.targets.subjectivity.labels, ['objective', 'subjective']);
  assert.ok(j.targets.subjectivity.estimate !== null && j.targets.subjectivity.estimate.value > 0.8);
});

test('a multi-target file: single-model readers see its first target; each target loads; a newer layout is refused', async () => {
  const bytes = readFileSync(multi);
  const first = await SentimentModel.load(multi);
  assert.deepEqual(first.labels, ['negative', 'positive']);
  const several = MultiTargetModel.fromBytes(bytes, 'multi.svec');
  assert.deepEqual(several.targets.map((t) => t.name), ['sentiment', 'subjectivity', 'stars']);
  assert.deepEqual(several.target('subjectivity').labels, ['objective', 'subjective']);
  assert.equal(several.target('stars').info.target.kind, 'rating');
  // Written again, byte for byte.
  assert.deepEqual(several.toBytes(), new Uint8Array(bytes));
  const explained = several.explain('great think spacious');
  assert.deepEqual(Object.keys(explained), ['sentiment', 'subjectivity', 'stars']);
  assert.ok(explained.subjectivity.tokens.some((t) => t.word === 'think' && t.weight > 0));
  const c = decodeModelFile(bytes, 'multi.svec');
  const newer = encodeModelFile({ ...c.header, targets: { ...(c.header.targets as object), version: TARGETS_SECTION_VERSION + 1 } }, c.sections);
  assert.throws(() => MultiTargetModel.fromBytes(newer, 'newer.svec'), (e: unknown) => e instanceof SentivecError && /newer\.svec.*targets\.version/.test(e.message));
  const lost = new Map([...c.sections].filter(([n]) => n !== 'targets/1/weightsWords'));
  assert.throws(() => MultiTargetModel.fromBytes(encodeModelFile(c.header, lost), 'lost.svec'), (e: unknown) => e instanceof SentivecError && /lost\.svec.*subjectivity.*'weightsWords'/.test(e.message));
});

test('a multi-target file stores the shared word vectors (and vocabulary) once; version-1 files, every target in full, still load', () => {
  const bytes = readFileSync(multi);
  const c = decodeModelFile(bytes, 'multi.svec');
  const block = c.header.targets as { version: number; same: string[][]; more: Record<string, unknown>[] };
  assert.equal(block.version, TARGETS_SECTION_VERSION);
  assert.deepEqual([...c.sections.keys()].filter((n) => n.endsWith('/R') || n === 'R'), ['R']);
  for (const same of block.same) for (const shared of ['R', 'frequencies', 'words', 'tokenizer']) assert.ok(same.includes(shared), `${shared} in ${same.join(', ')}`);
  const several = MultiTargetModel.fromBytes(bytes, 'multi.svec');
  assert.deepEqual(several.target('stars').neighbors('spacious', 3), several.first.neighbors('spacious', 3));
  // The same model as version 1 wrote it: each later target's sections and header in full.
  const sections = new Map(c.sections);
  const more = block.more.map((own, i) => {
    const header: Record<string, unknown> = { ...own };
    for (const n of block.same[i]) {
      const a = c.sections.get(n);
      if (a !== undefined) sections.set(`targets/${i + 1}/${n}`, a);
      else header[n] = c.header[n];
    }
    return header;
  });
  const v1 = encodeModelFile({ ...c.header, targets: { version: 1, names: (c.header.targets as { names: string[] }).names, more } }, sections);
  assert.ok(v1.length > bytes.length, `version 1: ${v1.length} bytes, version 2: ${bytes.length}`);
  const old = MultiTargetModel.fromBytes(v1, 'v1.svec');
  assert.deepEqual(old.targets.map((t) => t.name), several.targets.map((t) => t.name));
  // Read from version 1 and written again: the version-2 file, byte for byte.
  assert.deepEqual(old.toBytes(), new Uint8Array(bytes));
  const broken = encodeModelFile({ ...c.header, targets: { ...block, same: block.same.map((l) => [...l, 'nothing']) } }, c.sections);
  assert.throws(() => MultiTargetModel.fromBytes(broken, 'broken.svec'), (e: unknown) => e instanceof SentivecError && /broken\.svec.*'nothing'/.test(e.message));
});

test('serve: /v1/model lists every target, /v1/predict answers (and explains) each; the top level stays the first target', async () => {
  const several = await MultiTargetModel.load(multi);
  const app = buildServer(several.first, { targets: several.targets });
  try {
    const model = (await app.inject({ method: 'GET', url: '/v1/model' })).json() as { labels: string[]; targets: { name: string; labels: string[]; estimate: { value: number } | null }[] };
    assert.deepEqual(model.labels, ['negative', 'positive']);
    assert.deepEqual(model.targets.map((t) => t.name), ['sentiment', 'subjectivity', 'stars']);
    assert.deepEqual(model.targets[1].labels, ['objective', 'subjective']);
    assert.ok(model.targets[1].estimate !== null && model.targets[1].estimate.value > 0.8);
    type Answer = { label: string; probabilities: Record<string, number>; rating?: number; tokens?: { word: string | null; weight: number }[] };
    const texts = ['great lovely think honestly spacious quiet', 'awful dull reported measured cramped noisy'];
    const r = await app.inject({ method: 'POST', url: '/v1/predict', payload: { texts } });
    assert.equal(r.statusCode, 200, r.body);
    const { predictions } = r.json() as { predictions: (Answer & { targets: Record<string, Answer> })[] };
    const direct = several.predict(texts);
    predictions.forEach((p, i) => {
      assert.deepEqual(Object.keys(p.targets), ['sentiment', 'subjectivity', 'stars']);
      // Each target's answer is that target's model's own prediction; the top level is the first target's.
      assert.deepEqual(p.targets, JSON.parse(JSON.stringify(direct[i].targets)));
      assert.equal(p.label, p.targets.sentiment.label);
    });
    assert.equal(predictions[0].targets.subjectivity.label, 'subjective');
    assert.equal(predictions[1].targets.subjectivity.label, 'objective');
    assert.ok((predictions[0].targets.stars.rating ?? 0) > (predictions[1].targets.stars.rating ?? 0));
    const e = await app.inject({ method: 'POST', url: '/v1/predict', payload: { text: 'great think spacious', explain: true } });
    const [x] = (e.json() as { predictions: (Answer & { targets: Record<string, Answer> })[] }).predictions;
    // The explanation per target: "think" pushes subjectivity toward subjective, and is filler for sentiment.
    const weight = (a: Answer, w: string): number => a.tokens?.find((t) => t.word === w)?.weight ?? NaN;
    assert.ok(weight(x.targets.subjectivity, 'think') > 0);
    assert.ok(Math.abs(weight(x.targets.subjectivity, 'think')) > Math.abs(weight(x.targets.sentiment, 'think')));
    assert.ok(weight(x.targets.sentiment, 'great') > 0);
  } finally {
    await app.close();
  }
  // A single-target model's answers carry no `targets`.
  const single = buildServer(several.first);
  try {
    const r = (await single.inject({ method: 'POST', url: '/v1/predict', payload: { text: 'great' } })).json() as { predictions: Record<string, unknown>[] };
    assert.equal(r.predictions[0].targets, undefined);
    assert.equal(((await single.inject({ method: 'GET', url: '/v1/model' })).json() as Record<string, unknown>).targets, undefined);
  } finally {
    await single.close();
  }
});

test('a single-target model is read and written exactly as before, and predict prints what it printed', async () => {
  const single = file('single.svec');
  const r = run(['train', '--input', FIXTURE, '--label', 'subjectivity', '--out', single, ...FAST]);
  assert.equal(r.status, 0, r.stderr);
  const bytes = readFileSync(single);
  const m = MultiTargetModel.fromBytes(bytes);
  assert.equal(m.isMulti, false);
  assert.deepEqual(m.toBytes(), new Uint8Array(bytes));
  assert.equal(decodeModelFile(bytes, 'single.svec').header.targets, undefined);
  const p = run(['predict', '--model', single, '--json', 'i think honestly']);
  assert.equal(p.status, 0, p.stderr);
  const got = JSON.parse(p.stdout) as Record<string, unknown>;
  assert.equal(got.targets, undefined);
  assert.deepEqual(got, JSON.parse(JSON.stringify((await SentimentModel.load(single)).predict(['i think honestly'])[0])));
});

test('a row with no value for one target trains the other targets, and is that target\'s unlabeled text (csv and jsonl)', async () => {
  const rows = multiTargetRows(180, 4);
  // Every third row lacks its subjectivity, every fifth its stars; sentiment is always there.
  const csv = file('gaps.csv');
  await fs.writeFile(csv, `text,sentiment,subjectivity,stars\n${rows.map((r, i) => `${r.text},${r.sentiment},${i % 3 === 0 ? '' : r.subjectivity},${i % 5 === 0 ? '' : r.stars}`).join('\n')}\n`);
  const jsonl = file('gaps.jsonl');
  await fs.writeFile(jsonl, `${rows.map((r, i) => JSON.stringify({ text: r.text, sentiment: r.sentiment, ...(i % 3 === 0 ? {} : { subjectivity: r.subjectivity }), stars: i % 5 === 0 ? null : r.stars })).join('\n')}\n`);
  const missingSubjectivity = rows.filter((_, i) => i % 3 === 0).length;
  const missingStars = rows.filter((_, i) => i % 5 === 0).length;
  for (const input of [csv, jsonl]) {
    const out = file(`gaps-${path.extname(input).slice(1)}.svec`);
    const r = run(['train', '--input', input, '--label', 'sentiment', '--target', 'subjectivity', '--target', 'stars:rating:1..5:regression', '--out', out, ...FAST]);
    assert.equal(r.status, 0, r.stderr);
    const m = await MultiTargetModel.load(out);
    const data = (t: string) => m.target(t).info.data;
    assert.deepEqual([data('sentiment').labeled, data('sentiment').unlabeled], [180, 0]);
    assert.deepEqual([data('subjectivity').labeled, data('subjectivity').unlabeled], [180 - missingSubjectivity, missingSubjectivity]);
    assert.deepEqual([data('stars').labeled, data('stars').unlabeled], [180 - missingStars, missingStars]);
    const e = m.target('subjectivity').info.estimate;
    assert.ok(e !== null && e.value > 0.8, JSON.stringify(e));
  }
  // One target alone: an empty label is still an error naming the line.
  const alone = run(['train', '--input', csv, '--label', 'subjectivity', '--out', file('alone.svec'), ...FAST]);
  assert.equal(alone.status, 2);
  assert.match(alone.stderr, /gaps\.csv line 2: empty value in label column 'subjectivity'/);
});

test('cv --target cross-validates every target and reports it under its name', () => {
  const r = run(['cv', '--input', FIXTURE, '--label', 'sentiment', '--target', 'subjectivity', '--target', 'stars:rating:1..5:regression', '--rows', 'nbsvm-uni', '--folds', '3', '--log-format', 'quiet', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const { targets } = JSON.parse(r.stdout) as { targets: Record<string, { rows: { id: string; mean: number }[]; labeled: number; kind?: string }> };
  assert.deepEqual(Object.keys(targets), ['sentiment', 'subjectivity', 'stars']);
  // Two labels: the nbsvm-uni row, an accuracy per fold; the rating head: its MAE.
  assert.ok(targets.sentiment.rows[0].mean > 0.85, JSON.stringify(targets.sentiment.rows));
  assert.ok(targets.subjectivity.rows[0].mean > 0.85, JSON.stringify(targets.subjectivity.rows));
  assert.equal(targets.stars.kind, 'rating');
  assert.ok(targets.stars.rows[0].mean < 1, JSON.stringify(targets.stars.rows));
  const text = run(['cv', '--input', FIXTURE, '--label', 'sentiment', '--target', 'subjectivity', '--rows', 'nbsvm-uni', '--folds', '3', '--log-format', 'quiet']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^target sentiment\n[\s\S]*nbsvm-uni[\s\S]*\ntarget subjectivity\n[\s\S]*nbsvm-uni/);
  const chart = run(['cv', '--input', FIXTURE, '--label', 'sentiment', '--target', 'subjectivity', '--chart', file('cv.svg'), '--log-format', 'quiet']);
  assert.equal(chart.status, 2);
  assert.match(chart.stderr, /--chart draws one target/);
  // --target names a field: a format without fields is refused, by cv and by train alike.
  for (const cmd of [['cv'], ['train', '--out', file('folders.svec')]]) {
    const r = run([...cmd, '--input', path.dirname(FIXTURE), '--format', 'dir', '--target', 'subjectivity', '--log-format', 'quiet']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^sentivec: --target names a field: it needs a CSV, TSV or JSON Lines input, not --format dir\n/);
  }
});

test('bad --target values are exit 2 with a message naming them and no stack trace, and no model file', () => {
  for (const [args, m] of [
    [['--target', 'stars:rating'], /'stars:rating'/],
    [['--target', 'stars:rating:5..1'], /'stars:rating:5\.\.1'/],
    [['--target', 'stars:rating:1..5:sideways'], /unknown task 'sideways'/],
    [['--target', 'sentiment'], /target field 'sentiment' is given twice/],
    [['--target', 'nosuchcolumn'], /nosuchcolumn/],
  ] as const) {
    const out = file('bad.svec');
    const r = run(['train', '--input', FIXTURE, '--label', 'sentiment', ...args, '--out', out, ...FAST]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^sentivec: [^\n]+\n(\(run with --help for usage\)\n)?$/, r.stderr);
    assert.match(r.stderr, m);
    assert.throws(() => readFileSync(out));
  }
});

test('leakage: a target with shuffled labels is estimated at chance, the other target is not affected', async () => {
  const rows = multiTargetRows(240, 5);
  const rng = new Rng(9);
  const shuffled = rng.shuffle(Int32Array.from(rows, (_, i) => i));
  const records = rows.map((r, i) => ({ text: r.text, sentiment: r.sentiment, subjectivity: rows[shuffled[i]].subjectivity }));
  const opts = { dim: 8, epochs: 3, folds: 5, blueprint: 'vectors-bnc', seed: 1 };
  const m = await trainTargets(
    [
      { name: 'sentiment', source: arraySource(records.map((r) => ({ text: r.text, label: r.sentiment }))), target: { kind: 'label' } },
      { name: 'subjectivity', source: arraySource(records.map((r) => ({ text: r.text, label: r.subjectivity }))), target: { kind: 'label' } },
    ],
    opts,
  );
  const est = (name: string): number => m.target(name).info.estimate?.value ?? NaN;
  assert.ok(est('sentiment') > 0.85, `sentiment ${est('sentiment')}`);
  assert.ok(Math.abs(est('subjectivity') - 0.5) < 0.12, `shuffled subjectivity ${est('subjectivity')}`);
});
