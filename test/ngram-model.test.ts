/**
 * Word n-grams in the product model (issue #11 item 6): the n-gram table's
 * edge cases, the scanner and the tokenizer finding the same n-grams, the
 * model file's n-gram sections (round trip, version check, files without
 * them unchanged), explanations that add up, k > 2 heads over n-grams, and
 * random labels → chance through the train path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { NgramTable } from '../src/features/ngram-table.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { trainSentimentModel, type TrainModelOptions } from '../src/models/product/train-model.js';
import { decodeModelFile, encodeModelFile } from '../src/models/product/model-file.js';
import { DocumentBuilder } from '../src/text/documents.js';
import { TokenScanner } from '../src/text/token-scanner.js';
import { Tokenizer } from '../src/text/tokenizer.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { SentivecError } from '../src/util/errors.js';
import { Rng } from '../src/util/rng.js';

const NEUTRAL = ['film', 'plot', 'actor', 'scene', 'story', 'music', 'ending', 'cast', 'camera', 'script', 'is', 'was', 'the', 'a'];

/**
 * Reviews whose label only a bigram tells: both classes say "good" and "bad"
 * equally often; positive ones say "not bad", negative ones "not good".
 */
function bigramReviews(n: number, seed: number, shuffled = false): { text: string; label: string }[] {
  const rng = new Rng(seed);
  const pick = (a: readonly string[]): string => a[rng.int(a.length)];
  return Array.from({ length: n }, (_, i) => {
    const positive = i % 2 === 0;
    const words = Array.from({ length: 12 }, () => pick(NEUTRAL));
    words.splice(rng.int(words.length), 0, 'good');
    words.splice(rng.int(words.length), 0, 'bad');
    words.splice(rng.int(words.length), 0, 'not', positive ? 'bad' : 'good');
    const label = shuffled ? (rng.next() < 0.5 ? 'pos' : 'neg') : positive ? 'pos' : 'neg';
    return { text: `${words.join(' ')}.`, label };
  });
}

const OPTIONS: TrainModelOptions = { dim: 8, epochs: 3, folds: 3, minCount: 1, minPerMillion: 0, threads: 1, seed: 5 };

function docsOf(rows: number[][]): ReturnType<DocumentBuilder['finish']> {
  const b = new DocumentBuilder();
  for (const r of rows) b.push(Int32Array.from(r));
  return b.finish();
}

test('n-gram table: documents shorter than n, repeated n-grams, the floor and the cap', () => {
  const words = ['a', 'b', 'c', 'd'];
  const { table, stats } = NgramTable.fit(docsOf([[0, 1, 2], [0, 1, 2, 0, 1], [0, 1, 3], [2]]), words, { order: 3, minDf: 2, maxNgrams: 100 });
  // "a b" in 3 documents, "b c" in 2, "a b c" in 2; "c a", "b d" once: under the floor.
  assert.deepEqual([...Array(table.size).keys()].map((g) => table.name(g, words)).sort(), ['a b', 'a b c', 'b c']);
  assert.deepEqual(stats.kept, [2, 1]);
  assert.equal(table.distinct([0]).length, 0, 'one word: no n-gram');
  assert.deepEqual([...table.distinct([0, 1])].map((g) => table.name(g, words)), ['a b'], 'two words: the bigram only');
  const repeated = [0, 1, 2, 0, 1, 2];
  assert.equal(table.distinct(repeated).length, 3, 'binarized: each n-gram once');
  assert.equal(table.occurrences(repeated).length, 6, 'every occurrence, for explanations: a b, a b c, b c, twice each');
  assert.equal(table.id(1, 0), -1, 'order matters');
  const capped = NgramTable.fit(docsOf([[0, 1, 2], [0, 1, 2, 0, 1], [0, 1, 3], [2]]), words, { order: 3, minDf: 2, maxNgrams: 1 });
  assert.deepEqual([capped.table.name(0, words)], ['a b'], 'the cap keeps the most frequent');
  assert.throws(() => new NgramTable(Int32Array.of(0, 1, -1, 0, 1, -1), 2, 4), SentivecError, 'a repeated n-gram');
  assert.throws(() => new NgramTable(Int32Array.of(0, 9, -1), 2, 4), SentivecError, 'an id outside the vocabulary');
});

