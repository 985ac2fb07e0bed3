import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { buildServer, startServer } from '../src/serve/server.js';
import { isSentivecError } from '../src/util/errors.js';
import { FakeModel } from './fixtures/fake-model.js';
import { tempDir } from './fixtures/tiny-imdb.js';
import { CLI, runCli, trainTinyModel } from './fixtures/tiny-model.js';

interface ErrorReply { error: { field: string | null; reason: string } }

function errorOf(r: LightMyRequestResponse): ErrorReply['error'] {
  const body = r.json<ErrorReply>();
  assert.ok(body.error, `expected an error body, got ${r.body}`);
  return body.error;
}

async function post(app: FastifyInstance, payload: unknown, raw = false): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/v1/predict',
    headers: { 'content-type': 'application/json' },
    payload: raw ? (payload as string) : JSON.stringify(payload),
  });
}

describe('serve API (fake model)', () => {
  let app: FastifyInstance;
  let model: FakeModel;
  before(async () => {
    model = new FakeModel();
    app = buildServer(model, { maxBatch: 4, maxTextLength: 200, bodyLimit: 2000 });
    await app.ready();
  });
  after(async () => app.close());

  test('GET /healthz', async () => {
    const r = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { status: 'ok' });
  });

  test('GET /v1/model gives labels, sizes, limits, the honest estimate and the training info', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/model' });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), {
      labels: ['neg', 'pos'],
      names: ['neg', 'pos'],
      vocabularySize: 9,
      dim: 2,
      limits: { maxBatch: 4, maxTextLength: 200, bodyLimit: 2000, maxExplainTokens: 20_000 },
      estimate: model.info.estimate,
      info: model.info,
    });
  });

  test('POST /v1/predict with one text', async () => {
    const r = await post(app, { text: 'A great movie, good plot.' });
    assert.equal(r.statusCode, 200);
    const { predictions } = r.json<{ predictions: { label: string; probability: number; score: number; top: { positive: { word: string }[] }; tokens?: unknown }[] }>();
    assert.equal(predictions.length, 1);
    assert.equal(predictions[0].label, 'pos');
    assert.ok(predictions[0].probability > 0.5 && predictions[0].probability <= 1);
    assert.ok(Math.abs(predictions[0].score - 2.55) < 1e-9);
    assert.deepEqual(predictions[0].top.positive.map((w) => w.word), ['great', 'good', 'movie']);
    assert.equal(predictions[0].tokens, undefined, 'no tokens unless explain is asked for');
  });

  test('POST /v1/predict with a batch keeps the order', async () => {
    const r = await post(app, { texts: ['awful and boring', 'great', 'bad movie', ''] });
    assert.equal(r.statusCode, 200);
    const labels = r.json<{ predictions: { label: string }[] }>().predictions.map((p) => p.label);
    assert.deepEqual(labels, ['neg', 'pos', 'neg', 'neg']);
  });

  test('explain returns tokens with offsets into the original text whose weights add up to the score', async () => {
    const text = 'Café: GREAT!\n but a boring plot';
    const r = await post(app, { text, explain: true });
    assert.equal(r.statusCode, 200);
    const [p] = r.json<{ predictions: { score: number; intercept: number; tokens: { token: string; start: number; end: number; word: string | null; weight: number }[] }[] }>().predictions;
    assert.deepEqual(p.tokens.map((t) => text.slice(t.start, t.end)), ['Café', 'GREAT', 'but', 'a', 'boring', 'plot']);
    assert.deepEqual(p.tokens.map((t) => t.word), ['café', 'great', null, null, 'boring', 'plot']);
    const sum = p.tokens.reduce((s, t) => s + t.weight, p.intercept);
    assert.ok(Math.abs(sum - p.score) < 1e-9);
  });

  test('top limits the word lists', async () => {
    const r = await post(app, { texts: ['great good fine movie', 'bad awful'], top: 1 });
    assert.equal(r.statusCode, 200);
    const ps = r.json<{ predictions: { top: { positive: { word: string }[]; negative: { word: string }[] }; tokens?: unknown }[] }>().predictions;
    assert.deepEqual(ps.map((p) => [p.top.positive.map((w) => w.word), p.top.negative.map((w) => w.word)]), [[['great'], []], [[], ['awful']]]);
    assert.ok(ps.every((p) => p.tokens === undefined));
  });

  const invalid: [string, unknown, string, RegExp][] = [
    ['no text at all', {}, 'text', /required/],
    ['text is a number', { text: 5 }, 'text', /must be string/],
    ['text is null', { text: null }, 'text', /must be string/],
    ['texts is empty', { texts: [] }, 'texts', /fewer than 1/],
    ['texts is a string', { texts: 'good' }, 'texts', /must be array/],
    ['a text in the batch is not a string', { texts: ['good', 3] }, 'texts[1]', /must be string/],
    ['both text and texts', { text: 'a', texts: ['b'] }, 'texts', /not both/],
    ['a misspelt field', { text: 'good', explian: true }, 'explian', /not a known field/],
    ['explain is not a boolean', { text: 'good', explain: 'yes' }, 'explain', /must be boolean/],
    ['top is zero', { text: 'good', top: 0 }, 'top', /must be >= 1/],
    ['top is not an integer', { text: 'good', top: 1.5 }, 'top', /must be integer/],
    ['the body is an array', ['good'], 'body', /must be object/],
  ];
  for (const [name, body, field, reason] of invalid) {
    test(`400 when ${name}`, async () => {
      const r = await post(app, body);
      assert.equal(r.statusCode, 400, r.body);
      const e = errorOf(r);
      assert.equal(e.field, field);
      assert.match(e.reason, reason);
    });
  }

  test('400 for a body that is not JSON, and for an empty one', async () => {
    const bad = await post(app, '{"text": "good"', true);
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorOf(bad), { field: 'body', reason: 'is not valid JSON' });
    const empty = await post(app, '', true);
    assert.equal(empty.statusCode, 400);
    assert.equal(errorOf(empty).field, 'body');
  });

  test('415 for a body that is not JSON by content type', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/predict', headers: { 'content-type': 'application/xml' }, payload: '<text>good</text>' });
    assert.equal(r.statusCode, 415);
    assert.deepEqual(errorOf(r), { field: 'content-type', reason: 'must be application/json' });
  });

  test('413 when the body is larger than the limit', async () => {
    const r = await post(app, { texts: ['good '.repeat(150), 'bad '.repeat(150), 'fine '.repeat(150)] });
    assert.equal(r.statusCode, 413);
    assert.deepEqual(errorOf(r), { field: 'body', reason: 'is larger than the limit of 2000 bytes' });
  });

  test('422 when the batch has too many texts', async () => {
    const calls = model.calls.predict;
    const r = await post(app, { texts: ['a', 'b', 'c', 'd', 'e'] });
    assert.equal(r.statusCode, 422);
    assert.deepEqual(errorOf(r), { field: 'texts', reason: 'has 5 texts; the limit is 4 per request' });
    assert.equal(model.calls.predict, calls, 'the model is not called');
  });

  test('422 when a text is too long, naming which one', async () => {
    const one = await post(app, { text: 'x'.repeat(201) });
    assert.equal(one.statusCode, 422);
    assert.deepEqual(errorOf(one), { field: 'text', reason: 'is 201 characters long; the limit is 200' });
    const batch = await post(app, { texts: ['fine', 'y'.repeat(250)] });
    assert.equal(batch.statusCode, 422);
    assert.equal(errorOf(batch).field, 'texts[1]');
    assert.equal((await post(app, { text: 'z'.repeat(200) })).statusCode, 200, 'exactly the limit is allowed');
  });

  test('GET /v1/neighbors gives k neighbours, best first', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/neighbors?word=good&k=2' });
    assert.equal(r.statusCode, 200);
    const body = r.json<{ word: string; neighbors: { word: string; similarity: number }[] }>();
    assert.equal(body.word, 'good');
    assert.deepEqual(body.neighbors.map((n) => n.word), ['great', 'fine']);
    assert.ok(body.neighbors[0].similarity >= body.neighbors[1].similarity);
  });

  test('GET /v1/neighbors: unknown word → 404 naming it; bad k or missing word → 400', async () => {
    const oov = await app.inject({ method: 'GET', url: '/v1/neighbors?word=zyzzyva' });
    assert.equal(oov.statusCode, 404);
    assert.deepEqual(errorOf(oov), { field: 'word', reason: '"zyzzyva" is not in the vocabulary' });
    for (const [url, field] of [['/v1/neighbors', 'word'], ['/v1/neighbors?word=', 'word'], ['/v1/neighbors?word=good&k=0', 'k'], ['/v1/neighbors?word=good&k=abc', 'k'], ['/v1/neighbors?word=good&k=101', 'k'], ['/v1/neighbors?word=good&kk=3', 'kk']]) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 400, url);
      assert.equal(errorOf(r).field, field, url);
    }
  });

  test('GET /v1/words/:word gives sentiment, frequency and neighbours (URL-encoded words too)', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/words/awful?k=3' });
    assert.equal(r.statusCode, 200);
    const info = r.json<{ word: string; sentiment: number; frequency: number; neighbors: { word: string }[] }>();
    assert.equal(info.word, 'awful');
    assert.equal(info.sentiment, -1.5);
    assert.equal(info.frequency, 120);
    assert.deepEqual(info.neighbors.map((n) => n.word), ['bad', 'boring', 'plot']);
    const cafe = await app.inject({ method: 'GET', url: `/v1/words/${encodeURIComponent('café')}` });
    assert.equal(cafe.statusCode, 200);
    assert.equal(cafe.json<{ word: string }>().word, 'café');
  });

  test('GET /v1/words/:word for an unknown word → 404 with the word, not 500', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/words/qwertyuiop' });
    assert.equal(r.statusCode, 404);
    assert.deepEqual(errorOf(r), { field: 'word', reason: '"qwertyuiop" is not in the vocabulary' });
  });

  test('GET /v1/map gives the n most frequent words with coordinates', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/map?n=3' });
    assert.equal(r.statusCode, 200);
    const { points } = r.json<{ points: { word: string; x: number; y: number; sentiment: number | null; frequency: number }[] }>();
    assert.deepEqual(points.map((p) => p.word), ['movie', 'plot', 'good']);
    assert.ok(points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
    const bad = await app.inject({ method: 'GET', url: '/v1/map?n=0' });
    assert.equal(bad.statusCode, 400);
    assert.equal(errorOf(bad).field, 'n');
  });

  test('unknown routes are JSON 404s', async () => {
    const r = await app.inject({ method: 'GET', url: '/v2/nothing?x=1' });
    assert.equal(r.statusCode, 404);
    assert.deepEqual(errorOf(r), { field: 'path', reason: 'no route for GET /v2/nothing' });
  });

  test('the web page and its assets are served with a self-only content policy', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    assert.match(page.body, /<textarea id="text"/);
    assert.doesNotMatch(page.body, /https?:\/\//, 'nothing loaded from the network');
    const js = await app.inject({ method: 'GET', url: '/app.js' });
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match(js.body, /\/v1\/predict/);
    const css = await app.inject({ method: 'GET', url: '/style.css' });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
  });
});

