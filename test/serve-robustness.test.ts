/**
 * The HTTP service against malformed and hostile requests (issue #15, items
 * 3, 6 and 8): every answer is the project's `{error: {field, reason}}` with
 * the right status, none is a 500, and the service stays healthy after.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer, startServer } from '../src/serve/server.js';
import { FakeModel } from './fixtures/fake-model.js';

interface ErrorReply { error: { field: string | null; reason: string } }

function errorOf(r: LightMyRequestResponse): ErrorReply['error'] {
  const body = r.json<ErrorReply>();
  assert.ok(body.error && typeof body.error.reason === 'string', `expected the project's error body, got ${r.body}`);
  return body.error;
}

describe('HTTP details (fake model)', () => {
  let app: FastifyInstance;
  before(async () => {
    app = buildServer(new FakeModel(), { maxBatch: 8, maxTextLength: 2000, bodyLimit: 20_000, maxExplainTokens: 50 });
    await app.ready();
  });
  after(async () => app.close());

  test('a bad percent-encoding gets the project error body, in the path and as a word', async () => {
    for (const url of ['/v1/words/%E0%A4%A', '/v1/words/%zz', '/%']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 400, url);
      assert.deepEqual(errorOf(r), { field: 'path', reason: 'is not a valid percent-encoded URL' });
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
    const long = await app.inject({ method: 'GET', url: `/v1/words/${'a'.repeat(300)}` });
    assert.equal(long.statusCode, 414);
    assert.equal(errorOf(long).field, 'path');
  });

  test('text/plain and other non-JSON bodies → 415', async () => {
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await app.inject({ method: 'POST', url: '/v1/predict', headers: { 'content-type': type }, payload: '{"text": "good"}' });
      assert.equal(r.statusCode, 415, type);
      assert.deepEqual(errorOf(r), { field: 'content-type', reason: 'must be application/json' });
    }
  });

  test('a wrong method on a known path → 405 with Allow, before the body is read', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/v1/predict', 'POST'],
      ['PUT', '/v1/predict', 'POST'],
      ['POST', '/healthz', 'GET, HEAD'],
      ['DELETE', '/v1/words/good', 'GET, HEAD'],
      ['POST', '/v1/map', 'GET, HEAD'],
      ['PATCH', '/', 'GET, HEAD'],
    ];
    for (const [method, url, allow] of cases) {
      const r = await app.inject({ method: method as 'GET', url, headers: { 'content-type': 'text/plain' }, payload: method === 'GET' ? undefined : 'x' });
      assert.equal(r.statusCode, 405, `${method} ${url}: ${r.body}`);
      assert.equal(r.headers.allow, allow);
      assert.deepEqual(errorOf(r), { field: 'method', reason: `${method} is not allowed on ${url.replace('/good', '/:word')}; use ${allow}` });
    }
    const unknown = await app.inject({ method: 'GET', url: '/v2/nothing' });
    assert.equal(unknown.statusCode, 404);
  });

  test('__proto__ and constructor payloads are unknown fields, not "invalid JSON"; the prototype is untouched', async () => {
    const payloads = ['{"text":"good","__proto__":{"polluted":1}}', '{"__proto__":{"text":"x"}}', '{"text":"good","constructor":{"prototype":{"polluted":1}}}'];
    for (const payload of payloads) {
      const r = await app.inject({ method: 'POST', url: '/v1/predict', headers: { 'content-type': 'application/json' }, payload });
      assert.equal(r.statusCode, 400, payload);
      const e = errorOf(r);
      assert.match(e.field ?? '', /^(__proto__|constructor)$/);
      assert.equal(e.reason, 'is not a known field');
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('every API answer carries X-Content-Type-Options: nosniff', async () => {
    for (const [method, url] of [['GET', '/healthz'], ['GET', '/v1/model'], ['GET', '/v1/words/zzz'], ['GET', '/nope'], ['POST', '/v1/predict']] as const) {
      const r = await app.inject({ method, url, headers: { 'content-type': 'application/json' }, payload: method === 'POST' ? '{"text":"good"}' : undefined });
      assert.equal(r.headers['x-content-type-options'], 'nosniff', `${method} ${url}`);
    }
  });

  test('explain is bounded by --max-explain-tokens over the whole request (422 naming the text), predict is not', async () => {
    const text = 'good movie '.repeat(20); // 40 tokens
    const one = await app.inject({ method: 'POST', url: '/v1/predict', payload: { text, explain: true } });
    assert.equal(one.statusCode, 200, one.body);
    const two = await app.inject({ method: 'POST', url: '/v1/predict', payload: { texts: [text, text], explain: true } });
    assert.equal(two.statusCode, 422);
    assert.equal(errorOf(two).field, 'texts[1]');
    assert.match(errorOf(two).reason, /more than 50 \(the limit, --max-explain-tokens[;)]/);
    const plain = await app.inject({ method: 'POST', url: '/v1/predict', payload: { texts: [text, text, text] } });
    assert.equal(plain.statusCode, 200);
  });

  test('a batch of malformed requests: no 500, the project error body every time, healthy after', async () => {
    const bodies = [
      '', ' ', 'null', '[]', '"text"', '1', 'true', '{', '{"text":}', '{"text":"a"}}', '{"texts":[]}', '{"texts":[1]}', '{"texts":"a"}',
      '{"text":null}', '{"text":"a","top":0}', '{"text":"a","top":1.5}', '{"text":"a","top":"3"}', '{"text":"a","explain":"yes"}',
      '{"text":"a","texts":["b"]}', `{"texts":${'['.repeat(5000)}${']'.repeat(5000)}}`, `{"x":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
      '{"text":"\\ud800"}', '\u0000', '\ufeff{"text":"good"}', '{"text":"a"}\u0000',
    ];
    for (const payload of bodies) {
      const r = await app.inject({ method: 'POST', url: '/v1/predict', headers: { 'content-type': 'application/json' }, payload });
      assert.ok(r.statusCode < 500, `${JSON.stringify(payload.slice(0, 40))} → ${r.statusCode} ${r.body}`);
      if (r.statusCode >= 400) errorOf(r);
    }
    const queries = ['/v1/neighbors', '/v1/neighbors?word=', '/v1/neighbors?word=good&k=-1', '/v1/neighbors?word=good&k=1e3', '/v1/neighbors?word=good&k=0x10',
      '/v1/neighbors?word=good&word=bad', '/v1/neighbors?word=%ff', '/v1/map?n=99999999999', '/v1/map?n=', '/v1/words/good?k=abc', '/v1/words/%00', '/v1/words/good?x=1'];
    for (const url of queries) {
      const r = await app.inject({ method: 'GET', url });
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${url} → ${r.statusCode} ${r.body}`);
      errorOf(r);
    }
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    assert.deepEqual(health.json(), { status: 'ok' });
  });
});

/** One raw HTTP/1.1 exchange; resolves with the status line's code and the headers. */
function rawGet(port: number, host: string | undefined, path = '/healthz'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers, setHost: host === undefined, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    if (host !== undefined) req.setHeader('host', host);
    req.on('error', reject);
    req.end();
  });
}