test('n-gram table: a trigram without its bigram, the ids distinct finds against a plain scan', () => {
  const rng = new Rng(23);
  const V = 12;
  const tuples: number[] = [];
  const key = new Map<string, number>();
  while (key.size < 90) {
    const t = [rng.int(V), rng.int(V), rng.next() < 0.6 ? rng.int(V) : -1];
    if (key.has(t.join())) continue;
    key.set(t.join(), key.size);
    tuples.push(...t);
  }
  const table = new NgramTable(Int32Array.from(tuples), 3, V);
  assert.ok([...key.keys()].some((k) => k.split(',')[2] !== '-1' && !key.has(`${k.split(',').slice(0, 2).join()},-1`)), 'some trigram lacks its bigram');
  for (const [k, g] of key) {
    const [a, b, c] = k.split(',').map(Number);
    assert.equal(table.id(a, b, c), g, k);
  }
  for (let i = 0; i < 200; i++) {
    const ids = Array.from({ length: rng.int(30) }, () => rng.int(V));
    const expected: number[] = [];
    for (let p = 0; p + 1 < ids.length; p++) {
      for (const c of p + 2 < ids.length ? [-1, ids[p + 2]] : [-1]) {
        const g = key.get([ids[p], ids[p + 1], c].join());
        if (g !== undefined && !expected.includes(g)) expected.push(g);
      }
    }
    assert.deepEqual([...table.distinct(ids)], expected, ids.join());
  }
  // Only trigrams, each with its own prefix: twice as many nodes as n-grams, more than the first table holds.
  const lone: number[] = [];
  for (let a = 0; a < 20; a++) for (let b = 0; b < 20; b++) lone.push(a, b, (a + b) % 20);
  const prefixes = new NgramTable(Int32Array.from(lone), 3, 20);
  for (let g = 0; g < 400; g++) assert.equal(prefixes.id(lone[3 * g], lone[3 * g + 1], lone[3 * g + 2]), g);
  assert.equal(prefixes.id(0, 1), -1, 'a prefix-only node is no bigram');
  assert.deepEqual([...prefixes.distinct([3, 4, 7, 11])], [3 * 20 + 4, 4 * 20 + 7], 'both trigrams of a text');
  assert.equal(new NgramTable(new Int32Array(0), 3, 4).id(0, 1), -1, 'an empty table finds nothing');
  assert.throws(() => new NgramTable(Int32Array.of(0, 1, 2, 0, 1, 2), 3, 4), SentivecError, 'a repeated trigram');
  assert.throws(() => new NgramTable(Int32Array.of(0, 1, 2), 2, 4), SentivecError, 'a trigram in an order-2 table');
});

test('n-gram table: weights in the records, the file order, the slots distinct finds', () => {
  const rng = new Rng(31);
  const V = 15;
  const tuples: number[] = [];
  const seen = new Set<string>();
  while (tuples.length < 3 * 120) {
    const t = [rng.int(V), rng.int(V), rng.next() < 0.5 ? rng.int(V) : -1];
    if (seen.has(t.join())) continue;
    seen.add(t.join());
    tuples.push(...t);
  }
  const words = Array.from({ length: V }, (_, i) => `w${i}`);
  const plain = new NgramTable(Int32Array.from(tuples), 3, V);
  const G = plain.size;
  const heads = 3;
  const values = Float64Array.from({ length: heads * G }, () => rng.next() - 0.5);
  const weighted = plain.weightedBy(values, heads);
  assert.equal(weighted.weightedBy(values, heads), weighted, 'weighted by the same array: the table itself');
  assert.equal(weighted.recordFloats, 1 + heads);
  for (let i = 0; i < 100; i++) {
    const ids = Array.from({ length: rng.int(25) }, () => rng.int(V));
    const slots = [...weighted.distinctSlots(ids)];
    assert.deepEqual(slots.map((s) => weighted.idAt(s)), [...plain.distinct(ids)], 'the same n-grams, in the same order');
    for (const s of slots) {
      const g = weighted.idAt(s);
      assert.equal(weighted.nameAt(s, words), plain.name(g, words), 'named from the key');
      for (let h = 0; h < heads; h++) assert.equal(weighted.weights[s * weighted.recordFloats + 1 + h], values[h * G + g], `n-gram ${g}, head ${h}`);
    }
  }
  // Read back from its records (a model file's version-2 section), the table finds the same n-grams with the same
  // weights, numbered by slot; its tuples and names come from the keys.
  const reread = NgramTable.fromRecords(weighted.weights.slice(), 3, V, heads, G);
  for (let i = 0; i < 100; i++) {
    const ids = Array.from({ length: rng.int(25) }, () => rng.int(V));
    const slots = [...reread.distinctSlots(ids)];
    assert.deepEqual(slots, [...weighted.distinctSlots(ids)], 'the same slots');
    assert.deepEqual(slots.map((s) => reread.name(reread.idAt(s), words)), slots.map((s) => weighted.nameAt(s, words)), 'named from the keys');
  }
  for (let g = 0; g < G; g++) {
    const [a, b, c] = reread.tuples.subarray(3 * g, 3 * g + 3);
    const old = plain.id(a, b, c);
    assert.ok(old >= 0, `n-gram ${g} is one of the table's`);
    for (let h = 0; h < heads; h++) assert.equal(reread.weight(g, h), values[h * G + old], `n-gram ${g}, head ${h}`);
  }
  assert.throws(() => new NgramTable(Int32Array.from(tuples), 3, V, { values: new Float64Array(G), heads: 2 }), SentivecError, 'too few weights');
});

