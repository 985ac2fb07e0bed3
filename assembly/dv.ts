// The SGD loop of src/models/embeddings/doc-vectors.ts (DV-ngrams-cosine
// document vectors), in WebAssembly with f32x4 SIMD. The objective, the
// sampling and the inference are stated there; this file is the arithmetic.
//
// For a document vector d and an output vector w (a word's or an n-gram's),
//   s = scale · cos(d, w),   loss = −log σ(s) (target) or −log σ(−s) (noise),
//   ∂s/∂d = scale · (w / (|d||w|) − cos · d / |d|²),
//   ∂s/∂w = scale · (d / (|d||w|) − cos · w / |w|²).
// As in word2vec, the document's gradient is accumulated over the target and
// its noise samples and applied after them; each output vector is updated at
// once (unless frozen, for inference) and its norm kept in outNorm.
//
// Memory layout is the caller's: it places the arrays and passes their
// addresses once to setArrays. `dim` is a multiple of 4.

import { nextUniform, randInt } from './rng';
export { setRng } from './rng';

let dim: i32 = 0;
let negative: i32 = 0;
let scale: f32 = 0;
let tableSize: i32 = 0;

let docStart: usize = 0; // i32 per document + 1: offsets into targets
let targets: usize = 0; // i32 target ids (distinct words and n-grams of each document)
let docVec: usize = 0; // f32, documents × dim
let outVec: usize = 0; // f32, targets × dim
let outNorm: usize = 0; // f32 per target: |w|
let keep: usize = 0; // f32 per target: probability an occurrence is kept (sub-sampling)
let table: usize = 0; // i32 × tableSize: noise ids, each in proportion to count^0.75
let grad: usize = 0; // f32 × dim scratch: the document's accumulated step

export function heapBase(): usize {
  return __heap_base;
}

export function setParams(dim_: i32, negative_: i32, scale_: f32, tableSize_: i32): void {
  dim = dim_;
  negative = negative_;
  scale = scale_;
  tableSize = tableSize_;
}

export function setArrays(docStart_: usize, targets_: usize, docVec_: usize, outVec_: usize, outNorm_: usize, keep_: usize, table_: usize, grad_: usize): void {
  docStart = docStart_;
  targets = targets_;
  docVec = docVec_;
  outVec = outVec_;
  outNorm = outNorm_;
  keep = keep_;
  table = table_;
  grad = grad_;
}

@inline function norm(p: usize): f32 {
  let acc = f32x4.splat(0);
  for (let i = 0; i < dim; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    acc = f32x4.add(acc, f32x4.mul(v, v));
  }
  return Mathf.sqrt(f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
}

/**
 * One (document, output) pair: adds lr · (−∂loss/∂d) to grad, and (unless
 * frozen) lr · (−∂loss/∂w) to w. Returns the pair's loss.
 */
function pair(d: usize, dn: f32, w: i32, label: f32, lr: f32, frozen: bool): f64 {
  const wv = outVec + ((<usize>w * <usize>dim) << 2);
  const wn = load<f32>(outNorm + (<usize>w << 2));
  if (dn <= 0 || wn <= 0) return 0;
  let acc = f32x4.splat(0);
  for (let i = 0; i < dim; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(d + (<usize>i << 2)), v128.load(wv + (<usize>i << 2))));
  const dot = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  const c = dot / (dn * wn);
  const s = scale * c;
  const sig: f32 = <f32>1.0 / (<f32>1.0 + Mathf.exp(-s));
  // a = lr · (−∂loss/∂s) · scale; −∂loss/∂s = label − σ(s) for both labels.
  const a: f32 = lr * (label - sig) * scale;
  const p1 = f32x4.splat(a / (dn * wn));
  const p2 = f32x4.splat((a * c) / (dn * dn));
  const p3 = f32x4.splat((a * c) / (wn * wn));
  let sq = f32x4.splat(0);
  for (let i = 0; i < dim; i += 4) {
    const off = <usize>i << 2;
    const dvv = v128.load(d + off);
    const wvv = v128.load(wv + off);
    v128.store(grad + off, f32x4.add(v128.load(grad + off), f32x4.sub(f32x4.mul(p1, wvv), f32x4.mul(p2, dvv))));
    if (!frozen) {
      const nw = f32x4.add(wvv, f32x4.sub(f32x4.mul(p1, dvv), f32x4.mul(p3, wvv)));
      v128.store(wv + off, nw);
      sq = f32x4.add(sq, f32x4.mul(nw, nw));
    }
  }
  if (!frozen) store<f32>(outNorm + (<usize>w << 2), Mathf.sqrt(f32x4.extract_lane(sq, 0) + f32x4.extract_lane(sq, 1) + f32x4.extract_lane(sq, 2) + f32x4.extract_lane(sq, 3)));
  const p: f32 = label > 0 ? sig : <f32>1.0 - sig;
  return -Math.log(<f64>Mathf.max(p, <f32>1e-30));
}

/** Applies grad to the document vector d, clears grad, and returns the new |d|. */
@inline function applyGrad(d: usize): f32 {
  const zero = f32x4.splat(0);
  for (let i = 0; i < dim; i += 4) {
    const off = <usize>i << 2;
    v128.store(d + off, f32x4.add(v128.load(d + off), v128.load(grad + off)));
    v128.store(grad + off, zero);
  }
  return norm(d);
}

/**
 * One pass over the documents order[i0 .. i1) (order: i32 document numbers
 * at address `order`): for each kept target of a document, the target and
 * `negative` noise ids drawn from the table (a draw equal to the target is
 * skipped). Output vectors stay fixed when `frozen`. Returns the summed loss.
 */
export function sweep(order: usize, i0: i32, i1: i32, lr: f32, frozen: bool): f64 {
  let loss: f64 = 0;
  for (let i = i0; i < i1; i++) {
    const doc = load<i32>(order + (<usize>i << 2));
    const d = docVec + ((<usize>doc * <usize>dim) << 2);
    let dn = norm(d);
    const a = load<i32>(docStart + (<usize>doc << 2));
    const b = load<i32>(docStart + (<usize>(doc + 1) << 2));
    for (let p = a; p < b; p++) {
      const t = load<i32>(targets + (<usize>p << 2));
      const k = load<f32>(keep + (<usize>t << 2));
      if (k < 1 && <f32>nextUniform() >= k) continue;
      loss += pair(d, dn, t, 1, lr, frozen);
      for (let n = 0; n < negative; n++) {
        const u = load<i32>(table + (<usize>randInt(tableSize) << 2));
        if (u === t) continue;
        loss += pair(d, dn, u, 0, lr, frozen);
      }
      dn = applyGrad(d);
    }
  }
  return loss;
}

/** One pair, alone: the step the loop takes for (document `doc`, output `w`, label), for the gradient test. */
export function step(doc: i32, w: i32, label: f32, lr: f32, frozen: bool): f64 {
  const d = docVec + ((<usize>doc * <usize>dim) << 2);
  const loss = pair(d, norm(d), w, label, lr, frozen);
  applyGrad(d);
  return loss;
}
