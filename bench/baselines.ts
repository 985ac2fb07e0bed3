/**
 * npm run bench:baselines — speed of the foundation on the real IMDb archive:
 * streaming + tokenizing all 100k reviews, the vocabulary cut, our linear SVM
 * against liblinear-train on identical features (same run, ratio), and the
 * four baseline rows of Table 2 end to end (a separate `sentivec reproduce`
 * process, so its wall time and peak memory are its own).
 *
 * Usage: node dist/bench/baselines.js [--data PATH] [--skip-rows]
 * Installs liblinear-tools with apt-get when liblinear-train is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { loadImdb } from '../src/eval/imdb.js';
import { countMatrix } from '../src/features/matrix.js';
import { bnc, bdc, deltaIdf } from '../src/features/smart.js';
import { compareWithLiblinear } from './svm-vs-liblinear.js';
import { CLI, dataFile, flag } from './common.js';

const data = dataFile();

function ensureLiblinear(): boolean {
  if (spawnSync('liblinear-train', [], { stdio: 'ignore' }).error === undefined && existsSync('/usr/include/linear.h')) return true;
  console.log('installing liblinear-tools (apt-get)…');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'liblinear-tools', 'liblinear-dev'], { stdio: 'inherit' });
  return spawnSync('liblinear-train', [], { stdio: 'ignore' }).error === undefined;
}

const rows: [string, string][] = [];
const record = (what: string, value: string): void => {
  rows.push([what, value]);
  console.log(`${what}: ${value}`);
};

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString()}`);

// 1. Streaming the archive alone, then reading + tokenizing + vocabulary.
let t0 = performance.now();
let reviews = 0;
let chars = 0;
for await (const r of readAclImdb(data)) {
  reviews++;
  chars += r.text.length;
}
const readSeconds = (performance.now() - t0) / 1000;
record('stream archive (gunzip + untar + UTF-8)', `${reviews} reviews, ${(chars / 1e6).toFixed(1)} M chars in ${readSeconds.toFixed(2)} s`);

t0 = performance.now();
const corpus = await loadImdb(data);
const loadSeconds = (performance.now() - t0) / 1000;
record(
  'read + tokenize (paper mode) + vocabulary',
  `${(corpus.tokenCount / 1e6).toFixed(1)} M tokens in ${loadSeconds.toFixed(2)} s (${(corpus.tokenCount / 1e6 / loadSeconds).toFixed(2)} M tokens/s); vocabulary cut ${corpus.timings.vocabulary.toFixed(3)} s`,
);

// 2. SVM vs liblinear-train on bow-bnc features, same tolerance and solver.
if (ensureLiblinear()) {
  const V = corpus.vocabulary.size;
  const countsTrain = countMatrix(corpus.train.docs, V);
  const countsTest = countMatrix(corpus.test.docs, V);
  const idf = deltaIdf(countsTrain, corpus.train.labels);
  const features = {
    'bow-bnc': [bnc(countsTrain), bnc(countsTest)],
    'bow-dtc': [bdc(countsTrain, idf), bdc(countsTest, idf)],
  } as const;
  const cases = [['bow-bnc', 'l2'], ['bow-bnc', 'l1'], ['bow-dtc', 'l2']] as const;
  for (const [name, loss] of cases) {
    const [xTr, xTe] = features[name];
    const c = compareWithLiblinear({ X: xTr, y: corpus.train.labels }, { X: xTe, y: corpus.test.labels }, { C: 0.1, loss, tol: 0.1 });
    record(
      `SVM ${loss}-loss dual CD, ${name}, C=0.1 (train CPU s, medians: ours / liblinear = ratio)`,
      `${c.ours.trainSeconds.toFixed(3)} / ${c.liblinear.trainSeconds.toFixed(3)} = ${(c.ours.trainSeconds / c.liblinear.trainSeconds).toFixed(2)}; accuracy ${(100 * c.ours.accuracy).toFixed(2)}% vs ${(100 * c.liblinear.accuracy).toFixed(2)}%`,
    );
  }
} else {
  record('SVM vs liblinear', 'skipped: liblinear-train could not be installed');
}

// 3. The four rows end to end, in their own process.
if (!flag('skip-rows')) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sentivec-bench-'));
  const json = path.join(dir, 'rows.json');
  t0 = performance.now();
  const run = spawnSync(
    process.execPath,
    [CLI, 'reproduce', '--data', data, '--rows', 'bow-bnc,bow-dtc,lsa,lda', '--json', json, '--log-format', 'quiet'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const wall = (performance.now() - t0) / 1000;
  if (run.status === 0) {
    const out = JSON.parse(readFileSync(json, 'utf8')) as { config: { peakRssMB: number } };
    record('four baseline rows end to end (wall, peak RSS)', `${wall.toFixed(1)} s, ${out.config.peakRssMB.toFixed(0)} MB`);
  } else {
    record('four baseline rows end to end', `failed with exit code ${run.status}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

console.log('\n| measurement | result |\n|---|---|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
