/**
 * npm run bench:ngram-keep -- --model FILE [--fractions 1,0.5,0.3,0.2,0.1,0.05] [--compare FILE] [--passes 9] [--data aclImdb_v1.tar.gz]
 *
 * What pruning an n-gram model buys in predict speed (issue #11): the model's
 * n-grams pruned to each fraction, the largest |weight| first
 * (features/ngram-pruning.ts), NOT refitted (a speed probe: the weights are
 * the full model's; `train` refits, ngram-keep.ts), and `--compare`'s model
 * as it is. Every variant lives in one process and is timed in interleaved
 * passes (the order reversed every other pass) over the first 5,000 IMDb
 * test reviews, so all see the same machine: CPU µs a review, the median of
 * the passes, for the whole predict and for the n-gram lookup alone (the
 * table's distinctSlots on the token ids). The accuracy on the 25,000 test
 * reviews is printed for information only: train chooses the fraction on its
 * training folds, never from test data.
 */
import { performance } from 'node:perf_hooks';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { keptCount, pruneNgrams, rankByWeight } from '../src/features/ngram-pruning.js';
import type { NgramTable } from '../src/features/ngram-table.js';
import { readModelFile } from '../src/models/product/model-file.js';
import { ngramSection, readNgramTable, type NgramHeader } from '../src/models/product/ngram-section.js';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { TokenScanner } from '../src/text/token-scanner.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { arg, dataFile, median, numberArg } from './common.js';

const file = arg('model');
if (!file) throw new Error('--model FILE: an n-gram model (train --blueprint nbsvm-tri)');
const fractions = arg('fractions', '1,0.5,0.3,0.2,0.1,0.05').split(',').map(Number);
const compare = arg('compare');
const passes = numberArg('passes', 9);
const TIMED = 5000;
const BATCH = 1000;

interface Variant {
  name: string;
  model: SentimentModel;
  table: NgramTable;
}

/** `file`'s model with its n-grams pruned to each fraction (weights as they are), built from the file's own sections. */
async function prunedVariants(): Promise<Variant[]> {
  const contents = await readModelFile(file as string);
  const ng = contents.header.ngrams as NgramHeader | undefined;
  if (!ng) throw new Error(`${file} has no n-grams`);
  const V = (contents.header.words as string[]).length;
  const labels = contents.header.labels as string[];
  const heads = labels.length > 2 ? labels.length : 1;
  const full = readNgramTable(ng, contents.sections, V, heads);
  const G = full.size;
  const weights = new Float64Array(heads * G);
  for (let g = 0; g < G; g++) for (let h = 0; h < heads; h++) weights[h * G + g] = full.weight(g, h);
  const ranked = rankByWeight(weights, heads, G);
  return fractions.map((q) => {
    const pruned = pruneNgrams(full, V, weights, heads, ranked, keptCount(q, G));
    const table = pruned.table.weightedBy(pruned.weights, heads);
    const section = ngramSection(table);
    const sections = new Map(contents.sections);
    for (const name of ['ngrams', 'weightsNgrams', 'ngramRecords']) sections.delete(name);
    sections.set(section.name, section.section);
    const model = SentimentModel.fromContents({ header: { ...contents.header, ngrams: section.header }, sections }, `${file} at ${q}`);
    return { name: `${file} pruned to ${q}`, model, table: readNgramTable(section.header, sections, V, heads) };
  });
}

async function asIs(path: string): Promise<Variant> {
  const contents = await readModelFile(path);
  const model = await SentimentModel.load(path);
  const ng = contents.header.ngrams as NgramHeader;
  return { name: `${path} as it is`, model, table: readNgramTable(ng, contents.sections, model.vocabularySize, model.heads) };
}

async function main(): Promise<void> {
  const variants = [...(await prunedVariants()), ...(compare ? [await asIs(compare)] : [])];
  const texts: string[] = [];
  const gold: string[] = [];
  for await (const r of readAclImdb(dataFile(), { buckets: ['test'] })) {
    texts.push(r.text);
    gold.push(r.label);
  }
  const timed = texts.slice(0, TIMED);
  const scanner = new TokenScanner(new Vocabulary(variants[0].model.vectors.words), variants[0].model.tokenizer);
  const ids = timed.map((t) => scanner.scan(t).slice());
  const cpu = (run: () => void): number => {
    const c = process.cpuUsage();
    run();
    const d = process.cpuUsage(c);
    return (d.user + d.system) / timed.length;
  };
  const predictUs = variants.map(() => [] as number[]);
  const lookupUs = variants.map(() => [] as number[]);
  const started = performance.now();
  for (let p = 0; p < passes; p++) {
    const order = variants.map((_, i) => i);
    if (p % 2 === 1) order.reverse();
    for (const i of order) {
      const { model, table } = variants[i];
      predictUs[i].push(cpu(() => {
        for (let b = 0; b < timed.length; b += BATCH) model.predict(timed.slice(b, b + BATCH));
      }));
      lookupUs[i].push(cpu(() => ids.forEach((x) => table.distinctSlots(x))));
    }
  }
  console.log(`\n${timed.length} IMDb test reviews timed, ${passes} interleaved passes (${((performance.now() - started) / 1000).toFixed(1)} s); CPU µs a review, median; accuracy on all ${texts.length} test reviews (information only)\n`);
  console.log('| variant | n-grams | predict | n-gram lookup | test accuracy |');
  console.log('|---|---|---|---|---|');
  for (const [i, v] of variants.entries()) {
    let hits = 0;
    for (let b = 0; b < texts.length; b += BATCH) v.model.predict(texts.slice(b, b + BATCH)).forEach((x, k) => (hits += x.label === gold[b + k] ? 1 : 0));
    console.log(`| ${v.name} | ${v.model.ngramCount.toLocaleString('en-US')} | ${median(predictUs[i]).toFixed(1)} µs | ${median(lookupUs[i]).toFixed(1)} µs | ${((100 * hits) / texts.length).toFixed(2)}% |`);
  }
}

await main();
