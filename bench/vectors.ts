/**
 * Speed of the paper's model at the real shape: 75,000 documents, |V| = 5,000,
 * β = 50, ~133 tokens (~119 distinct terms) per document, ~10M tokens,
 * synthetic Zipfian reviews (vectors-corpus.ts). Prints the kernels' GFLOP/s
 * at the training chunk size, then fits and prints every epoch's objective
 * and seconds.
 *
 *   npm run build && node dist/bench/vectors.js [--docs 75000] [--labeled 25000] [--vocab 5000]
 *     [--dim 50] [--skip-kernels] [--no-sentiment] and any of the estimator's options
 *     [--epochs N] [--threads T] [--batch B] [--lr η] [--decay γ] [--lambda λ] [--nu ν] [--sw w_s] [--tol t]
 */
import { SentimentVectors } from '../src/models/embeddings/sentiment-vectors.js';
import { createKernels, resolveKernels } from '../src/runtime/kernels.js';
import { CHUNK } from '../src/models/embeddings/workspace.js';
import { Rng } from '../src/util/rng.js';
import { syntheticReviews } from './vectors-corpus.js';
import { flag, numberArg } from './common.js';


const D = numberArg('docs', 75_000);
const V = numberArg('vocab', 5000);
const dim = numberArg('dim', 50);

/** The kernels this fit uses, at the training chunk size (bench/kernels.ts compares implementations and numpy). */
function kernels(): void {
  const m = CHUNK;
  const rng = new Rng(1);
  const kind = resolveKernels();
  const k = createKernels(kind);
  const P = Math.ceil(dim / 4) * 4;
  const buf = k.allocate({ theta: ['vec', m * P], w: ['vec', V * P], s: ['vec', m * V], g: ['vec', m * P], gw: ['vec', V * P], bias: ['vec', V], lse: ['f64', m] });
  for (const a of [buf.theta, buf.w, buf.bias]) for (let i = 0; i < a.length; i++) a[i] = 0.1 * rng.normal();
  const { theta, w, s, g, gw, bias, lse } = buf;
  const flops = 2 * m * V * P;
  const time = (name: string, f: () => void): number => {
    for (let r = 0; r < 3; r++) f();
    let reps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) {
      f();
      reps++;
    }
    const sec = (performance.now() - t0) / 1000 / reps;
    const rate = name.startsWith('softmax') ? `${((m * V) / sec / 1e6).toFixed(0)} M exp/s` : `${(flops / sec / 1e9).toFixed(2)} GFLOP/s`;
    console.log(`  ${name.padEnd(30)} ${(sec * 1e3).toFixed(2).padStart(7)} ms  ${rate}`);
    return sec;
  };
  console.log(`${kind} kernels, one chunk of ${m} documents × |V| ${V} × β ${dim} (padded to ${P}; one thread):`);
  const nt = time('gemmNT  S = Θ Rᵀ', () => k.gemmNT(m, V, P, theta, w, s));
  const sm = time('softmax rows', () => k.softmaxRows(m, V, s, bias, lse));
  const nn = time('gemmNN  G = E R', () => k.gemmNN(m, P, V, s, w, g));
  const tn = time('gemmTN  ∇R += Eᵀ Θ', () => k.gemmTNAdd(V, P, m, s, theta, gw));
  // An epoch: R phase (NT, softmax, TN) + θ phase (NT, softmax, NN; then NT, softmax to check).
  const perChunk = nt + sm + tn + (nt + sm + nn) + (nt + sm);
  console.log(`  ≈ ${((perChunk * D) / m).toFixed(1)} s of kernel time per epoch on one thread for ${D} documents`);
}

if (!flag('skip-kernels')) kernels();

const t0 = performance.now();
const corpus = syntheticReviews({ docs: D, labeled: numberArg('labeled', Math.min(D, 25_000)), vocab: V, meanLength: 133, seed: 7 });
let distinct = 0;
for (let d = 0; d < D; d++) distinct += new Set(corpus.docs.tokens.subarray(corpus.docs.offsets[d], corpus.docs.offsets[d + 1])).size;
console.log(`corpus: ${D} docs, ${corpus.docs.tokens.length} tokens, ${(distinct / D).toFixed(0)} distinct terms/doc (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

// Unset options keep SentimentVectors' defaults, so this measures what a plain fit() does.
const given = (name: string): number | undefined => (flag(name) ? numberArg(name, NaN) : undefined);
const model = new SentimentVectors({
  dim,
  threads: given('threads'),
  batchSize: given('batch'),
  maxEpochs: given('epochs'),
  learningRate: given('lr'),
  learningRateDecay: given('decay'),
  lambda: given('lambda'),
  nu: given('nu'),
  sentimentWeight: given('sw'),
  useSentiment: !flag('no-sentiment'),
  tol: given('tol'),
  onEpoch: (e) =>
    console.log(
      `epoch ${String(e.epoch).padStart(2)}  F = ${e.objective.toExponential(8)}  ${e.seconds.toFixed(1).padStart(6)} s (θ ${e.thetaSeconds.toFixed(1)} s)  ${e.accepted ? '' : 'UNDONE '}lr ${e.learningRate.toPrecision(3)}  median ‖∂L/∂θ‖/N ${e.thetaGradient.toExponential(2)}`,
    ),
});
const t1 = performance.now();
model.fit(corpus.docs, corpus.stars, V);
const fitSeconds = (performance.now() - t1) / 1000;
console.log(`fit: ${model.epochs} epochs in ${fitSeconds.toFixed(1)} s (${(fitSeconds / Math.max(1, model.epochs)).toFixed(1)} s/epoch incl. start), converged: ${model.converged}`);
if (model.effectiveSentimentWeight > 0) {
  let sep = 0;
  for (const p of corpus.positive) for (const n of corpus.negative) {
    const sp = model.bc + model.psi.reduce((s, x, j) => s + x * model.R.data[p * dim + j], 0);
    const sn = model.bc + model.psi.reduce((s, x, j) => s + x * model.R.data[n * dim + j], 0);
    if (sp > sn) sep++;
  }
  console.log(`planted polarity pairs ordered correctly by ψᵀφ_w: ${((100 * sep) / (corpus.positive.length * corpus.negative.length)).toFixed(1)}%`);
}
