/**
 * The web page end to end in headless Chromium (test/fixtures/browser.ts): a
 * real model, the real server on a free port, a user typing reviews, clicking
 * a word and using the map.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { MultiTargetModel } from '../src/models/product/multi-target-model.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { startServer } from '../src/serve/server.js';
import { openBrowserPage, skipWithoutChromium as skip } from './fixtures/browser.js';
import { tempDir } from './fixtures/tiny-imdb.js';
import { NEGATIVE_WORDS, runCli, trainTinyModel, trainTinyThreeClassModel } from './fixtures/tiny-model.js';

/** Kept after the run (overwritten by the next) so a person can look at it. */
const SCREENSHOT = path.join(os.tmpdir(), 'sentivec-web', 'page.png');


/** Types `text` key by key into the box, then submits with the button or with Ctrl+Enter. */
async function analyse(page: Page, text: string, submit: 'button' | 'keys'): Promise<void> {
  const box = page.locator('[data-testid="text"]');
  await box.fill('');
  await box.pressSequentially(text);
  const answered = page.waitForResponse((r) => r.url().endsWith('/v1/predict'));
  if (submit === 'button') await page.click('[data-testid="analyze"]');
  else await box.press('Control+Enter');
  assert.equal((await answered).status(), 200);
  await page.waitForSelector('[data-testid="result"]:not([hidden])');
}

/** Serves `model` on a free port and opens a Chromium page on it; all is closed after the test. */
async function openPage(t: TestContext, model: SentimentModel, dir: string, cleanup: () => Promise<void>): Promise<{ url: string; page: Page; problems: string[] }> {
  const { app, url } = await startServer(model, { port: 0, host: '127.0.0.1' });
  const { page, problems } = await openBrowserPage(t, dir, async () => {
    await app.close();
    await cleanup();
  });
  return { url, page, problems };
}

test('web page: predict with highlights, word neighbours, the map', { skip, timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-web-');
  const model = await SentimentModel.load(await trainTinyModel(dir));
  const { url, page, problems } = await openPage(t, model, dir, cleanup);
  // Nothing may leave the machine: every request goes to our server.
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('data:')) problems.push(`request to ${r.url()}`);
  });

  await page.goto(`${url}/`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="map"] circle').length > 0);
  assert.match((await page.textContent('[data-testid="model-summary"]')) ?? '', /neg \/ pos/);
  assert.match((await page.textContent('[data-testid="model-summary"]')) ?? '', /estimated accuracy \d+\.\d% \(95% interval \d+\.\d%–\d+\.\d%, nested cross-validation\)/);
  // The placeholder is the model's own short training example, not a fixed movie review.
  const example = model.info.data.example;
  assert.ok(example !== undefined && example.length > 0 && example.length <= 140, String(example));
  assert.equal(await page.getAttribute('[data-testid="text"]', 'placeholder'), example);

  // An obviously positive review.
  await analyse(page, 'The acting was wonderful, the music was superb and the ending was moving.', 'button');
  assert.equal(await page.textContent('[data-testid="label"]'), 'pos');
  assert.match((await page.textContent('[data-testid="probability"]')) ?? '', /^\d+\.\d%$/);
  const spans = page.locator('[data-testid="tokens"] .tok.word');
  assert.ok((await spans.count()) >= 5, 'in-vocabulary words are highlighted');
  const wonderful = page.locator('[data-testid="tokens"] .tok.word[data-word="wonderful"]');
  assert.equal(await wonderful.getAttribute('data-sign'), 'positive');
  assert.equal(await wonderful.textContent(), 'wonderful');
  assert.notEqual(await wonderful.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgba(0, 0, 0, 0)', 'shaded');
  assert.equal(await page.textContent('[data-testid="tokens"]'), 'The acting was wonderful, the music was superb and the ending was moving.', 'the text is shown as typed');

  assert.match((await page.textContent('[data-testid="evidence"]')) ?? '', /^\d+ known words\./);

  // No known word: the page says so, and the probability is the class prior (80 pos / 80 neg).
  await analyse(page, 'zyzzyva quux', 'button');
  assert.equal(await page.getAttribute('[data-testid="evidence"]', 'data-evidence'), '0');
  assert.match((await page.textContent('[data-testid="evidence"]')) ?? '', /knows none of these words: 50\.0% is the class prior.*Unknown: zyzzyva quux/);
  assert.equal(await page.textContent('[data-testid="probability"]'), '50.0%');

  // An obviously negative one, with the words highlighted the other way.
  await analyse(page, 'What an awful film: the plot was boring and the script dreadful.', 'keys');
  assert.equal(await page.textContent('[data-testid="label"]'), 'neg');
  assert.equal(await page.locator('.tok.word[data-word="awful"]').getAttribute('data-sign'), 'negative');

  // Clicking a word opens its neighbours and sentiment.
  await page.click('.tok.word[data-word="boring"]');
  await page.waitForSelector('[data-testid="neighbours"] [data-testid="neighbour"]');
  assert.equal(await page.textContent('[data-testid="word-title"]'), 'boring');
  assert.match((await page.textContent('[data-testid="word-sentiment"]')) ?? '', /^sentiment [+−]\d/);
  const neighbours = await page.locator('[data-testid="neighbour"]').allTextContents();
  assert.equal(neighbours.length, 10);
  assert.ok(!neighbours.includes('boring'));

  // The map: one dot per frequent word, hover names it, the wheel zooms.
  const dots = page.locator('[data-testid="map"] circle');
  assert.equal(await dots.count(), Math.min(500, model.vectors.size));
  const first = dots.first();
  const word = await first.getAttribute('data-word');
  await first.hover({ force: true });
  await page.waitForSelector('[data-testid="map-tooltip"]:not([hidden])');
  assert.ok(((await page.textContent('[data-testid="map-tooltip"]')) ?? '').startsWith(`${word}`));
  await page.locator('[data-testid="map"]').hover();
  await page.mouse.wheel(0, -600);
  await page.waitForFunction(() => Number((document.querySelector('[data-testid="map"]') as HTMLElement).dataset.zoom) > 1.5);
  await page.click('#map-reset');
  assert.equal(await page.getAttribute('[data-testid="map"]', 'data-zoom'), '1.000');

  await page.evaluate(() => window.scrollTo(0, 0));
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  t.diagnostic(`screenshot: ${SCREENSHOT}`);
  assert.deepEqual(problems, []);
});

