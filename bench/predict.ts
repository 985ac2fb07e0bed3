/**
 * npm run bench:predict [-- --model FILE] [--data aclImdb_v1.tar.gz] [--passes N] [--baseline DIST [--baseline-model FILE]]
 *
 * SentimentModel.predict throughput on the 25k IMDb test reviews (one thread,
 * batches of 1,000, after a warm-up; median of N passes), its split by stage,
 * and the accuracy. Each pass records wall-clock and process CPU time: on a
 * machine shared with other jobs the wall clock also counts time the process
 * waited for a core, so the CPU-time rate is the per-core figure. Stages are timed as their own passes over the 25k and
 * split by difference: clean + tokenize (TokenScanner.countTokens), + the
 * vocabulary lookup (scan; the scan kernel also finds the bag's distinct ids), + the features (binary bag, as predict
 * takes it, and ‖R v‖), + the n-gram lookup (n-gram models), + the
 * classifier (the whole predict). The straightforward token path (Tokenizer +
 * a Map lookup) is timed the same way, and checked to give the same ids for
 * every review.
 *
 * --baseline DIST: also time the predict of another build (e.g. `dist` of a
 * worktree at an older commit), interleaved pass by pass with this one so
 * both see the same machine load, and assert that both give identical
 * predictions (label, score, probability, top words) for all 25k reviews.
 * --baseline-model FILE: the file the baseline build loads (default: --model),
 * for a model file the older build cannot read (e.g. a newer n-gram section
 * version; the same model saved by the older build).
 *
 * Without --model it uses .cache/bench/imdb.svec, training it once with
 * `sentivec train` if missing (the same model as bench:serve).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { BinaryBag } from '../src/features/binary-bag.js';
import { ProjectionNorm } from '../src/features/projection-norm.js';
import { SentimentModel, type Prediction } from '../src/models/product/sentiment-model.js';
import { readModelFile } from '../src/models/product/model-file.js';
import { readNgramTable, type NgramHeader } from '../src/models/product/ngram-section.js';
import { TokenScanner } from '../src/text/token-scanner.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { arg, dataFile, median } from './common.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '../src/cli/main.js');
const REPO = path.resolve(HERE, '../..');


const data = dataFile();
const passes = Number(arg('passes', '5'));
const baselineDist = arg('baseline', '');
const baselineModel = arg('baseline-model', '');
const BATCH = 1000;

interface Predictor {
  predict(texts: readonly string[]): Prediction[];
}


interface Times {
  wall: number[];
  cpu: number[];
}

/** Appends the wall-clock and CPU seconds of one call of `run` to `into`. */
function time(into: Times, run: () => void): void {
  const t = performance.now();
  const c = process.cpuUsage();
  run();
  const used = process.cpuUsage(c);
  into.cpu.push((used.user + used.system) / 1e6);
  into.wall.push((performance.now() - t) / 1000);
}

function predictAll(model: Predictor, texts: readonly string[]): Prediction[] {
  const out: Prediction[] = [];
  for (let i = 0; i < texts.length; i += BATCH) for (const p of model.predict(texts.slice(i, i + BATCH))) out.push(p);
  return out;
}

function samePrediction(a: Prediction, b: Prediction): boolean {
  const sameWords = (x: { word: string; weight: number }[], y: { word: string; weight: number }[]): boolean =>
    x.length === y.length && x.every((w, i) => w.word === y[i].word && w.weight === y[i].weight);
  return a.label === b.label && a.score === b.score && a.probability === b.probability && sameWords(a.top.positive, b.top.positive) && sameWords(a.top.negative, b.top.negative);
}

async function modelFile(): Promise<string> {
  const given = arg('model', '');
  if (given !== '') return given;
  const file = path.join(REPO, '.cache/bench/imdb.svec');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    console.log(`no --model given: training ${file} on ${data} (train + unsup) with sentivec train …`);
    const r = spawnSync(process.execPath, [CLI, 'train', '--input', data, '--format', 'aclimdb', '--out', file], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`sentivec train failed (exit ${r.status})`);
  }
  return file;
}

