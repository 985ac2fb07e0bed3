import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadImdb } from '../src/eval/imdb.js';
import { countMatrix } from '../src/features/matrix.js';
import { bnc } from '../src/features/smart.js';
import { selectDocs } from '../src/text/documents.js';
import { LinearSVC } from '../src/models/classifiers/svm.js';
import { accuracy } from '../src/models/classifiers/model-selection.js';
import { Rng } from '../src/util/rng.js';

const ARCHIVE = process.env.SENTIVEC_DATA || path.resolve(process.cwd(), '../shared/data/aclImdb_v1.tar.gz');

function sample(n: number, total: number, rng: Rng): Int32Array {
  const idx = rng.shuffle(Int32Array.from({ length: total }, (_, i) => i));
  return idx.slice(0, n).sort();
}

test('real IMDb: 2,000 training reviews → above 80% on 2,000 test reviews', { timeout: 300_000 }, async (t) => {
  if (!existsSync(ARCHIVE)) {
    t.skip(`real archive not found at ${ARCHIVE}`);
    return;
  }
  const corpus = await loadImdb(ARCHIVE);
  assert.equal(corpus.train.docs.count, 25_000);
  assert.equal(corpus.test.docs.count, 25_000);
  assert.equal(corpus.unsup.docs.count, 50_000);
  assert.equal(corpus.vocabulary.size, 5000);
  const rng = new Rng(7);
  const tr = sample(2000, corpus.train.docs.count, rng);
  const te = sample(2000, corpus.test.docs.count, rng);
  const V = corpus.vocabulary.size;
  const xTr = bnc(countMatrix(selectDocs(corpus.train.docs, tr), V));
  const xTe = bnc(countMatrix(selectDocs(corpus.test.docs, te), V));
  const yTr = Uint8Array.from(tr, (i) => corpus.train.labels[i]);
  const yTe = Uint8Array.from(te, (i) => corpus.test.labels[i]);
  const model = new LinearSVC({ C: 0.1, seed: 1 }).fit(xTr, yTr);
  const acc = accuracy(yTe, model.predict(xTe));
  t.diagnostic(`accuracy on 2,000 test reviews: ${(100 * acc).toFixed(2)}%`);
  assert.ok(acc > 0.8, `accuracy ${acc}`);
});
