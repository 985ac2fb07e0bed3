/**
 * `sentivec features` end to end on a planted corpus, the exact n-gram
 * vocabulary against brute-force counting, and the HTML report in headless
 * Chromium (skips without Chromium outside CI, fails under CI=true).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowserPage, skipWithoutChromium } from './fixtures/browser.js';
import { tempDir } from './fixtures/tiny-imdb.js';
import { NEGATIVE_WORDS, POSITIVE_WORDS, trainTinyModel, writeReviewsCsv } from './fixtures/tiny-model.js';
import { NgramVocabulary } from '../src/features/ngram-vocabulary.js';
import { DocumentBuilder } from '../src/text/documents.js';
import { Rng } from '../src/util/rng.js';
import type { FeatureReport } from '../src/eval/feature-report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SENTIVEC_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let cleanup: () => Promise<void>;
let csv: string;
let binary: string;
before(async () => {
  ({ dir, cleanup } = await tempDir());
  // Three classes of 40 tweets-like texts from a shared filler vocabulary; "superb" marks class
  // good, "refund please" marks bad, "new york" (and so "york") is common in class meh; "gate" is noise.
  const rng = new Rng(11);
  const filler = ['the', 'flight', 'was', 'a', 'and', 'my', 'crew', 'seat', 'time', 'plane', 'gate', 'bag', 'today', 'it'];
  const lines = ['text,label,stars'];
  const classes = ['good', 'bad', 'meh'];
  for (let i = 0; i < 120; i++) {
    const c = classes[i % 3];
    const words = Array.from({ length: 8 }, () => filler[rng.int(filler.length)]);
    if (c === 'good' && rng.next() < 0.8) words.splice(rng.int(words.length), 0, 'superb');
    if (c === 'bad' && rng.next() < 0.8) words.splice(rng.int(words.length), 0, 'refund', 'please');
    if (c === 'meh' && rng.next() < 0.7) words.splice(rng.int(words.length), 0, 'new', 'york');
    const stars = c === 'good' ? 5 : c === 'bad' ? 1 : 3;
    lines.push(`"${words.join(' ')}",${c},${stars}`);
  }
  csv = path.join(dir, 'planted.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  // The same texts, classes good and bad only, for the two-class sections (importance, RFE-CV).
  binary = path.join(dir, 'binary.csv');
  writeFileSync(binary, `${lines.filter((l, i) => i === 0 || !l.endsWith(',meh,3')).join('\n')}\n`);
});
after(async () => cleanup());

test('NgramVocabulary keeps exactly the n-grams with df ≥ minDf (brute force on a random corpus)', () => {
  const rng = new Rng(5);
  const strings = ['a', 'b', 'c', 'd', 'e', 'f'];
  const builder = new DocumentBuilder();
  const docs: number[][] = [];
  for (let d = 0; d < 60; d++) {
    const doc = Array.from({ length: 3 + rng.int(8) }, () => Math.min(rng.int(6), rng.int(6)));
    docs.push(doc);
    builder.push(doc);
  }
  const built = builder.finish();
  for (const [minOrder, maxOrder, minDf] of [[1, 3, 3], [2, 3, 4], [1, 1, 1], [3, 3, 2]] as const) {
    const df = new Map<string, number>();
    for (const doc of docs) {
      const seen = new Set<string>();
      for (let p = 0; p < doc.length; p++) for (let n = minOrder; n <= maxOrder && p + n <= doc.length; n++) seen.add(doc.slice(p, p + n).map((t) => strings[t]).join(' '));
      for (const s of seen) df.set(s, (df.get(s) ?? 0) + 1);
    }
    const expected = [...df].filter(([, v]) => v >= minDf).map(([k]) => k).sort();
    const vocab = NgramVocabulary.fit(built, strings, { minOrder, maxOrder, minDf });
    assert.deepEqual([...vocab.names].sort(), expected, `${minOrder}..${maxOrder} df ≥ ${minDf}`);
    const X = vocab.transform(built);
    for (let d = 0; d < docs.length; d++) {
      const row = Array.from(X.indices.subarray(X.indptr[d], X.indptr[d + 1]), (j) => vocab.names[j]).sort();
      const want = new Set<string>();
      for (let p = 0; p < docs[d].length; p++) for (let n = minOrder; n <= maxOrder && p + n <= docs[d].length; n++) want.add(docs[d].slice(p, p + n).map((t) => strings[t]).join(' '));
      assert.deepEqual(row, [...want].filter((s) => (df.get(s) ?? 0) >= minDf).sort(), `row ${d}`);
    }
  }
});

test('features: the planted phrases come first, with effect, per-class df, example, redundancy, JSON', () => {
  const json = path.join(dir, 'features.json');
  const r = run(['features', '--input', csv, '--top', '5', '--min-df', '3', '--json', json, '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /120 documents; classes bad \(40\), good \(40\), meh \(40\)/);
  const report = JSON.parse(readFileSync(json, 'utf8')) as FeatureReport;
  assert.deepEqual(report.tests.map((t) => t.test), ['chi2', 'anova', 'mi']);
  for (const t of report.tests) {
    const top = t.top.map((row) => row.ngram);
    for (const planted of ['superb', 'refund please']) assert.ok(top.includes(planted), `${t.test}: ${top.join(', ')}`);
    const superb = t.top.find((row) => row.ngram === 'superb')!;
    assert.equal(superb.effect.towards, 'good');
    assert.ok(superb.effect.low > 0 && superb.significant);
    assert.equal(superb.dfPerClass![0], 0);
    assert.ok(superb.example && superb.example.match === 'superb');
    assert.ok(t.significant >= 4 && t.significant < t.tested / 2, `${t.test}: ${t.significant} of ${t.tested}`);
  }
  const york = report.redundancy.groups.find((g) => g.kept === 'new york' || g.kept === 'york' || g.kept === 'new');
  assert.ok(york, JSON.stringify(report.redundancy.groups));
  assert.deepEqual(report.perClass.map((c) => c.name), ['bad', 'good', 'meh']);
  assert.ok(report.perClass[1].features.includes('superb'));
});

test('features: ratings use the F test of the correlation; bad requests exit 2 with one line', () => {
  const json = path.join(dir, 'rating.json');
  const r = run(['features', '--input', csv, '--rating', 'stars', '--top', '6', '--min-df', '3', '--json', json, '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(json, 'utf8')) as FeatureReport;
  assert.equal(report.tests.length, 1);
  const superb = report.tests[0].top.find((row) => row.ngram === 'superb');
  assert.equal(report.tests[0].top.find((row) => row.ngram === 'refund please')?.effect.towards, 'lower');
  assert.ok(superb && superb.effect.towards === 'higher' && superb.effect.estimate > 1 && superb.r! > 0, JSON.stringify(report.tests[0].top));
  for (const [args, message] of [
    [['--rating', 'stars', '--test', 'chi2'], /needs classes/],
    [['--label', 'nope'], /nope/],
    [['--ngrams', '4'], /--ngrams/],
    [['--min-df', '1000'], /lower --min-df/],
  ] as const) {
    const bad = run(['features', '--input', csv, ...args, '--log-format', 'quiet']);
    assert.equal(bad.status, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.match(bad.stderr, message);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  }
});

test('features --importance and --rfecv: the planted words matter on held-out documents, the knee keeps them; k classes are refused', () => {
  const json = path.join(dir, 'importance.json');
  const r = run(['features', '--input', binary, '--top', '5', '--min-df', '3', '--importance', '--rfecv', '--repeats', '10', '--json', json, '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /importance: logistic regression/);
  assert.match(r.stdout, /RFE-CV \(5 folds\)/);
  const report = JSON.parse(readFileSync(json, 'utf8')) as FeatureReport;
  const imp = report.importance!;
  assert.equal(imp.split.training + imp.split.heldOut, 80);
  assert.ok(imp.heldOutAccuracy >= 0.75, `held-out accuracy ${imp.heldOutAccuracy}`);
  const planted = ['superb', 'refund', 'please', 'refund please'];
  assert.ok(planted.includes(imp.permutation[0].ngram), JSON.stringify(imp.permutation.slice(0, 3)));
  // 16 held-out documents: the intervals are wide, but the strongest drop is a real one.
  assert.ok(imp.permutation[0].drop > 0 && imp.permutation[0].high > imp.permutation[0].drop);
  assert.ok(planted.includes(imp.modelBased[0].ngram), JSON.stringify(imp.modelBased.slice(0, 3)));
  const rfe = report.rfecv!;
  assert.ok(rfe.chosen < rfe.curve[0].features && rfe.kept.some((k) => planted.includes(k)), JSON.stringify(rfe));
  const k = run(['features', '--input', csv, '--importance', '--log-format', 'quiet']);
  assert.equal(k.status, 2);
  assert.match(k.stderr, /two classes/);
});

test("features --model: a trained model's words aggregated over held-out documents, with permutation importance", async () => {
  const model = await trainTinyModel(dir);
  const heldOutDir = path.join(dir, 'held-out');
  mkdirSync(heldOutDir);
  const heldOut = await writeReviewsCsv(heldOutDir, 40, 99);
  const json = path.join(dir, 'model-importance.json');
  const r = run(['features', '--input', heldOut, '--model', model, '--top', '6', '--repeats', '8', '--min-df', '3', '--json', json, '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /model .*tiny\.svec: accuracy/);
  const m = (JSON.parse(readFileSync(json, 'utf8')) as FeatureReport).model!;
  assert.equal(m.documents, 80);
  assert.ok(m.accuracy > 0.9, `accuracy ${m.accuracy}`);
  assert.equal(m.words.length, 6);
  for (const w of m.words) {
    assert.ok(POSITIVE_WORDS.includes(w.word) || NEGATIVE_WORDS.includes(w.word), `${w.word} is a mood word`);
    assert.equal(Math.sign(w.meanShare), POSITIVE_WORDS.includes(w.word) ? 1 : -1, w.word);
    assert.ok(w.low <= w.drop && w.drop <= w.high && w.documents > 0);
  }
  const bad = run(['features', '--input', csv, '--model', model, '--log-format', 'quiet']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not one of the model's|two classes|label/);
});

test('features --html renders in headless Chromium without errors', { skip: skipWithoutChromium, timeout: 120_000 }, async (t) => {
  const html = path.join(dir, 'features.html');
  const r = run(['features', '--input', csv, '--top', '7', '--min-df', '3', '--html', html, '--log-format', 'quiet']);
  assert.equal(r.status, 0, r.stderr);
  const { page, problems } = await openBrowserPage(t, dir);
  // Self-contained: the only request is the file itself.
  page.on('request', (req) => {
    if (!req.url().startsWith('file://')) problems.push(`request to ${req.url()}`);
  });
  await page.goto(`file://${html}`);
  assert.equal(await page.locator('[data-testid="table-chi2"] tbody tr').count(), 7);
  assert.equal(await page.locator('[data-testid="table-mi"] tbody tr').count(), 7);
  assert.ok((await page.locator('[data-testid="volcano"] circle').count()) > 10);
  const box = await page.locator('[data-testid="volcano"]').boundingBox();
  assert.ok(box && box.width > 300 && box.height > 200, 'the plot is laid out');
  assert.match((await page.textContent('[data-testid="per-class"]')) ?? '', /superb/);
  assert.match((await page.textContent('[data-testid="summary"]')) ?? '', /120 documents/);
  // Two classes: the importance tables and the RFE-CV curve render too.
  const html2 = path.join(dir, 'binary.html');
  const r2 = run(['features', '--input', binary, '--top', '5', '--min-df', '3', '--importance', '--rfecv', '--repeats', '10', '--html', html2, '--log-format', 'quiet']);
  assert.equal(r2.status, 0, r2.stderr);
  await page.goto(`file://${html2}`);
  assert.equal(await page.locator('[data-testid="importance"] tbody tr').count(), 10);
  assert.ok((await page.locator('[data-testid="rfecv-curve"] circle').count()) >= 3);
  const curve = await page.locator('[data-testid="rfecv-curve"]').boundingBox();
  assert.ok(curve && curve.width > 300 && curve.height > 200, 'the RFE-CV curve is laid out');
  assert.deepEqual(problems, []);
});
