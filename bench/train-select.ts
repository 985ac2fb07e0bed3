/**
 * npm run bench:train-select [-- --datasets tweets,imdb] [--imdb-size 2000] [--seed 1] [--rows bnc,bnc+fdr:0.05,…] [--json FILE]
 *
 * `train --select` against no selection (issue #16): on each corpus one
 * seeded 80/20 split (the same for every row); each row is one `sentivec
 * train` model on the 80% (one blueprint, so no leaderboard; the selection
 * runs inside every fit, so inside every fold of its estimate) scored once
 * on the 20%. Reported: held-out accuracy, the words the classifier uses
 * (nonzero weights), the model file's size raw and gzipped (dropped words
 * are stored as zero weights: the file shrinks only once compressed), the
 * nested-CV estimate and the training time.
 *
 * Corpora (../shared/data, read in place): tweets — twitter-airline-sentiment.csv,
 * negative vs positive; imdb — a seeded subset of --imdb-size labeled reviews
 * of aclImdb (train + test pooled).
 */
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { readCorpus } from '../src/corpus/formats.js';
import { arraySource } from '../src/corpus/record.js';
import { parseSelectSpec } from '../src/models/product/feature-selection.js';
import { trainSentimentModel } from '../src/models/product/train-model.js';
import { Rng } from '../src/util/rng.js';
import { arg, dataDir, numberArg } from './common.js';

const seed = numberArg('seed', 1);
const imdbSize = numberArg('imdb-size', 2000);

interface Doc {
  text: string;
  label: string;
}

interface Row {
  blueprint: string;
  select?: string;
}

const ROWS: Row[] = [
  { blueprint: 'bnc' },
  { blueprint: 'bnc', select: 'chi2:1000' },
  { blueprint: 'bnc', select: 'fdr:0.05' },
  { blueprint: 'bnc', select: 'rfecv' },
  { blueprint: 'vectors-bnc' },
  { blueprint: 'vectors-bnc', select: 'fdr:0.05' },
];

const DATASETS: { id: string; what: string; positive: string; load(): Promise<Doc[]> }[] = [
  {
    id: 'tweets',
    what: 'airline tweets, negative vs positive',
    positive: 'positive',
    async load() {
      const out: Doc[] = [];
      for await (const r of readCorpus(path.join(dataDir(), 'twitter-airline-sentiment.csv'), { format: 'csv', text: 'text', label: 'airline_sentiment' })) {
        if (r.label === 'negative' || r.label === 'positive') out.push({ text: r.text, label: r.label });
      }
      return out;
    },
  },
  {
    id: 'imdb',
    what: `IMDb, a seeded subset of ${imdbSize} labeled reviews (train + test pooled)`,
    positive: 'pos',
    async load() {
      const all: Doc[] = [];
      for await (const r of readAclImdb(path.join(dataDir(), 'aclImdb_v1.tar.gz'), { buckets: ['train', 'test'] })) all.push({ text: r.text, label: r.label });
      return new Rng(seed + 1000).shuffle(all).slice(0, imdbSize);
    },
  },
];

async function main(): Promise<void> {
  const wantedRows = arg('rows')?.split(',');
  const rows = wantedRows ? ROWS.filter((r) => wantedRows.includes(r.select ? `${r.blueprint}+${r.select}` : r.blueprint)) : ROWS;
  const load = os.loadavg();
  console.log(`bench:train-select, seed ${seed}, ${new Date().toISOString()}, node ${process.version}, load average ${load.map((x) => x.toFixed(1)).join(' ')}`);
  const results: Record<string, unknown>[] = [];
  for (const id of (arg('datasets') ?? 'tweets,imdb').split(',')) {
    const ds = DATASETS.find((d) => d.id === id);
    if (!ds) throw new Error(`unknown dataset ${id}`);
    const docs = new Rng(seed).shuffle(await ds.load());
    const cut = Math.round(0.8 * docs.length);
    const train = docs.slice(0, cut);
    const test = docs.slice(cut);
    console.log(`\n${ds.id}: ${ds.what}; ${train.length} train / ${test.length} test (seeded 80/20)`);
    for (const row of rows) {
      const t = performance.now();
      const model = await trainSentimentModel(arraySource(train, `${ds.id}-train`), {
        target: { kind: 'label', positive: ds.positive },
        blueprint: row.blueprint,
        select: row.select ? parseSelectSpec(row.select) : undefined,
        seed,
      });
      const seconds = (performance.now() - t) / 1000;
      const predictions = model.predict(test.map((d) => d.text));
      let right = 0;
      predictions.forEach((p, i) => (right += p.label === test[i].label ? 1 : 0));
      const bytes = model.toBytes();
      const kept = model.info.selection?.kept;
      const r = {
        dataset: ds.id,
        row: model.info.blueprint.id,
        accuracy: right / test.length,
        test: test.length,
        vocabulary: model.vocabularySize,
        wordsUsed: kept ? kept.kept : model.vocabularySize,
        fileBytes: bytes.length,
        gzipBytes: gzipSync(bytes).length,
        estimate: model.info.estimate?.value ?? null,
        curve: kept?.curve?.map((p) => `${p.features}:${(100 * p.accuracy).toFixed(1)}`).join(' '),
        seconds,
      };
      results.push(r);
      console.log(`  ${r.row.padEnd(24)} ${(100 * r.accuracy).toFixed(2)}%  words ${r.wordsUsed}/${r.vocabulary}  file ${r.fileBytes} B (gzip ${r.gzipBytes} B)  estimate ${r.estimate === null ? '–' : (100 * r.estimate).toFixed(2)}%  ${seconds.toFixed(1)} s${r.curve ? `  curve ${r.curve}` : ''}`);
    }
  }
  console.log('\n| corpus | blueprint | held-out accuracy | words used / vocabulary | model file | gzipped | nested-CV estimate | train s |\n|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const x = r as { dataset: string; row: string; accuracy: number; wordsUsed: number; vocabulary: number; fileBytes: number; gzipBytes: number; estimate: number | null; seconds: number };
    console.log(`| ${x.dataset} | ${x.row} | ${(100 * x.accuracy).toFixed(2)}% | ${x.wordsUsed} / ${x.vocabulary} | ${(x.fileBytes / 1024).toFixed(0)} KB | ${(x.gzipBytes / 1024).toFixed(0)} KB | ${x.estimate === null ? '–' : `${(100 * x.estimate).toFixed(2)}%`} | ${x.seconds.toFixed(1)} |`);
  }
  console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const json = arg('json');
  if (json) writeFileSync(json, `${JSON.stringify({ seed, imdbSize, load: { before: load, after: os.loadavg() }, results }, null, 2)}\n`);
}

await main();
