/**
 * A text variant whose options change no token of the corpus (nbsvm-bi-chars
 * on text with spaces) is its base blueprint's twin: the leaderboard runs the
 * base only and says so; on text where the option does change tokens, both run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../src/corpus/record.js';
import { blueprintById, type BlueprintSettings } from '../src/models/product/blueprint.js';
import { sameTokens, textVariantTwins } from '../src/models/product/blueprint-twin.js';
import { successiveHalving } from '../src/models/product/leaderboard.js';
import { buildRecordCorpus, type RecordCorpus } from '../src/text/record-corpus.js';
import { Tokenizer, type TokenizerOptions } from '../src/text/tokenizer.js';
import { Rng } from '../src/util/rng.js';

function records(n: number, seed: number, words: { good: string[]; bad: string[]; filler: (i: number) => string }): { text: string; label: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const pos = i % 2 === 0;
    const text = Array.from({ length: 12 }, () => (rng.next() < 0.3 ? (pos ? words.good : words.bad)[rng.int(words.good.length)] : words.filler(rng.int(100)))).join(' ');
    return { text, label: pos ? 'pos' : 'neg' };
  });
}

const english = { good: ['great', 'superb', 'lovely', 'fine'], bad: ['awful', 'dull', 'poor', 'weak'], filler: (i: number) => `w${i}` };
// Chinese without spaces inside the words: character segmentation changes the tokens.
const chinese = { good: ['很好看', '精彩极了', '推荐'], bad: ['很难看', '无聊透顶', '失望'], filler: (i: number) => `词${String.fromCharCode(0x4e00 + i)}语` };

function corpora(recs: { text: string; label: string }[], minCount = 2): (text: TokenizerOptions) => Promise<RecordCorpus> {
  const built = new Map<string, Promise<RecordCorpus>>();
  return (text) => {
    const key = JSON.stringify(text);
    let c = built.get(key);
    if (!c) {
      c = buildRecordCorpus(arraySource(recs), [], { tokenizer: new Tokenizer(text), skipTop: 0, minCount });
      built.set(key, c);
    }
    return c;
  };
}

const candidates = ['bnc', 'nbsvm-bi', 'nbsvm-bi-chars'].map(blueprintById);

test('twins: nbsvm-bi-chars equals nbsvm-bi on English text, not on Chinese; a different fit is never a twin', async () => {
  const onEnglish = corpora(records(120, 1, english));
  assert.deepEqual([...(await textVariantTwins(candidates, (bp) => onEnglish(bp.tokenizer)))], [['nbsvm-bi-chars', 'nbsvm-bi']]);
  assert.ok(sameTokens(await onEnglish({ mode: 'product' }), await onEnglish({ mode: 'product', segment: 'chars' })));
  const onChinese = corpora(records(120, 1, chinese));
  assert.equal((await textVariantTwins(candidates, (bp) => onChinese(bp.tokenizer))).size, 0, 'characters as words: other tokens');
  // The same tokens but another fit (words only, not n-grams) is not a twin.
  const uniChars = { ...blueprintById('nbsvm-bi-chars'), id: 'nbsvm-uni-chars', ngrams: undefined };
  assert.equal((await textVariantTwins([blueprintById('nbsvm-bi'), uniChars], (bp) => onEnglish(bp.tokenizer))).size, 0);
});

test('leaderboard: the twin does not run, its entry names the blueprint it equals, and the winner is unchanged', async () => {
  const corpusFor = corpora(records(200, 3, english));
  const corpus = await corpusFor({ mode: 'product' });
  const rows = Int32Array.from(corpus.targets.keys());
  const y = Uint8Array.from(rows, (d) => (corpus.targets[d] > 0.5 ? 1 : 0));
  const settings: BlueprintSettings = { dim: 4, epochs: 2, lambda: 0.05, nu: 1, sentimentWeight: null, C: 1, cGrid: [1], innerFolds: 3, seed: 1, threads: 1 };
  const run = (list: typeof candidates) => successiveHalving({ candidates: list, corpusFor, rows, y, unlabeled: new Int32Array(0), settings, folds: 3, seed: 1, budgetSeconds: 1e9 });
  const withTwin = await run(candidates);
  const twin = withTwin.leaderboard.entries.find((e) => e.blueprint === 'nbsvm-bi-chars');
  assert.equal(twin?.sameAs, 'nbsvm-bi');
  assert.deepEqual(twin?.rungs, [], 'it ran no rung');
  const without = await run(candidates.slice(0, 2));
  assert.equal(withTwin.winner.id, without.winner.id);
  assert.equal(withTwin.final.estimate.value, without.final.estimate.value);
});

test('twins: on text without a script written without spaces, the chars corpus is never built to prove it', async () => {
  const built: string[] = [];
  const count = (corpusFor: (text: TokenizerOptions) => Promise<RecordCorpus>) => (bp: { tokenizer: TokenizerOptions }) => {
    built.push(JSON.stringify(bp.tokenizer));
    return corpusFor(bp.tokenizer);
  };
  const onEnglish = corpora(records(120, 1, english));
  assert.equal((await onEnglish({ mode: 'product' })).stats.segmentationInvariant, true);
  assert.deepEqual([...(await textVariantTwins(candidates, count(onEnglish)))], [['nbsvm-bi-chars', 'nbsvm-bi']]);
  assert.ok(!built.some((t) => t.includes('chars')), `built: ${built.join(', ')}`);
  // Chinese: the flag is up, the variant's corpus is built and compared, and it differs.
  built.length = 0;
  const onChinese = corpora(records(120, 1, chinese));
  assert.equal((await onChinese({ mode: 'product' })).stats.segmentationInvariant, false);
  assert.equal((await textVariantTwins(candidates, count(onChinese))).size, 0);
  assert.ok(built.some((t) => t.includes('chars')));
});

test('twins: a few rare Japanese words in English text change no vocabulary id either way, and the proof says so', async () => {
  const recs = records(120, 1, english);
  // Three reviews name a film in Japanese: 11 letters in all, below the frequency floor of 15.
  for (const [i, title] of ['七人の侍', '東京物語', '羅生門'].entries()) recs[10 * i].text += ` ${title}`;
  const corpusFor = corpora(recs, 15);
  const words = await corpusFor({ mode: 'product' });
  assert.equal(words.stats.segmentationInvariant, true);
  assert.ok(sameTokens(words, await corpusFor({ mode: 'product', segment: 'chars' })), 'the proof holds: the corpora are equal');
  // The same titles in every review: their characters reach the vocabulary, and the proof stands back.
  const many = corpora(recs.map((r) => ({ ...r, text: `${r.text} 七人の侍` })), 15);
  assert.equal((await many({ mode: 'product' })).stats.segmentationInvariant, false);
  assert.ok(!sameTokens(await many({ mode: 'product' }), await many({ mode: 'product', segment: 'chars' })));
});
