/**
 * npm run bench:multi-target [-- --seed 1] [--blueprint ID] [--no-sklearn]
 *
 * Several targets at once (issue #14 item 3) on airline tweets
 * (../shared/data/twitter-airline-sentiment.csv): `airline_sentiment`
 * (negative / neutral / positive) and `airline` (six airlines: a
 * non-sentiment annotation), one seeded 80/20 split. One trainTargets run (as
 * `train --label airline_sentiment --target airline`: each target its own
 * leaderboard, or --blueprint, and its own cross-validated estimate on the
 * 80%), each target scored on the 20% (accuracy, macro-F1) beside its CV
 * estimate; in the same run on the same split, scikit-learn's TF-IDF
 * uni+bigram LinearSVC per target, C by 5-fold CV on the 80%
 * (bench/classes_sklearn.py, /usr/bin/python3).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { arraySource } from '../src/corpus/record.js';
import { classificationReport } from '../src/eval/metrics.js';
import { trainTargets } from '../src/models/product/train-targets.js';
import { arg, flag, numberArg } from './common.js';
import { readTweets, seededSplit, sklearnPeer, tweetsFile } from './airline-tweets.js';

const TARGETS = ['airline_sentiment', 'airline'] as const;
const seed = numberArg('seed', 1);

async function main(): Promise<void> {
  const blueprint = arg('blueprint');
  console.log(`bench:multi-target, seed ${seed}${blueprint ? `, blueprint ${blueprint}` : ''}, ${new Date().toISOString()}, node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const { train, test } = seededSplit(await readTweets(tweetsFile(), TARGETS), seed);
  console.log(`airline tweets: ${train.length} train / ${test.length} test (seeded 80/20); targets ${TARGETS.join(', ')}`);
  const t0 = performance.now();
  const model = await trainTargets(
    TARGETS.map((t) => ({ name: t, source: arraySource(train.map((d) => ({ text: d.text, label: d.values[t] })), `tweets-train-${t}`), target: { kind: 'label' as const } })),
    { seed, ...(blueprint ? { blueprint } : {}) },
  );
  const seconds = (performance.now() - t0) / 1000;
  console.log(`trained ${TARGETS.length} targets in ${seconds.toFixed(1)} s`);
  const lines: string[] = [];
  for (const t of TARGETS) {
    const m = model.target(t);
    const predicted = m.predict(test.map((d) => d.text), 0).map((p) => m.labels.indexOf(p.label));
    const r = classificationReport(test.map((d) => m.labels.indexOf(d.values[t])), predicted, m.labels);
    const e = m.info.estimate;
    lines.push(`| ${t} | ${m.labels.length} | sentivec (blueprint ${m.info.blueprint.id}) | ${(100 * r.accuracy).toFixed(2)}% | ${r.macroF1.toFixed(4)} | ${e ? `${(100 * e.value).toFixed(2)}% [${(100 * e.low).toFixed(1)}, ${(100 * e.high).toFixed(1)}]` : 'none'} |`);
    const peer = flag('no-sklearn') ? undefined : sklearnPeer(train, test, t, [...new Set(train.map((d) => d.values[t]))].sort(), seed);
    if (peer) lines.push(`| ${t} | ${m.labels.length} | scikit-learn TF-IDF uni+bigrams LinearSVC, C = ${peer.C} by 5-fold CV | ${(100 * peer.accuracy).toFixed(2)}% | ${peer.macroF1.toFixed(4)} | — |`);
    console.log(lines.slice(-2).join('\n'));
  }
  console.log(`\nload average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('\n| target | classes | model | held-out accuracy | macro-F1 | CV estimate on the 80% [95%] |\n|---|---|---|---|---|---|');
  for (const l of lines) console.log(l);
}

await main();
