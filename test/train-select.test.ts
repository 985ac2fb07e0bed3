/**
 * `train --select`: the selection runs inside every fit, so inside every
 * cross-validation fold of the estimate — shuffled labels give a chance
 * estimate; with signal, the selected model keeps the planted words. The
 * model stores the training ranking, which the web service returns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { parseSelectSpec } from '../src/models/product/feature-selection.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { buildServer } from '../src/serve/server.js';
import { Rng } from '../src/util/rng.js';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './fixtures/tiny-imdb.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');

/** 240 short texts from 300 filler words; "superb"/"splendid" lean positive, "awful"/"dreadful" negative. */
function corpus(seed: number, shuffle: boolean): { text: string; label: string }[] {
  const rng = new Rng(seed);
  const filler = Array.from({ length: 300 }, (_, i) => `w${i}`);
  const docs = Array.from({ length: 240 }, (_, i) => {
    const pos = i % 2 === 1;
    const words = Array.from({ length: 12 }, () => filler[rng.int(filler.length)]);
    for (const w of pos ? ['superb', 'splendid'] : ['awful', 'dreadful']) if (rng.next() < 0.6) words.push(w);
    return { text: rng.shuffle(words).join(' '), label: pos ? 'pos' : 'neg' };
  });
  if (shuffle) {
    const labels = rng.shuffle(docs.map((d) => d.label));
    docs.forEach((d, i) => (d.label = labels[i]));
  }
  return docs;
}

const quick = { blueprint: 'bnc', dim: 4, epochs: 2, folds: 3, seed: 1, threads: 1, cGrid: [0.1, 1] } as const;

test('train --select chi2:K keeps K words, stores the ranking, and the service returns it', async () => {
  const model = await trainSentimentModel(arraySource(corpus(1, false)), { ...quick, select: parseSelectSpec('chi2:20') });
  const s = model.info.selection;
  assert.ok(s && s.kept, 'a selection summary');
  assert.equal(model.info.blueprint.id, 'bnc+chi2:20');
  assert.equal(model.info.options.select, 'chi2:20');
  assert.equal(s.kept.kept, 20);
  assert.deepEqual(new Set(s.ranking.features.slice(0, 4).map((f) => f.word)), new Set(['superb', 'splendid', 'awful', 'dreadful']));
  assert.equal(s.ranking.features.find((f) => f.word === 'superb')?.towards, 'pos');
  assert.ok(s.ranking.features[0].corrected <= 0.05 && s.ranking.features[0].logOdds > 0);
  // Dropped words carry no weight: a text of filler words only scores the intercept.
  const e = model.explain(Array.from({ length: 300 }, (_, i) => `w${i}`).filter((w) => !s.ranking.features.slice(0, 20).some((f) => f.word === w)).join(' '));
  assert.ok(e.tokens.every((t) => t.weight === 0), 'words outside the 20 kept have weight 0');
  assert.ok(model.info.estimate && model.info.estimate.value > 0.7, `estimate ${model.info.estimate?.value}`);
  const app = buildServer(model);
  const res = await app.inject({ method: 'GET', url: '/v1/features' });
  assert.equal(res.statusCode, 200);
  const body = res.json() as { ranking: { features: { word: string }[] }; selection: { kept: number } };
  assert.equal(body.ranking.features[0].word, s.ranking.features[0].word);
  assert.equal(body.selection.kept, 20);
  await app.close();
  const plain = await trainSentimentModel(arraySource(corpus(1, false)), quick);
  const app2 = buildServer(plain);
  const none = await app2.inject({ method: 'GET', url: '/v1/features' });
  assert.equal(none.statusCode, 404);
  assert.match(none.body, /--select/);
  await app2.close();
});

test('leakage: train --select fdr:0.05 and rfecv on shuffled labels estimate chance', async () => {
  for (const spec of ['fdr:0.05', 'rfecv']) {
    const model = await trainSentimentModel(arraySource(corpus(2, true)), { ...quick, select: parseSelectSpec(spec) });
    const est = model.info.estimate;
    assert.ok(est, spec);
    assert.ok(est.low <= 0.5 + 0.02 && est.value < 0.62, `${spec}: estimate ${est.value} [${est.low}, ${est.high}] on shuffled labels`);
  }
});

test('train --select rfecv finds the planted words and reports its curve', async () => {
  const model = await trainSentimentModel(arraySource(corpus(3, false)), { ...quick, select: parseSelectSpec('rfecv') });
  const kept = model.info.selection?.kept;
  assert.ok(kept && kept.curve && kept.chosen !== undefined);
  assert.equal(kept.kept, kept.chosen);
  assert.ok(kept.chosen < kept.curve[0].features, `knee ${kept.chosen} of ${kept.curve[0].features}`);
  const at = kept.curve.find((p) => p.features === kept.chosen)!;
  const best = Math.max(...kept.curve.map((p) => p.accuracy));
  assert.ok(at.accuracy >= best - 0.06);
  assert.ok(model.predict(['superb splendid w3'])[0].label === 'pos' && model.predict(['awful dreadful w3'])[0].label === 'neg');
  assert.throws(() => parseSelectSpec('rfe'), /rfecv/);
});

test('sentivec train --select: the summary says what was kept; a bad spec exits 2 with one line', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = path.join(dir, 'm.svec');
    const ok = spawnSync(process.execPath, [CLI, 'train', '--input', path.join(ROOT, 'examples/reviews.csv'), '--out', out, '--blueprint', 'bnc', '--select', 'chi2:30', '--epochs', '2', '--dim', '8', '--log-format', 'quiet'], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /feature selection: chi2:30 kept 30 of \d+ words \(\d+ of \d+ words significant by χ² at FDR 0.05/);
    assert.match(ok.stdout, /blueprint: bnc\+chi2:30/);
    const bad = spawnSync(process.execPath, [CLI, 'train', '--input', path.join(ROOT, 'examples/reviews.csv'), '--out', out, '--select', 'chi2:zero', '--log-format', 'quiet'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--select chi2:zero/);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  } finally {
    await cleanup();
  }
});

test('train --select with three labels: χ² ranks against all of them; rfecv is refused with a clear message', async () => {
  const rng = new Rng(8);
  const filler = Array.from({ length: 150 }, (_, i) => `w${i}`);
  const marks: Record<string, string> = { good: 'superb', bad: 'awful', meh: 'okayish' };
  const docs = Array.from({ length: 240 }, (_, i) => {
    const label = ['bad', 'good', 'meh'][i % 3];
    const words = Array.from({ length: 10 }, () => filler[rng.int(filler.length)]);
    if (rng.next() < 0.7) words.push(marks[label]);
    return { text: rng.shuffle(words).join(' '), label };
  });
  const model = await trainSentimentModel(arraySource(docs), { ...quick, select: parseSelectSpec('chi2:15') });
  const s = model.info.selection;
  assert.ok(s && s.kept && s.kept.kept === 15);
  const top = s.ranking.features.slice(0, 3);
  assert.deepEqual(new Set(top.map((f) => f.word)), new Set(['superb', 'awful', 'okayish']));
  for (const f of top) {
    assert.equal(f.towards, Object.keys(marks).find((l) => marks[l] === f.word));
    assert.equal(f.documents.length, 3);
    assert.ok(f.logOdds > 0 && f.corrected < 0.05);
  }
  await assert.rejects(trainSentimentModel(arraySource(docs), { ...quick, select: parseSelectSpec('rfecv') }), /rfecv .* with 3 labels use chi2:K/);
});
