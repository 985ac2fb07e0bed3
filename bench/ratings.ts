/**
 * npm run bench:ratings [-- --rows bnc-ordinal,bnc-regression] [--limit N] [--folds K] [--epochs E] [--no-sklearn]
 *
 * IMDb stars as ratings (issue #14): train on the 25k training reviews'
 * stars (1–4 and 7–10, from the aclImdb file names), predict the 25k test
 * reviews' stars, score MAE, RMSE, exact and within-one shares and
 * Spearman's ρ. Each row is a full trainSentimentModel with
 * --task regression | ordinal on one blueprint (penalty by inner CV, the
 * MAE estimate by outer CV, all on the training reviews); in the same run on
 * the same reviews, scikit-learn's RidgeCV on TF-IDF uni+bigrams, clipped to
 * 1–10 (bench/ratings_sklearn.py, /usr/bin/python3). The 50k unlabeled
 * reviews are left out (the figure is about the rating head). `--limit N`
 * takes a seeded N of each split for a quick look.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCorpus } from '../src/corpus/formats.js';
import { arraySource } from '../src/corpus/record.js';
import type { RatingTask } from '../src/corpus/labels.js';
import { RatingTally, type RatingMetrics } from '../src/eval/rating-metrics.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { REPO, arg, dataFile, flag, numberArg, shuffled } from './common.js';

const PYTHON = '/usr/bin/python3';
const SCALE = { min: 1, max: 10 };
const seed = numberArg('seed', 1);

interface Row {
  id: string;
  blueprint: string;
  task: RatingTask;
}

const ROWS: Row[] = [
  { id: 'bnc-ordinal', blueprint: 'bnc', task: 'ordinal' },
  { id: 'bnc-regression', blueprint: 'bnc', task: 'regression' },
  { id: 'vectors-bnc-ordinal', blueprint: 'vectors-bnc', task: 'ordinal' },
  { id: 'vectors-bnc-regression', blueprint: 'vectors-bnc', task: 'regression' },
];

interface Review {
  text: string;
  rating: number;
}

async function reviews(file: string, split: 'train' | 'test'): Promise<Review[]> {
  const out: Review[] = [];
  for await (const r of readCorpus(file, { format: 'aclimdb', rating: 'stars', split })) if (r.rating !== undefined) out.push({ text: r.text, rating: r.rating });
  const limit = numberArg('limit', 0);
  return limit > 0 ? shuffled(out, seed).slice(0, limit) : out;
}

function line(id: string, m: RatingMetrics, seconds: number, note: string): string {
  return `| ${id} | **${m.mae.toFixed(4)}** | ${m.rmse.toFixed(4)} | ${(100 * m.exact).toFixed(2)}% | ${(100 * m.withinOne).toFixed(2)}% | ${Number.isNaN(m.spearman) ? '–' : m.spearman.toFixed(4)} | ${seconds.toFixed(0)} | ${note} |`;
}

function runSklearn(train: readonly Review[], test: readonly Review[]): string | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sentivec-ratings-'));
  try {
    const write = (file: string, docs: readonly Review[]): void => writeFileSync(path.join(dir, file), docs.map((d) => JSON.stringify(d)).join('\n'));
    write('train.jsonl', train);
    write('test.jsonl', test);
    const t = performance.now();
    const r = spawnSync(PYTHON, [path.join(REPO, 'bench/ratings_sklearn.py'), dir, String(SCALE.min), String(SCALE.max)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      console.log(`sklearn failed: ${r.stderr.trim().split('\n').slice(-1)[0] ?? r.status}`);
      return undefined;
    }
    const o = JSON.parse(r.stdout) as { mae: number; rmse: number; exact: number; withinOne: number; alpha: number; features: number };
    // Spearman's ρ is not computed by the peer script (its predictions stay in Python).
    return line('sklearn', { documents: test.length, mae: o.mae, rmse: o.rmse, exact: o.exact, withinOne: o.withinOne, spearman: NaN }, (performance.now() - t) / 1000, `TF-IDF uni+bigrams (${o.features} features) + RidgeCV, α = ${o.alpha} by 5-fold CV, clipped to 1–10`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const file = dataFile();
  const ids = arg('rows')?.split(',') ?? ['bnc-ordinal', 'bnc-regression'];
  const rows = ROWS.filter((r) => ids.includes(r.id));
  const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`bench:ratings, seed ${seed}, ${new Date().toISOString()}, node ${process.version}, load average ${load()}`);
  const train = await reviews(file, 'train');
  const test = await reviews(file, 'test');
  console.log(`IMDb stars: ${train.length} train / ${test.length} test reviews`);
  const table: string[] = [];
  for (const row of rows) {
    const t = performance.now();
    const model = await trainSentimentModel(arraySource(train, 'imdb-train-stars'), {
      target: { kind: 'rating', ...SCALE, task: row.task },
      blueprint: row.blueprint,
      seed,
      ...(arg('folds') !== undefined ? { folds: numberArg('folds', 5) } : {}),
      ...(arg('epochs') !== undefined ? { epochs: numberArg('epochs', 10) } : {}),
    });
    const seconds = (performance.now() - t) / 1000;
    const tally = new RatingTally();
    const predictions = model.predict(test.map((d) => d.text), 0);
    predictions.forEach((p, i) => tally.add(test[i].rating, p.rating ?? NaN));
    const e = model.info.rating?.estimate;
    const note = `${row.task} on ${row.blueprint}, penalty ${model.info.rating?.penalty}, |V| ${model.vocabularySize}; CV estimate MAE ${e ? `${e.value.toFixed(3)} (${e.low.toFixed(3)}–${e.high.toFixed(3)}), mean baseline ${e.baseline.toFixed(3)}` : 'none'}`;
    table.push(line(row.id, tally.report(), seconds, note));
    console.log(table.at(-1));
  }
  if (!flag('no-sklearn')) {
    const s = runSklearn(train, test);
    if (s) {
      table.push(s);
      console.log(s);
    }
  }
  console.log(`\nload average at the end ${load()}`);
  console.log('\n| row | test MAE | RMSE | exact | within one | Spearman ρ | train s | notes |\n|---|---|---|---|---|---|---|---|');
  for (const t of table) console.log(t);
}

await main();
