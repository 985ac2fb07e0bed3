/**
 * Same data and seed → the same model file, byte for byte (issue #15 item
 * 9): dates and timings stay out of the file unless --record-timings asks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { tempDir } from './fixtures/tiny-imdb.js';
import { runCli, writeReviewsCsv } from './fixtures/tiny-model.js';

test('two trainings (leaderboard included) with the same seed write byte-identical files; --record-timings adds the date and timings', { timeout: 300_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-repro-');
  t.after(cleanup);
  const csv = await writeReviewsCsv(dir, 60);
  const train = async (out: string, ...extra: string[]): Promise<Buffer> => {
    const r = await runCli(['train', '--input', csv, '--out', out, '--dim', '8', '--epochs', '5', '--seed', '11', '--log-format', 'quiet', ...extra]);
    assert.equal(r.status, 0, r.stderr);
    return fs.readFile(out);
  };
  const a = await train(path.join(dir, 'a.svec'));
  const b = await train(path.join(dir, 'b.svec'));
  assert.ok(a.equals(b), 'identical bytes');
  const loaded = await SentimentModel.load(path.join(dir, 'a.svec'));
  const info = loaded.info as unknown as Record<string, unknown>;
  assert.equal(info.created, undefined);
  assert.equal(info.seconds, undefined);
  assert.ok(!JSON.stringify(info).includes('"seconds"'), 'no timing anywhere in the record');
  const c = await train(path.join(dir, 'c.svec'), '--record-timings', '--blueprint', 'bnc');
  const timed = (await SentimentModel.load(path.join(dir, 'c.svec'))).info;
  assert.match(timed.created, /^\d{4}-\d\d-\d\dT/);
  assert.equal(typeof timed.seconds, 'number');
  assert.ok(!c.equals(a));
});
