/**
 * DV-ngrams-cosine document vectors (models/embeddings/doc-vectors.ts): the
 * cosine objective's gradient against finite differences, the WebAssembly
 * kernel's step against that gradient, the n-gram targets, and a small fit
 * whose vectors separate two kinds of documents, inferred ones included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocVectors, cosinePairGradient, kernelStep, noiseTable, keepProbabilities } from '../src/models/embeddings/doc-vectors.js';
import { DocVectorJob } from '../src/models/embeddings/doc-vector-job.js';
import { NgramTargets } from '../src/features/ngram-targets.js';
import { NgramHasher } from '../src/features/ngrams.js';
import { DocumentBuilder } from '../src/text/documents.js';
import { Rng } from '../src/util/rng.js';

test('cosine pair objective: gradients against central finite differences, both labels', () => {
  const rng = new Rng(3);
  for (const label of [1, 0] as const) {
    const d = Array.from({ length: 8 }, () => rng.normal());
    const w = Array.from({ length: 8 }, () => rng.normal());
    const g = cosinePairGradient(d, w, label, 6);
    const h = 1e-6;
    for (const [x, grad] of [[d, g.dd], [w, g.dw]] as const) {
      for (let i = 0; i < x.length; i++) {
        const keep = x[i];
        x[i] = keep + h;
        const up = cosinePairGradient(d, w, label, 6).loss;
        x[i] = keep - h;
        const down = cosinePairGradient(d, w, label, 6).loss;
        x[i] = keep;
        const fd = (up - down) / (2 * h);
        assert.ok(Math.abs(fd - grad[i]) < 1e-6 * Math.max(1, Math.abs(fd)), `label ${label}, coordinate ${i}: analytic ${grad[i]}, finite difference ${fd}`);
      }
    }
  }
});

test('the WebAssembly step moves d and w by −lr × the gradient, and reports the loss', () => {
  const rng = new Rng(4);
  for (const label of [1, 0] as const) {
    const d = Float32Array.from({ length: 12 }, () => rng.normal());
    const w = Float32Array.from({ length: 12 }, () => rng.normal());
    const lr = 0.01;
    const g = cosinePairGradient(d, w, label, 6);
    const s = kernelStep(d, w, label, lr, 6);
    assert.ok(Math.abs(s.loss - g.loss) < 1e-5, `loss ${s.loss} vs ${g.loss}`);
    for (let i = 0; i < 12; i++) {
      assert.ok(Math.abs(s.d[i] - (d[i] - lr * g.dd[i])) < 1e-5, `d[${i}]`);
      assert.ok(Math.abs(s.w[i] - (w[i] - lr * g.dw[i])) < 1e-5, `w[${i}]`);
    }
    // The step lowers the pair's loss.
    assert.ok(cosinePairGradient(s.d, s.w, label, 6).loss < g.loss);
  }
});

test('noise table follows count^0.75; sub-sampling keeps rare targets and thins frequent ones', () => {
  const table = noiseTable(Float64Array.from([1, 16]), new Int32Array(1 << 16));
  const share1 = table.filter((t) => t === 1).length / table.length;
  assert.ok(Math.abs(share1 - 8 / 9) < 1e-3, `${share1}`);
  const keep = keepProbabilities(Float64Array.from([1, 999]), 0.01, new Float32Array(2));
  assert.equal(keep[0], 1);
  assert.ok(keep[1] < 0.2);
  assert.deepEqual(Array.from(keepProbabilities(Float64Array.from([1, 999]), 0, new Float32Array(2))), [1, 1]);
});

/** Documents of two kinds: words a* with b* noise, or c* with b* noise. */
function corpus(n: number, seed: number): { docs: ReturnType<DocumentBuilder['finish']>; kind: number[]; words: string[] } {
  const words: string[] = [];
  for (const p of ['a', 'b', 'c']) for (let i = 0; i < 30; i++) words.push(`${p}${i}`);
  const rng = new Rng(seed);
  const b = new DocumentBuilder();
  const kind: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 2;
    kind.push(k);
    b.begin();
    for (let t = 0; t < 20; t++) b.token(rng.next() < 0.5 ? 30 + rng.int(30) : (k === 0 ? 0 : 60) + rng.int(30));
  }
  return { docs: b.finish(), kind, words };
}

test('n-gram targets: distinct per document, count cut on the learning documents only', () => {
  const words = ['x', 'y', 'z', 'q'];
  const b = new DocumentBuilder();
  b.push([0, 1, 0, 1]); // x y x y: x, y, "x y" (twice, kept once), "y x"
  b.push([0, 1]); // x, y, "x y"
  const learn = b.finish();
  const hashes = NgramHasher.tokenHashes(words);
  const t = NgramTargets.fit([learn], hashes, { order: 2, bits: 20, minCount: 2 });
  assert.equal(t.size, 3); // x, y, "x y"
  assert.deepEqual(Array.from(t.counts).sort(), [2, 2, 2]);
  const d = t.transform(learn, hashes);
  assert.deepEqual([d.offsets[1] - d.offsets[0], d.offsets[2] - d.offsets[1]], [3, 3]);
  // A held-out document's unseen words (z, q) get no target.
  const h = new DocumentBuilder();
  h.push([2, 3, 0]);
  assert.equal(t.transform(h.finish(), hashes).tokens.length, 1);
});

