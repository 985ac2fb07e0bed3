/**
 * npm run bench:serve-explain [-- --connections N] [--duration S]
 *
 * The `explain` amplification of issue #15 item 3, measured: `sentivec serve`
 * (its own process, a model trained here on examples/reviews.csv) receives
 * N concurrent clients (default 16) each sending, back to back for S seconds
 * (default 10), the largest explain request the body limit allows (1 MiB: 64
 * texts of short words). Meanwhile GET /healthz is asked every 100 ms. Prints
 * the statuses and response sizes of the explain requests, /healthz latency
 * (median, 95th percentile, max) and the server's peak RSS (from /proc).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CLI, REPO, numberArg } from './common.js';

const connections = numberArg('connections', 16);
const duration = numberArg('duration', 10);

const dir = mkdtempSync(path.join(os.tmpdir(), 'sentivec-bench-explain-'));
const model = path.join(dir, 'reviews.svec');
const train = spawnSync(process.execPath, [CLI, 'train', '--input', path.join(REPO, 'examples', 'reviews.csv'), '--out', model, '--blueprint', 'vectors-bnc', '--log-format', 'quiet'], { encoding: 'utf8' });
if (train.status !== 0) throw new Error(train.stderr);
const server = spawn(process.execPath, [CLI, 'serve', '--model', model, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => {
  let out = '';
  server.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    const m = /127\.0\.0\.1:(\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
});

// 64 texts of about 16,000 characters of two-letter words: just under 1 MiB.
const body = JSON.stringify({ texts: Array.from({ length: 64 }, () => 'so good it is '.repeat(1160)), explain: true });
console.log(`explain request: ${(Buffer.byteLength(body) / 2 ** 20).toFixed(2)} MiB, ${connections} connections, ${duration} s`);

function request(method: string, pathName: string, payload?: string): Promise<{ status: number; bytes: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: pathName, agent: false, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function rssMb(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const end = performance.now() + duration * 1000;
const statuses = new Map<number, number>();
let maxBytes = 0;
let peakRss = rssMb();
const health: number[] = [];
const clients = Array.from({ length: connections }, async () => {
  while (performance.now() < end) {
    const r = await request('POST', '/v1/predict', body);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    maxBytes = Math.max(maxBytes, r.bytes);
  }
});
const probe = (async () => {
  while (performance.now() < end) {
    health.push((await request('GET', '/healthz')).ms);
    peakRss = Math.max(peakRss, rssMb());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})();
await Promise.all([...clients, probe]);
const afterRss = rssMb();
server.kill('SIGTERM');
await new Promise((resolve) => server.on('exit', resolve));
rmSync(dir, { recursive: true, force: true });

health.sort((a, b) => a - b);
const q = (p: number): number => health[Math.min(health.length - 1, Math.floor(p * health.length))];
console.log(`explain answers: ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}; largest response ${(maxBytes / 1e6).toFixed(3)} MB`);
console.log(`/healthz: ${health.length} probes, median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${health[health.length - 1].toFixed(1)} ms`);
console.log(`server RSS: peak ${peakRss.toFixed(0)} MB, after the load ${afterRss.toFixed(0)} MB`);
