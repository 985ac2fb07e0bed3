/**
 * npm run bench:text [-- --datasets tweets,hotels,imdb] [--rows id,id] [--blueprint ID] [--folds K] [--imdb-size 10000] [--seed 1] [--data-dir DIR] [--no-sklearn]
 *
 * The text layer's ablation (issue #12): on each corpus, one seeded 80/20
 * split (shuffled with --seed, the same for every row), one row per option
 * of the tokenizer and the vocabulary, each a full `sentivec train` model
 * (trainSentimentModel with its defaults but the row's change) trained on
 * the 80% and scored on the 20%. The 'product' row runs first, with the
 * leaderboard; the other rows keep the blueprint it chose on the same 80%
 * (a leaderboard per row would take hours), and a row whose text options
 * tokenize every document as the defaults do is the same model (reported as
 * such, not retrained). In the same run, on the same split,
 * scikit-learn's TF-IDF + LinearSVC with C chosen by 5-fold CV on the 80%
 * (word uni+bigrams; character uni+bigrams for the Chinese reviews),
 * run by /usr/bin/python3 (bench/text_sklearn.py).
 *
 * Corpora (in --data-dir, default $SENTIVEC_DATA's folder, else ../shared/data; read in place):
 * - tweets: twitter-airline-sentiment.csv, negative vs positive (neutral left out);
 * - hotels: chnsenticorp-hotels.csv, Chinese hotel reviews, 1 vs 0;
 * - imdb: a seeded subset of --imdb-size labeled reviews of aclImdb (train + test pooled), pos vs neg.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { readCorpus } from '../src/corpus/formats.js';
import { DEFAULT_BLUEPRINT } from '../src/models/product/blueprint.js';
import { trainSentimentModel, type TrainModelOptions } from '../src/models/product/train-model.js';
import { Tokenizer, type TokenizerOptions } from '../src/text/tokenizer.js';
import { dataDir as sharedDataDir, memorySource, shuffled } from './common.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const PYTHON = '/usr/bin/python3';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string', default: 'tweets,hotels,imdb' },
    rows: { type: 'string' },
    'imdb-size': { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    // Default: $SENTIVEC_DATA's folder, else ../shared/data beside the repository (bench/common.ts).
    'data-dir': { type: 'string', default: sharedDataDir() },
    'no-sklearn': { type: 'boolean', default: false },
    // The blueprint of the rows after 'product' when 'product' is not among --rows (the one it chose in an earlier run).
    blueprint: { type: 'string' },
    // Folds of every row's cross-validations (the estimate, and C); default trainSentimentModel's.
    folds: { type: 'string' },
  },
});
const seed = Number(values.seed);
const dataDir = path.resolve(values['data-dir']);

interface Row {
  id: string;
  what: string;
  options: TrainModelOptions;
}

/** One row per option: the product defaults, each switch changed alone, and the pre-#12 default. */
const ROWS: Row[] = [
  { id: 'product', what: 'product defaults', options: {} },
  { id: 'before', what: "before #12: paper tokenizer, 50 most frequent dropped, |V| ≤ 5,000, the paper's blueprint", options: { tokenizer: 'paper', skipTop: 50, vocabSize: 5000, minPerMillion: 0, blueprint: DEFAULT_BLUEPRINT } },
  { id: '-normalize', what: 'product without NFKC / quotes / elongation', options: { tokenizer: { mode: 'product', normalize: false } } },
  { id: '-emoji', what: 'product without emoji tokens', options: { tokenizer: { mode: 'product', emoji: false } } },
  { id: '-placeholders', what: 'product without <url> <num> @mention #hashtag', options: { tokenizer: { mode: 'product', placeholders: false } } },
  { id: '+negation', what: 'product with negation scope marking', options: { tokenizer: { mode: 'product', negation: true } } },
  { id: '+skip-top-50', what: 'product with the 50 most frequent tokens dropped', options: { skipTop: 50 } },
  { id: 'floor-2', what: 'product, every token seen twice (no relative floor)', options: { minPerMillion: 0 } },
  { id: 'segment-none', what: 'product, no segmentation (whole runs of Han / Thai)', options: { tokenizer: { mode: 'product', segment: 'none' } } },
  { id: 'segment-chars', what: 'product, character uni+bigrams for scripts without spaces', options: { tokenizer: { mode: 'product', segment: 'chars' } } },
];

