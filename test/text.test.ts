import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tokenizer, cleanHtml } from '../src/text/tokenizer.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { Dictionary } from '../src/text/dictionary.js';
import { DocumentBuilder, remapDocs, selectDocs, concatDocs } from '../src/text/documents.js';
import { tokenizeCorpus } from '../src/text/tokenized-corpus.js';
import type { Review } from '../src/corpus/review.js';

test('cleanHtml removes tags and decodes entities but keeps <3 and comparisons', () => {
  assert.equal(cleanHtml('Great.<br /><br />Really &amp; truly'), 'Great.  Really & truly');
  assert.equal(cleanHtml('i <3 it, a < b'), 'i <3 it, a < b');
  assert.equal(cleanHtml('<i>bold</i> &quot;x&quot;'), ' bold  "x"');
});

test('paper mode keeps !, ? (collapsed) and emoticons as tokens', () => {
  const t = new Tokenizer({ mode: 'paper' });
  assert.deepEqual(t.tokenize("Loved it!!! Didn't you? :-) <br />Bad :( ;p"), [
    'loved', 'it', '!', "didn't", 'you', '?', ':-)', 'bad', ':(', ';p',
  ]);
  assert.deepEqual(t.tokenize('Well-made, 10/10?!'), ['well-made', '10', '10', '?', '!']);
  assert.deepEqual(t.tokenize('I <3 this'), ['i', '<3', 'this']);
});

test('strip mode drops punctuation attached to words', () => {
  const t = new Tokenizer({ mode: 'strip' });
  assert.deepEqual(t.tokenize("Loved it!!! Didn't you? :-) <br />Bad :( ;p"), [
    'loved', 'it', "didn't", 'you', 'bad', 'p',
  ]);
  assert.deepEqual(t.tokenize('"Wow," she said... (twice).'), ['wow', 'she', 'said', 'twice']);
});

test('tokenizer lowercases, unifies curly apostrophes and handles non-ASCII letters', () => {
  const t = new Tokenizer({ mode: 'strip' });
  assert.deepEqual(t.tokenize('It’s AMÉLIE’s café'), ["it's", "amélie's", 'café']);
});

test('tokenizer rejects an unknown mode', () => {
  assert.throws(() => new Tokenizer({ mode: 'x' as never }), /unknown tokenizer mode/);
});

test('vocabulary drops the skipTop most frequent and keeps the next size, ties by string', () => {
  const words = ['the', 'a', 'good', 'bad', 'film', 'zebra', 'apple'];
  const counts = [100, 90, 10, 10, 20, 1, 1];
  const v = Vocabulary.fromCounts(words, counts, { skipTop: 2, size: 4 });
  assert.deepEqual(v.words, ['film', 'bad', 'good', 'apple']);
  assert.equal(v.id('film'), 0);
  assert.equal(v.id('the'), -1);
  assert.equal(v.id('zebra'), -1);
  const all = Vocabulary.fromCounts(words, counts, { skipTop: 0, size: 100, minCount: 2 });
  assert.equal(all.size, 5);
});

test('dictionary interns and counts only counted occurrences', () => {
  const d = new Dictionary();
  assert.equal(d.add('x', true), 0);
  assert.equal(d.add('y', false), 1);
  assert.equal(d.add('x', true), 0);
  for (let i = 0; i < 3000; i++) d.add(`w${i}`, true);
  assert.equal(d.count(0), 2);
  assert.equal(d.count(1), 0);
  assert.equal(d.size, 3002);
});

test('document builder, remap, select and concat', () => {
  const b = new DocumentBuilder();
  b.push([0, 1, 2]);
  b.push([]);
  b.push([2, 2]);
  const docs = b.finish();
  assert.equal(docs.count, 3);
  assert.deepEqual([...docs.offsets], [0, 3, 3, 5]);
  const r = remapDocs(docs, Int32Array.from([-1, 0, 1]));
  assert.deepEqual([...r.tokens], [0, 1, 1, 1]);
  assert.deepEqual([...r.offsets], [0, 2, 2, 4]);
  const s = selectDocs(docs, [2, 0]);
  assert.deepEqual([...s.tokens], [2, 2, 0, 1, 2]);
  const c = concatDocs(s, r);
  assert.equal(c.count, 5);
  assert.deepEqual([...c.tokens.subarray(c.offsets[2], c.offsets[3])], [0, 1]);
});

test('tokenizeCorpus builds V from train+unsup only and orders documents', async () => {
  const reviews: Review[] = [
    { id: 2, text: 'good good fun', stars: 9, label: 'pos', bucket: 'train' },
    { id: 1, text: 'bad dull', stars: 2, label: 'neg', bucket: 'train' },
    { id: 0, text: 'fun good', stars: 10, label: 'pos', bucket: 'train' },
    { id: 5, text: 'testonly testonly testonly testonly good', stars: 8, label: 'pos', bucket: 'test' },
    { id: 0, text: 'dull fun', stars: 0, label: 'none', bucket: 'unsup' },
  ];
  const c = await tokenizeCorpus(reviews, { skipTop: 0, size: 10 });
  assert.deepEqual(c.vocabulary.words, ['fun', 'good', 'dull', 'bad']);
  assert.deepEqual([...c.train.ids], [0, 2, 1]);
  assert.deepEqual([...c.train.labels], [1, 1, 0]);
  assert.deepEqual([...c.train.stars], [10, 9, 2]);
  assert.equal(c.test.docs.count, 1);
  assert.deepEqual([...c.test.docs.tokens], [1]);
  assert.equal(c.unsup.docs.count, 1);
  assert.equal(c.tokenCount, 14);
});

test('vocabulary floor: max(minCount, ⌈minPerMillion · tokens / 10⁶⌉); the paper cut is the default of fromCounts', async () => {
  const { floor, PAPER_VOCABULARY, PRODUCT_VOCABULARY } = await import('../src/text/vocabulary.js');
  assert.equal(floor(PRODUCT_VOCABULARY, 200_000), 2, 'a small corpus: every token seen twice');
  assert.equal(floor(PRODUCT_VOCABULARY, 17_500_000), 35, 'IMDb train + unsup: 2 per million');
  assert.equal(floor(PAPER_VOCABULARY, 17_500_000), 1);
  const words = Array.from({ length: 6000 }, (_, i) => `w${i}`);
  const counts = words.map((_, i) => 10_000 - i);
  const paper = Vocabulary.fromCounts(words, counts);
  assert.equal(paper.size, 5000);
  assert.equal(paper.words[0], 'w50', 'the 50 most frequent dropped');
  const product = Vocabulary.fromCounts(words, counts, PRODUCT_VOCABULARY);
  assert.equal(product.size, 6000, 'no cap, nothing dropped');
  const floored = Vocabulary.fromCounts(words, counts, { ...PRODUCT_VOCABULARY, minCount: 9_000 });
  assert.equal(floored.size, 1001);
});
