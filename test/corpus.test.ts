import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readAclImdb, readAclImdbExtra, checkAclImdbArchive } from '../src/corpus/aclimdb.js';
import { compareReviews, type Bucket, type Review } from '../src/corpus/review.js';
import { SentivecError } from '../src/util/errors.js';
import { makeTinyImdb, tempDir, writeTarGz, type TarEntry } from './fixtures/tiny-imdb.js';

const REAL_ARCHIVE = process.env.SENTIVEC_DATA || path.resolve(process.cwd(), '../shared/data/aclImdb_v1.tar.gz');

async function readAll(p: string, buckets?: Bucket[]): Promise<Review[]> {
  const out: Review[] = [];
  for await (const r of readAclImdb(p, { buckets })) out.push(r);
  return out;
}

/** Reading `p` fails with a SentivecError whose message names `p` and matches `pattern`. */
async function rejectsNaming(p: string, pattern: RegExp, read: () => Promise<unknown> = () => readAll(p)): Promise<void> {
  await assert.rejects(read, (e: unknown) => {
    assert.ok(e instanceof SentivecError, `expected SentivecError, got ${String(e)}`);
    assert.ok(e.message.includes(p), `message does not name ${p}: ${e.message}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'one-line message');
    return true;
  });
}

test('archive and directory give the same reviews', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(dir, { counts: { 'train/unsup': 5 } });
  assert.equal(tiny.reviews.length, 3 * 4 + 5);

  const fromArchive = (await readAll(tiny.archive)).sort(compareReviews);
  const fromDir = await readAll(tiny.directory);
  const fromParent = await readAll(dir);
  assert.deepEqual(fromArchive, tiny.reviews);
  assert.deepEqual(fromDir, tiny.reviews, 'directory read is already in compareReviews order');
  assert.deepEqual(fromParent, tiny.reviews);

  const withBr = fromArchive.find((r) => r.text.includes('<br /><br />'));
  assert.ok(withBr, 'HTML line breaks are kept for the tokenizer to handle');
  assert.ok(fromArchive.some((r) => r.text.includes('東京 😀')), 'UTF-8 decoded');
  assert.ok(fromArchive.every((r) => (r.label === 'pos' ? r.stars >= 7 : r.label === 'neg' ? r.stars <= 4 : r.stars === 0)));
});

test('custom texts and counts for bigger synthetic corpora', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(dir, {
    counts: { 'train/pos': 20, 'train/neg': 20, 'test/pos': 10, 'test/neg': 10, 'train/unsup': 0 },
    text: (r, i) => `${r.label === 'pos' ? 'good' : 'bad'} ${i}`,
  });
  const got = (await readAll(tiny.archive)).sort(compareReviews);
  assert.equal(got.length, 60);
  assert.deepEqual(got, tiny.reviews);
  assert.equal(got.filter((r) => r.bucket === 'unsup').length, 0);
  assert.ok(got.filter((r) => r.label === 'pos').every((r) => r.text.startsWith('good')));
});

test('bucket filter', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(dir);
  for (const source of [tiny.archive, tiny.directory]) {
    for (const buckets of [['train'], ['test'], ['unsup'], ['train', 'unsup']] as Bucket[][]) {
      const got = (await readAll(source, buckets)).sort(compareReviews);
      assert.deepEqual(got, tiny.reviews.filter((r) => buckets.includes(r.bucket)), `${source} ${buckets.join('+')}`);
    }
  }
});

test('progress: archive in compressed bytes, directory in files', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(dir);
  const last = async (source: string): Promise<[number, number]> => {
    let seen: [number, number] = [0, -1];
    for await (const r of readAclImdb(source, { onBytes: (d, n) => (seen = [d, n]) })) void r;
    return seen;
  };
  const size = (await fs.stat(tiny.archive)).size;
  assert.deepEqual(await last(tiny.archive), [size, size]);
  assert.deepEqual(await last(tiny.directory), [tiny.reviews.length, tiny.reviews.length]);
});

test('stopping early closes the archive without hanging', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(dir, { perFolder: 50 });
  for (const source of [tiny.archive, tiny.directory]) {
    let n = 0;
    for await (const r of readAclImdb(source)) {
      void r;
      if (++n === 3) break;
    }
    assert.equal(n, 3);
  }
});

test('side files from archive and directory', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(dir, { imdbEr: '0.5\n-0.25\n', vocab: 'the\nand\nfilm\n' });
  for (const source of [tiny.archive, tiny.directory, dir]) {
    assert.equal(await readAclImdbExtra(source, 'imdbEr.txt'), '0.5\n-0.25\n');
    assert.equal(await readAclImdbExtra(source, 'imdb.vocab'), 'the\nand\nfilm\n');
  }
  await fs.rm(path.join(tiny.directory, 'imdb.vocab'));
  await rejectsNaming(tiny.directory, /no imdb\.vocab/, () => readAclImdbExtra(tiny.directory, 'imdb.vocab'));
  const bare = path.join(dir, 'bare.tar.gz');
  await writeTarGz(bare, [{ name: 'aclImdb/train/pos/0_9.txt', content: 'x' }]);
  await rejectsNaming(bare, /no aclImdb\/imdbEr\.txt/, () => readAclImdbExtra(bare, 'imdbEr.txt'));
});

test('checkAclImdbArchive wants train and test reviews', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(dir);
  await checkAclImdbArchive(tiny.archive);
  const onlyTrain = path.join(dir, 'train-only.tar.gz');
  await writeTarGz(onlyTrain, [{ name: 'aclImdb/train/pos/0_9.txt', content: 'x' }]);
  await rejectsNaming(onlyTrain, /no reviews under aclImdb\/test/, () => checkAclImdbArchive(onlyTrain));
});

test('bad inputs give one-line SentivecErrors naming the path', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(path.join(dir, 'tiny'));
  const file = (name: string): string => path.join(dir, name);

  await rejectsNaming(file('missing.tar.gz'), /not found/);

  await fs.writeFile(file('notes.txt'), 'hello, this is not gzip\n');
  await rejectsNaming(file('notes.txt'), /not a gzip file/);

  await fs.writeFile(file('empty.tar.gz'), '');
  await rejectsNaming(file('empty.tar.gz'), /empty file/);

  const whole = await fs.readFile(tiny.archive);
  await fs.writeFile(file('truncated.tar.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
  await rejectsNaming(file('truncated.tar.gz'), /truncated/);

  const corrupt = Buffer.from(whole);
  for (let i = 200; i < corrupt.length - 100; i += 97) corrupt[i] ^= 0x5a;
  await fs.writeFile(file('corrupt.tar.gz'), corrupt);
  await rejectsNaming(file('corrupt.tar.gz'), /corrupt|truncated|gzip/);

  await fs.writeFile(file('garbage-tar.tar.gz'), gzipSync(Buffer.alloc(4096, 'x')));
  await rejectsNaming(file('garbage-tar.tar.gz'), /tar archive/);

  await writeTarGz(file('no-reviews.tar.gz'), [{ name: 'aclImdb/README', content: 'hi' }]);
  await rejectsNaming(file('no-reviews.tar.gz'), /no aclImdb reviews/);

  await fs.mkdir(file('empty-dir'));
  await rejectsNaming(file('empty-dir'), /not an aclImdb directory/);
  await fs.mkdir(file('half/train/pos'), { recursive: true });
  await rejectsNaming(file('half'), /not an aclImdb directory/);
});

test('bad review names and stars are reported with the entry', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const cases: [TarEntry['name'], RegExp][] = [
    ['aclImdb/train/pos/notes.txt', /notes\.txt: review file name/],
    ['aclImdb/test/neg/12.txt', /12\.txt: review file name/],
    ['aclImdb/train/pos/3_4.txt', /3_4\.txt: 4 stars is out of range for train\/pos \(expected 7–10\)/],
    ['aclImdb/test/neg/3_8.txt', /3_8\.txt: 8 stars is out of range for test\/neg \(expected 1–4\)/],
    ['aclImdb/train/unsup/3_5.txt', /3_5\.txt: 5 stars is out of range for train\/unsup \(expected 0\)/],
    ['aclImdb/train/neg/3_11.txt', /3_11\.txt: 11 stars/],
  ];
  for (const [i, [name, pattern]] of cases.entries()) {
    const archive = path.join(dir, `bad${i}.tar.gz`);
    await writeTarGz(archive, [
      { name: 'aclImdb/train/pos/0_9.txt', content: 'fine' },
      { name, content: 'bad' },
    ]);
    await rejectsNaming(archive, pattern);

    const root = path.join(dir, `bad${i}`);
    for (const d of ['train/pos', 'train/neg', 'train/unsup', 'test/pos', 'test/neg']) await fs.mkdir(path.join(root, 'aclImdb', d), { recursive: true });
    await fs.writeFile(path.join(root, name), 'bad');
    await rejectsNaming(path.join(root, name), pattern, () => readAll(root));
  }
});

test('a bad name in a bucket that was not asked for is skipped', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const archive = path.join(dir, 'a.tar.gz');
  await writeTarGz(archive, [
    { name: 'aclImdb/train/pos/0_9.txt', content: 'fine' },
    { name: 'aclImdb/train/unsup/whatever', content: 'skipped' },
  ]);
  assert.equal((await readAll(archive, ['train'])).length, 1);
});

test('unreadable files', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: permissions are not enforced');
    return;
  }
  const { dir, cleanup } = await tempDir();
  t.after(async () => {
    await fs.chmod(path.join(dir, 'aclImdb/train/pos/0_7.txt'), 0o644).catch(() => undefined);
    await cleanup();
  });
  const tiny = await makeTinyImdb(dir);
  await fs.chmod(tiny.archive, 0o000);
  await rejectsNaming(tiny.archive, /permission denied/);
  const review = path.join(tiny.directory, 'train/pos/0_7.txt');
  await fs.chmod(review, 0o000);
  await rejectsNaming(review, /permission denied/, () => readAll(tiny.directory));
});

test('a review file that cannot be read (dangling link; works as root too)', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(dir);
  const bogus = path.join(tiny.directory, 'train/pos/99_8.txt');
  await fs.symlink(path.join(dir, 'gone.txt'), bogus);
  await rejectsNaming(bogus, /not found/, () => readAll(tiny.directory));
});

test('real aclImdb archive: 12,500 / 12,500 / 50,000 / 12,500 / 12,500', { timeout: 120_000 }, async (t) => {
  if (!existsSync(REAL_ARCHIVE)) {
    t.skip(`real archive not found at ${REAL_ARCHIVE}`);
    return;
  }
  const started = performance.now();
  const counts = new Map<string, number>();
  const ids = new Set<string>();
  let chars = 0;
  for await (const r of readAclImdb(REAL_ARCHIVE)) {
    const key = `${r.bucket}/${r.label}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    ids.add(`${key}/${r.id}`);
    chars += r.text.length;
  }
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`streamed 100,000 reviews (${(chars / 1e6).toFixed(1)} M chars) in ${seconds.toFixed(2)} s`);
  assert.deepEqual(Object.fromEntries([...counts].sort()), {
    'test/neg': 12_500,
    'test/pos': 12_500,
    'train/neg': 12_500,
    'train/pos': 12_500,
    'unsup/none': 50_000,
  });
  assert.equal(ids.size, 100_000, 'ids unique within each folder');
  assert.ok((await readAclImdbExtra(REAL_ARCHIVE, 'imdb.vocab')).startsWith('the\n'));
});