test('on a loopback bind only loopback Host names are answered (DNS rebinding); --allow-host adds names', async (t) => {
  const { app, url } = await startServer(new FakeModel(), { port: 0, host: '127.0.0.1' });
  t.after(() => app.close());
  const port = Number(new URL(url).port);
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, 'localhost', `127.0.0.2:${port}`]) {
    assert.equal((await rawGet(port, host)).status, 200, host);
  }
  for (const host of [`evil.example:${port}`, 'evil.example', `localhost.evil.example:${port}`, `127.0.0.1.evil.example`, `[::2]:${port}`]) {
    const r = await rawGet(port, host);
    assert.equal(r.status, 403, host);
    const e = (JSON.parse(r.body) as ErrorReply).error;
    assert.equal(e.field, 'host');
    assert.match(e.reason, /is not a name of this server/);
  }
  const allowing = await startServer(new FakeModel(), { port: 0, host: '127.0.0.1', allowedHosts: ['sentivec.test'] });
  t.after(() => allowing.app.close());
  const port2 = Number(new URL(allowing.url).port);
  assert.equal((await rawGet(port2, `sentivec.test:${port2}`)).status, 200);
  assert.equal((await rawGet(port2, `localhost:${port2}`)).status, 200);
  assert.equal((await rawGet(port2, `other.test:${port2}`)).status, 403);
});

test('a client that sends its headers or its body too slowly is answered 408 and closed', { timeout: 20_000 }, async (t) => {
  const { app, url } = await startServer(new FakeModel(), { port: 0, host: '127.0.0.1', requestTimeout: 1 });
  t.after(() => app.close());
  const port = Number(new URL(url).port);
  const slow = (first: string): Promise<{ reply: string; ms: number }> =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const socket = net.connect(port, '127.0.0.1', () => socket.write(first));
      let reply = '';
      socket.setEncoding('utf8').on('data', (c: string) => (reply += c));
      socket.on('error', reject);
      socket.on('close', () => resolve({ reply, ms: Date.now() - started }));
      // A slowloris client trickles a byte now and then; without the timeout it would be held forever.
      const drip = setInterval(() => socket.writable && socket.write(' '), 200);
      socket.on('close', () => clearInterval(drip));
    });
  const body = await slow(`POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"text": "`);
  assert.match(body.reply, /^HTTP\/1\.1 408/);
  const headers = await slow(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
  assert.match(headers.reply, /^HTTP\/1\.1 408/);
  assert.deepEqual((await rawGet(port, `127.0.0.1:${port}`)).status, 200, 'still serving');
});
