import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readCorpus, detectFormat, corpusSource } from '../src/corpus/formats.js';
import { arraySource, type CorpusRecord, type ReadCorpusOptions } from '../src/corpus/record.js';
import { parseRatingScale, resolveLabels } from '../src/corpus/labels.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { SentivecError } from '../src/util/errors.js';
import { makeTinyImdb, tempDir } from './fixtures/tiny-imdb.js';

let dir: string;
let cleanup: () => Promise<void>;

before(async () => {
  ({ dir, cleanup } = await tempDir('sentivec-formats-'));
});
after(async () => cleanup());

async function write(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
  return file;
}

async function readAll(p: string, opts: ReadCorpusOptions = {}): Promise<CorpusRecord[]> {
  const out: CorpusRecord[] = [];
  for await (const r of readCorpus(p, opts)) out.push(r);
  return out;
}

/** Rejects with a SentivecError whose message matches every pattern. */
async function rejectsWith(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof SentivecError, `expected a SentivecError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

test('CSV: quoted fields with commas, doubled quotes and embedded newlines; records know their starting line', async () => {
  const file = await write(
    'quoting.csv',
    'id,text,label\n1,"Great, really ""great"" film",pos\n\n2,"line one\nline two\nline three",neg\n3,plain text,pos\n',
  );
  const recs = await readAll(file, { label: 'label' });
  assert.deepEqual(
    recs.map((r) => [r.text, r.label, r.source.line]),
    [
      ['Great, really "great" film', 'pos', 2],
      ['line one\nline two\nline three', 'neg', 4],
      ['plain text', 'pos', 7],
    ],
  );
  assert.equal(recs[0].source.file, file);
});

test('CSV: byte-order mark, CRLF endings, label values trimmed, other columns ignored', async () => {
  const file = await write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('text,stars,label\r\n"ok, fine",4, good \r\nmeh,2,bad\r\n')]));
  const recs = await readAll(file, { label: 'label', rating: 'stars' });
  assert.deepEqual(recs.map((r) => [r.text, r.label, r.rating]), [
    ['ok, fine', 'good', 4],
    ['meh', 'bad', 2],
  ]);
});

test('TSV with a custom text column, and gzip-compressed CSV', async () => {
  const tsv = await write('data.tsv', 'review\tsentiment\nnice, with a comma\t1\n"quoted\ttab"\t0\n');
  assert.deepEqual((await readAll(tsv, { text: 'review', label: 'sentiment' })).map((r) => [r.text, r.label]), [
    ['nice, with a comma', '1'],
    ['quoted\ttab', '0'],
  ]);
  const gz = await write('data.csv.gz', gzipSync('text,label\n"a,b",x\nc,y\n'));
  assert.equal(await detectFormat(gz), 'csv');
  assert.deepEqual((await readAll(gz, { label: 'label' })).map((r) => r.text), ['a,b', 'c']);
});

test('JSON Lines: blank lines skipped, numbers and booleans as labels, ratings as numbers or numeric strings', async () => {
  const file = await write('data.jsonl', '{"text":"good one","label":1,"stars":5}\n\n{"text":"bad one","label":0,"stars":"1.5"}\r\n{"text":"ok","label":true,"stars":3}');
  const recs = await readAll(file, { label: 'label', rating: 'stars' });
  assert.deepEqual(recs.map((r) => [r.text, r.label, r.rating, r.source.line]), [
    ['good one', '1', 5, 1],
    ['bad one', '0', 1.5, 3],
    ['ok', 'true', 3, 4],
  ]);
});

test('text format: one unlabeled document per non-blank line', async () => {
  const file = await write('lines.txt', 'first review\n\nsecond review\n');
  assert.deepEqual((await readAll(file)).map((r) => [r.text, r.label, r.source.line]), [
    ['first review', undefined, 1],
    ['second review', undefined, 3],
  ]);
  await rejectsWith(readAll(file, { label: 'label' }), /no labels/);
});

test('dir: one folder per label; read as unlabeled text, loose files count too', async () => {
  const root = path.join(dir, 'folders');
  await write('folders/pos/a.txt', 'lovely');
  await write('folders/pos/b.txt', 'superb');
  await write('folders/neg/c.txt', 'awful');
  await write('folders/README.txt', 'not a review');
  await write('folders/neg/ignored.md', 'not a .txt file');
  assert.equal(await detectFormat(root), 'dir');
  const labeled = await readAll(root, { label: 'label' });
  assert.deepEqual(labeled.map((r) => [r.text, r.label]), [
    ['awful', 'neg'],
    ['lovely', 'pos'],
    ['superb', 'pos'],
  ]);
  assert.equal(labeled[0].source.file, path.join(root, 'neg', 'c.txt'));
  const unlabeled = await readAll(root);
  assert.deepEqual(unlabeled.map((r) => [r.text, r.label]), [
    ['not a review', undefined],
    ['awful', undefined],
    ['lovely', undefined],
    ['superb', undefined],
  ]);
});

test('aclimdb: train split gives labeled train reviews and unsup as unlabeled; test split the test reviews', async () => {
  const tiny = await makeTinyImdb(path.join(dir, 'imdb'), { perFolder: 2 });
  assert.equal(await detectFormat(tiny.archive), 'aclimdb');
  assert.equal(await detectFormat(tiny.directory), 'aclimdb');
  const train = await readAll(tiny.archive, { label: 'label' });
  assert.equal(train.length, 6);
  assert.deepEqual(train.map((r) => r.label ?? 'none').sort(), ['neg', 'neg', 'none', 'none', 'pos', 'pos']);
  const test = await readAll(tiny.directory, { label: 'label', rating: 'stars', split: 'test' });
  assert.equal(test.length, 4);
  for (const r of test) assert.ok(r.rating !== undefined && (r.label === 'pos' ? r.rating >= 7 : r.rating <= 4), JSON.stringify(r));
});

test('format detection by extension; an unknown extension asks for --format', async () => {
  assert.equal(await detectFormat(await write('x.tsv', 'text\na\n')), 'tsv');
  assert.equal(await detectFormat(await write('x.ndjson', '{}\n')), 'jsonl');
  await rejectsWith(detectFormat(await write('x.dat', 'text\n')), /x\.dat/, /--format/);
  await rejectsWith(detectFormat(path.join(dir, 'missing.csv')), /missing\.csv/, /no such file/);
});

test('a missing column is named with the line; so is a short row', async () => {
  const noLabel = await write('nolabel.csv', 'review,stars\nfine,5\n');
  await rejectsWith(readAll(noLabel, { text: 'review', label: 'label' }), /nolabel\.csv line 1/, /no column 'label'/, /'review', 'stars'/);
  await rejectsWith(readAll(noLabel), /no column 'text'/, /--text/);
  const short = await write('short.csv', 'text,label\nfine,pos\n"two\nlines",neg\nonly text\n');
  await rejectsWith(readAll(short, { label: 'label' }), /short\.csv line 5/, /no value for column 'label'/);
  const long = await write('long.csv', 'text,label\nhello, world,pos\n');
  await rejectsWith(readAll(long, { label: 'label' }), /long\.csv line 2/, /3 fields but the header has 2/);
  const empty = await write('emptylabel.csv', 'text,label\nfine,\n');
  await rejectsWith(readAll(empty, { label: 'label' }), /emptylabel\.csv line 2/, /empty value in label column 'label'/);
});

test('JSON Lines: a missing field, a non-object and invalid JSON are named with the line', async () => {
  const file = await write('bad.jsonl', '{"text":"a","label":"x"}\n{"body":"b","label":"y"}\n');
  await rejectsWith(readAll(file, { label: 'label' }), /bad\.jsonl line 2/, /no field 'text'/, /'body', 'label'/);
  const noLabel = await write('nolabel.jsonl', '{"text":"a"}\n');
  await rejectsWith(readAll(noLabel, { label: 'label' }), /line 1/, /no field 'label'/);
  await rejectsWith(readAll(await write('arr.jsonl', '[1,2]\n'), {}), /line 1/, /expected a JSON object/);
  await rejectsWith(readAll(await write('broken.jsonl', '{"text":"a"}\n{"text":\n'), {}), /broken\.jsonl line 2/, /not valid JSON/);
});

test('text that is not UTF-8 is an error naming file and line, in every format', async () => {
  const latin1 = Buffer.from('caf\xe9 cr\xe8me', 'latin1');
  const csv = await write('latin1.csv', Buffer.concat([Buffer.from('text,label\nfine,pos\n"two\n'), latin1, Buffer.from('",neg\n')]));
  await rejectsWith(readAll(csv, { label: 'label' }), /latin1\.csv line 4/, /not valid UTF-8/);
  const jsonl = await write('latin1.jsonl', Buffer.concat([Buffer.from('{"text":"ok"}\n{"text":"'), latin1, Buffer.from('"}\n')]));
  await rejectsWith(readAll(jsonl), /latin1\.jsonl line 2/, /not valid UTF-8/);
  await write('latin1dir/pos/a.txt', Buffer.concat([Buffer.from('first line\nsecond '), latin1]));
  await write('latin1dir/neg/b.txt', 'fine');
  await rejectsWith(readAll(path.join(dir, 'latin1dir'), { label: 'label' }), /a\.txt line 2/, /not valid UTF-8/);
});

test('a NUL byte is an error naming file, line and column, in every format (binary and UTF-16 files have them)', async () => {
  const csv = await write('nul.csv', Buffer.from('text,label\nfine,pos\n"two\nli\u0000nes",neg\n'));
  await rejectsWith(readAll(csv, { label: 'label' }), /nul\.csv line 4/, /column 'text' contains a NUL byte/);
  const label = await write('nul-label.csv', Buffer.from('text,label\nfine,po\u0000s\n'));
  await rejectsWith(readAll(label, { label: 'label' }), /nul-label\.csv line 2/, /column 'label' contains a NUL byte/);
  const utf16 = await write('utf16.csv', Buffer.from('\ufefftext,label\nfine,pos\n', 'utf16le'));
  await rejectsWith(readAll(utf16, { label: 'label' }), /utf16\.csv line 1/, /NUL byte/);
  const jsonl = await write('nul.jsonl', Buffer.from('{"text":"ok"}\n{"text":"a\u0000b"}\n'));
  await rejectsWith(readAll(jsonl), /nul\.jsonl line 2/, /NUL byte/);
  const txt = await write('nul.txt', Buffer.from('ok\nbad\u0000\n'));
  await rejectsWith(readAll(txt), /nul\.txt line 2/, /NUL byte/);
  // An escaped \u0000 inside a JSON string is JSON text, not a NUL byte in the file: kept.
  const escaped = await write('escaped.jsonl', '{"text":"a\\u0000b"}\n');
  assert.deepEqual((await readAll(escaped)).map((r) => r.text), ['a\u0000b']);
});

test('an empty file, a header without records, a non-numeric rating and an unclosed quote are clear errors', async () => {
  await rejectsWith(readAll(await write('empty.csv', ''), {}), /empty\.csv: empty file/);
  await rejectsWith(readAll(await write('header.csv', 'text,label\n'), { label: 'label' }), /header\.csv: no records/);
  await rejectsWith(readAll(await write('empty.jsonl', '\n\n'), {}), /empty\.jsonl: no records/);
  await rejectsWith(readAll(await write('rating.csv', 'text,stars\nok,five\n'), { rating: 'stars' }), /rating\.csv line 2/, /column 'stars' is "five", not a number/);
  await rejectsWith(readAll(await write('quote.csv', 'text,label\n"never closed,pos\nmore,neg\n'), { label: 'label' }), /quote\.csv/, /never closed/);
});

test('labels: exactly two values; --positive, then recognised names, then sorted order decide the positive one', () => {
  assert.deepEqual(resolveLabels(['pos', 'neg'], undefined, 'x'), { labels: ['neg', 'pos'], rule: 'name' });
  assert.deepEqual(resolveLabels(['1', '0'], undefined, 'x'), { labels: ['0', '1'], rule: 'name' });
  assert.deepEqual(resolveLabels(['Negative', 'spam'], undefined, 'x'), { labels: ['Negative', 'spam'], rule: 'name' });
  assert.deepEqual(resolveLabels(['ham', 'spam'], undefined, 'x'), { labels: ['ham', 'spam'], rule: 'sorted' });
  assert.deepEqual(resolveLabels(['ham', 'spam'], 'ham', 'x'), { labels: ['spam', 'ham'], rule: 'option' });
  assert.throws(() => resolveLabels(['ham', 'spam'], 'eggs', 'x'), /--positive 'eggs' is not one of/);
  assert.throws(() => resolveLabels(['only'], undefined, 'data.csv'), /data\.csv: every labeled record has the label 'only'/);
  assert.deepEqual(parseRatingScale('1..5'), { min: 1, max: 5 });
  assert.deepEqual(parseRatingScale('-2.5..2.5'), { min: -2.5, max: 2.5 });
  assert.throws(() => parseRatingScale('5..1'), /MAX must be greater/);
  assert.throws(() => parseRatingScale('1-5'), /expected MIN\.\.MAX/);
});

test('corpus: k > 2 label values are classes (polarity names in polarity order, else sorted); > 100 values, one class and no labels are errors', async () => {
  const three = await write('three.csv', 'text,label\na,positive\nb,negative\nc,positive\nd,neutral\n');
  const c = await buildRecordCorpus(corpusSource(three, { label: 'label' }), [], { minCount: 1 });
  assert.deepEqual(c.labels, ['negative', 'neutral', 'positive']);
  assert.deepEqual(Array.from(c.targets), [2, 0, 2, 1]);
  assert.deepEqual(c.stats.perClass, [1, 1, 2]);
  assert.equal(c.positiveRule, 'classes');
  assert.deepEqual(resolveLabels(['b', 'c', 'a'], undefined, 'x'), { labels: ['a', 'b', 'c'], rule: 'classes' });
  assert.throws(() => resolveLabels(['b', 'c', 'a'], 'a', 'x'), /--positive 'a' applies to two labels; x has 3/);
  const many = await write('many.csv', `text,label\n${Array.from({ length: 101 }, (_, i) => `t,l${i}\n`).join('')}`);
  await rejectsWith(buildRecordCorpus(corpusSource(many, { label: 'label' })), /many\.csv line 102/, /at most 100 classes/);
  const one = await write('one.csv', 'text,label\na,pos\nb,pos\n');
  await rejectsWith(buildRecordCorpus(corpusSource(one, { label: 'label' })), /one\.csv/, /every labeled record has the label 'pos'/);
  await rejectsWith(buildRecordCorpus(arraySource([{ text: 'no label' }], 'mem')), /mem: no labeled records/);
  await rejectsWith(buildRecordCorpus(arraySource([], 'nothing')), /nothing: no records/);
});

test('corpus: labels become 0/1 targets, ratings scale to [0, 1], the middle rating and --unlabeled text are text only', async () => {
  const labeled = await buildRecordCorpus(
    arraySource([
      { text: 'good film', label: 'yes' },
      { text: 'bad film', label: 'no' },
      { text: 'good good plot', label: 'yes' },
    ]),
    [arraySource([{ text: 'film plot', label: 'ignored' }], 'extra')],
    { skipTop: 0, minCount: 1 },
  );
  assert.deepEqual(labeled.labels, ['no', 'yes']);
  assert.deepEqual(Array.from(labeled.targets), [1, 0, 1, NaN]);
  assert.deepEqual(labeled.stats.perClass, [1, 2]);
  assert.equal(labeled.stats.unlabeled, 1);
  assert.equal(labeled.docs.count, 4);
  const film = labeled.vocabulary.id('film');
  assert.equal(labeled.frequencies[film], 3);
  // The last document is "film plot" in vocabulary ids.
  const last = labeled.docs.tokens.subarray(labeled.docs.offsets[3], labeled.docs.offsets[4]);
  assert.deepEqual(Array.from(last, (i) => labeled.vocabulary.words[i]), ['film', 'plot']);

  const rated = await buildRecordCorpus(
    arraySource([
      { text: 'a', rating: 1 },
      { text: 'b', rating: 3 },
      { text: 'c', rating: 5 },
      { text: 'd', rating: 4 },
    ]),
    [],
    { target: { kind: 'rating', min: 1, max: 5 }, skipTop: 0, minCount: 1 },
  );
  assert.deepEqual(Array.from(rated.targets), [0, NaN, 1, 0.75]);
  assert.equal(rated.stats.middleRatings, 1);
  assert.deepEqual(rated.labels, ['negative', 'positive']);
  await rejectsWith(
    buildRecordCorpus(arraySource([{ text: 'x', rating: 7 }], 'r'), [], { target: { kind: 'rating', min: 1, max: 5 } }),
    /r line 1: rating 7 is outside the scale 1\.\.5/,
  );
});

test('corpus: no frequent-token drop by default; a clamped skipTop is at most 5% of the distinct tokens, an explicit one is kept', async () => {
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
  const records = words.map((w, i) => ({ text: `${w} ${w} common`, label: i % 2 ? 'pos' : 'neg' }));
  const product = await buildRecordCorpus(arraySource(records), [], { minCount: 1 });
  assert.equal(product.stats.skipTop, 0);
  assert.equal(product.vocabulary.size, 41);
  assert.ok(product.vocabulary.has('common'), 'the most frequent token is kept');
  const clamped = await buildRecordCorpus(arraySource(records), [], { skipTop: 50, clampSkipTop: true, minCount: 1 });
  assert.equal(clamped.stats.distinctTokens, 41);
  assert.equal(clamped.stats.skipTop, 2);
  assert.equal(clamped.vocabulary.size, 39);
  assert.ok(!clamped.vocabulary.has('common'), 'the most frequent token is dropped');
  const explicit = await buildRecordCorpus(arraySource(records), [], { skipTop: 30, minCount: 1 });
  assert.equal(explicit.stats.skipTop, 30);
  assert.equal(explicit.vocabulary.size, 11);
});
