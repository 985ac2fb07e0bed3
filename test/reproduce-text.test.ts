/**
 * `reproduce` tokenizes only the text its rows read (rows.ts, textNeeds):
 * the n-gram rows get the same n-gram tokens and labels whether or not the
 * paper's tokens and the unlabeled reviews are read beside them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadImdb } from '../src/eval/imdb.js';
import { textNeeds } from '../src/eval/rows.js';
import type { TokenizedDocs } from '../src/text/documents.js';
import type { CorpusTokens } from '../src/text/tokenized-corpus.js';
import { makeTinyImdb, tempDir } from './fixtures/tiny-imdb.js';

test('textNeeds: n-gram NBSVM rows read train + test n-gram tokens only; the paper rows and vectors-nbsvm read everything; dv-ngrams and ensemble the unlabeled n-grams', () => {
  const none = { paperTokens: false, ngramTokens: true, unlabeled: false };
  assert.deepEqual(textNeeds(['nbsvm-tri']), none);
  assert.deepEqual(textNeeds(['nbsvm-uni', 'nbsvm-bi', 'nbsvm-pp']), none);
  assert.deepEqual(textNeeds(['nbsvm-bi', 'nbsvm-tri', 'ensemble']), { ...none, unlabeled: true });
  assert.deepEqual(textNeeds(['dv-ngrams']), { ...none, unlabeled: true });
  assert.deepEqual(textNeeds(['vectors-nbsvm']), { paperTokens: true, ngramTokens: true, unlabeled: true });
  // The vocabulary is cut from train + unsup, so any paper row reads the unlabeled reviews.
  assert.deepEqual(textNeeds(['bow-bnc']), { paperTokens: true, ngramTokens: false, unlabeled: true });
  assert.deepEqual(textNeeds(['bow-bnc', 'nbsvm-tri']), { paperTokens: true, ngramTokens: true, unlabeled: true });
});

test('loadImdb without the paper tokens and the unlabeled reviews: the same n-gram tokens and labels of train and test', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(dir, { perFolder: 4 });
  const full = await loadImdb(tiny.archive, { keepTokens: true, skipTop: 0 });
  const lean = await loadImdb(tiny.archive, { keepTokens: true, skipTop: 0, vocabularyTokens: false, unlabeled: false });
  assert.ok(full.allTokens && lean.allTokens);
  const text = (all: CorpusTokens, docs: TokenizedDocs): string[][] =>
    Array.from({ length: docs.count }, (_, d) => Array.from(docs.tokens.subarray(docs.offsets[d], docs.offsets[d + 1]), (id) => all.words[id]));
  for (const split of ['train', 'test'] as const) {
    assert.deepEqual(text(lean.allTokens, lean.allTokens[split]), text(full.allTokens, full.allTokens[split]), `${split} n-gram tokens`);
    assert.deepEqual(Array.from(lean[split].labels), Array.from(full[split].labels), `${split} labels`);
    assert.deepEqual(Array.from(lean[split].ids), Array.from(full[split].ids), `${split} order`);
  }
  assert.equal(full.unsup.docs.count, 4);
  assert.equal(lean.unsup.docs.count, 0, 'no unlabeled review read');
  assert.ok(full.vocabulary.size > 0);
  assert.equal(lean.vocabulary.size, 0, 'no vocabulary without the paper tokens');
  assert.equal(lean.train.docs.count, full.train.docs.count);
  assert.equal(lean.train.docs.offsets[lean.train.docs.count], 0, 'documents hold no vocabulary tokens');
});
