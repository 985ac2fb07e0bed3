import { withoutTimings } from '../src/models/product/timings.js';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { arraySource } from '../src/corpus/record.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { trainSentimentModel, type TrainModelOptions } from '../src/models/product/train-model.js';
import { MODEL_FORMAT_VERSION, decodeModelFile } from '../src/models/product/model-file.js';
import { vectorsWithBnc } from '../src/features/document-features.js';
import { DocumentBuilder } from '../src/text/documents.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { prepareData } from '../src/models/embeddings/data.js';
import { Tokenizer } from '../src/text/tokenizer.js';
import { SentivecError } from '../src/util/errors.js';
import { Rng } from '../src/util/rng.js';
import { tempDir } from './fixtures/tiny-imdb.js';

const POSITIVE = ['great', 'wonderful', 'superb', 'moving', 'charming', 'delightful'];
const NEGATIVE = ['awful', 'boring', 'dull', 'clumsy', 'tedious', 'terrible'];
const NEUTRAL = ['film', 'plot', 'actor', 'scene', 'story', 'music', 'ending', 'cast', 'camera', 'script'];

/** Reviews whose label is learnable from their sentiment words; 10% carry one word of the other side. */
function reviews(n: number, seed: number): { text: string; label: string }[] {
  const rng = new Rng(seed);
  const pick = (a: string[]): string => a[rng.int(a.length)];
  return Array.from({ length: n }, (_, i) => {
    const positive = i % 2 === 0;
    const words: string[] = [];
    for (let k = 0; k < 10; k++) words.push(rng.next() < 0.3 ? pick(positive ? POSITIVE : NEGATIVE) : pick(NEUTRAL));
    if (rng.next() < 0.1) words.push(pick(positive ? NEGATIVE : POSITIVE));
    return { text: `The ${words.join(' ')}.`, label: positive ? 'good' : 'bad' };
  });
}

// vectors-bnc: these tests read the word vectors (a blueprint without them stores none).
const OPTIONS: TrainModelOptions = { dim: 8, epochs: 4, folds: 3, minCount: 1, skipTop: 0, threads: 1, seed: 3, blueprint: 'vectors-bnc' };

let model: SentimentModel;
let dir: string;
let cleanup: () => Promise<void>;

before(async () => {
  ({ dir, cleanup } = await tempDir('sentivec-model-'));
  model = await trainSentimentModel(arraySource(reviews(160, 1), 'train'), OPTIONS);
});
after(async () => cleanup());

test('trains on a small learnable corpus and labels held-out texts correctly', () => {
  assert.deepEqual(model.labels, ['bad', 'good']);
  assert.equal(model.info.target.positiveRule, 'name');
  const heldOut = reviews(60, 99);
  const predictions = model.predict(heldOut.map((r) => r.text));
  const correct = predictions.filter((p, i) => p.label === heldOut[i].label).length;
  assert.ok(correct / heldOut.length >= 0.9, `${correct}/${heldOut.length} held-out texts right`);
  for (const p of predictions) {
    assert.ok(p.probability >= 0.5 && p.probability <= 1, `probability ${p.probability}`);
    assert.equal(p.label === 'good', p.score > 0);
  }
  const [clear] = model.predict(['a wonderful, superb and moving film']);
  assert.equal(clear.label, 'good');
  assert.deepEqual(new Set(clear.top.positive.map((w) => w.word)).has('wonderful'), true);
  assert.ok(clear.top.positive.every((w) => w.weight > 0) && clear.top.negative.every((w) => w.weight < 0));
});

test('the model stores a short labeled training text as its example (the web page placeholder)', async () => {
  const texts = reviews(160, 1).map((r) => r.text);
  assert.equal(model.info.data.example, texts[0], 'the first labeled text of 20–140 chars');
  assert.equal(SentimentModel.fromBytes(model.toBytes()).info.data.example, texts[0], 'saved and loaded');
  // Only long texts: the first, cut at a sentence end within 140 chars.
  const long = reviews(40, 2).map((r, i) => ({ text: `${r.text} ${'And the film went on. '.repeat(8)}`, label: i % 2 ? 'bad' : 'good' }));
  const m = await trainSentimentModel(arraySource(long, 'long'), { ...OPTIONS, blueprint: 'bnc' });
  const example = m.info.data.example ?? '';
  assert.ok(example.length <= 140 && long[0].text.startsWith(example) && example.endsWith('.'), example);
});

test('evidence counts the in-vocabulary tokens; explain lists the out-of-vocabulary ones', () => {
  const [p] = model.predict(['wonderful wonderful xyzzy']);
  assert.equal(p.evidence, 2, 'every occurrence counts');
  const e = model.explain('wonderful wonderful xyzzy plugh xyzzy');
  assert.equal(e.evidence, 2);
  assert.equal(e.evidence, e.tokens.filter((t) => t.word !== null).length);
  assert.deepEqual(e.oov, ['xyzzy', 'plugh'], 'distinct, in order of first occurrence');
});

