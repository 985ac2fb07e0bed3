/**
 * npm run bench:leaderboard [-- --sizes 1000,2000,5000] [--unlabeled 0] [--seed 1] [--budget S] [--no-tweets] [--no-sklearn] [--no-groups] [--shuffled N] [--progress] [--sklearn-only]
 *
 * Issue #13's figures: is the accuracy `sentivec train` reports honest, and
 * does its model beat the ten-line scikit-learn script?
 *
 * - IMDb: for each size N, a seeded subset of N reviews of the 25k training
 *   set (balanced as it falls); `trainSentimentModel` with the product
 *   defaults (the leaderboard, its nested-CV estimate) on it, optionally with
 *   --unlabeled reviews of the unlabeled set for the word vectors; scored once
 *   on all 25,000 test reviews. |estimate − test accuracy| is the honesty of
 *   the estimate. Each review carries its movie (urls_*.txt) as its group,
 *   so every CV keeps a movie's reviews in one fold, as `train` does on the
 *   archive (--no-groups: ungrouped, for comparison).
 * - --shuffled N: N training reviews with their labels shuffled (seeded),
 *   through the same train path: the estimate should be 50 ± 3%.
 * - Airline tweets, negative vs positive, the seeded 80/20 split of bench:text.
 *
 * In the same run, on the same rows: scikit-learn TF-IDF word uni+bigrams +
 * LinearSVC with C by 5-fold CV (bench/leaderboard_sklearn.py,
 * /usr/bin/python3; each fold's TF-IDF fitted once for the whole C grid, so
 * it finishes at 25,000 reviews). --sklearn-only: scikit-learn alone on the
 * rows a run with the same arguments trains on (same seed, same documents),
 * for a long size whose two sides do not fit one sitting.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { readCorpus } from '../src/corpus/formats.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { createReporter } from '../src/util/log.js';
import { arg, dataDir, dataFile, flag, memorySource, numberArg, REPO, shuffled } from './common.js';

const PYTHON = '/usr/bin/python3';
const seed = numberArg('seed', 1);
const sizes = arg('sizes', '1000,2000,5000').split(',').map(Number);
const unlabeledCount = numberArg('unlabeled', 0);
const budget = arg('budget') === undefined ? undefined : numberArg('budget', 60);

interface Doc {
  text: string;
  label: string;
  group?: string;
}

interface Row {
  corpus: string;
  n: number;
  blueprint: string;
  estimate: { value: number; low: number; high: number } | null;
  test: number;
  seconds: number;
  /** CPU seconds (user + system, all threads) of the training: the work, whatever the machine's load. */
  cpuSeconds: number;
  /** 1-minute load average when the training ended. */
  load: number;
  sklearn: { accuracy: number; C: number; seconds: number } | null;
}