interface Doc {
  text: string;
  label: string;
}

interface Dataset {
  id: string;
  what: string;
  labels: [string, string];
  /** sklearn's analyzer: words (uni+bigrams) or chars (uni+bigrams). */
  analyzer: 'word' | 'char';
  load(): Promise<Doc[]>;
}

async function fromCsv(file: string, text: string, label: string, keep: readonly string[]): Promise<Doc[]> {
  const out: Doc[] = [];
  for await (const r of readCorpus(path.join(dataDir, file), { format: 'csv', text, label })) if (r.label !== undefined && keep.includes(r.label)) out.push({ text: r.text, label: r.label });
  return out;
}

const DATASETS: Dataset[] = [
  { id: 'tweets', what: 'airline tweets, negative vs positive', labels: ['negative', 'positive'], analyzer: 'word', load: () => fromCsv('twitter-airline-sentiment.csv', 'text', 'airline_sentiment', ['negative', 'positive']) },
  { id: 'hotels', what: 'ChnSentiCorp hotel reviews (Chinese), 0 vs 1', labels: ['0', '1'], analyzer: 'char', load: () => fromCsv('chnsenticorp-hotels.csv', 'review', 'label', ['0', '1']) },
  {
    id: 'imdb',
    what: `IMDb, a seeded subset of ${values['imdb-size']} labeled reviews (train + test pooled)`,
    labels: ['neg', 'pos'],
    analyzer: 'word',
    async load() {
      const all: Doc[] = [];
      for await (const r of readAclImdb(path.join(dataDir, 'aclImdb_v1.tar.gz'), { buckets: ['train', 'test'] })) all.push({ text: r.text, label: r.label });
      return shuffled(all, seed + 1000).slice(0, Number(values['imdb-size']));
    },
  },
];

interface Result {
  dataset: string;
  row: string;
  what: string;
  accuracy: number;
  vocabulary: number;
  /** The blueprint the leaderboard chose on the training 80% (sklearn: its model). */
  blueprint: string;
  seconds: number;
}

/** Whether a row's text options tokenize every document exactly as the product defaults do (then it trains the same model). */
function sameTokens(options: TokenizerOptions, docs: readonly Doc[]): boolean {
  const a = new Tokenizer({ mode: 'product' });
  const b = new Tokenizer(options);
  return docs.every((d) => {
    const x = a.tokenize(d.text);
    const y = b.tokenize(d.text);
    return x.length === y.length && x.every((t, i) => t === y[i]);
  });
}

async function runRow(ds: Dataset, row: Row, train: readonly Doc[], test: readonly Doc[], blueprint: string | undefined, extra: TrainModelOptions): Promise<Result> {
  const t = performance.now();
  const options: TrainModelOptions = { ...(blueprint === undefined ? {} : { blueprint }), ...extra, ...row.options };
  const model = await trainSentimentModel(memorySource(`${ds.id}-train`, train), { ...options, target: { kind: 'label', positive: ds.labels[1] }, seed });
  const seconds = (performance.now() - t) / 1000;
  const predictions = model.predict(test.map((d) => d.text));
  let right = 0;
  predictions.forEach((p, i) => (right += p.label === test[i].label ? 1 : 0));
  const board = model.info.leaderboard?.entries.map((e) => `${e.blueprint} ${e.rungs.map((r) => (100 * r.estimate.value).toFixed(2)).join('/')}`).join('; ');
  if (board) console.log(`    leaderboard (CV on the 80%, per rung): ${board}`);
  return { dataset: ds.id, row: row.id, what: row.what, accuracy: right / test.length, vocabulary: model.vocabularySize, blueprint: model.info.blueprint.id, seconds };
}