test('with no known word the answer is the class prior of the training labels', async () => {
  // 3 good for 1 bad: the prior is 0.75, whatever the intercept learned.
  const skewed = reviews(240, 5).filter((_, i) => i % 2 === 0 || i % 6 === 1);
  const good = skewed.filter((r) => r.label === 'good').length;
  const m = await trainSentimentModel(arraySource(skewed, 'skewed'), OPTIONS);
  assert.deepEqual(m.info.data.perClass, { bad: skewed.length - good, good });
  const prior = good / skewed.length;
  assert.ok(Math.abs(m.prior - prior) < 1e-12);
  assert.notEqual(Math.abs(m.intercept), Math.abs(Math.log(prior / (1 - prior))), 'the intercept alone would not give the prior');
  for (const text of ['', 'xyzzy plugh', '😍😍😍', '...']) {
    const [p] = m.predict([text]);
    assert.equal(p.evidence, 0, text);
    assert.equal(p.label, 'good');
    assert.ok(Math.abs(p.probability - prior) < 1e-12, `${text}: ${p.probability} vs prior ${prior}`);
    assert.deepEqual(p.top, { positive: [], negative: [] });
    const e = m.explain(text);
    assert.equal(e.evidence, 0);
    assert.equal(e.probability, p.probability);
    assert.equal(e.label, p.label);
  }
  // Reloaded, the prior is the same (it comes from the stored training counts).
  const again = SentimentModel.fromBytes(m.toBytes());
  assert.equal(again.predict(['xyzzy'])[0].probability, m.predict(['xyzzy'])[0].probability);
});

test('the info block records options, data, labels and cross-validation', () => {
  const { info } = model;
  assert.equal(info.formatVersion, MODEL_FORMAT_VERSION);
  assert.equal(info.options.dim, 8);
  assert.equal(info.options.sentimentWeight, 80, 'default: labeled documents / 2');
  assert.deepEqual(info.data.perClass, { bad: 80, good: 80 });
  assert.equal(info.data.vocabularySize, model.vocabularySize);
  assert.equal(info.classifier.kind, 'logistic-regression');
  const cv = info.classifier.crossValidation;
  assert.ok(cv && cv.folds === 3 && cv.scores.some((s) => s.C === info.classifier.C), JSON.stringify(cv));
  assert.ok(info.vectors.objective.length >= 2);
  assert.ok(!Number.isNaN(Date.parse(info.created)));
  assert.doesNotThrow(() => JSON.stringify(info));
});

test('token contributions sum to the score and point at the original text', () => {
  const text = 'The <b>WONDERFUL</b> cast &amp; a dull, dull plot!!! Zürich';
  const e = model.explain(text);
  const [p] = model.predict([text]);
  assert.equal(e.label, p.label);
  assert.ok(Math.abs(e.score - p.score) < 1e-12);
  const sum = e.tokens.reduce((s, t) => s + t.weight, e.intercept);
  assert.ok(Math.abs(sum - e.score) < 1e-9, `Σ weights + intercept = ${sum}, score ${e.score}`);
  assert.deepEqual(e.tokens.map((t) => t.token), new Tokenizer().tokenize(text));
  const wonderful = e.tokens.find((t) => t.token === 'wonderful');
  assert.ok(wonderful && text.slice(wonderful.start, wonderful.end) === 'WONDERFUL');
  const bang = e.tokens.find((t) => t.token === '!');
  assert.ok(bang && text.slice(bang.start, bang.end) === '!!!');
  const dulls = e.tokens.filter((t) => t.token === 'dull');
  assert.equal(dulls.length, 2);
  assert.equal(dulls[0].weight, dulls[1].weight, 'a repeated word shares its contribution equally');
  assert.ok(dulls[0].weight < 0 && wonderful.weight > 0);
  const zurich = e.tokens.find((t) => t.token === 'zürich');
  assert.ok(zurich && zurich.word === null && zurich.weight === 0 && text.slice(zurich.start, zurich.end) === 'Zürich');
});

