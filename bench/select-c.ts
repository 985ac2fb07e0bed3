/**
 * npm run bench:select-c — choosing the SVM's C by 5-fold CV (selectSvmC, as
 * `sentivec reproduce` does, grid extension included) on the real bow-bnc
 * and bow-dtc training features, on 1 thread and on 2, alternating in the
 * same run. Prints each run, the medians, their ratio, the load average, and
 * checks that both thread counts chose the same C with the same scores.
 *
 * Usage: node dist/bench/select-c.js [--data PATH] [--repeats N] [--rows bow-bnc,bow-dtc,lsa,lda]
 * (lsa and lda, 50 dense word-vector features, first fit their word vectors:
 * about 12 s and 200 s on a quiet machine; the default rows are the two bags of words).
 */
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { ExperimentRun } from '../src/eval/experiment.js';
import { imdbExperiment, loadImdb } from '../src/eval/imdb.js';
import { DEFAULT_C_GRID, selectSvmC } from '../src/eval/reproduce.js';
import { countMatrix, denseToCsr, takeRows } from '../src/features/matrix.js';
import { projectDocuments } from '../src/features/projection.js';
import { bdc, bnc, bnn, deltaIdf } from '../src/features/smart.js';
import { fixedFeatures, type CSelectionResult, type SplitFeaturizer } from '../src/models/classifiers/model-selection.js';
import { arg, dataFile, median, numberArg } from './common.js';

const data = dataFile();
const repeats = numberArg('repeats', 3);
const rows = arg('rows', 'bow-bnc,bow-dtc').split(',');
const load = (): string => os.loadavg().map((v) => v.toFixed(2)).join(' ');

console.log(`machine: ${os.availableParallelism()} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString()}, load ${load()}`);
const corpus = await loadImdb(data);
const counts = countMatrix(corpus.train.docs, corpus.vocabulary.size);
const y = corpus.train.labels;
const experiment = new ExperimentRun(imdbExperiment(corpus), { seed: 1, folds: 5, cGrid: DEFAULT_C_GRID });
// The word-vector rows' features, as reproduce.ts builds them (bnn → R v → cosine).
const vectorFeatures = (kind: 'lsa' | 'lda'): SplitFeaturizer => {
  const r = experiment.wordVectors(kind);
  return fixedFeatures(denseToCsr(projectDocuments(bnn(counts), r), r.dim));
};
const featurizers: Record<string, () => SplitFeaturizer> = {
  lsa: () => vectorFeatures('lsa'),
  lda: () => vectorFeatures('lda'),
  'bow-bnc': () => fixedFeatures(bnc(counts)),
  // Delta-idf is refitted on each split's training folds, as in reproduce.ts.
  'bow-dtc': () => (tr, ev) => {
    const xTr = takeRows(counts, tr);
    const idf = deltaIdf(xTr, Uint8Array.from(tr, (i) => y[i]));
    return { train: bdc(xTr, idf), eval: bdc(takeRows(counts, ev), idf) };
  },
};

for (const row of rows) {
  const make = featurizers[row];
  if (!make) throw new Error(`unknown row ${row} (bow-bnc, bow-dtc, lsa or lda)`);
  const featurize = make();
  const seconds: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const cpu: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const results: Record<1 | 2, CSelectionResult | undefined> = { 1: undefined, 2: undefined };
  for (let r = 0; r < repeats; r++) {
    // Alternate the order so drifting load hits both thread counts alike.
    for (const threads of r % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const sel = selectSvmC(featurize, y, { seed: 1, folds: 5, cGrid: DEFAULT_C_GRID, threads });
      const s = (performance.now() - t0) / 1000;
      // CPU time of all threads: what the work costs, whatever the load (wall time on a busy machine shows little).
      const used = process.cpuUsage(cpu0);
      const c = (used.user + used.system) / 1e6;
      seconds[threads].push(s);
      cpu[threads].push(c);
      if (results[threads] && !isDeepStrictEqual(results[threads], sel)) throw new Error(`${row}: threads=${threads} gave different results across runs`);
      results[threads] = sel;
      console.log(`${row} threads=${threads} run ${r + 1}: ${s.toFixed(2)} s wall, ${c.toFixed(2)} s CPU, C=${sel.C}, ${sel.scores.length} C values, load ${load()}`);
    }
  }
  const same = isDeepStrictEqual(results[1], results[2]);
  const m1 = median(seconds[1]);
  const m2 = median(seconds[2]);
  console.log(
    `${row}: selectSvmC median of ${repeats}: 1 thread ${m1.toFixed(2)} s, 2 threads ${m2.toFixed(2)} s, speed-up ×${(m1 / m2).toFixed(2)}; ` +
      `CPU s 1 thread ${median(cpu[1]).toFixed(2)}, 2 threads ${median(cpu[2]).toFixed(2)}; ` +
      `same C and scores: ${same ? 'yes' : 'NO'}; load ${load()}`,
  );
  if (!same) process.exitCode = 1;
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