function runSklearn(ds: Dataset, train: readonly Doc[], test: readonly Doc[]): Result | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sentivec-text-'));
  try {
    const write = (file: string, docs: readonly Doc[]): void => writeFileSync(path.join(dir, file), docs.map((d) => JSON.stringify({ text: d.text, y: d.label === ds.labels[1] ? 1 : 0 })).join('\n'));
    write('train.jsonl', train);
    write('test.jsonl', test);
    const t = performance.now();
    const r = spawnSync(PYTHON, [path.join(REPO, 'bench/text_sklearn.py'), dir, ds.analyzer, String(seed)], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`sklearn on ${ds.id} failed: ${r.stderr.trim().split('\n').slice(-1)[0] ?? r.status}`);
      return undefined;
    }
    const out = JSON.parse(r.stdout) as { accuracy: number; C: number; features: number };
    const grams = ds.analyzer === 'char' ? 'char' : 'word';
    return { dataset: ds.id, row: 'sklearn', what: `scikit-learn TF-IDF ${grams} uni+bigrams + LinearSVC, C = ${out.C} by 5-fold CV`, accuracy: out.accuracy, vocabulary: out.features, blueprint: 'tfidf-linearsvc', seconds: (performance.now() - t) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // In the order given (the first rows finish first).
  const wanted = values.rows === undefined ? ROWS : values.rows.split(',').flatMap((id) => ROWS.filter((r) => r.id === id));
  const folds = values.folds === undefined ? {} : { folds: Number(values.folds) };
  console.log(`bench:text, seed ${seed}, ${new Date().toISOString()}, node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const results: Result[] = [];
  for (const id of values.datasets.split(',')) {
    const ds = DATASETS.find((d) => d.id === id);
    if (ds === undefined) throw new Error(`unknown dataset ${id}`);
    let docs: Doc[];
    try {
      docs = await ds.load();
    } catch (e) {
      console.log(`skipping ${ds.id}: ${(e as Error).message}`);
      continue;
    }
    const mixed = shuffled(docs, seed);
    const cut = Math.round(0.8 * mixed.length);
    const train = mixed.slice(0, cut);
    const test = mixed.slice(cut);
    console.log(`\n${ds.id}: ${ds.what}; ${train.length} train / ${test.length} test (seeded 80/20)`);
    let product: Result | undefined;
    for (const row of wanted) {
      const text = row.options.tokenizer;
      if (row.id !== 'product' && typeof text === 'object' && row.options.skipTop === undefined && row.options.minPerMillion === undefined && sameTokens(text, mixed)) {
        const what = `${row.what} (every document tokenized as by the defaults: the same model as 'product')`;
        if (product) results.push({ ...product, row: row.id, what, seconds: 0 });
        console.log(`  ${row.id.padEnd(14)} ${product ? `${(100 * product.accuracy).toFixed(2)}%` : 'as product'}  same tokens as product, not retrained  (${what})`);
        continue;
      }
      // Every row but 'before' keeps the blueprint the product's leaderboard chose on this training split (a leaderboard per row would take hours).
      const r = await runRow(ds, row, train, test, product?.blueprint ?? values.blueprint, folds);
      if (row.id === 'product') product = r;
      results.push(r);
      console.log(`  ${r.row.padEnd(14)} ${(100 * r.accuracy).toFixed(2)}%  |V| ${r.vocabulary}  ${r.blueprint}  ${r.seconds.toFixed(1)} s  (${r.what})`);
    }
    if (!values['no-sklearn']) {
      const r = runSklearn(ds, train, test);
      if (r) {
        results.push(r);
        console.log(`  ${r.row.padEnd(14)} ${(100 * r.accuracy).toFixed(2)}%  ${r.vocabulary} features  ${r.seconds.toFixed(1)} s  (${r.what})`);
      }
    }
  }
  console.log('\n| corpus | row | held-out accuracy | vocabulary | blueprint | train s | what |\n|---|---|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.dataset} | ${r.row} | ${(100 * r.accuracy).toFixed(2)}% | ${r.vocabulary} | ${r.blueprint} | ${r.seconds.toFixed(1)} | ${r.what} |`);
}

await main();