test('predict equals the straightforward path: tokenize, the training features [R v/‖R v‖ ; bnc v], the classifier weights', () => {
  const { header, sections } = decodeModelFile(model.toBytes(), 'model');
  const words = header.words as string[];
  const vocabulary = new Vocabulary(words);
  const dim = header.dim as number;
  const weights = [...(sections.get('weightsVectors') as Float64Array), ...(sections.get('weightsWords') as Float64Array)];
  const rng = new Rng(5);
  const noise = [' ', ' ', ', ', '<br />', '&amp;', '!!!', ' :-) ', 'Zürich', 'ΣΟΦΟΣ', 'İ', '😀', '\u00a0', '<i>', '’s'];
  // The first text has more in-vocabulary tokens than the scanner's id buffer starts with.
  const long = Array.from({ length: 600 }, (_, i) => words[i % words.length]).join(' ');
  const texts = [long, '', 'zzz unknown words only', '<br /><br />', ...Array.from({ length: 300 }, () => {
    let t = '';
    for (let k = rng.int(25); k > 0; k--) {
      const w = words[rng.int(words.length)];
      t += rng.next() < 0.3 ? w.toUpperCase() : w;
      t += noise[rng.int(noise.length)];
    }
    return t;
  })];
  const tokenizer = new Tokenizer({ mode: model.tokenizer.mode });
  const docs = new DocumentBuilder();
  for (const t of texts) docs.push(tokenizer.tokenize(t).map((w) => vocabulary.id(w)).filter((id) => id >= 0));
  const x = vectorsWithBnc(docs.finish(), { dim, vocabSize: words.length, data: sections.get('R') as Float32Array });
  const predictions = model.predict(texts);
  texts.forEach((text, i) => {
    let score = model.intercept;
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) score += x.data[p] * weights[x.indices[p]];
    const ids = tokenizer.tokenize(text).filter((w) => vocabulary.has(w)).length;
    assert.equal(predictions[i].evidence, ids, JSON.stringify(text.slice(0, 60)));
    // Without evidence the answer is the prior, not the intercept (the test below).
    if (ids === 0) score = Math.log(model.prior / (1 - model.prior));
    assert.ok(Math.abs(predictions[i].score - score) <= 1e-9 * (1 + Math.abs(score)), `${JSON.stringify(text.slice(0, 60))}: ${predictions[i].score} vs ${score}`);
    assert.equal(predictions[i].label, model.labels[score > 0 ? 1 : 0], JSON.stringify(text.slice(0, 60)));
  });
});

test('token offsets survive entities, tags and case changes that alter length', () => {
  const tokenizer = new Tokenizer();
  const texts = ['don&#39;t <br />stop', 'İstanbul is GREAT :-)', 'a&lt;b <i>x</i>y ?? &nbsp;z', '', 'ΟΔΟΣ and “quoted” it’s'];
  for (const text of texts) {
    const spans: [string, number, number][] = [];
    tokenizer.forEachTokenSpan(text, (t, s, e) => spans.push([t, s, e]));
    const plain = tokenizer.tokenize(text);
    if (!text.includes('İ')) assert.deepEqual(spans.map((s) => s[0]), plain, text);
    for (const [, s, e] of spans) assert.ok(s >= 0 && e > s && e <= text.length, `${text}: [${s}, ${e})`);
  }
  const spans: string[] = [];
  const t = 'don&#39;t <br />stop';
  tokenizer.forEachTokenSpan(t, (_tok, s, e) => spans.push(t.slice(s, e)));
  assert.deepEqual(spans, ["don&#39;t", 'stop']);
});

test('save → load gives identical predictions, vectors and info', async () => {
  const file = path.join(dir, 'model.svec');
  await model.save(file);
  const loaded = await SentimentModel.load(file);
  const texts = reviews(20, 7).map((r) => r.text).concat(['', 'unknown words only', 'great great dull']);
  assert.deepEqual(loaded.predict(texts), model.predict(texts));
  assert.deepEqual(loaded.explain(texts[0]), model.explain(texts[0]));
  // The file leaves the date and timings out (identical training, identical bytes) unless asked to keep them.
  // As JSON: the header is JSON, so an empty calibration bin's NaN comes back as null.
  const asJson = (x: unknown): unknown => JSON.parse(JSON.stringify(x));
  assert.deepEqual(loaded.info, asJson(withoutTimings(model.info)));
  await model.save(file, { timings: true });
  assert.deepEqual((await SentimentModel.load(file)).info, asJson(model.info));
  assert.deepEqual(loaded.neighbors('great', 3), model.neighbors('great', 3));
  assert.deepEqual(loaded.map(10), model.map(10));
  assert.deepEqual(Array.from(loaded.vectors.vectors.data), Array.from(model.vectors.vectors.data));
  // A file is replaced only by a complete new one: no temp files are left behind.
  assert.deepEqual((await fs.readdir(dir)).filter((f) => f.includes('model.svec')), ['model.svec']);
});

