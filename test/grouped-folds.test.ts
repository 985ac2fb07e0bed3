/**
 * Grouped folds (issue #13): when documents come in groups (the reviews of
 * one movie), no group straddles the cross-validation folds, the classes stay
 * spread over the folds, and the estimate is honest for unseen groups where
 * ungrouped folds are optimistic. Also: the groups come from aclImdb's
 * urls_*.txt and from a CSV column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { assignFolds, groupCount, stratifiedGroupKFold } from '../src/models/classifiers/folds.js';
import { arraySource } from '../src/corpus/record.js';
import { readCorpus } from '../src/corpus/formats.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { SentivecError } from '../src/util/errors.js';
import { Rng } from '../src/util/rng.js';
import { makeTinyImdb, tempDir } from './fixtures/tiny-imdb.js';

/** Rows in groups of 1–30 (like IMDb's reviews per movie), each group leaning to one class. */
function groupedRows(groups: number, seed: number): { y: Uint8Array; g: Int32Array } {
  const rng = new Rng(seed);
  const y: number[] = [];
  const g: number[] = [];
  for (let k = 0; k < groups; k++) {
    const size = 1 + rng.int(30);
    const lean = rng.next();
    for (let i = 0; i < size; i++) {
      y.push(rng.next() < lean ? 1 : 0);
      g.push(1000 + 7 * k);
    }
  }
  return { y: Uint8Array.from(y), g: Int32Array.from(g) };
}

test('stratified group k-fold: no group in two folds, classes spread over the folds, deterministic with the seed', () => {
  const { y, g } = groupedRows(200, 1);
  const k = 5;
  const fold = stratifiedGroupKFold(y, g, k, 7);
  const foldOf = new Map<number, number>();
  for (let i = 0; i < y.length; i++) {
    const seen = foldOf.get(g[i]);
    if (seen === undefined) foldOf.set(g[i], fold[i]);
    else assert.equal(fold[i], seen, `group ${g[i]} in folds ${seen} and ${fold[i]}`);
  }
  const positives = y.reduce((s, v) => s + v, 0);
  for (let f = 0; f < k; f++) {
    let n = 0;
    let pos = 0;
    for (let i = 0; i < y.length; i++) if (fold[i] === f) (n++, (pos += y[i]));
    // Each fold holds about 1/k of the rows and of each class.
    assert.ok(Math.abs(n / y.length - 1 / k) < 0.03, `fold ${f}: ${n} of ${y.length} rows`);
    assert.ok(Math.abs(pos / positives - 1 / k) < 0.03, `fold ${f}: ${pos} of ${positives} positives`);
  }
  assert.deepEqual(stratifiedGroupKFold(y, g, k, 7), fold);
  assert.notDeepEqual(stratifiedGroupKFold(y, g, k, 8), fold);
});

test('stratified group k-fold: fewer groups than folds is a SentivecError; without groups assignFolds is stratified k-fold', () => {
  assert.throws(() => stratifiedGroupKFold(Uint8Array.of(0, 1, 0, 1), Int32Array.of(1, 1, 2, 2), 3, 1), (e: unknown) => e instanceof SentivecError && /2 groups into 3 folds/.test(e.message));
  const y = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
  const fold = assignFolds(y, 4, 1);
  assert.equal(groupCount(fold), 4);
  // Every row its own group: still a valid stratified split (10 rows per fold, 5 of each class).
  const single = assignFolds(y, 4, 1, Int32Array.from(y.keys()));
  for (let f = 0; f < 4; f++) assert.equal([...single].filter((x, i) => x === f && y[i] === 1).length, 5);
});

/**
 * 48 movies × 10 reviews: a review is its movie's own words (title, cast)
 * plus filler shared by all, and its label is the movie's, drawn at random.
 * Nothing carries over to a new movie, so a model's true accuracy on unseen
 * movies is 50%; but a model that has seen other reviews of the same movie
 * recognises it.
 */
function leakyMovies(seed: number): { text: string; label: string; group: string }[] {
  const rng = new Rng(seed);
  const out: { text: string; label: string; group: string }[] = [];
  for (let m = 0; m < 48; m++) {
    const label = m % 2 === 0 ? 'pos' : 'neg';
    const own = Array.from({ length: 6 }, (_, j) => `movie${m}word${j}`);
    for (let r = 0; r < 10; r++) {
      const words = [...own.filter(() => rng.next() < 0.7), ...Array.from({ length: 12 }, () => `filler${rng.int(300)}`)];
      out.push({ text: rng.shuffle(words).join(' '), label, group: `tt${m}` });
    }
  }
  return rng.shuffle(out);
}

test('leaking groups: ungrouped CV is optimistic, grouped CV is honest (true accuracy on new groups: 50%)', async () => {
  const records = leakyMovies(4);
  const settings = { blueprint: 'bnc', minCount: 2, skipTop: 0, threads: 1, seed: 3 } as const;
  const grouped = (await trainSentimentModel(arraySource(records), settings)).info.estimate;
  const ungrouped = (await trainSentimentModel(arraySource(records.map(({ text, label }) => ({ text, label }))), settings)).info.estimate;
  assert.ok(grouped && ungrouped);
  assert.equal(grouped.groups, 48);
  assert.match(grouped.method, /group k-fold over 48 groups/);
  assert.ok(!ungrouped.groups);
  assert.ok(ungrouped.value > 0.85, `ungrouped estimate ${ungrouped.value}: it recognises the movies`);
  assert.ok(Math.abs(grouped.value - 0.5) < 0.1, `grouped estimate ${grouped.value}`);
});

test('groups from data: a CSV --group-column (empty cell: a group of its own) and aclImdb urls_*.txt', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const csv = path.join(dir, 'reviews.csv');
  await fs.writeFile(csv, 'text,label,product\ngood,pos,A\nbad,neg,A\nfine,pos,\nmeh,neg,B\n');
  const corpus = await buildRecordCorpus({ name: csv, open: () => readCorpus(csv, { label: 'label', group: 'product' }) }, [], { minCount: 1 });
  assert.deepEqual([...(corpus.groups ?? [])], [0, 0, 2, 1]);
  await assert.rejects(() => buildRecordCorpus({ name: csv, open: () => readCorpus(csv, { label: 'label', group: 'movie' }) }), /no column 'movie'.*--group-column/);

  const tiny = await makeTinyImdb(dir, { perFolder: 3, urls: { 'train/pos': ['u1', 'u2', 'u1'], 'train/neg': ['u3', 'u3', 'u2'] } });
  for (const input of [tiny.archive, tiny.directory]) {
    // Review i of a folder: line i of its list (the archive and the folder list the reviews in different orders).
    const groups: Record<string, string | undefined> = {};
    for await (const r of readCorpus(input, { label: 'any' })) groups[r.source.file.replace(/^.*#/, '').replace(/_\d+\.txt$/, '')] = r.group;
    const expected = { 'train/pos/0': 'u1', 'train/pos/1': 'u2', 'train/pos/2': 'u1', 'train/neg/0': 'u3', 'train/neg/1': 'u3', 'train/neg/2': 'u2', 'train/unsup/0': undefined, 'train/unsup/1': undefined, 'train/unsup/2': undefined };
    assert.deepEqual(groups, expected, input);
  }
});
