/**
 * N-gram pruning by |weight| with the kept fraction chosen on train's folds
 * (issue #11): the top fraction exactly (ties by id, k heads by their largest
 * |weight|), a trigram whose bigram is pruned still found, the one-standard-
 * error rule on a hand-made curve, and through train: the stored choice and
 * curve, a fixed fraction, save/load and determinism. Shuffled labels → chance
 * for the pruned models is in ngram-model.test.ts (the n-gram blueprints'
 * leakage test, which train now prunes by default).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { NgramTable } from '../src/features/ngram-table.js';
import { NGRAM_KEEP_OPTIONS, keptCount, pruneNgrams, rankByWeight } from '../src/features/ngram-pruning.js';
import { oneStandardErrorChoice } from '../src/models/classifiers/one-se-rule.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { trainSentimentModel, type TrainModelOptions } from '../src/models/product/train-model.js';
import { fixedDefault } from '../src/util/options.js';
import { Rng } from '../src/util/rng.js';
import { SentivecError } from '../src/util/errors.js';

const OPTIONS: TrainModelOptions = { dim: 8, epochs: 2, folds: 3, minCount: 1, minPerMillion: 0, threads: 1, seed: 5 };
const NEUTRAL = ['film', 'plot', 'actor', 'scene', 'story', 'music', 'ending', 'cast', 'camera', 'script', 'is', 'was', 'the', 'a', 'this', 'that'];

/** Reviews whose label a trigram tells ("not at all bad" / "not at all good"), among many neutral n-grams. */
function trigramReviews(n: number, seed: number): { text: string; label: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const positive = i % 2 === 0;
    const words = Array.from({ length: 20 }, () => NEUTRAL[rng.int(NEUTRAL.length)]);
    words.splice(rng.int(words.length), 0, 'not', 'at', 'all', positive ? 'bad' : 'good');
    return { text: `${words.join(' ')}.`, label: positive ? 'pos' : 'neg' };
  });
}

test('pruning keeps exactly the top fraction by |weight| (ties: lower id; k heads: the largest |weight| over heads)', () => {
  // One head: |w| = 3, 1, 3, 0.5, 2 → order 0, 2 (tie, lower id first), 4, 1, 3.
  assert.deepEqual([...rankByWeight(Float64Array.of(-3, 1, 3, 0.5, 2), 1, 5)], [0, 2, 4, 1, 3]);
  // Two heads, head-major: n-gram 1's largest is −4 on head 1.
  assert.deepEqual([...rankByWeight(Float64Array.of(1, 0, 2, 0.5, -4, 0), 2, 3)], [1, 2, 0]);
  assert.equal(keptCount(0.3, 10), 3, '0.3 of 10 is 3, not 4 (floating point)');
  assert.equal(keptCount(0.25, 10), 3, 'rounded up');
  assert.equal(keptCount(1, 7), 7);
  assert.throws(() => keptCount(0, 10), SentivecError);
  assert.throws(() => keptCount(1.5, 10), SentivecError);

  const tuples = Int32Array.of(0, 1, -1, 1, 2, -1, 2, 3, -1, 3, 4, -1, 0, 2, -1);
  const table = new NgramTable(tuples, 2, 5);
  const weights = Float64Array.of(0.1, -5, 0.2, 4, 0.2);
  const ranked = rankByWeight(weights, 1, 5);
  const { table: kept, weights: kw, kept: ids } = pruneNgrams(table, 5, weights, 1, ranked, keptCount(0.6, 5));
  // |w| = 0.1, 5, 0.2, 4, 0.2: the top 3 are ids 1, 3 and 2 (tied with 4, the lower id).
  assert.deepEqual([...ids], [1, 2, 3]);
  assert.equal(kept.size, 3);
  assert.deepEqual([...kw], [-5, 0.2, 4]);
  assert.deepEqual([...kept.tuples], [1, 2, -1, 2, 3, -1, 3, 4, -1]);
  assert.equal(kept.id(0, 1), -1, 'a pruned n-gram is no longer found');
  const all = pruneNgrams(table, 5, weights, 1, ranked, 5);
  assert.equal(all.table, table, 'keeping all is the table itself');
});

test('a trigram whose bigram is pruned is still found, with its weight', () => {
  const words = ['not', 'at', 'all', 'bad'];
  // (not at) tiny, (not at all) large, (at all) middle, (at all bad) large.
  const tuples = Int32Array.of(0, 1, -1, 0, 1, 2, 1, 2, -1, 1, 2, 3);
  const table = new NgramTable(tuples, 3, 4);
  const weights = Float64Array.of(0.01, 2, 0.5, -3);
  const { table: kept, weights: kw } = pruneNgrams(table, 4, weights, 1, rankByWeight(weights, 1, 4), 2);
  assert.equal(kept.size, 2);
  const found = [...kept.distinct(Int32Array.of(0, 1, 2, 3))].map((g) => [kept.name(g, words), kw[g]]);
  assert.deepEqual(found, [['not at all', 2], ['at all bad', -3]], 'only the kept trigrams; their bigram prefixes are no terms');
  assert.equal(kept.id(0, 1), -1);
  assert.equal(kept.id(0, 1, 2), 0);
  const weighted = kept.weightedBy(kw, 1);
  const slots = weighted.distinctSlots(Int32Array.of(0, 1, 2));
  assert.equal(slots.length, 1);
  assert.equal(weighted.weights[slots[0] * weighted.recordFloats + 1], 2, 'the record carries the trigram weight');
});

