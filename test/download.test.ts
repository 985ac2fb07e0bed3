import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { resolveDataset, defaultCacheDir, ACLIMDB_URL, ACLIMDB_SHA256, ACLIMDB_FILE } from '../src/corpus/download.js';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { SentivecError } from '../src/util/errors.js';
import { makeTinyImdb, tempDir } from './fixtures/tiny-imdb.js';

// CI sets SENTIVEC_DATA to the shared archive; these tests exercise the cache and
// the download, which that variable would short-circuit (its own test is below).
delete process.env.SENTIVEC_DATA;

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A local server on 127.0.0.1 that counts requests; closed after the test. */
async function serve(t: { after(fn: () => unknown): void }, handler: Handler): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/data/${ACLIMDB_FILE}`, requests: () => requests };
}

async function fixture(t: { after(fn: () => unknown): void }): Promise<{ body: Buffer; sha: string; cacheDir: string; dir: string }> {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const tiny = await makeTinyImdb(path.join(dir, 'src'));
  const body = await fs.readFile(tiny.archive);
  return { body, sha: createHash('sha256').update(body).digest('hex'), cacheDir: path.join(dir, 'cache'), dir };
}

const sendArchive = (body: Buffer): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
  res.end(body);
};

/** Fails with a SentivecError naming `url`, and leaves nothing in the cache. */
async function failsCleanly(run: () => Promise<unknown>, url: string, cacheDir: string, pattern: RegExp): Promise<void> {
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof SentivecError, `expected SentivecError, got ${String(e)}`);
    assert.ok(e.message.includes(url), `message does not name ${url}: ${e.message}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'one-line message');
    return true;
  });
  const left = await fs.readdir(cacheDir).catch(() => []);
  assert.deepEqual(left, [], `cache should be empty, found ${left.join(', ')}`);
}

test('constants', () => {
  assert.equal(ACLIMDB_URL, 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz');
  assert.match(ACLIMDB_SHA256, /^[0-9a-f]{64}$/);
  const saved = process.env.SENTIVEC_CACHE;
  try {
    process.env.SENTIVEC_CACHE = '/somewhere/else';
    assert.equal(defaultCacheDir(), '/somewhere/else');
  } finally {
    if (saved === undefined) delete process.env.SENTIVEC_CACHE;
    else process.env.SENTIVEC_CACHE = saved;
  }
});

test('--data is returned as is when it exists, a clear error otherwise', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  assert.equal(await resolveDataset({ data: dir }), dir);
  const missing = path.join(dir, 'nope.tar.gz');
  await assert.rejects(resolveDataset({ data: missing }), (e: unknown) => e instanceof SentivecError && e.message.includes(missing));
});

test('download: verified, cached, then reused without a request', async (t) => {
  const { body, sha, cacheDir } = await fixture(t);
  const server = await serve(t, sendArchive(body));
  const seen: number[] = [];
  const file = await resolveDataset({ cacheDir, url: server.url, sha256: sha, progress: (done, total) => seen.push(done, total) });
  assert.equal(file, path.join(cacheDir, ACLIMDB_FILE));
  assert.deepEqual(await fs.readFile(file), body);
  assert.deepEqual((await fs.readdir(cacheDir)).sort(), [ACLIMDB_FILE, `${ACLIMDB_FILE}.sha256`]);
  assert.match(await fs.readFile(`${file}.sha256`, 'utf8'), new RegExp(`^${sha}  ${ACLIMDB_FILE}\n$`));
  assert.deepEqual(seen.slice(-2), [body.length, body.length]);
  assert.equal(server.requests(), 1);

  assert.equal(await resolveDataset({ cacheDir, url: server.url, sha256: sha }), file);
  assert.equal(await resolveDataset({ cacheDir, url: server.url, sha256: null }), file);
  assert.equal(server.requests(), 1, 'second call served from the cache');

  let n = 0;
  for await (const r of readAclImdb(file)) n += r.text.length > 0 ? 1 : 0;
  assert.equal(n, 15);
});

test('download: a damaged cached copy is fetched again', async (t) => {
  const { body, sha, cacheDir } = await fixture(t);
  const server = await serve(t, sendArchive(body));
  const file = await resolveDataset({ cacheDir, url: server.url, sha256: sha });
  await fs.appendFile(file, 'junk');
  await resolveDataset({ cacheDir, url: server.url, sha256: sha });
  assert.equal(server.requests(), 2);
  assert.deepEqual(await fs.readFile(file), body);
});

test('download: server error', async (t) => {
  const { sha, cacheDir } = await fixture(t);
  const server = await serve(t, (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('oops');
  });
  await failsCleanly(() => resolveDataset({ cacheDir, url: server.url, sha256: sha }), server.url, cacheDir, /HTTP 500/);
});

test('download: truncated body', async (t) => {
  const { body, sha, cacheDir } = await fixture(t);
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-length': body.length + 10_000 });
    res.write(body, () => setTimeout(() => res.socket?.destroy(), 20));
  });
  await failsCleanly(() => resolveDataset({ cacheDir, url: server.url, sha256: sha }), server.url, cacheDir, /connection lost|truncated/);
});

test('download: checksum mismatch', async (t) => {
  const { body, cacheDir } = await fixture(t);
  const server = await serve(t, sendArchive(body));
  await failsCleanly(() => resolveDataset({ cacheDir, url: server.url, sha256: ACLIMDB_SHA256 }), server.url, cacheDir, /SHA-256 mismatch/);
});

test('download: not an aclImdb archive (checksum skipped)', async (t) => {
  const { body, cacheDir } = await fixture(t);
  const server = await serve(t, sendArchive(body.subarray(0, body.length - 40)));
  await failsCleanly(() => resolveDataset({ cacheDir, url: server.url, sha256: null }), server.url, cacheDir, /not a complete aclImdb archive/);
});

test('download: network failure and stalled server', async (t) => {
  const { sha, cacheDir } = await fixture(t);
  const server = await serve(t, () => undefined); // never answers
  await failsCleanly(() => resolveDataset({ cacheDir, url: server.url, sha256: sha, fetchTimeoutMs: 200 }), server.url, cacheDir, /no data for/);

  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/${ACLIMDB_FILE}`;
  await new Promise((resolve) => closed.close(resolve));
  await failsCleanly(() => resolveDataset({ cacheDir, url, sha256: sha }), url, cacheDir, /ECONNREFUSED/);
});
