/**
 * The naive-Bayes-scaled blueprints (nb-bnc, vectors-nb-bnc): the ratios are
 * fitted inside each fit (random labels → chance), and folding them into the
 * word weights scores exactly as the logistic regression on scaled features.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { vectorsWithBnc } from '../src/features/document-features.js';
import { NbRatios } from '../src/features/nb-ratios.js';
import { blueprintById, fitBlueprint, type BlueprintSettings } from '../src/models/product/blueprint.js';
import { assess, crossValidateBlueprint } from '../src/models/product/cross-validate.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { linearScores } from '../src/models/classifiers/linear-base.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { NB_LOGISTIC_OPTIONS } from '../src/models/classifiers/nbsvm.js';
import { fixedDefault } from '../src/util/options.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { Tokenizer } from '../src/text/tokenizer.js';
import { Rng } from '../src/util/rng.js';

/** 20 words from a skewed 3,000-word vocabulary; `learnable`: words t0–t9 lean to a class. */
function records(n: number, seed: number, learnable: boolean): { text: string; label: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const positive = rng.next() < 0.5;
    const words = Array.from({ length: 20 }, () => `w${Math.floor(rng.next() ** 2 * 3000)}`);
    if (learnable) words.push(`t${(positive ? 0 : 5) + rng.int(5)}`);
    return { text: words.join(' '), label: positive ? 'pos' : 'neg' };
  });
}

const SETTINGS: BlueprintSettings = { dim: 8, epochs: 3, lambda: 0.05, nu: 1, sentimentWeight: null, C: null, cGrid: [0.1, 1, 10], innerFolds: 3, seed: 3, threads: 1 };

test('random labels: nb-bnc and vectors-nb-bnc cross-validate to 50 ± 3% (the ratios are fitted inside the folds)', async (t) => {
  const corpus = await buildRecordCorpus(arraySource(records(2000, 5, false)), [], { tokenizer: new Tokenizer(), skipTop: 0, minCount: 2 });
  const rows = Int32Array.from(corpus.targets.keys());
  const y = Uint8Array.from(rows, (d) => (corpus.targets[d] > 0.5 ? 1 : 0));
  for (const id of ['nb-bnc', 'vectors-nb-bnc']) {
    const value = assess(crossValidateBlueprint(blueprintById(id), { corpus, rows, y, unlabeled: new Int32Array(0), settings: SETTINGS, folds: 5, seed: 3 }), y).estimate.value;
    t.diagnostic(`${id}: ${value}`);
    assert.ok(Math.abs(value - 0.5) <= 0.03, `${id}: ${value}`);
  }
});

test('nb-bnc: the folded word weights score exactly as logistic regression on the NB-scaled bag', async () => {
  const corpus = await buildRecordCorpus(arraySource(records(600, 7, true)), [], { tokenizer: new Tokenizer(), skipTop: 0, minCount: 2 });
  const rows = Int32Array.from(corpus.targets.keys());
  const y = Uint8Array.from(rows, (d) => (corpus.targets[d] > 0.5 ? 1 : 0));
  const settings = { ...SETTINGS, C: 1 };
  const fitted = fitBlueprint(blueprintById('nb-bnc'), { corpus, rows, y, unlabeled: new Int32Array(0), settings });
  // By hand: the bnc bag, scaled column by column by r, then the same logistic regression.
  const X = vectorsWithBnc(corpus.docs, { dim: 0, vocabSize: corpus.vocabulary.size, data: new Float32Array(0) }, rows);
  const r = NbRatios.fit(X, y, { alpha: fixedDefault(NB_LOGISTIC_OPTIONS.alpha, 'product') }).ratios(1);
  for (let p = 0; p < X.data.length; p++) X.data[p] *= r[X.indices[p]];
  const lr = new LogisticRegression({ C: 1, tol: 0.01, seed: settings.seed }).fit(X, y);
  const expected = linearScores(X, lr.coef, lr.intercept);
  const got = fitted.scores(rows);
  for (let i = 0; i < rows.length; i++) assert.ok(Math.abs(got[i] - expected[i]) <= 1e-9 * (1 + Math.abs(expected[i])), `row ${i}: ${got[i]} vs ${expected[i]}`);
  assert.ok(fitted.weightsWords.some((w) => w !== 0));
  // And the model file's words carry the folded weights: the leaning words push their way.
  const model = await trainSentimentModel(arraySource(records(600, 7, true)), { dim: 8, epochs: 3, minCount: 2, threads: 1, seed: 3, blueprint: 'nb-bnc', C: 1 });
  const lean = (w: string): number => model.explain(w).score - model.explain('').score;
  assert.ok(lean('t0') > 0 && lean('t6') < 0, `t0 ${lean('t0')}, t6 ${lean('t6')}`);
});

test('random labels: the inner CV that chooses C refits the NB ratios in each split (its scores are chance, not the ratios read back)', async () => {
  const corpus = await buildRecordCorpus(arraySource(records(1000, 9, false)), [], { tokenizer: new Tokenizer(), skipTop: 0, minCount: 2 });
  const rows = Int32Array.from(corpus.targets.keys());
  const y = Uint8Array.from(rows, (d) => (corpus.targets[d] > 0.5 ? 1 : 0));
  const fitted = fitBlueprint(blueprintById('nb-bnc'), { corpus, rows, y, unlabeled: new Int32Array(0), settings: SETTINGS });
  assert.ok(fitted.cScores.length >= 3);
  // Ratios fitted on all rows make the inner held-out rows look learnable (well above 60% here).
  for (const s of fitted.cScores) assert.ok(Math.abs(s.accuracy - 0.5) <= 0.06, `C = ${s.C}: inner CV accuracy ${s.accuracy}`);
});