test('a model failure is a 500 that does not leak internals', async (t) => {
  const model = new FakeModel();
  model.predict = () => {
    throw new Error('secret internal detail');
  };
  const app = buildServer(model);
  t.after(() => app.close());
  const logged: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => logged.push(String(chunk)) > 0) as typeof process.stderr.write;
  let r: LightMyRequestResponse;
  try {
    r = await post(app, { text: 'good' });
  } finally {
    process.stderr.write = write;
  }
  assert.equal(r.statusCode, 500);
  assert.deepEqual(errorOf(r), { field: null, reason: 'internal error' });
  assert.match(logged.join(''), /internal error on POST \/v1\/predict: secret internal detail/);
});

test('a web root without the page gives a clear 404 for /', async (t) => {
  const app = buildServer(new FakeModel(), { webRoot: '/nonexistent-web-root' });
  t.after(() => app.close());
  const r = await app.inject({ method: 'GET', url: '/' });
  assert.equal(r.statusCode, 404);
  assert.match(errorOf(r).reason, /web page is not installed/);
});

test('startServer: a port in use is a one-line user error', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as net.AddressInfo).port;
  await assert.rejects(startServer(new FakeModel(), { port, host: '127.0.0.1' }), (e: unknown) => {
    assert.ok(isSentivecError(e));
    assert.equal(e.message, `port ${port} on 127.0.0.1 is already in use`);
    return true;
  });
});

