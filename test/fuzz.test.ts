/**
 * Fuzzing the two file readers (issue #15, items 4 and 5): a few thousand
 * seeded corruptions of a real model file and a real word-vector file —
 * damage the checksum catches and checksum-valid edits of the header and
 * sections — each loaded and, when it loads, used. Every case ends in
 * success or a SentivecError; none hangs; memory stays bounded. Special
 * paths (FIFO, device, huge files) are refused before they are read.
 * `npm run bench:fuzz` runs the same harness on 100,000+ cases.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { WordVectors } from '../src/models/embeddings/word-vectors.js';
import { SentivecError } from '../src/util/errors.js';
import { runFuzz, sign } from './fixtures/fuzz.js';
import { tempDir } from './fixtures/tiny-imdb.js';
import { runCli, writeReviewsCsv } from './fixtures/tiny-model.js';

let dir: string;
let cleanup: () => Promise<void>;
let modelFile: string;
let vectorFile: string;

before(async () => {
  ({ dir, cleanup } = await tempDir('sentivec-fuzz-'));
  const csv = await writeReviewsCsv(dir, 40);
  modelFile = path.join(dir, 'base.svec');
  const r = await runCli(['train', '--input', csv, '--out', modelFile, '--blueprint', 'vectors-bnc', '--dim', '6', '--epochs', '3', '--c', '1', '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  vectorFile = path.join(dir, 'base.vec');
  await (await SentimentModel.load(modelFile)).vectors.save(vectorFile);
});
after(async () => cleanup());

test('3,000 corrupted model and word-vector files: 0 errors other than SentivecError, no hang, bounded memory', async () => {
  const bases = { model: new Uint8Array(await fs.readFile(modelFile)), vectors: new Uint8Array(await fs.readFile(vectorFile)) };
  const report = runFuzz(bases, 3000, 20261206);
  assert.equal(report.otherErrors, 0, `not SentivecError:\n${report.samples.join('\n')}`);
  assert.equal(report.cases, 3000);
  assert.ok(report.rejected > 2000, `most corruptions are refused: ${JSON.stringify(report.perStrategy)}`);
  for (const kind of ['model', 'vectors']) {
    for (const s of ['header-value', 'header-deep', 'nonfinite', 'sections', 'preamble']) {
      const seen = report.perStrategy[`${kind}/${s}`];
      assert.ok(seen && seen.accepted + seen.rejected > 0, `${kind}/${s} was exercised`);
    }
    // NaN/Infinity in a section and a too-deep header are always refused.
    assert.equal(report.perStrategy[`${kind}/nonfinite`].accepted, 0);
    assert.equal(report.perStrategy[`${kind}/header-deep`].accepted, 0);
  }
  // A hang guard, not a speed test: one case of a 15 KB file has no business taking seconds.
  assert.ok(report.slowestMs < 5000, `slowest case ${report.slowestMs} ms`);
  assert.ok(report.rssGrowthMb < 512, `RSS grew by ${report.rssGrowthMb} MB`);
});

test('the issue\'s checksum-valid cases are SentivecErrors naming the problem', async () => {
  const base = new Uint8Array(await fs.readFile(modelFile));
  const view = new DataView(base.buffer, base.byteOffset);
  const h = view.getUint32(12, true);
  const header = JSON.parse(Buffer.from(base.subarray(16, 16 + h)).toString()) as Record<string, unknown>;
  const payload = base.slice(16 + h, base.length - 32);
  const magic = base.slice(0, 8);
  const load = (text: string, p = payload): (() => SentimentModel) => () => SentimentModel.fromBytes(sign(magic, 1, text, p), 'm.svec');
  const cases: [string, RegExp, Uint8Array?][] = [
    ['null', /not a JSON object/],
    [JSON.stringify({ ...header, tokenizer: '__D__' }).replace('"__D__"', '['.repeat(100_000) + ']'.repeat(100_000)), /nested deeper than 32/],
    [JSON.stringify({ ...header, info: {} }), /info\.target must be an object/],
    [JSON.stringify({ ...header, info: { ...(header.info as object), input: { path: 'x', textField: 3 } } }), /info\.input\.textField must be a string/],
    [JSON.stringify({ ...header, info: { ...(header.info as object), target: { kind: 'rating', labels: header.labels } } }), /info\.target\.scale/],
    [JSON.stringify({ ...header, labels: ['a', 'a'] }), /labels must be 2 to 100 different strings/],
    [JSON.stringify({ ...header, intercept: 'NaN' }), /intercept must be a finite number/],
    // (dim 0 is a model without word vectors, e.g. nbsvm-tri; a negative one is corrupt.)
    [JSON.stringify({ ...header, dim: -1 }), /dim must be an integer/],
  ];
  for (const [text, message] of cases) {
    assert.throws(load(text), (e: unknown) => e instanceof SentivecError && message.test(e.message) && e.message.startsWith('m.svec is not a usable sentivec model'), text.slice(0, 60));
  }
  // NaN in the weights: refused, naming the section.
  const nan = payload.slice();
  new DataView(nan.buffer).setFloat64(nan.length - 8, NaN, true);
  assert.throws(load(JSON.stringify(header), nan), /section 'frequencies' holds NaN/);
});

test('special paths: a FIFO, a device, a directory, a huge non-model file and a file over 2 GiB are refused without reading them', { timeout: 30_000 }, async () => {
  const fifo = path.join(dir, 'pipe.svec');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  await assert.rejects(SentimentModel.load(fifo), /cannot read model .*pipe\.svec: it is a FIFO \(named pipe\), not a regular file/);
  await assert.rejects(SentimentModel.load('/dev/zero'), /cannot read model \/dev\/zero: it is a character device/);
  await assert.rejects(WordVectors.load(dir), /it is a directory/);
  // 1 GiB of zeros (sparse): refused after its first 16 bytes.
  const big = path.join(dir, 'big.bin');
  await fs.writeFile(big, 'not a model');
  await fs.truncate(big, 2 ** 30);
  const rss = process.memoryUsage().rss;
  await assert.rejects(SentimentModel.load(big), /wrong magic bytes/);
  // A real header over a 3 GiB file (sparse): the size disagrees with the header, nothing else is read.
  const model = new Uint8Array(await fs.readFile(modelFile));
  const h = new DataView(model.buffer, model.byteOffset).getUint32(12, true);
  const huge = path.join(dir, 'huge.svec');
  await fs.writeFile(huge, model.subarray(0, 16 + h));
  await fs.truncate(huge, 3 * 2 ** 30);
  await assert.rejects(SentimentModel.load(huge), /unexpected bytes after the end/);
  // A header whose sections add up to the 3 GiB: refused as too large to read.
  const table = [{ name: 'R', type: 'f32', length: (3 * 2 ** 30 - 16 - 64 - 32) / 4 }];
  const framed = sign(model.slice(0, 8), 1, JSON.stringify({ sections: table }).padEnd(64), new Uint8Array(0));
  await fs.writeFile(huge, framed.subarray(0, 16 + 64));
  await fs.truncate(huge, 3 * 2 ** 30);
  await assert.rejects(SentimentModel.load(huge), /3\.0 GiB is larger than sentivec reads/);
  assert.ok(process.memoryUsage().rss - rss < 256 * 2 ** 20, 'nothing large was read');
  // The CLI says the same in one line, exit 2.
  const r = await runCli(['predict', '--model', '/dev/zero', 'good']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^sentivec: cannot read model \/dev\/zero: it is a character device, not a regular file\n$/);
});