test('document vectors: learned and inferred vectors separate two kinds of documents; same seed, same vectors', () => {
  const train = corpus(200, 1);
  const held = corpus(60, 2);
  const hashes = NgramHasher.tokenHashes(train.words);
  const targets = NgramTargets.fit([train.docs], hashes, { order: 1, bits: 16, minCount: 1 });
  const opts = { dim: 16, epochs: 10, inferEpochs: 10, sample: 0, seed: 7 };
  const model = new DocVectors(opts);
  const learned = model.fit(targets.transform(train.docs, hashes), targets.counts);
  const inferred = model.infer(targets.transform(held.docs, hashes));
  // Nearest-centroid by cosine, centroids from the learned vectors: the inferred vectors land on their kind's side.
  const dim = 16;
  const unit = (x: Float32Array, i: number): number[] => {
    const r = Array.from(x.subarray(i * dim, (i + 1) * dim));
    const n = Math.hypot(...r);
    return r.map((v) => v / n);
  };
  const centroid = (k: number): number[] => {
    const c = new Array<number>(dim).fill(0);
    train.kind.forEach((kk, i) => kk === k && unit(learned, i).forEach((v, j) => (c[j] += v)));
    return c;
  };
  const c0 = centroid(0);
  const c1 = centroid(1);
  const dot = (a: number[], b: number[]): number => a.reduce((s, v, j) => s + v * b[j], 0);
  let right = 0;
  held.kind.forEach((k, i) => {
    const u = unit(inferred, i);
    if ((dot(u, c1) > dot(u, c0) ? 1 : 0) === k) right++;
  });
  assert.ok(right / held.kind.length > 0.95, `inferred vectors on their kind's side: ${right}/${held.kind.length}`);
  const again = new DocVectors(opts).fit(targets.transform(train.docs, hashes), targets.counts);
  assert.deepEqual(again, learned);
  assert.throws(() => new DocVectors({ dim: 10 }), /multiple of 4/);
  assert.throws(() => new DocVectors().infer(held.docs), /infer before fit/);
});

test('document vectors on a worker thread (DocVectorJob: fit and labeled inference there, held-out inference here): the same vectors, bit for bit, as fit + infer + infer on one thread', () => {
  const train = corpus(120, 3);
  const held = corpus(40, 4);
  const hashes = NgramHasher.tokenHashes(train.words);
  const targets = NgramTargets.fit([train.docs], hashes, { order: 2, bits: 16, minCount: 1 });
  const opts = { dim: 8, epochs: 3, inferEpochs: 2, seed: 11 };
  const learn = targets.transform(train.docs, hashes);
  const heldOut = targets.transform(held.docs, hashes);
  const job = DocVectorJob.start(learn, targets.counts, learn, heldOut, opts);
  const model = new DocVectors(opts);
  model.fit(learn, targets.counts);
  const labeled = model.infer(learn);
  const inferred = model.infer(heldOut);
  const got = job.wait();
  assert.deepEqual(got.labeled, labeled);
  assert.deepEqual(got.heldOut, inferred);
  assert.deepEqual(got.epochs.map((e) => `${e.phase} ${e.epoch}`), ['fit 1', 'fit 2', 'fit 3', 'infer 1', 'infer 2', 'infer 1', 'infer 2']);
  assert.ok(got.idleSeconds >= 0);
  assert.equal(job.wait(), got);
  // A model rebuilt from the outputs infers what the fitted one does; outputs of another shape are refused.
  const restored = DocVectors.restore(opts, targets.counts, model.outputs());
  assert.deepEqual(restored.infer(heldOut), inferred);
  assert.throws(() => DocVectors.restore({ ...opts, dim: 12 }, targets.counts, model.outputs()), /do not fit/);
  assert.throws(() => new DocVectors(opts).outputs(), /not fitted/);
  // A bad target id fails in the worker and surfaces here as the same user error.
  const bad = { count: 1, offsets: Int32Array.of(0, 1), tokens: Int32Array.of(targets.size + 5) };
  assert.throws(() => DocVectorJob.start(learn, targets.counts, bad, heldOut, opts).wait(), /target id .* outside/);
  // The same error from this thread's part (the held-out inference).
  assert.throws(() => DocVectorJob.start(learn, targets.counts, learn, bad, opts).wait(), /target id .* outside/);
});