test('close() lets an in-flight request finish and refuses new connections', async () => {
  const { app, url } = await startServer(new FakeModel(), { port: 0, host: '127.0.0.1' });
  let closed: Promise<undefined> | undefined;
  const r = await slowPost(url, JSON.stringify({ text: 'a great movie' }), () => {
    closed = app.close();
  });
  assert.equal(r.status, 200, r.body);
  assert.equal((JSON.parse(r.body) as { predictions: { label: string }[] }).predictions[0].label, 'pos');
  await closed;
  await assert.rejects(fetch(`${url}/healthz`), 'the port is closed after shutdown');
});

/** Sends the first 5 bytes of `body`, runs `between`, then the rest; resolves with the response. */
function slowPost(url: string, body: string, between: () => void): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: 'POST', path: '/v1/predict', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 5));
    setTimeout(() => {
      between();
      setTimeout(() => req.end(body.slice(5)), 200);
    }, 100);
  });
}

describe('serve with a real trained model', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let modelFile: string;
  let app: FastifyInstance;
  before(async () => {
    ({ dir, cleanup } = await tempDir('sentivec-serve-'));
    modelFile = await trainTinyModel(dir);
    app = buildServer(await SentimentModel.load(modelFile));
  });
  after(async () => {
    await app.close();
    await cleanup();
  });

  test('predicts the obvious label, and explanations add up to the score', async () => {
    const texts = ['The acting was wonderful and the music superb.', 'The plot was awful and the ending boring.'];
    const r = await post(app, { texts });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json<{ predictions: { label: string }[] }>().predictions.map((p) => p.label), ['pos', 'neg']);
    const e = await post(app, { text: texts[0], explain: true });
    const [p] = e.json<{ predictions: { score: number; intercept: number; tokens: { start: number; end: number; word: string | null; weight: number }[] }[] }>().predictions;
    assert.ok(Math.abs(p.tokens.reduce((s, t) => s + t.weight, p.intercept) - p.score) < 1e-6);
    const wonderful = p.tokens.find((t) => t.word === 'wonderful');
    assert.ok(wonderful && wonderful.weight > 0, 'a positive word pushes toward pos');
    assert.equal(texts[0].slice(wonderful.start, wonderful.end), 'wonderful');
  });

  test('every prediction carries its evidence; explain lists the unknown tokens; no evidence gives the prior', async () => {
    const r = await post(app, { texts: ['The music was wonderful wonderful', 'zyzzyva quux'] });
    assert.equal(r.statusCode, 200, r.body);
    const [known, unknown] = r.json<{ predictions: { label: string; probability: number; evidence: number }[] }>().predictions;
    assert.equal(known.evidence, 5, 'the, music, was, wonderful, wonderful');
    assert.equal(unknown.evidence, 0);
    assert.equal(unknown.probability, 0.5, 'the tiny model is trained on 80 pos / 80 neg');
    const e = await post(app, { text: 'The zyzzyva was quux quux', explain: true });
    const [p] = e.json<{ predictions: { evidence: number; oov: string[] }[] }>().predictions;
    assert.equal(p.evidence, 2);
    assert.deepEqual(p.oov, ['zyzzyva', 'quux']);
  });

  test('words, neighbours and the map come from the model', async () => {
    const w = await app.inject({ method: 'GET', url: '/v1/words/Wonderful?k=3' });
    assert.equal(w.statusCode, 200, w.body);
    const info = w.json<{ word: string; sentiment: number; neighbors: unknown[] }>();
    assert.equal(info.word, 'wonderful', 'the tokenizer’s form of the word');
    assert.equal(info.neighbors.length, 3);
    const awful = (await app.inject({ method: 'GET', url: '/v1/words/awful' })).json<{ sentiment: number }>();
    assert.ok(info.sentiment > awful.sentiment, `wonderful ${info.sentiment} vs awful ${awful.sentiment}`);
    const oov = await app.inject({ method: 'GET', url: '/v1/neighbors?word=zyzzyva' });
    assert.equal(oov.statusCode, 404);
    const { points } = (await app.inject({ method: 'GET', url: '/v1/map?n=10' })).json<{ points: { frequency: number }[] }>();
    assert.equal(points.length, 10);
    assert.ok(points.every((q, i) => i === 0 || points[i - 1].frequency >= q.frequency), 'most frequent first');
  });

  test('sentivec serve: a port in use → one line, exit 2', async (t) => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as net.AddressInfo).port;
    const r = await runCli(['serve', '--model', modelFile, '--port', String(port)]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `sentivec: port ${port} on 127.0.0.1 is already in use\n`);
    assert.equal(r.stdout, '');
  });

  test('sentivec serve: a missing model file → one line, exit 2', async () => {
    const r = await runCli(['serve', '--model', path.join(dir, 'nope.svec'), '--port', '0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^sentivec: .*nope\.svec.*\n$/);
  });

  test('sentivec serve: SIGTERM finishes the request in flight, then exits 0', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--model', modelFile, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: string) => {
        stdout += c;
        const m = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout);
        if (m) resolve(m[0]);
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    assert.match(stdout, /^sentivec: serving .*tiny\.svec .* on http:\/\/127\.0\.0\.1:\d+\//);
    const r = await slowPost(url, JSON.stringify({ text: 'a wonderful film' }), () => child.kill('SIGTERM'));
    assert.equal(r.status, 200, r.body);
    assert.equal((JSON.parse(r.body) as { predictions: { label: string }[] }).predictions[0].label, 'pos');
    const [code] = await exited;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /SIGTERM: finishing requests in flight/);
    assert.match(stderr, /stopped\n$/);
  });
});
