/**
 * The leaderboard's budget decisions come from the cost model, not a clock:
 * the same data and seed take the same path whatever the machine's load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { blueprintById, type BlueprintSettings } from '../src/models/product/blueprint.js';
import { projectedCvSeconds, type CostInputs } from '../src/models/product/cost-model.js';
import { successiveHalving, type HalvingOutcome } from '../src/models/product/leaderboard.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { Tokenizer } from '../src/text/tokenizer.js';
import { Rng } from '../src/util/rng.js';

test('cost model: the vectors term grows with documents × |V| × β × epochs; a bag-only blueprint pays only for its tokens', () => {
  const base: CostInputs = { labeled: 1000, unlabeled: 0, vocabularySize: 5000, tokensPerDocument: 200, folds: 5, settings: { dim: 50, epochs: 10 } };
  const vec = (c: CostInputs): number => projectedCvSeconds({ usesVectors: true }, c) - projectedCvSeconds({ usesVectors: false }, c);
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  assert.ok(near(vec({ ...base, vocabularySize: 10000 }), 2 * vec(base)));
  assert.ok(near(vec({ ...base, settings: { dim: 100, epochs: 10 } }), 2 * vec(base)));
  assert.ok(near(vec({ ...base, settings: { dim: 50, epochs: 20 } }), 2 * vec(base)));
  assert.ok(near(vec({ ...base, labeled: 0, unlabeled: 800 }), vec(base)), 'text-only documents cost what the labeled ones of a fold do');
  assert.ok(near(projectedCvSeconds({ usesVectors: false }, { ...base, tokensPerDocument: 400 }), 2 * projectedCvSeconds({ usesVectors: false }, base)));
  assert.ok(projectedCvSeconds({ usesVectors: true }, base) > 10 * projectedCvSeconds({ usesVectors: false }, base), 'the vectors dominate');
});

function records(n: number, seed: number): { text: string; label: string }[] {
  const rng = new Rng(seed);
  const good = ['great', 'superb', 'lovely', 'fine'];
  const bad = ['awful', 'dull', 'poor', 'weak'];
  return Array.from({ length: n }, (_, i) => {
    const pos = i % 2 === 0;
    const words = Array.from({ length: 12 }, () => (rng.next() < 0.3 ? (pos ? good : bad)[rng.int(4)] : `w${rng.int(200)}`));
    return { text: words.join(' '), label: pos ? 'pos' : 'neg' };
  });
}

test('budget: a budget the cost model says is too small sends the leader straight to 100%, the same way on every run', async () => {
  const corpus = await buildRecordCorpus(arraySource(records(300, 2)), [], { tokenizer: new Tokenizer({ mode: 'product' }), skipTop: 0, minCount: 2 });
  const rows = Int32Array.from(corpus.targets.keys());
  const y = Uint8Array.from(rows, (d) => (corpus.targets[d] > 0.5 ? 1 : 0));
  const settings: BlueprintSettings = { dim: 4, epochs: 2, lambda: 0.05, nu: 1, sentimentWeight: null, C: 1, cGrid: [1], innerFolds: 3, seed: 1, threads: 1 };
  const candidates = ['bnc', 'vectors-bnc', 'vectors-semantic-bnc'].map(blueprintById);
  const run = (budgetSeconds: number): Promise<HalvingOutcome> => successiveHalving({ candidates, corpusFor: async () => corpus, rows, y, unlabeled: new Int32Array(0), settings, folds: 3, seed: 1, budgetSeconds });
  const path = (o: HalvingOutcome): string => JSON.stringify(o.leaderboard.entries.map((e) => [e.blueprint, e.rungs.map((r) => [r.fraction, r.estimate.value]), e.droppedAfter]));

  const tight = await run(1e-6);
  assert.match(tight.leaderboard.shortcut ?? '', /budget: 0.000001 s would be exceeded .* by the cost model/);
  const winner = tight.leaderboard.entries.find((e) => e.blueprint === tight.leaderboard.winner);
  assert.deepEqual(winner?.rungs.map((r) => r.fraction), [0.16, 1], 'the leader after the first rung goes straight to 100%');
  assert.equal(path(await run(1e-6)), path(tight), 'the same path and estimates on a second run');

  const ample = await run(1e9);
  assert.equal(ample.leaderboard.shortcut, null);
  const top = ample.leaderboard.entries.find((e) => e.blueprint === ample.leaderboard.winner);
  assert.deepEqual(top?.rungs.map((r) => r.fraction), [0.16, 0.32, 0.64, 1]);
});