function sklearn(train: readonly Doc[], test: readonly Doc[], positive: string): Row['sklearn'] {
  if (flag('no-sklearn')) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sentivec-bench-leaderboard-'));
  try {
    const write = (file: string, docs: readonly Doc[]): void => writeFileSync(path.join(dir, file), docs.map((d) => JSON.stringify({ text: d.text, y: d.label === positive ? 1 : 0 })).join('\n'));
    write('train.jsonl', train);
    write('test.jsonl', test);
    const t = performance.now();
    // stderr inherited: the script's per-fold progress shows while it runs.
    const r = spawnSync(PYTHON, [path.join(REPO, 'bench/leaderboard_sklearn.py'), dir, String(seed)], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) {
      console.log(`  sklearn failed: exit ${r.status ?? r.signal}`);
      return null;
    }
    const out = JSON.parse(r.stdout) as { accuracy: number; C: number };
    return { accuracy: out.accuracy, C: out.C, seconds: (performance.now() - t) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(corpus: string, train: readonly Doc[], test: readonly Doc[], positive: string, unlabeled: readonly Doc[]): Promise<Row> {
  if (flag('sklearn-only')) return sklearnOnly(corpus, train, test, positive);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const model = await trainSentimentModel(memorySource(`${corpus}-train`, train), {
    target: { kind: 'label', positive },
    unlabeled: unlabeled.length > 0 ? [memorySource(`${corpus}-unlabeled`, unlabeled)] : [],
    seed,
    // --progress: every event as a JSON line on stderr (time-stamped), to see where a run spends its time.
    ...(flag('progress') ? { reporter: createReporter('json') } : {}),
    ...(budget !== undefined ? { budgetSeconds: budget } : {}),
  });
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const load = os.loadavg()[0];
  let right = 0;
  if (test.length > 0) model.predict(test.map((d) => d.text)).forEach((p, i) => (right += p.label === test[i].label ? 1 : 0));
  const e = model.info.estimate;
  const row: Row = {
    corpus,
    n: train.length,
    blueprint: model.info.blueprint.id,
    estimate: e ? { value: e.value, low: e.low, high: e.high } : null,
    test: test.length > 0 ? right / test.length : NaN,
    seconds,
    cpuSeconds,
    load,
    sklearn: null,
  };
  const pct = (x: number): string => (Number.isNaN(x) ? '-' : `${(100 * x).toFixed(2)}%`);
  // Printed before scikit-learn runs, so a long run that is stopped still shows sentivec's figures.
  console.log(
    `  ${corpus} n=${row.n}: ${row.blueprint}, estimate ${e ? `${pct(e.value)} [${pct(e.low)}–${pct(e.high)}]${e.groups ? ` (grouped, ${e.groups} groups)` : ''}` : 'none'}, test ${pct(row.test)}, |gap| ${e ? (100 * Math.abs(e.value - row.test)).toFixed(2) : '-'} pp, ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} CPU s), load ${load.toFixed(1)}`,
  );
  row.sklearn = test.length > 0 ? sklearn(train, test, positive) : null;
  if (row.sklearn) console.log(`  ${corpus} n=${row.n}: sklearn ${pct(row.sklearn.accuracy)} (C = ${row.sklearn.C}, ${row.sklearn.seconds.toFixed(1)} s)`);
  return row;
}

/** --sklearn-only: the peer's row alone, on the same rows a full run trains on. */
function sklearnOnly(corpus: string, train: readonly Doc[], test: readonly Doc[], positive: string): Row {
  const t = performance.now();
  const out = test.length > 0 ? sklearn(train, test, positive) : null;
  const row: Row = { corpus, n: train.length, blueprint: '-', estimate: null, test: NaN, seconds: (performance.now() - t) / 1000, cpuSeconds: NaN, load: os.loadavg()[0], sklearn: out };
  if (out) console.log(`  ${corpus} n=${row.n}: sklearn ${(100 * out.accuracy).toFixed(2)}% (C = ${out.C}, ${out.seconds.toFixed(1)} s), load ${row.load.toFixed(1)}`);
  return row;
}

async function main(): Promise<void> {
  console.log(`bench:leaderboard, seed ${seed}, sizes ${sizes.join(',')}, unlabeled ${unlabeledCount}, budget ${budget ?? 'default'}, ${new Date().toISOString()}, node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const rows: Row[] = [];
  const archive = dataFile();
  const imdbTrain: Doc[] = [];
  const imdbTest: Doc[] = [];
  const imdbUnlabeled: Doc[] = [];
  const grouped = !flag('no-groups');
  for await (const r of readAclImdb(archive, { buckets: ['train', 'test', ...(unlabeledCount > 0 ? (['unsup'] as const) : [])], urls: grouped })) {
    if (r.bucket === 'unsup') imdbUnlabeled.push({ text: r.text, label: '' });
    else if (r.bucket === 'train') imdbTrain.push({ text: r.text, label: r.label, ...(r.url !== undefined ? { group: r.url } : {}) });
    else imdbTest.push({ text: r.text, label: r.label });
  }
  const pool = shuffled(imdbTrain, seed);
  const unlabeled = shuffled(imdbUnlabeled, seed + 1).slice(0, unlabeledCount);
  for (const n of sizes) rows.push(await run('imdb', pool.slice(0, n), imdbTest, 'pos', unlabeled));
  const shuffledCount = numberArg('shuffled', 0);
  if (shuffledCount > 0) {
    // The same reviews with their labels permuted: nothing to learn, so an honest estimate is 50 ± 3%.
    const docs = pool.slice(0, shuffledCount);
    const labels = shuffled(docs.map((d) => d.label), seed + 2);
    rows.push(await run('imdb-shuffled-labels', docs.map((d, i) => ({ ...d, label: labels[i] })), [], 'pos', []));
  }

  if (!flag('no-tweets')) {
    const tweets: Doc[] = [];
    for await (const r of readCorpus(path.join(dataDir(), 'twitter-airline-sentiment.csv'), { format: 'csv', text: 'text', label: 'airline_sentiment' })) {
      if (r.label === 'negative' || r.label === 'positive') tweets.push({ text: r.text, label: r.label });
    }
    const s = shuffled(tweets, seed);
    const cut = Math.round(0.8 * s.length);
    rows.push(await run('tweets', s.slice(0, cut), s.slice(cut), 'positive', []));
  }

  const pct = (x: number): string => (Number.isNaN(x) ? '-' : `${(100 * x).toFixed(2)}`);
  console.log('\n| corpus | training docs | winner | estimate % [95% interval] | test % | \\|estimate − test\\| pp | sklearn test % | sentivec − sklearn pp | train s | train CPU s | load |\n|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const e = r.estimate;
    console.log(
      `| ${r.corpus} | ${r.n} | ${r.blueprint} | ${e ? `${pct(e.value)} [${pct(e.low)}–${pct(e.high)}]` : '-'} | ${pct(r.test)} | ${e ? (100 * Math.abs(e.value - r.test)).toFixed(2) : '-'} | ${r.sklearn ? pct(r.sklearn.accuracy) : '-'} | ${r.sklearn ? (100 * (r.test - r.sklearn.accuracy)).toFixed(2) : '-'} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.load.toFixed(1)} |`,
    );
  }
}

await main();
