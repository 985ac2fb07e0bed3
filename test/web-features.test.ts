/**
 * The web page shows the training ranking a model trained with
 * `train --select` stores (GET /v1/features), in headless Chromium
 * (test/fixtures/browser.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { startServer } from '../src/serve/server.js';
import { openBrowserPage, skipWithoutChromium as skip } from './fixtures/browser.js';
import { tempDir } from './fixtures/tiny-imdb.js';
import { NEGATIVE_WORDS, POSITIVE_WORDS, runCli, writeReviewsCsv } from './fixtures/tiny-model.js';


test('web page: a model trained with --select shows its training ranking', { skip, timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-web-features-');
  const csv = await writeReviewsCsv(dir);
  const out = path.join(dir, 'selected.svec');
  const trained = await runCli(['train', '--input', csv, '--out', out, '--blueprint', 'bnc', '--select', 'chi2:12', '--dim', '8', '--epochs', '3', '--min-count', '1', '--c', '1', '--log-format', 'quiet']);
  assert.equal(trained.status, 0, trained.stderr);
  const { app, url } = await startServer(await SentimentModel.load(out), { port: 0, host: '127.0.0.1' });
  const { page, problems } = await openBrowserPage(t, dir, async () => {
    await app.close();
    await cleanup();
  });
  await page.goto(url);
  await page.waitForSelector('[data-testid="features"]:not([hidden])');
  const rows = page.locator('[data-testid="features-rows"] tr');
  assert.ok((await rows.count()) >= 12);
  const first = (await rows.first().locator('td').first().textContent()) ?? '';
  assert.ok([...POSITIVE_WORDS, ...NEGATIVE_WORDS].includes(first), `first word ${first}`);
  assert.match((await page.textContent('[data-testid="features"]')) ?? '', /kept 12 of \d+ words \(chi2:12\)/);
  assert.deepEqual(problems, []);
});
