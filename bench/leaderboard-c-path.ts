/**
 * npm run bench:leaderboard-c-path [-- --sizes 2000,5000 --orders 1,2,3 --seed 1]
 *
 * Where the leaderboard's n-gram blueprints spend their time: the C path of
 * the logistic-regression head on NB-scaled word (+ n-gram) columns, as
 * fitBlueprint builds them for nbsvm-uni / nbsvm-bi / nbsvm-tri, on a
 * seeded subset of IMDb's training reviews (one training split of 80%, the
 * product's C grid). For each C, ascending: a cold fit (from α = 0, what
 * chooseLogisticC did before) and a warm one (LogisticRegression.fitFrom,
 * from the fit at the previous C, what it does now): seconds, solver passes,
 * held-out accuracy of each. The warm and cold fits stop by the same rule, so
 * their accuracies should agree to within a document or two.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { vectorsWithBnc } from '../src/features/document-features.js';
import { takeRows } from '../src/features/matrix.js';
import { NbRatios } from '../src/features/nb-ratios.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { DEFAULT_MODEL_C_GRID } from '../src/models/product/train-model.js';
import { ngramTermsFor } from '../src/models/product/ngram-terms.js';
import { buildRecordCorpus } from '../src/text/record-corpus.js';
import { Tokenizer } from '../src/text/tokenizer.js';
import { arg, dataFile, memorySource, numberArg, shuffled } from './common.js';

const seed = numberArg('seed', 1);
const sizes = arg('sizes', '2000,5000').split(',').map(Number);
const orders = arg('orders', '1,2,3').split(',').map(Number);

async function main(): Promise<void> {
  console.log(`bench:leaderboard-c-path, seed ${seed}, sizes ${sizes.join(',')}, orders ${orders.join(',')}, grid ${DEFAULT_MODEL_C_GRID.join(',')}, ${new Date().toISOString()}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const docs: { text: string; label: string }[] = [];
  for await (const r of readAclImdb(dataFile(), { buckets: ['train'] })) docs.push({ text: r.text, label: r.label });
  const pool = shuffled(docs, seed);
  console.log('\n| docs | order | columns | C | cold s | cold passes | cold acc % | warm s | warm passes | warm acc % |\n|---|---|---|---|---|---|---|---|---|---|');
  const totals: string[] = [];
  for (const n of sizes) {
    const corpus = await buildRecordCorpus(memorySource('imdb', pool.slice(0, n)), [], { tokenizer: new Tokenizer({ mode: 'product' }), target: { kind: 'label', positive: 'pos' } });
    const cut = Math.round(0.8 * n);
    const trainRows = Int32Array.from({ length: cut }, (_, i) => i);
    const testRows = Int32Array.from({ length: n - cut }, (_, i) => cut + i);
    const yOf = (rows: Int32Array): Uint8Array => Uint8Array.from(rows, (d) => (corpus.targets[d] > 0.5 ? 1 : 0));
    for (const order of orders) {
      const table = order > 1 ? ngramTermsFor(corpus, order).table : undefined;
      const all = vectorsWithBnc(corpus.docs, { dim: 0, vocabSize: corpus.vocabulary.size, data: new Float32Array(0) }, Int32Array.from({ length: n }, (_, i) => i), table);
      const yTr = yOf(trainRows);
      const yEv = yOf(testRows);
      // NB ratios from the training split only (as every fit does), scaling every column.
      const r = NbRatios.fit(takeRows(all, [...trainRows]), yTr, { alpha: 1 }).ratios(1);
      for (let p = 0; p < all.indptr[all.rows]; p++) all.data[p] *= r[all.indices[p]];
      const xTr = takeRows(all, [...trainRows]);
      const xEv = takeRows(all, [...testRows]);
      const acc = (m: LogisticRegression): number => m.predict(xEv).reduce((h, p, i) => h + (p === yEv[i] ? 1 : 0), 0) / yEv.length;
      let prev: LogisticRegression | undefined;
      let cold = 0;
      let warm = 0;
      for (const C of DEFAULT_MODEL_C_GRID) {
        const t0 = performance.now();
        const c = new LogisticRegression({ C, seed }).fit(xTr, yTr);
        const t1 = performance.now();
        const w = prev ? new LogisticRegression({ C, seed }).fitFrom(xTr, yTr, prev) : c;
        const t2 = performance.now();
        cold += t1 - t0;
        warm += prev ? t2 - t1 : t1 - t0;
        console.log(`| ${n} | ${order} | ${all.cols} | ${C} | ${((t1 - t0) / 1000).toFixed(2)} | ${c.nIter} | ${(100 * acc(c)).toFixed(2)} | ${((prev ? t2 - t1 : t1 - t0) / 1000).toFixed(2)} | ${w.nIter} | ${(100 * acc(w)).toFixed(2)} |`);
        prev = w;
      }
      totals.push(`${n} docs, order ${order}: whole grid cold ${(cold / 1000).toFixed(1)} s, warm ${(warm / 1000).toFixed(1)} s (${(cold / warm).toFixed(2)}×)`);
    }
  }
  console.log(`\n${totals.join('\n')}\nload average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

await main();
