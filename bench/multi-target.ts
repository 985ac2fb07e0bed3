/**
 * npm run bench:multi-target [-- --seed 1] [--blueprint ID] [--vectors shared,separate] [--folds K] [--epochs N] [--no-sklearn]
 *
 * --vectors may repeat a mode (e.g. shared,separate,separate,shared: the
 * load's drift then weighs on both modes alike); each run prints its wall
 * and CPU seconds (CPU: the process's user + system time, worker threads
 * included, which a busy machine inflates far less than the wall time).
 *
 * Several targets at once (issue #14 item 3) on airline tweets
 * (../shared/data/twitter-airline-sentiment.csv): `airline_sentiment`
 * (negative / neutral / positive) and `airline` (six airlines: a
 * non-sentiment annotation), one seeded 80/20 split. One trainTargets run per
 * --vectors mode (as `train --label airline_sentiment --target airline
 * --target-vectors MODE`: shared = one set of word vectors with both targets'
 * sentiment terms, one ψ each, in every fold and in the final fit; separate =
 * each target a model of its own), each target its own leaderboard (or
 * --blueprint) and cross-validated estimate on the 80%, each scored on the
 * 20% (accuracy, macro-F1) beside its CV estimate, with each mode's train
 * time (wall seconds, one after the other in this run: compare them as a
 * ratio, the load moves); in the same run on the same split, scikit-learn's
 * TF-IDF uni+bigram LinearSVC per target, C by 5-fold CV on the 80%
 * (bench/classes_sklearn.py, /usr/bin/python3).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { arraySource } from '../src/corpus/record.js';
import { classificationReport } from '../src/eval/metrics.js';
import { MULTI_TARGET_OPTIONS, trainTargets, type TargetVectorsMode } from '../src/models/product/train-targets.js';
import { arg, flag, numberArg } from './common.js';
import { readTweets, seededSplit, sklearnPeer, tweetsFile } from './airline-tweets.js';

const TARGETS = ['airline_sentiment', 'airline'] as const;
const seed = numberArg('seed', 1);

async function main(): Promise<void> {
  const blueprint = arg('blueprint');
  // train's --folds and --epochs (default: train's own), to fit a run of both modes into a loaded machine's time.
  const folds = arg('folds') === undefined ? undefined : numberArg('folds', 5);
  const epochs = arg('epochs') === undefined ? undefined : numberArg('epochs', 10);
  const known: readonly string[] = MULTI_TARGET_OPTIONS.vectors.choices;
  const modes = (arg('vectors') ?? 'shared,separate').split(',').map((m) => {
    if (!known.includes(m)) throw new Error(`--vectors: '${m}' is not one of ${known.join(', ')}`);
    return m as TargetVectorsMode;
  });
  console.log(`bench:multi-target, seed ${seed}${blueprint ? `, blueprint ${blueprint}` : ''}${folds ? `, folds ${folds}` : ''}${epochs ? `, epochs ${epochs}` : ''}, vectors ${modes.join(' then ')}, ${new Date().toISOString()}, node ${process.version}, load average ${load()}`);
  const { train, test } = seededSplit(await readTweets(tweetsFile(), TARGETS), seed);
  console.log(`airline tweets: ${train.length} train / ${test.length} test (seeded 80/20); targets ${TARGETS.join(', ')}`);
  const lines: string[] = [];
  const times: string[] = [];
  for (const vectors of modes) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const model = await trainTargets(
      TARGETS.map((t) => ({ name: t, source: arraySource(train.map((d) => ({ text: d.text, label: d.values[t] })), `tweets-train-${t}`), target: { kind: 'label' as const } })),
      { seed, vectors, ...(blueprint ? { blueprint } : {}), ...(folds !== undefined ? { folds } : {}), ...(epochs !== undefined ? { epochs } : {}) },
    );
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    times.push(`${vectors}: ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU (load average after: ${load()})`);
    console.log(`trained ${TARGETS.length} targets, vectors ${vectors}, in ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU, ${new Date().toISOString()}`);
    for (const t of TARGETS) {
      const m = model.target(t);
      const predicted = m.predict(test.map((d) => d.text), 0).map((p) => m.labels.indexOf(p.label));
      const r = classificationReport(test.map((d) => m.labels.indexOf(d.values[t])), predicted, m.labels);
      const e = m.info.estimate;
      const shared = m.info.vectors.targets ? `shared by ${m.info.vectors.targets.join(', ')}` : 'its own';
      lines.push(`| ${t} | ${m.labels.length} | sentivec, vectors ${vectors} (blueprint ${m.info.blueprint.id}; word vectors ${shared}) | ${(100 * r.accuracy).toFixed(2)}% | ${r.macroF1.toFixed(4)} | ${e ? `${(100 * e.value).toFixed(2)}% [${(100 * e.low).toFixed(1)}, ${(100 * e.high).toFixed(1)}]` : 'none'} |`);
      console.log(lines.at(-1));
    }
  }
  for (const t of flag('no-sklearn') ? [] : TARGETS) {
    const peer = sklearnPeer(train, test, t, [...new Set(train.map((d) => d.values[t]))].sort(), seed);
    if (peer) lines.push(`| ${t} | ${new Set(train.map((d) => d.values[t])).size} | scikit-learn TF-IDF uni+bigrams LinearSVC, C = ${peer.C} by 5-fold CV | ${(100 * peer.accuracy).toFixed(2)}% | ${peer.macroF1.toFixed(4)} | — |`);
  }
  console.log(`\ntrain time: ${times.join('; ')}`);
  console.log(`load average at the end ${load()}`);
  console.log('\n| target | classes | model | held-out accuracy | macro-F1 | CV estimate on the 80% [95%] |\n|---|---|---|---|---|---|');
  for (const l of lines) console.log(l);
}

function load(): string {
  return os.loadavg().map((x) => x.toFixed(1)).join(' ');
}

await main();
