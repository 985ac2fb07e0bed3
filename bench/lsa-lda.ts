/**
 * Speed of the LSA and LDA baselines at the size of the paper's training set:
 * 75k documents × 5k terms, ~133 tokens (~110 distinct terms) per document,
 * about 10M tokens, word frequencies Zipfian. Documents are drawn from 50
 * planted topics over a Zipfian background so that LDA's sampler sees
 * realistic structure (its convergence speed depends on it).
 *
 *   npm run build && node dist/bench/lsa-lda.js [--only lsa|lda] [--docs N] [--threads T] [--iterations I]
 *     [--sampler wasm,js]  (LDA's sweep implementations, timed in the same run)
 */
import os from 'node:os';
import type { CsrMatrix } from '../src/features/csr.js';
import { Lsa } from '../src/models/baselines/lsa.js';
import { Lda } from '../src/models/baselines/lda.js';
import { Rng } from '../src/util/rng.js';
import { cumulative, draw } from './sampling.js';
import { arg } from './common.js';


function syntheticCorpus(docs: number, vocab: number, topics: number, meanLength: number, seed: number): CsrMatrix {
  const rng = new Rng(seed);
  // Background and topics are Zipf(1) over differently permuted vocabularies.
  const zipf = Float64Array.from({ length: vocab }, (_, r) => 1 / (r + 10));
  const background = cumulative(zipf);
  const topicCums = Array.from({ length: topics }, () => {
    const perm = rng.shuffle(Int32Array.from({ length: vocab }, (_, i) => i));
    const w = new Float64Array(vocab);
    for (let r = 0; r < vocab; r++) w[perm[r]] = zipf[r] * (r < 300 ? 20 : 1);
    return cumulative(w);
  });
  const indptr = new Int32Array(docs + 1);
  // Typed and grown by doubling, so the corpus itself does not dominate peak RSS.
  let indices = new Int32Array(1 << 20);
  let data = new Float64Array(1 << 20);
  let nnz = 0;
  const counts = new Float64Array(vocab);
  for (let d = 0; d < docs; d++) {
    // Log-normal lengths like real reviews; three topics per document plus background.
    const len = Math.max(5, Math.round(meanLength * Math.exp(0.6 * rng.normal() - 0.18)));
    const mine = [rng.int(topics), rng.int(topics), rng.int(topics)];
    for (let i = 0; i < len; i++) {
      const u = rng.next();
      const cum = u < 0.5 ? background : topicCums[mine[Math.floor((u - 0.5) * 6)]];
      counts[draw(cum, rng.next())]++;
    }
    if (nnz + len > indices.length) {
      const i2 = new Int32Array(indices.length * 2);
      i2.set(indices);
      indices = i2;
      const d2 = new Float64Array(data.length * 2);
      d2.set(data);
      data = d2;
    }
    for (let w = 0; w < vocab; w++) {
      if (counts[w] > 0) {
        indices[nnz] = w;
        data[nnz++] = counts[w];
        counts[w] = 0;
      }
    }
    indptr[d + 1] = nnz;
  }
  return { rows: docs, cols: vocab, indptr, indices: indices.slice(0, nnz), data: data.slice(0, nnz) };
}

const peakMb = (): string => (process.resourceUsage().maxRSS / 1024).toFixed(0);
/** CPU seconds of all threads: on a shared, busy machine wall time alone says little. */
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const docs = Number(arg('docs') ?? 75_000);
const only = arg('only');
const threads = Number(arg('threads') ?? 2);
const iterations = arg('iterations');

let t = performance.now();
const x = syntheticCorpus(docs, 5000, 50, 133, 42);
let tokens = 0;
for (const c of x.data) tokens += c;
console.log(
  `corpus: ${x.rows} docs × ${x.cols} terms, ${tokens} tokens, ${(x.indices.length / x.rows).toFixed(1)} distinct terms/doc, ` +
    `${((performance.now() - t) / 1000).toFixed(1)} s to generate, peak RSS ${peakMb()} MB`,
);

if (only !== 'lda') {
  t = performance.now();
  const cpu = cpuSeconds();
  const lsa = new Lsa({ seed: 1 }).fit(x);
  const s = (performance.now() - t) / 1000;
  console.log(`LSA dim=${lsa.dim} weighting=${lsa.weighting} q=${lsa.powerIterations}: ${s.toFixed(1)} s (${(cpuSeconds() - cpu).toFixed(1)} CPU s), peak RSS ${peakMb()} MB, σ1..3 = ${[...lsa.singularValues.slice(0, 3)].map((v) => v.toFixed(1)).join(', ')}`);
}

if (only !== 'lsa') {
  // Both samplers in the same run, so their ratio survives a busy machine; they must agree to the last bit.
  const samplers = (arg('sampler') ?? 'wasm,js').split(',') as ('wasm' | 'js')[];
  const runs: { sampler: string; cpu: number; counts: Int32Array }[] = [];
  for (const sampler of samplers) {
    t = performance.now();
    const cpu = cpuSeconds();
    const it = iterations === undefined ? {} : { maxIterations: Number(iterations), minIterations: Number(iterations) };
    const lda = new Lda({ seed: 1, threads, kernels: sampler, ...it }).fit(x);
    const s = (performance.now() - t) / 1000;
    const cpuS = cpuSeconds() - cpu;
    runs.push({ sampler, cpu: cpuS / lda.iterations, counts: lda.wordTopicCounts });
    const ll = lda.logLikelihood;
    const trace = ll.filter((_, i) => i % 10 === 9 || i === ll.length - 1).map((v) => v.toFixed(4)).join(' ');
    console.log(
      `LDA K=${lda.topics} threads=${threads} sampler=${sampler}: ${lda.iterations} sweeps (${lda.converged ? 'converged' : 'hit maxIterations'}) in ${s.toFixed(1)} s, ${cpuS.toFixed(1)} CPU s ` +
        `(${((s / lda.iterations / tokens) * 1e9).toFixed(0)} ns wall, ${((cpuS / lda.iterations / tokens) * 1e9).toFixed(0)} ns CPU per token per sweep), peak RSS ${peakMb()} MB`,
    );
    console.log(`  log p(w,z)/N every 10 sweeps: ${trace}`);
  }
  for (const r of runs.slice(1)) {
    const same = r.counts.length === runs[0].counts.length && r.counts.every((c, i) => c === runs[0].counts[i]);
    console.log(
      `CPU per sweep ${runs[0].sampler} / ${r.sampler}: ${(runs[0].cpu / r.cpu).toFixed(2)}; final counts ${same ? 'identical' : 'DIFFER'}`,
    );
  }
  console.log(`load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
}
