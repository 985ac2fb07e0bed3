/**
 * npm run bench:serve [-- --model FILE] [--data aclImdb_v1.tar.gz] [--duration S] [--connections N]
 *
 * Model load time, library predict throughput on the 25k IMDb test reviews
 * (one core, SentimentModel.predict), then the HTTP service under load:
 * autocannon on loopback against `sentivec serve` in its own process, for
 * single-text and 32-text predict requests. Without --model it trains one on
 * the archive's training half with `sentivec train` (once; kept in .cache/).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { arg, dataFile, median } from './common.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '../src/cli/main.js');
const REPO = path.resolve(HERE, '../..');


const data = dataFile();
const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '10'));
let modelPath = arg('model', '');


async function main(): Promise<void> {
  if (modelPath === '') {
    modelPath = path.join(REPO, '.cache/bench/imdb.svec');
    if (!existsSync(modelPath)) {
      mkdirSync(path.dirname(modelPath), { recursive: true });
      console.log(`no --model given: training ${modelPath} on ${data} (train + unsup) with sentivec train …`);
      const t = performance.now();
      const r = spawnSync(process.execPath, [CLI, 'train', '--input', data, '--format', 'aclimdb', '--out', modelPath], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`sentivec train failed (exit ${r.status})`);
      console.log(`trained in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  }

  const loads: number[] = [];
  let model: SentimentModel | undefined;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    model = await SentimentModel.load(modelPath);
    loads.push(performance.now() - t);
  }
  if (!model) throw new Error('unreachable');

  const texts: string[] = [];
  const gold: string[] = [];
  for await (const r of readAclImdb(data, { buckets: ['test'] })) {
    texts.push(r.text);
    gold.push(r.label);
  }
  model.predict(texts.slice(0, 500)); // warm-up: JIT and caches
  const t = performance.now();
  const predictions: string[] = [];
  for (let i = 0; i < texts.length; i += 1000) for (const p of model.predict(texts.slice(i, i + 1000))) predictions.push(p.label);
  const predictSeconds = (performance.now() - t) / 1000;
  const correct = predictions.reduce((n, l, i) => n + (l === gold[i] ? 1 : 0), 0);

  const server = await startServe(modelPath);
  const sample = texts.filter((_, i) => i % 125 === 0); // 200 reviews, both classes
  const single = await load(server.url, (i) => JSON.stringify({ text: sample[i % sample.length] }));
  const batch = await load(server.url, (i) => JSON.stringify({ texts: Array.from({ length: 32 }, (_, j) => sample[(i * 32 + j) % sample.length]) }));
  const exit = await server.stop();

  const f = (x: number, d = 1): string => x.toFixed(d);
  console.log('\n| measurement | result |\n|---|---|');
  console.log(`| machine | ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (1 / 5 / 15 min) at the end; Node ${process.version} |`);
  console.log(`| model | ${modelPath} (${model.vectors.size} words × ${model.vectors.dim} dims) |`);
  console.log(`| model load (SentimentModel.load), first / median of 5 | ${f(loads[0])} ms / ${f(median(loads))} ms |`);
  console.log(`| library predict, 25k test reviews, one core | ${f(texts.length / predictSeconds, 0)} reviews/s (${f(predictSeconds, 2)} s; accuracy ${f((100 * correct) / texts.length, 2)}% against the folder labels) |`);
  for (const [name, r, per] of [['POST /v1/predict, 1 text', single, 1], ['POST /v1/predict, batch of 32', batch, 32]] as const) {
    console.log(`| ${name} (${connections} connections, ${duration} s) | ${f(r.requests.average, 0)} req/s (${f(r.requests.average * per, 0)} texts/s); latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, mean ${f(r.latency.average, 2)} ms; ${r.non2xx} non-2xx, ${r.errors} errors |`);
  }
  console.log(`| graceful stop (SIGTERM) after the load | exit ${exit} |`);
}

async function load(url: string, body: (i: number) => string): Promise<Result> {
  let i = 0;
  return autocannon({
    url,
    connections,
    duration,
    requests: [{ method: 'POST', path: '/v1/predict', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: body(i++) }) }],
  });
}

/** `sentivec serve` in a child process, so the load generator does not share its event loop. */
async function startServe(model: string): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--model', model, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      out += c;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`sentivec serve exited (${code}) before listening`)));
  });
  const stop = (): Promise<number | null> =>
    new Promise((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  return { url, stop };
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