test('n-gram records read from a file: every key is checked', () => {
  const rng = new Rng(41);
  const V = 30;
  const seen = new Set<string>();
  const tuples: number[] = [];
  while (tuples.length < 3 * 200) {
    const t = [rng.int(V), rng.int(V), rng.next() < 0.5 ? rng.int(V) : -1];
    if (!seen.has(t.join())) seen.add(t.join()) && tuples.push(...t);
  }
  const G = tuples.length / 3;
  const table = new NgramTable(Int32Array.from(tuples), 3, V, { values: Float64Array.from({ length: G }, () => rng.next()), heads: 1 });
  const records = table.weights;
  assert.equal(NgramTable.fromRecords(records.slice(), 3, V, 1, G).size, G, 'the records as written');
  const keys = new Int32Array(records.buffer, records.byteOffset, 2 * records.length);
  const slots = keys.length / 4;
  const empty = Array.from({ length: slots }, (_, s) => s).filter((s) => keys[4 * s] === 0);
  const node = Array.from({ length: slots }, (_, s) => s).find((s) => keys[4 * s] !== 0 && keys[4 * s] - 1 < V) ?? -1;
  const trigram = Array.from({ length: slots }, (_, s) => s).find((s) => keys[4 * s] - 1 >= V) ?? -1;
  // The first empty slot after the node's run: a copy of the node there is reachable but found at the node.
  let after = node;
  while (keys[4 * after] !== 0) after = (after + 1) % slots;
  const damaged = (change: (k: Int32Array) => void): Float64Array => {
    const copy = records.slice();
    change(new Int32Array(copy.buffer));
    return copy;
  };
  const cases: [string, Float64Array, number, number][] = [
    ['a word id outside the vocabulary', damaged((k) => (k[4 * node + 1] = V)), 3, G],
    ['an empty slot with a key', damaged((k) => (k[4 * empty[0] + 1] = 3)), 3, G],
    ['a node listed twice', damaged((k) => k.copyWithin(4 * after, 4 * node, 4 * node + 4)), 3, G + 1],
    ['an unknown flag', damaged((k) => (k[4 * node + 1] |= 1 << 27)), 3, G],
    ['a trigram whose prefix is empty', damaged((k) => (k[4 * trigram] = V + empty[0] + 1)), 3, G],
    ['trigrams in an order-2 table', records.slice(), 2, G],
    ['the wrong count', records.slice(), 3, G - 1],
    ['no empty slot left', damaged((k) => empty.forEach((e, i) => ((k[4 * e] = V + 1 + i), (k[4 * e + 1] = 0)))), 3, G],
  ];
  for (const [what, recs, order, count] of cases) assert.throws(() => NgramTable.fromRecords(recs, order, V, 1, count), SentivecError, what);
  assert.throws(() => NgramTable.fromRecords(records.subarray(1), 3, V, 1, G), SentivecError, 'not a whole number of records');
});