test('web page, three classes with label names: per-class probabilities, words shaded by the class they push, the map by the class words lean to, word search', { skip, timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-web3-');
  const model = await SentimentModel.load(await trainTinyThreeClassModel(dir));
  assert.deepEqual(model.labels, ['0', '1', '2']);
  const { url, page, problems } = await openPage(t, model, dir, cleanup);
  await page.goto(`${url}/`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="map"] circle').length > 0);
  assert.match((await page.textContent('[data-testid="model-summary"]')) ?? '', /labels negative \/ neutral \/ positive/);
  assert.deepEqual(await page.locator('[data-testid="legend"] .swatch').allTextContents(), ['negative', 'neutral', 'positive']);

  await analyse(page, 'The film was awful and the plot felt dreadful, but the music was ordinary.', 'button');
  assert.equal(await page.textContent('[data-testid="label"]'), 'negative', 'the name, not the bare label 0');
  const rows = await page.locator('[data-testid="probabilities"] li').allTextContents();
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r) => r.replace(/ [\d.]+%$/, '')), ['negative', 'neutral', 'positive']);
  const shown = rows.map((r) => Number(/([\d.]+)%$/.exec(r)?.[1]));
  assert.ok(Math.abs(shown.reduce((a, b) => a + b, 0) - 100) < 0.3, `probabilities ${rows.join(', ')}`);
  assert.ok(shown[0] > shown[1] && shown[0] > shown[2], rows.join(', '));
  const awful = page.locator('.tok.word[data-word="awful"]');
  assert.equal(await awful.getAttribute('data-toward'), '0');
  const ordinary = page.locator('.tok.word[data-word="ordinary"]');
  assert.equal(await ordinary.getAttribute('data-toward'), '1');
  assert.notEqual(await awful.evaluate((el) => getComputedStyle(el).backgroundColor), await ordinary.evaluate((el) => getComputedStyle(el).backgroundColor), 'each class its colour');
  assert.match((await page.textContent('#top-pos-title')) ?? '', /toward negative/);

  // The map: every dot says the class its word leans to, coloured by it; planted words lean to their class.
  await page.waitForSelector('[data-testid="map-legend"] .swatch');
  const lean = await page.locator(`[data-testid="map"] circle[data-word="${NEGATIVE_WORDS[0]}"]`).getAttribute('data-lean');
  assert.equal(lean, '0');
  const leans = await page.locator('[data-testid="map"] circle').evaluateAll((cs) => cs.map((c) => (c as SVGCircleElement).dataset.lean));
  assert.ok(leans.every((l) => l === '0' || l === '1' || l === '2'));

  // Word search: marks the dot and opens the word with its class probabilities.
  await page.fill('[data-testid="map-search"]', 'superb');
  await page.press('[data-testid="map-search"]', 'Enter');
  await page.waitForSelector('[data-testid="map"] circle.found');
  assert.equal(await page.getAttribute('[data-testid="map"] circle.found', 'data-word'), 'superb');
  await page.waitForFunction(() => document.querySelector('[data-testid="word-title"]')?.textContent === 'superb' && /^leans/.test(document.querySelector('[data-testid="word-sentiment"]')?.textContent ?? ''));
  assert.match((await page.textContent('[data-testid="word-sentiment"]')) ?? '', /^leans positive: positive \d+%, /);
  assert.deepEqual(problems, []);
});

