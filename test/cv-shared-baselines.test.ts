/**
 * `sentivec cv` fits the label-free baselines (LSA, LDA) once for all folds
 * (issue #13: LDA refitted in each fold took 33 of a 51-minute run), and with
 * groups its folds keep each group whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { crossValidateRows } from '../src/eval/cv.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { Lsa } from '../src/models/baselines/lsa.js';
import { Rng } from '../src/util/rng.js';

function records(n: number, seed: number): { text: string; label: string; group: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const pos = i % 2 === 0;
    const words = Array.from({ length: 16 }, () => (rng.next() < 0.3 ? `${pos ? 'p' : 'q'}${rng.int(10)}` : `w${rng.int(80)}`));
    return { text: words.join(' '), label: pos ? 'pos' : 'neg', group: `g${Math.floor(i / 4)}` };
  });
}

test('cv: LSA is fitted once for every fold, grouped folds are reported', async () => {
  const corpus = await buildRecordCorpus(arraySource(records(160, 3)), [], { skipTop: 0, minCount: 1 });
  let fits = 0;
  const fit = Lsa.prototype.fit;
  Lsa.prototype.fit = function (this: Lsa, ...args: Parameters<Lsa['fit']>) {
    fits++;
    return fit.apply(this, args);
  };
  let result;
  try {
    result = crossValidateRows(corpus, { rows: ['lsa'], folds: 4, innerFolds: 2, cGrid: [1], seed: 1, model: { maxEpochs: 2 } });
  } finally {
    Lsa.prototype.fit = fit;
  }
  assert.equal(result.groups, 40);
  assert.equal(result.rows[0].accuracies.length, 4);
  assert.ok(result.rows[0].mean > 0.6, `lsa ${result.rows[0].mean}`);
  assert.equal(fits, 1, 'one LSA fit for the four folds');
});