test('the one-standard-error rule: the smallest candidate within one standard error of the best', () => {
  const curve = [
    { size: 1, accuracy: 0.9, se: 0.01 },
    { size: 0.5, accuracy: 0.905, se: 0.01 },
    { size: 0.2, accuracy: 0.896, se: 0.01 },
    { size: 0.1, accuracy: 0.894, se: 0.01 },
    { size: 0.05, accuracy: 0.88, se: 0.01 },
  ];
  // Best 0.905 ± 0.01: 1, 0.5 and 0.2 are within 0.895; 0.1 (0.894) is not.
  assert.equal(oneStandardErrorChoice(curve), 2);
  assert.equal(oneStandardErrorChoice(curve.map((p) => ({ ...p, se: 0 }))), 1, 'no error: the best');
  assert.equal(oneStandardErrorChoice([{ size: 3, accuracy: 0.5, se: 0 }, { size: 1, accuracy: 0.5, se: 0 }]), 1, 'a tie: the smaller');
  assert.throws(() => oneStandardErrorChoice([]), RangeError);
});

test('train prunes nbsvm-tri to the fraction its folds chose; the choice, the curve and the file round-trip; deterministic', async () => {
  const records = trigramReviews(300, 1);
  const model = await trainSentimentModel(arraySource(records), { ...OPTIONS, blueprint: 'nbsvm-tri' });
  const p = model.info.ngrams?.pruning;
  assert.ok(p, 'info.ngrams.pruning');
  const grid = fixedDefault(NGRAM_KEEP_OPTIONS.ngramKeep, 'product');
  assert.deepEqual(model.info.options.ngramKeep, [...grid]);
  assert.deepEqual(p.curve.map((c) => c.fraction), [...grid].sort((a, b) => b - a));
  assert.equal(p.ngrams, model.ngramCount);
  assert.equal(p.ngrams, keptCount(p.fraction, p.of));
  // The stored curve and the rule give the stored fraction.
  assert.equal(p.curve[oneStandardErrorChoice(p.curve.map((c) => ({ size: c.fraction, accuracy: c.accuracy, se: c.se })))].fraction, p.fraction);
  assert.ok(p.fraction < 1, `the decisive trigrams are few: pruned (kept ${p.fraction})`);
  const heldOut = trigramReviews(200, 2);
  const texts = heldOut.map((r) => r.text);
  const right = model.predict(texts).filter((x, i) => x.label === heldOut[i].label).length;
  assert.ok(right / heldOut.length >= 0.9, `${right}/${heldOut.length} held-out texts right after pruning`);

  const bytes = model.toBytes();
  const loaded = SentimentModel.fromBytes(bytes);
  assert.deepEqual(loaded.info.ngrams?.pruning, p);
  assert.equal(loaded.ngramCount, model.ngramCount);
  assert.deepEqual(loaded.predict(texts), model.predict(texts));
  assert.ok(Buffer.from(loaded.toBytes()).equals(Buffer.from(bytes)), 'load → save gives the same bytes');
  const again = await trainSentimentModel(arraySource(records), { ...OPTIONS, blueprint: 'nbsvm-tri' });
  assert.ok(Buffer.from(again.toBytes()).equals(Buffer.from(bytes)), 'same data and seed: the same file');
});

test('a fixed --ngram-keep is used as given; 1 keeps every n-gram', async () => {
  const records = trigramReviews(150, 3);
  const half = await trainSentimentModel(arraySource(records), { ...OPTIONS, blueprint: 'nbsvm-bi', ngramKeep: [0.5] });
  const p = half.info.ngrams?.pruning;
  assert.ok(p);
  assert.equal(p.fraction, 0.5);
  assert.deepEqual(p.curve, []);
  assert.equal(half.ngramCount, keptCount(0.5, p.of));
  const all = await trainSentimentModel(arraySource(records), { ...OPTIONS, blueprint: 'nbsvm-bi', ngramKeep: [1] });
  assert.equal(all.ngramCount, all.info.ngrams?.kept[0]);
  await assert.rejects(trainSentimentModel(arraySource(records), { ...OPTIONS, blueprint: 'nbsvm-bi', ngramKeep: [1.5] }), SentivecError);
});
