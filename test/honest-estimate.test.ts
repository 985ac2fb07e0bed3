/**
 * The accuracy `train` reports is honest: with random labels it is chance
 * through the whole train path; the same check fails a pipeline that fits a
 * label-reading step (the word vectors' sentiment term) outside the folds;
 * and its 95% interval covers the final model's true accuracy in ≥ 90% of
 * seeded repeats on a synthetic problem. Synthetic data only, so it is fast.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { blueprintById, fitBlueprint, type BlueprintSettings } from '../src/models/product/blueprint.js';
import { assess, crossValidateBlueprint } from '../src/models/product/cross-validate.js';
import { successiveHalving } from '../src/models/product/leaderboard.js';
import { buildRecordCorpus, type RecordCorpus } from '../src/text/record-corpus.js';
import { vectorsWithBnc } from '../src/features/document-features.js';
import { takeRows } from '../src/features/matrix.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { stratifiedKFold } from '../src/models/classifiers/model-selection.js';
import { SentimentVectors } from '../src/models/embeddings/sentiment-vectors.js';
import { selectDocs } from '../src/text/documents.js';
import { Tokenizer } from '../src/text/tokenizer.js';
import { Rng } from '../src/util/rng.js';

/** Documents of 20 words from a 3,000-word skewed vocabulary: many rare words, which a label-fitted step can memorise. */
function randomLabelRecords(n: number, seed: number): { text: string; label: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const words = Array.from({ length: 20 }, () => `w${Math.floor(rng.next() ** 2 * 3000)}`);
    return { text: words.join(' '), label: rng.next() < 0.5 ? 'pos' : 'neg' };
  });
}

const SMALL = { dim: 8, epochs: 3, minCount: 2, skipTop: 0, threads: 1, seed: 3 } as const;

test('random labels: the estimate through the whole train path (leaderboard included) is 50 ± 3%', async () => {
  const model = await trainSentimentModel(arraySource(randomLabelRecords(2000, 5)), SMALL);
  const e = model.info.estimate;
  assert.ok(e, 'an estimate');
  assert.ok(Math.abs(e.value - 0.5) <= 0.03, `estimate ${e.value}`);
  assert.ok(e.low < 0.5 && e.high > 0.5, `interval ${e.low}–${e.high} contains chance`);
  assert.ok(model.info.leaderboard && model.info.leaderboard.entries.length > 1, 'the leaderboard ran');
  for (const entry of model.info.leaderboard.entries) for (const r of entry.rungs) assert.ok(Math.abs(r.estimate.value - 0.5) <= 0.1, `${entry.blueprint} at ${r.fraction}: ${r.estimate.value}`);
});

test('the same check catches the word vectors fitted on all labels before the folds (the old train path)', async (t) => {
  const corpus = await buildRecordCorpus(arraySource(randomLabelRecords(2000, 5)), [], { tokenizer: new Tokenizer(), size: 5000, skipTop: 0, minCount: 2 });
  const rows = Int32Array.from(corpus.targets.keys());
  const y = Uint8Array.from(rows, (d) => (corpus.targets[d] > 0.5 ? 1 : 0));
  const settings: BlueprintSettings = { dim: 8, epochs: 3, lambda: 0.05, nu: 1, sentimentWeight: null, C: null, cGrid: [0.1, 1, 10], innerFolds: 3, seed: 3, threads: 1 };
  // Leaky: the sentiment term sees every label, then the classifier is cross-validated on those features.
  const vectors = new SentimentVectors({ dim: 8, maxEpochs: 3, sentimentWeight: rows.length / 2, seed: 3, threads: 1 }).fit(selectDocs(corpus.docs, rows), { soft: Float64Array.from(rows, (d) => corpus.targets[d]) }, corpus.vocabulary.size);
  const X = vectorsWithBnc(corpus.docs, vectors.R, rows);
  const fold = stratifiedKFold(y, 5, 3);
  let hits = 0;
  for (let f = 0; f < 5; f++) {
    const tr = [...rows.keys()].filter((i) => fold[i] !== f);
    const ev = [...rows.keys()].filter((i) => fold[i] === f);
    const lr = new LogisticRegression({ C: 1, seed: 3 }).fit(takeRows(X, tr), Uint8Array.from(tr, (i) => y[i]));
    const p = lr.predict(takeRows(X, ev));
    ev.forEach((i, k) => (hits += p[k] === y[i] ? 1 : 0));
  }
  const leaky = hits / rows.length;
  t.diagnostic(`random labels: leaky pipeline ${leaky}`);
  assert.ok(leaky > 0.53, `a label-fitted step outside the folds must fail the 50 ± 3% check: ${leaky}`);
  // The honest path, same data, same blueprint: refitted inside each fold.
  const honest = assess(crossValidateBlueprint(blueprintById('vectors-bnc'), { corpus, rows, y, unlabeled: new Int32Array(0), settings, folds: 5, seed: 3 }), y).estimate.value;
  t.diagnostic(`random labels: honest pipeline ${honest}`);
  assert.ok(Math.abs(honest - 0.5) <= 0.03, `honest estimate ${honest}`);
});