test('the token scanner and the tokenizer give the same n-gram ids on random text', () => {
  const rng = new Rng(17);
  const pool = ['good', 'bad', 'not', 'movie', "don't", 'café', '😍', '!', '?', 'naïve', '酒店', 'very', '123', 'http://x.co/a', '@jet', '#fail', 'ok'];
  const tokenizer = new Tokenizer();
  const vocab = new Vocabulary([...new Set(pool.flatMap((w) => tokenizer.tokenize(w)))]);
  const V = vocab.size;
  const tuples: number[] = [];
  const seen = new Set<string>();
  while (tuples.length < 3 * 150) {
    const t = [rng.int(V), rng.int(V), rng.next() < 0.5 ? -1 : rng.int(V)];
    if (seen.has(t.join())) continue;
    seen.add(t.join());
    tuples.push(...t);
  }
  const table = new NgramTable(Int32Array.from(tuples), 3, V);
  const scanner = new TokenScanner(vocab, tokenizer);
  const seps = [' ', '  ', ', ', '. ', '\n', ' ZZZ '];
  let compared = 0;
  for (let i = 0; i < 300; i++) {
    const text = Array.from({ length: 1 + rng.int(25) }, () => pool[rng.int(pool.length)] + seps[rng.int(seps.length)]).join('');
    const fast = [...table.distinct(Int32Array.from(scanner.scan(text)))];
    const slow = [...table.distinct(Int32Array.from(scanner.scanWithTokenizer(text)))];
    assert.deepEqual(fast, slow, text);
    compared += fast.length;
  }
  assert.ok(compared > 100, `only ${compared} n-grams compared`);
});

test('nbsvm-bi learns what only a bigram tells; the file round-trips; explain adds up; a newer n-gram version is refused', async () => {
  const model = await trainSentimentModel(arraySource(bigramReviews(400, 1)), { ...OPTIONS, blueprint: 'nbsvm-bi' });
  assert.ok(model.ngramCount > 0);
  assert.equal(model.ngramOrder, 2);
  // train prunes by default: the model keeps the fraction its folds chose of the bigrams the floor kept.
  assert.ok(model.info.ngrams?.pruning && model.info.ngrams.kept[0] === model.info.ngrams.pruning.of && model.info.ngrams.pruning.ngrams === model.ngramCount);
  const heldOut = bigramReviews(200, 2);
  const right = model.predict(heldOut.map((r) => r.text)).filter((p, i) => p.label === heldOut[i].label).length;
  assert.ok(right / heldOut.length >= 0.9, `${right}/${heldOut.length} held-out texts right`);

  const bytes = model.toBytes();
  const loaded = SentimentModel.fromBytes(bytes);
  assert.deepEqual(loaded.predict(heldOut.map((r) => r.text)), model.predict(heldOut.map((r) => r.text)));
  assert.ok(Buffer.from(loaded.toBytes()).equals(Buffer.from(bytes)), 'load → save gives the same bytes');

  const e = model.explain('The film was not bad, and not bad again!');
  const sum = e.tokens.reduce((s, t) => s + t.weight, 0) + (e.ngrams ?? []).reduce((s, g) => s + g.weight, 0) + e.intercept;
  assert.ok(Math.abs(sum - e.score) < 1e-9, `shares ${sum} vs score ${e.score}`);
  const notBad = (e.ngrams ?? []).filter((g) => g.ngram === 'not bad');
  assert.equal(notBad.length, 2, 'each occurrence listed');
  assert.ok(notBad[0].weight > 0, 'not bad pushes toward pos');
  assert.equal(e.ngrams?.[0] && 'The film was not bad, and not bad again!'.slice(notBad[0].start, notBad[0].end), 'not bad');
  assert.equal(model.predict(['not bad'])[0].top.positive[0]?.word, 'not bad', 'top terms name n-grams');

  const { header, sections } = decodeModelFile(bytes, 'm');
  const newer = encodeModelFile({ ...header, ngrams: { ...(header.ngrams as object), version: 3 } }, sections);
  assert.throws(() => SentimentModel.fromBytes(newer, 'newer.svec'), (err: unknown) => err instanceof SentivecError && /newer\.svec.*ngrams\.version/.test(err.message));
  const slots = (header.ngrams as { slots: number }).slots;
  assert.throws(() => SentimentModel.fromBytes(encodeModelFile({ ...header, ngrams: { ...(header.ngrams as object), slots: slots + 1 } }, sections)), /ngramRecords/, 'slots that disagree with the section');
  const noHeader = { ...header };
  delete noHeader.ngrams;
  assert.throws(() => SentimentModel.fromBytes(encodeModelFile(noHeader, sections), 'x.svec'), SentivecError);
});