test('corrupted, truncated, newer-version and foreign files are rejected with the file named', async () => {
  const bytes = model.toBytes();
  const write = async (name: string, b: Uint8Array): Promise<string> => {
    const f = path.join(dir, name);
    await fs.writeFile(f, b);
    return f;
  };
  const rejects = async (f: string, pattern: RegExp): Promise<void> => {
    await assert.rejects(SentimentModel.load(f), (e: unknown) => e instanceof SentivecError && e.message.includes(f) && pattern.test(e.message));
  };
  const flipped = Uint8Array.from(bytes);
  flipped[bytes.length - 100] ^= 0xff;
  await rejects(await write('flipped.svec', flipped), /checksum mismatch/);
  await rejects(await write('truncated.svec', bytes.subarray(0, bytes.length - 10)), /truncated/);
  const newer = Uint8Array.from(bytes);
  new DataView(newer.buffer).setUint32(8, MODEL_FORMAT_VERSION + 1, true);
  await rejects(await write('newer.svec', newer), /format version 2 is newer than this sentivec reads \(up to 1\); upgrade sentivec/);
  await rejects(await write('text.svec', new TextEncoder().encode('text,label\nhello,pos\n')), /wrong magic/);
  const vectorsFile = path.join(dir, 'vectors.bin');
  await model.vectors.save(vectorsFile);
  await rejects(vectorsFile, /word-vector file/);
  await assert.rejects(SentimentModel.load(path.join(dir, 'missing.svec')), /missing\.svec: no such file/);
});

test('words: neighbours, similarity, sentiment, word info and the 2-D map; unknown words are clear errors', () => {
  const near = model.neighbors('Great', 5);
  assert.equal(near.length, 5);
  assert.ok(!near.some((n) => n.word === 'great'));
  assert.ok(near[0].similarity >= near[4].similarity);
  assert.ok(model.similarity('great', 'wonderful') > model.similarity('great', 'awful'));
  assert.ok(model.sentimentOf('wonderful') > model.sentimentOf('tedious'));
  const info = model.word('GREAT', 3);
  assert.ok(info && info.word === 'great' && info.neighbors.length === 3 && info.frequency > 0 && typeof info.sentiment === 'number');
  assert.equal(model.word('splendiferous'), undefined);
  assert.throws(() => model.neighbors('splendiferous'), (e: unknown) => e instanceof SentivecError && /"splendiferous" is not in the model's vocabulary/.test(e.message));
  assert.throws(() => model.similarity('great', 'nope'), /"nope" is not in the model's vocabulary/);
  const map = model.map(12);
  assert.equal(map.length, 12);
  for (let i = 1; i < map.length; i++) assert.ok(map[i - 1].frequency >= map[i].frequency);
  assert.ok(map.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
  assert.ok(map.some((p) => p.x !== 0) && map.some((p) => p.y !== 0));
  assert.equal(model.map(10_000).length, model.vocabularySize);
});

test('a rating target trains too: ratings above the middle are positive, the middle is text only', async () => {
  const rated = reviews(120, 5).map((r, i) => ({ text: r.text, rating: r.label === 'good' ? 4 + (i % 2) : 1 + (i % 2) }));
  rated.push({ text: 'a film with a plot', rating: 3 });
  const m = await trainSentimentModel(arraySource(rated), { ...OPTIONS, target: { kind: 'rating', min: 1, max: 5 } });
  assert.deepEqual(m.labels, ['negative', 'positive']);
  assert.equal(m.info.data.middleRatings, 1);
  assert.equal(m.info.data.labeled, 120);
  assert.equal(m.predict(['a wonderful superb film'])[0].label, 'positive');
  assert.equal(m.predict(['an awful tedious film'])[0].label, 'negative');
});

test('same seed, same model; the fixed-C path skips cross-validation', async () => {
  const again = await trainSentimentModel(arraySource(reviews(160, 1), 'train'), OPTIONS);
  const texts = reviews(10, 11).map((r) => r.text);
  assert.deepEqual(again.predict(texts), model.predict(texts));
  const fixed = await trainSentimentModel(arraySource(reviews(40, 2)), { ...OPTIONS, C: 2 });
  assert.equal(fixed.info.classifier.C, 2);
  assert.equal(fixed.info.classifier.crossValidation, null);
});

test('soft targets equal to (stars − 1)/9 give the same sentiment statistics as the stars', () => {
  const docs = { count: 4, offsets: Int32Array.from([0, 2, 3, 5, 6]), tokens: Int32Array.from([0, 1, 1, 2, 0, 2]) };
  const stars = [10, 1, 0, 7];
  const a = prepareData(docs, stars, 3);
  const b = prepareData(docs, { soft: stars.map((s) => (s === 0 ? NaN : (s - 1) / 9)) }, 3);
  assert.equal(b.labeledCount, a.labeledCount);
  for (let w = 0; w < 3; w++) {
    assert.ok(Math.abs(a.sentA[w] - b.sentA[w]) < 1e-15);
    assert.ok(Math.abs(a.sentB[w] - b.sentB[w]) < 1e-15);
  }
  assert.throws(() => prepareData(docs, { soft: [0, 1, 2, NaN] }, 3), /target of document 2 is 2/);
});
