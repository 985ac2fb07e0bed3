/**
 * The model file's n-gram section versions (ngram-section.ts): version 2
 * (the table's records) round-trips to the byte, and version 1 (word-id
 * triples and weights) of the same trigram model loads with the same
 * predictions and explanations: the first is adopted into the lookup
 * kernel's memory, the second built there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { NgramTable } from '../src/features/ngram-table.js';
import { decodeModelFile, encodeModelFile } from '../src/models/product/model-file.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { Rng } from '../src/util/rng.js';

const WORDS = ['the', 'film', 'was', 'not', 'bad', 'good', 'at', 'all', 'very', 'boring', 'plot', 'fun', 'really', 'a', 'mess'];

function reviews(n: number, seed: number): { text: string; label: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: 14 }, () => WORDS[rng.int(WORDS.length)]);
    words.splice(rng.int(words.length), 0, ...(i % 2 === 0 ? ['not', 'bad', 'at', 'all'] : ['not', 'good', 'at', 'all']));
    return { text: `${words.join(' ')}.`, label: i % 2 === 0 ? 'pos' : 'neg' };
  });
}

test('n-gram sections: version 2 round-trips; the version-1 file of the same trigram model predicts and explains the same', async () => {
  const model = await trainSentimentModel(arraySource(reviews(300, 1)), { dim: 8, epochs: 2, folds: 3, minCount: 1, minPerMillion: 0, threads: 1, seed: 3, blueprint: 'nbsvm-tri' });
  const bytes = model.toBytes();
  const { header, sections } = decodeModelFile(bytes, 'm');
  const ng = header.ngrams as { version: number; order: number; count: number; slots: number };
  assert.equal(ng.version, 2);
  assert.equal(ng.order, 3);
  const loaded = SentimentModel.fromBytes(bytes);
  assert.ok(Buffer.from(loaded.toBytes()).equals(Buffer.from(bytes)), 'load → save gives the same bytes');

  const V = model.vocabularySize;
  const heads = model.heads;
  const table = NgramTable.fromRecords((sections.get('ngramRecords') as Float64Array).slice(), 3, V, heads, ng.count);
  const tuples = table.tuples;
  const G = table.size;
  assert.ok(tuples.some((_, i) => i % 3 === 2 && tuples[i] >= 0), 'the model has trigrams');
  const values = Float64Array.from({ length: heads * G }, (_, i) => table.weight(i % G, Math.floor(i / G)));
  const v1Sections = new Map([...sections].filter(([k]) => k !== 'ngramRecords'));
  v1Sections.set('ngrams', Float32Array.from(tuples));
  v1Sections.set('weightsNgrams', values);
  const fromV1 = SentimentModel.fromBytes(encodeModelFile({ ...header, ngrams: { version: 1, order: 3, count: G } }, v1Sections));

  const texts = reviews(60, 2).map((r) => r.text);
  const expected = model.predict(texts);
  assert.deepEqual(loaded.predict(texts), expected, 'version 2: the same predictions');
  assert.deepEqual(fromV1.predict(texts), expected, 'version 1: the same predictions');
  assert.deepEqual(fromV1.explain(texts[0]), model.explain(texts[0]), 'and the same explanation');
  assert.deepEqual(loaded.explain(texts[1]), model.explain(texts[1]));
});