/** A noisy but learnable problem (~80% accuracy): each document draws words from its class's distribution over a shared vocabulary. */
function learnableRecords(n: number, rng: Rng): { text: string; label: string }[] {
  const V = 400;
  return Array.from({ length: n }, () => {
    const positive = rng.next() < 0.5;
    const words: string[] = [];
    for (let k = 0; k < 12; k++) {
      const w = Math.floor(rng.next() ** 1.5 * V);
      // Word w leans positive when w is even; the lean is weak, so documents are often ambiguous.
      const keep = (w % 2 === 0) === positive ? 1 : 0.45;
      if (rng.next() < keep) words.push(`t${w}`);
    }
    return { text: words.join(' '), label: positive ? 'pos' : 'neg' };
  });
}

test('coverage: the 95% interval contains the final model’s true accuracy in ≥ 90% of 40 seeded repeats', async (t) => {
  const repeats = 40;
  const nTrain = 300;
  const nTest = 4000;
  const settings: BlueprintSettings = { dim: 8, epochs: 3, lambda: 0.05, nu: 1, sentimentWeight: null, C: null, cGrid: [0.03, 0.1, 0.3, 1, 3], innerFolds: 5, seed: 1, threads: 1 };
  let covered = 0;
  let meanTruth = 0;
  let meanWidth = 0;
  const misses: string[] = [];
  for (let r = 0; r < repeats; r++) {
    const rng = new Rng(1000 + r);
    const records = learnableRecords(nTrain + nTest, rng);
    // One corpus: the vocabulary is cut from all text (labels never enter it), as train does with unlabeled text.
    const corpus: RecordCorpus = await buildRecordCorpus(arraySource(records), [], { tokenizer: new Tokenizer(), size: 5000, skipTop: 0, minCount: 1 });
    const rows = Int32Array.from({ length: nTrain }, (_, i) => i);
    const testRows = Int32Array.from({ length: nTest }, (_, i) => nTrain + i);
    const label = (d: number): number => (corpus.targets[d] > 0.5 ? 1 : 0);
    const y = Uint8Array.from(rows, label);
    const bp = blueprintById('bnc');
    // The estimate exactly as `train --blueprint bnc` makes it (rungs for the learning-curve correction included).
    const { estimate, calibration } = (await successiveHalving({ candidates: [bp], corpusFor: async () => corpus, rows, y, unlabeled: new Int32Array(0), settings, folds: 5, seed: r, budgetSeconds: 1e9 })).final;
    const final = fitBlueprint(bp, { corpus, rows, y, unlabeled: new Int32Array(0), settings });
    const s = final.scores(testRows);
    let hits = 0;
    for (let i = 0; i < nTest; i++) hits += (calibration.a * s[i] + calibration.b > 0 ? 1 : 0) === label(testRows[i]) ? 1 : 0;
    const truth = hits / nTest;
    meanTruth += truth / repeats;
    meanWidth += (estimate.high - estimate.low) / repeats;
    if (truth >= estimate.low && truth <= estimate.high) covered++;
    else misses.push(`${truth.toFixed(3)} ∉ [${estimate.low.toFixed(3)}, ${estimate.high.toFixed(3)}]`);
  }
  t.diagnostic(`coverage ${covered}/${repeats}, mean true accuracy ${meanTruth.toFixed(3)}, mean interval width ${meanWidth.toFixed(3)}`);
  assert.ok(covered / repeats >= 0.9, `covered ${covered}/${repeats}; misses ${misses.join(', ')}`);
});
