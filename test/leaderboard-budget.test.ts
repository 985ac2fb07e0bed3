/**
 * The leaderboard's budget decisions come from the cost model, not a clock:
 * the same data and seed take the same path whatever the machine's load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { blueprintById, type Blueprint, type BlueprintSettings } from '../src/models/product/blueprint.js';
import { projectedCvSeconds, projectedFitSeconds, vectorEpochSeconds, type CostInputs } from '../src/models/product/cost-model.js';
import { pathBound, planCandidates } from '../src/models/product/budget-plan.js';
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

test('budget: the costliest candidates are left out before any rung, the same way on every run; an ample budget runs them all', async () => {
  const corpus = await buildRecordCorpus(arraySource(records(300, 2)), [], { tokenizer: new Tokenizer({ mode: 'product' }), skipTop: 0, minCount: 2 });
  const rows = Int32Array.from(corpus.targets.keys());
  const y = Uint8Array.from(rows, (d) => (corpus.targets[d] > 0.5 ? 1 : 0));
  const settings: BlueprintSettings = { dim: 4, epochs: 2, lambda: 0.05, nu: 1, sentimentWeight: null, C: 1, cGrid: [1], innerFolds: 3, seed: 1, threads: 1 };
  const candidates = ['bnc', 'vectors-bnc', 'vectors-semantic-bnc'].map(blueprintById);
  const run = (budgetSeconds: number): Promise<HalvingOutcome> => successiveHalving({ candidates, corpusFor: async () => corpus, rows, y, unlabeled: new Int32Array(0), settings, folds: 3, seed: 1, budgetSeconds });
  const path = (o: HalvingOutcome): string => JSON.stringify(o.leaderboard.entries.map((e) => [e.blueprint, e.rungs.map((r) => [r.fraction, r.estimate.value]), e.droppedAfter, e.leftOut ?? null]));

  const tight = await run(1e-6);
  const ran = tight.leaderboard.entries.filter((e) => e.leftOut === undefined).map((e) => e.blueprint);
  assert.deepEqual(ran, ['bnc'], 'only the cheapest (no word vectors) runs');
  assert.match(tight.leaderboard.shortcut ?? '', /even bnc alone projects to .* against 0.000001 s/);
  assert.deepEqual(tight.leaderboard.entries[0].rungs.map((r) => r.fraction), [0.32, 0.64, 1], 'a lone candidate runs the last three rungs (learning-curve correction)');
  assert.equal(path(await run(1e-6)), path(tight), 'the same path and estimates on a second run');

  const ample = await run(1e9);
  assert.equal(ample.leaderboard.shortcut, null);
  assert.ok(ample.leaderboard.entries.every((e) => e.leftOut === undefined));
  const top = ample.leaderboard.entries.find((e) => e.blueprint === ample.leaderboard.winner);
  assert.deepEqual(top?.rungs.map((r) => r.fraction), [0.16, 0.32, 0.64, 1]);
  assert.ok((ample.leaderboard.projectedSeconds ?? Infinity) <= 1e9);
});

test('budget plan: the bound covers the costliest survivors; candidates leave costliest first until the path fits', () => {
  // Costs per rung proportional to the fraction; a "vectors" candidate costs 10× a bag one.
  const bag = (id: string): Blueprint => ({ ...blueprintById('bnc'), id });
  const vec = (id: string): Blueprint => ({ ...blueprintById('vectors-bnc'), id });
  const fractions = [0.16, 0.32, 0.64, 1];
  const cost = (bp: Blueprint): number => (bp.usesVectors ? 10 : 1);
  const costs = { rungs: 4, rung: (bp: Blueprint, r: number) => cost(bp) * fractions[r], fit: (bp: Blueprint) => cost(bp) / 4 };
  const all = [bag('a'), vec('v1'), bag('b'), vec('v2')];
  // Rung 0: all four (2 × 1.6 + 2 × 0.16); rung 1: the two costliest (2 × 3.2); rung 2: one (6.4); last: 10 + 2.5.
  assert.ok(Math.abs(pathBound(all, costs) - (3.52 + 6.4 + 6.4 + 12.5)) < 1e-9);
  const plan = planCandidates(all, costs, 10);
  assert.deepEqual(plan.run.map((b) => b.id), ['a', 'b']);
  assert.deepEqual(plan.leftOut.map((l) => l.blueprint.id), ['v2', 'v1'], 'the costliest first, ties: the later one');
  assert.ok(plan.projectedSeconds <= 10);
  assert.deepEqual(planCandidates(all, costs, 1e9).run.map((b) => b.id), ['a', 'v1', 'b', 'v2']);
});

test('cost model: n-gram blueprints pay for their order; the final fit of a bag blueprint has no vectors term', () => {
  const c = { labeled: 1000, unlabeled: 5000, vocabularySize: 5000, tokensPerDocument: 200, settings: { dim: 50, epochs: 10 } };
  assert.ok(Math.abs(projectedFitSeconds({ usesVectors: false, ngrams: 3 }, c) - 3 * projectedFitSeconds({ usesVectors: false }, c)) < 1e-12);
  assert.ok(Math.abs(projectedFitSeconds({ usesVectors: true }, c) - projectedFitSeconds({ usesVectors: false }, c) - 10 * vectorEpochSeconds(6000, c)) < 1e-9);
});
