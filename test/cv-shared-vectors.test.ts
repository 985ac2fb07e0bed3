/**
 * `sentivec cv` fits the label-free part of the word vectors once (issue #13:
 * the full-unlabeled vectors refitted from a random R in every fold were 712
 * of a 1,006-second run) and warm-starts each fold's fit with labels from it.
 * What must hold: the shared fit reads no label and no labeled text, every fit
 * that reads labels is inside a fold, a warm start begins where its source
 * ended, and with shuffled labels the rows stay at chance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { crossValidateRows } from '../src/eval/cv.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { SentimentVectors } from '../src/models/embeddings/sentiment-vectors.js';
import type { SentimentSupervision } from '../src/models/embeddings/data.js';
import type { MultiTargets } from '../src/models/embeddings/targets.js';
import { SentivecError } from '../src/util/errors.js';
import { Rng } from '../src/util/rng.js';

/** Reviews whose p/q words give the label away (when the labels are true), with topic words around them. */
function reviews(n: number, seed: number): { text: string; positive: boolean }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const positive = i % 2 === 1;
    const words: string[] = [];
    for (let k = 0; k < 12; k++) words.push(`${positive ? 'p' : 'q'}${rng.int(30)}`, `w${rng.int(200)}`);
    return { text: words.join(' '), positive };
  });
}

interface FitCall {
  docs: number;
  labeled: number;
  sentiment: boolean;
  warm: boolean;
}

/** Every SentimentVectors.fit while `run` runs: its documents, how many carry a label, whether the sentiment term is on, whether it was warm-started. */
async function recordFits<T>(run: () => T | Promise<T>): Promise<{ result: T; fits: FitCall[] }> {
  const fits: FitCall[] = [];
  const fit = SentimentVectors.prototype.fit;
  SentimentVectors.prototype.fit = function (this: SentimentVectors, ...args: Parameters<SentimentVectors['fit']>) {
    const [docs, stars, , warm] = args;
    fits.push({ docs: docs.count, labeled: labeledCount(stars), sentiment: this.effectiveSentimentWeight > 0, warm: warm?.from !== undefined });
    return fit.apply(this, args);
  };
  try {
    return { result: await run(), fits };
  } finally {
    SentimentVectors.prototype.fit = fit;
  }
}

/** Documents with a label: soft targets other than NaN, ratings other than 0 and NaN (data.ts). cv passes one of these two. */
function labeledCount(given: SentimentSupervision | MultiTargets): number {
  if ('targets' in given || 'classes' in given) throw new Error('cv fits one two-class target');
  const soft = 'soft' in given;
  const values: ArrayLike<number> = 'soft' in given ? given.soft : given;
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]) && (soft || values[i] !== 0)) n++;
  return n;
}

const options = { folds: 4, innerFolds: 3, cGrid: [0.1, 1], seed: 1, model: { maxEpochs: 3 } };

test('cv: one label-free fit on the unlabeled text serves every fold; every fit that reads labels is inside a fold and warm-started', async () => {
  const labeled = reviews(240, 2).map((r) => ({ text: r.text, label: r.positive ? 'pos' : 'neg' }));
  const unlabeled = reviews(300, 3).map((r) => ({ text: r.text }));
  const corpus = await buildRecordCorpus(arraySource(labeled), [arraySource(unlabeled, 'unlabeled')], { skipTop: 0, minCount: 1 });
  const { result, fits } = await recordFits(() => crossValidateRows(corpus, { ...options, rows: ['semantic', 'full', 'full-unlabeled', 'full-unlabeled-bow'] }));
  for (const row of result.rows) assert.ok(row.mean > 0.9, `${row.id}: ${row.mean}`);
  // The shared fit: the unlabeled text alone, no sentiment term, no label, made once.
  const shared = fits.filter((f) => f.docs === 300);
  assert.equal(shared.length, 1, 'one shared fit for the four folds');
  assert.deepEqual(shared[0], { docs: 300, labeled: 0, sentiment: false, warm: false });
  // Each fold: its semantic fit (cold, no label read), full warm from it, full-unlabeled warm from the shared fit.
  const withLabels = fits.filter((f) => f.sentiment);
  assert.equal(withLabels.length, 8, 'full and full-unlabeled in each of the 4 folds');
  for (const f of withLabels) {
    assert.ok(f.warm, 'every fit with labels starts from a label-free one');
    // A fold's training part: 180 of the 240 labeled documents, never all of them (the held-out fold's labels stay out).
    assert.ok(f.labeled > 0 && f.labeled < 240, `a fit with labels read ${f.labeled} of 240`);
    assert.ok(f.docs === f.labeled || f.docs === f.labeled + 300, `${f.docs} documents, ${f.labeled} labeled`);
  }
  for (const f of fits.filter((x) => !x.sentiment)) assert.equal(f.labeled, 0, 'a fit without the sentiment term is given no label');
});

test('leakage: with labels shuffled, the paper\'s vector rows stay at chance in sentivec cv (warm-started fits inside the folds)', async () => {
  const n = 2400;
  const records = reviews(n, 5).map((r) => ({ text: r.text, label: '' }));
  const unlabeled = [arraySource(reviews(400, 6).map((r) => ({ text: r.text })), 'unlabeled')];
  const shuffled = new Rng(7).shuffle(Int32Array.from({ length: n }, (_, i) => i % 2));
  records.forEach((r, i) => (r.label = shuffled[i] === 1 ? 'pos' : 'neg'));
  const corpus = await buildRecordCorpus(arraySource(records), unlabeled, { skipTop: 0, minCount: 1 });
  const result = crossValidateRows(corpus, { ...options, rows: ['full', 'full-unlabeled', 'full-unlabeled-bow'] });
  for (const row of result.rows) assert.ok(Math.abs(row.mean - 0.5) <= 0.03, `${row.id}: ${row.mean}`);
});

test('a warm start begins where its source fit ended, and must match the vocabulary', () => {
  const docs = { count: 3, offsets: Int32Array.from([0, 3, 5, 8]), tokens: Int32Array.from([0, 1, 2, 1, 3, 0, 2, 3]) };
  const none = new Float64Array(3);
  const opts = { dim: 3, threads: 1, seed: 2, tol: 0 };
  const first = new SentimentVectors({ ...opts, useSentiment: false, maxEpochs: 6 }).fit(docs, none, 4, { keepTheta: true });
  const start = first.warmStart();
  assert.equal(start.theta?.length, 9);
  const traces: number[] = [];
  new SentimentVectors({ ...opts, useSentiment: false, maxEpochs: 1, onEpoch: (e) => traces.push(e.objective) }).fit(docs, none, 4, { from: start });
  // Epoch 0 of the warm fit (one more θ step from the kept θ) is at least where the source ended; a cold start is far below.
  const end = first.objectiveTrace[first.objectiveTrace.length - 1];
  assert.ok(traces[0] >= end - 1e-9 * Math.abs(end), `warm start at ${traces[0]}, source ended at ${end}`);
  assert.ok(first.objectiveTrace[0] < end);
  assert.throws(() => new SentimentVectors({ ...opts, maxEpochs: 1, useSentiment: false }).fit(docs, none, 5, { from: start }), (e: unknown) => e instanceof SentivecError && /warm start: R has 12 values/.test(e.message));
});