test('a words-only model writes no n-gram header or section (its file is what it was); without vectors it stores none', async () => {
  const model = await trainSentimentModel(arraySource(bigramReviews(120, 3)), { ...OPTIONS, blueprint: 'nb-bnc' });
  assert.equal(model.info.blueprint.id, 'nbsvm-uni', 'nb-bnc is an alias of nbsvm-uni');
  const { header, sections } = decodeModelFile(model.toBytes(), 'm');
  assert.equal(header.ngrams, undefined);
  assert.ok(!sections.has('ngrams') && !sections.has('weightsNgrams'));
  assert.equal(model.ngramCount, 0);
  assert.deepEqual(SentimentModel.fromBytes(model.toBytes()).predict(['not bad at all']), model.predict(['not bad at all']));
  assert.equal(model.explain('not bad').ngrams, undefined);
});

test('k > 2 classes: heads × n-grams score, explain and save', async () => {
  const rng = new Rng(9);
  const labels = ['neg', 'mid', 'pos'];
  const records = Array.from({ length: 150 }, (_, i) => ({ text: `${NEUTRAL[rng.int(NEUTRAL.length)]} ${['awful', 'fine', 'great'][i % 3]} not bad`, label: labels[i % 3] }));
  const base = await trainSentimentModel(arraySource(records), { ...OPTIONS, blueprint: 'bnc' });
  const { header, sections } = decodeModelFile(base.toBytes(), 'm');
  const words = header.words as string[];
  const tuples = Int32Array.of(words.indexOf('not'), words.indexOf('bad'), -1);
  // "not bad" pushes toward neg: +2 on its head, −1 on the others.
  const weights = Float64Array.from(header.labels as string[], (l) => (l === 'neg' ? 2 : -1));
  sections.set('ngrams', Float32Array.from(tuples));
  sections.set('weightsNgrams', weights);
  const model = SentimentModel.fromBytes(encodeModelFile({ ...header, ngrams: { version: 1, order: 2, count: 1 } }, sections));
  assert.equal(model.heads, 3);
  const e = model.explain('great film, not bad');
  const sum = e.tokens.reduce((s, t) => s + t.weight, 0) + (e.ngrams ?? []).reduce((s, g) => s + g.weight, 0) + e.intercept;
  assert.ok(Math.abs(sum - e.score) < 1e-9, `shares ${sum} vs score ${e.score}`);
  assert.equal(e.ngrams?.[0].toward, 'neg');
  const without = base.predict(['great film, not bad'])[0].probabilities.neg;
  assert.ok(model.predict(['great film, not bad'])[0].probabilities.neg > without, 'the n-gram moves the scores');
  assert.deepEqual(SentimentModel.fromBytes(model.toBytes()).predict(['great film, not bad']), model.predict(['great film, not bad']));
});

test('random labels: the n-gram blueprints estimate 50 ± 3% through the train path (NB ratios and C inside the folds)', { timeout: 300_000 }, async (t) => {
  const records = bigramReviews(2000, 11, true);
  for (const blueprint of ['nbsvm-bi', 'nbsvm-tri', 'vectors-nbsvm']) {
    const model = await trainSentimentModel(arraySource(records), { ...OPTIONS, folds: 5, epochs: 2, blueprint });
    const value = model.info.estimate?.value ?? NaN;
    // The estimate is the pruned model's (train's default): chance, whatever fraction the folds kept.
    const pruning = model.info.ngrams?.pruning;
    assert.ok(pruning && pruning.curve.length > 1, `${blueprint}: pruned by the folds`);
    // The choice reads held-out accuracies, never the fits' own: every fraction's is chance too.
    for (const p of pruning.curve) assert.ok(Math.abs(p.accuracy - 0.5) <= 0.05, `${blueprint} at ${p.fraction}: ${p.accuracy}`);
    t.diagnostic(`${blueprint}: ${value}, kept fraction ${pruning.fraction}`);
    assert.ok(Math.abs(value - 0.5) <= 0.03, `${blueprint}: ${value}`);
  }
});
