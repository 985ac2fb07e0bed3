/**
 * npm run bench:train-input — what the product path costs outside the model
 * fit, printed every run:
 * - `--csv-mb N` (default 200): writes a synthetic CSV of N MB (quoted
 *   reviews, Zipf-distributed words over a 60k vocabulary) to a temp dir,
 *   then reads, tokenizes and indexes it as `sentivec train` does (both
 *   streamed passes), reporting time and peak RSS against the file size;
 * - `--model FILE`: SentimentModel.load time over 10 loads.
 *
 * Usage: node dist/bench/train-input.js [--csv-mb 1000] [--model /tmp/imdb.svec]
 */
import { createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { corpusSource } from '../src/corpus/formats.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { Rng } from '../src/util/rng.js';
import { arg } from './common.js';


async function writeCsv(file: string, bytes: number): Promise<void> {
  const V = 60_000;
  const words = Array.from({ length: V }, (_, i) => `w${i.toString(36)}`);
  const cdf = new Float64Array(V);
  let s = 0;
  for (let i = 0; i < V; i++) cdf[i] = s += 1 / (i + 1);
  for (let i = 0; i < V; i++) cdf[i] /= s;
  const rng = new Rng(1);
  const word = (): string => {
    const u = rng.next();
    let lo = 0;
    let hi = V - 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (cdf[m] < u) lo = m + 1;
      else hi = m;
    }
    return words[lo];
  };
  const out = createWriteStream(file);
  out.write('text,label\n');
  let written = 0;
  while (written < bytes) {
    const positive = rng.next() < 0.5;
    const n = 150 + rng.int(200);
    const t: string[] = [];
    for (let k = 0; k < n; k++) t.push(k % 20 === 0 ? (positive ? 'great' : 'awful') : word());
    const line = `"${t.join(' ')}, ""fine""",${positive ? 'pos' : 'neg'}\n`;
    written += line.length;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const mb = Number(arg('csv-mb') ?? (arg('model') ? '0' : '200'));
if (mb > 0) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sentivec-bench-'));
  try {
    const file = path.join(dir, 'big.csv');
    await writeCsv(file, mb * 1e6);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const c = await buildRecordCorpus(corpusSource(file, { label: 'label' }), [], { clampSkipTop: true, minCount: 2 });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const { size } = await fs.stat(file);
    console.log(`csv: ${(size / 1e6).toFixed(0)} MB, ${c.stats.documents} records, ${c.stats.tokens} tokens, ${c.docs.tokens.length} in the vocabulary of ${c.vocabulary.size}`);
    console.log(`read + tokenize + index (two passes): ${seconds.toFixed(1)} s; RSS before ${(baseline / 1e6).toFixed(0)} MB, peak ${(peak / 1e6).toFixed(0)} MB (token ids: ${((4 * c.docs.tokens.length) / 1e6).toFixed(0)} MB)`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const modelFile = arg('model');
if (modelFile) {
  const times: number[] = [];
  let model: SentimentModel | undefined;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    model = await SentimentModel.load(modelFile);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const { size } = await fs.stat(modelFile);
  console.log(`load ${modelFile} (${(size / 1e6).toFixed(2)} MB, |V| = ${model?.vocabularySize}, β = ${model?.vectors.dim}): min ${times[0].toFixed(1)} ms, median ${times[5].toFixed(1)} ms, max ${times[9].toFixed(1)} ms over 10 loads`);
}