async function main(): Promise<void> {
  const file = await modelFile();
  const loads: number[] = [];
  const loadsCpu: number[] = [];
  let model: SentimentModel | undefined;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    model = await SentimentModel.load(file);
    const used = process.cpuUsage(c);
    loads.push(performance.now() - t);
    loadsCpu.push((used.user + used.system) / 1000);
  }
  if (!model) throw new Error('unreachable');
  let baseline: Predictor | undefined;
  let baselineLoad = 0;
  if (baselineDist !== '') {
    // The model moved to src/models/product/ (issue #10); older builds have it in src/models/.
    const product = path.resolve(baselineDist, 'src/models/product/sentiment-model.js');
    const where = existsSync(product) ? product : path.resolve(baselineDist, 'src/models/sentiment-model.js');
    const mod = (await import(pathToFileURL(where).href)) as { SentimentModel: { load(f: string): Promise<Predictor> } };
    const t = performance.now();
    baseline = await mod.SentimentModel.load(baselineModel || file);
    baselineLoad = performance.now() - t;
  }

  const texts: string[] = [];
  const gold: string[] = [];
  for await (const r of readAclImdb(data, { buckets: ['test'] })) {
    texts.push(r.text);
    gold.push(r.label);
  }

  // The pieces of predict, rebuilt from the model's public parts, to time each stage.
  const vocabulary = new Vocabulary(model.vectors.words);
  const scanner = new TokenScanner(vocabulary, model.tokenizer);
  const bag = new BinaryBag(vocabulary.size);
  // N-gram models: the model's n-gram table, read again from the file, to time the lookups as a stage.
  const contents = await readModelFile(file);
  const ng = contents.header.ngrams as NgramHeader | undefined;
  // As predict: the records carry the weights (so the lookup touches the table predict reads), slots found.
  const ngrams = ng ? readNgramTable(ng, contents.sections, vocabulary.size, model.heads) : undefined;
  // As predict: ‖R v‖ only when the classifier weighs the vectors (nbsvm-* models carry vectors only to show them).
  const readsVectors = (contents.sections.get('weightsVectors') ?? new Float64Array(0)).some((w) => w !== 0);
  const projection = new ProjectionNorm(model.vectors.vectors);
  // As predict: the scan kernel's distinct ids when it answered (it found them as it scanned), else BinaryBag.fill.
  const fillBag = (ids: Int32Array): void => {
    const distinct = scanner.distinctIds();
    if (distinct) bag.adopt(distinct);
    else bag.fill(ids);
  };
  let differ = 0;
  let tokens = 0;
  for (const t of texts) {
    const reference = scanner.scanWithTokenizer(t).slice();
    const ids = scanner.scan(t);
    if (ids.length !== reference.length || ids.some((id, i) => id !== reference[i])) differ++;
    tokens += model.tokenizer.tokenize(t).length;
  }
  if (differ > 0) throw new Error(`TokenScanner and Tokenizer + Map disagree on ${differ} reviews`);

  const stages = {
    scannerTokenize: () => texts.forEach((t) => scanner.countTokens(t)),
    scannerLookup: () => texts.forEach((t) => scanner.scan(t)),
    features: () =>
      texts.forEach((t) => {
        fillBag(scanner.scan(t));
        if (readsVectors) projection.inverse(bag);
      }),
    ngrams: () =>
      texts.forEach((t) => {
        const ids = scanner.scan(t);
        fillBag(ids);
        if (readsVectors) projection.inverse(bag);
        ngrams?.distinctSlots(ids);
      }),
    regexTokenize: () => texts.forEach((t) => model.tokenizer.forEachToken(t, () => {})),
    regexLookup: () => texts.forEach((t) => scanner.scanWithTokenizer(t)),
  };
  type Measured = keyof typeof stages | 'predict' | 'baseline';
  const names: Measured[] = [...(Object.keys(stages) as (keyof typeof stages)[]), 'predict', 'baseline'];
  const times = Object.fromEntries(names.map((k) => [k, { wall: [], cpu: [] }])) as unknown as Record<Measured, Times>;

  const warm = texts.slice(0, 2000);
  for (let i = 0; i < 3; i++) {
    model.predict(warm);
    baseline?.predict(warm);
    for (const run of Object.values(stages)) run();
  }
  let predictions: Prediction[] = [];
  let baselinePredictions: Prediction[] = [];
  for (let pass = 0; pass < passes; pass++) {
    time(times.predict, () => (predictions = predictAll(model, texts)));
    if (baseline) time(times.baseline, () => (baselinePredictions = predictAll(baseline, texts)));
    for (const [name, run] of Object.entries(stages)) time(times[name as keyof typeof stages], run);
  }
  const correct = predictions.reduce((n, p, i) => n + (p.label === gold[i] ? 1 : 0), 0);
  if (baseline) {
    const changed = predictions.filter((p, i) => !samePrediction(p, baselinePredictions[i])).length;
    if (changed > 0) throw new Error(`${changed} of ${texts.length} predictions differ from the baseline's`);
  }

  const med = (k: Measured): number => median(times[k].cpu);
  const wall = (k: Measured): number => median(times[k].wall);
  const rate = (s: number): string => `${Math.round(texts.length / s).toLocaleString('en-US')} reviews/s`;
  const us = (s: number): string => `${((1e6 * s) / texts.length).toFixed(1)} µs`;
  const f = (x: number, d = 1): string => x.toFixed(d);
  console.log(`\n${texts.length} test reviews, ${(tokens / texts.length).toFixed(0)} tokens each on average; median of ${passes} passes; CPU time per review unless marked wall-clock\n`);
  console.log('| measurement | result |\n|---|---|');
  console.log(`| machine | ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (1 / 5 / 15 min) at the end; Node ${process.version} |`);
  console.log(`| model | ${file} (${model.vectors.size} words × ${model.vectors.dim} dims, tokenizer ${model.tokenizer.mode}) |`);
  console.log(`| model load (SentimentModel.load), first / median of 5 | ${f(loads[0])} ms / ${f(median(loads))} ms wall-clock; CPU time ${f(loadsCpu[0])} ms / ${f(median(loadsCpu))} ms |`);
  console.log(`| **SentimentModel.predict**, one thread, batches of ${BATCH} | **${rate(med('predict'))} per core** (${us(med('predict'))}); wall-clock ${rate(wall('predict'))}; accuracy ${f((100 * correct) / texts.length, 2)}% |`);
  if (baseline) {
    console.log(`| baseline model load (its first, after this build's five; ${baselineModel || file}) | ${f(baselineLoad)} ms wall-clock |`);
    console.log(`| baseline predict (${baselineDist}), same passes interleaved | ${rate(med('baseline'))} per core (${us(med('baseline'))}); wall-clock ${rate(wall('baseline'))}; predictions identical on all ${texts.length} |`);
    console.log(`| speed-up over the baseline, CPU time / wall-clock | **${f(med('baseline') / med('predict'), 2)}×** / ${f(wall('baseline') / wall('predict'), 2)}× |`);
  }
  console.log(`| stage: clean HTML + tokenize (TokenScanner) | ${us(med('scannerTokenize'))} |`);
  console.log(`| stage: vocabulary lookup (hash over the token's chars; the scan kernel also finds the bag's distinct ids) | ${us(med('scannerLookup') - med('scannerTokenize'))} |`);
  console.log(`| stage: features (binary bag${readsVectors ? ', ‖R v‖' : '; no ‖R v‖: the classifier does not weigh the vectors'}) | ${us(med('features') - med('scannerLookup'))} |`);
  if (ngrams) console.log(`| stage: n-gram lookup (${ngrams.size.toLocaleString('en-US')} n-grams, order ${ngrams.order}) | ${us(med('ngrams') - med('features'))} |`);
  console.log(`| stage: classifier (scores, top words, result objects) | ${us(med('predict') - med(ngrams ? 'ngrams' : 'features'))} |`);
  console.log(`| straightforward token path: clean HTML + tokenize (Tokenizer regexes) | ${us(med('regexTokenize'))} |`);
  console.log(`| straightforward token path: + Map lookup of each token string | ${us(med('regexLookup') - med('regexTokenize'))} (the same ids as TokenScanner on all ${texts.length}) |`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