test('web page, a multi-target model: every target answered under the verdict, and the card explains the target chosen', { skip, timeout: 180_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-web-targets-');
  const out = path.join(dir, 'multi.svec');
  const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/multi-target.csv');
  const r = await runCli(['train', '--input', fixture, '--label', 'sentiment', '--target', 'subjectivity', '--target', 'stars:rating:1..5:regression', '--out', out, '--blueprint', 'vectors-bnc', '--dim', '8', '--epochs', '3', '--folds', '3', '--c', '1', '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  const several = await MultiTargetModel.load(out);
  const { app, url } = await startServer(several.first, { port: 0, host: '127.0.0.1', targets: several.targets });
  const { page, problems } = await openBrowserPage(t, dir, async () => {
    await app.close();
    await cleanup();
  });
  await page.goto(`${url}/`);
  await page.waitForSelector('#target-choice:not([hidden])');
  assert.deepEqual(await page.locator('[data-testid="target"] option').allTextContents(), ['sentiment', 'subjectivity', 'stars']);

  await analyse(page, 'great lovely think honestly spacious quiet room', 'button');
  const answers = await page.locator('[data-testid="target-answers"] li').allTextContents();
  assert.equal(answers.length, 3);
  assert.match(answers[0], /^sentiment: positive \d+\.\d%$/);
  assert.match(answers[1], /^subjectivity: subjective \d+\.\d%$/);
  assert.match(answers[2], /^stars: rating [\d.]+$/);
  assert.equal(await page.textContent('[data-testid="label"]'), 'positive');
  const sentimentThink = Number(await page.getAttribute('.tok.word[data-word="think"]', 'data-weight'));

  // The card now explains subjectivity: its label, its classes, and "think" pushing toward subjective.
  await page.selectOption('[data-testid="target"]', 'subjectivity');
  await page.waitForFunction(() => document.querySelector('[data-testid="label"]')?.textContent === 'subjective');
  assert.deepEqual((await page.locator('[data-testid="probabilities"] li').allTextContents()).map((x) => x.replace(/ [\d.]+%$/, '')), ['objective', 'subjective']);
  const subjectiveThink = Number(await page.getAttribute('.tok.word[data-word="think"]', 'data-weight'));
  assert.ok(subjectiveThink > 0 && subjectiveThink > Math.abs(sentimentThink), `think: ${subjectiveThink} for subjectivity, ${sentimentThink} for sentiment`);
  assert.match((await page.textContent('[data-testid="legend"]')) ?? '', /toward subjective/);
  assert.equal(await page.getAttribute('[data-testid="target-answers"] li.shown', 'data-target'), 'subjectivity');

  // The rating target shows its stars.
  await page.selectOption('[data-testid="target"]', 'stars');
  await page.waitForSelector('[data-testid="stars"]:not([hidden])');
  assert.deepEqual(problems, []);
});
