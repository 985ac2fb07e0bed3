// The dual coordinate descent of src/models/classifiers/svm.ts (solveDualSvc), in
// WebAssembly. In TypeScript each typed-array access in the row loops carries
// a map check, a bounds check and reloads of the array's length and base, so
// a sparse nonzero costs ~4× the instructions of LIBLINEAR's C loop, and the
// out-of-order window reaches fewer cache lines ahead; here it is a load.
// Every floating-point operation is the TypeScript solver's, in the same
// order (the dense block's two-lane sums are its s0/s1 and s2/s3
// accumulators), and the permutation comes from the same xoshiro128**
// stream, so both paths give the same weights to the last bit.
//
// Memory layout is the caller's (src/models/classifiers/svm-wasm.ts): it places
// the arrays and passes their addresses to setRows / setDual.

import { randInt } from './rng';
export { setRng } from './rng';

let gIndptr: usize = 0; // i32 × (rows + 1)
let gIndices: usize = 0; // u16 (or i32 when `wide`) per nonzero
let gWide = false;
let gData: usize = 0; // f64 per nonzero
let gSplit: usize = 0; // i32 per row: start of the run of equal values ending the row
let gTail: usize = 0; // f64 per row: that run's value
let gDense: i32 = 0; // leading entries of every row that are columns 0, 1, …
let gW: usize = 0; // f64 per column

let gY: usize = 0; // f64 ±1 per row
let gAlpha: usize = 0; // f64 per row
let gQD: usize = 0; // f64 per row
let gIndex: usize = 0; // i32 per row
let biasW: f64 = 0;
let iterations: i32 = 0;

export function heapBase(): usize {
  return __heap_base;
}

export function setRows(indptr_: usize, indices_: usize, data_: usize, split_: usize, tail_: usize, w_: usize): void {
  gIndptr = indptr_;
  gIndices = indices_;
  gData = data_;
  gSplit = split_;
  gTail = tail_;
  gW = w_;
}

/**
 * svm.ts solverRows + the QD of solveDualSvc, on rows already in memory with
 * i32 column indices: checks the indices lie in [0, cols) (returns 0 if not),
 * narrows them to u16 in place when cols ≤ 65536, fills split, tail and QD
 * (QD needs setDual first), and finds the dense prefix. Returns 1.
 */
export function prepare(l: i32, cols: i32, bias2: f64, diagP: f64, diagN: f64): i32 {
  const indptr = gIndptr;
  const indices = gIndices;
  const data = gData;
  const nnz = load<i32>(indptr + (<usize>l << 2));
  const wide = cols > 65536;
  gWide = wide;
  let bad = false;
  if (wide) {
    for (let p = 0; p < nnz; p++) bad = bad || <u32>load<i32>(indices + (<usize>p << 2)) >= <u32>cols;
  } else {
    // Narrowing in place is safe: entry p is read (at 4p) before 2p is written.
    for (let p = 0; p < nnz; p++) {
      const c = load<i32>(indices + (<usize>p << 2));
      bad = bad || <u32>c >= <u32>cols;
      store<u16>(indices + (<usize>p << 1), <u16>c);
    }
  }
  if (bad) return 0;
  let k: i32 = i32.MAX_VALUE;
  for (let i = 0; i < l; i++) {
    const a = load<i32>(indptr + (<usize>i << 2));
    const b = load<i32>(indptr + (<usize>(i + 1) << 2));
    let sq: f64 = 0;
    for (let p = a; p < b; p++) {
      const v = load<f64>(data + (<usize>p << 3));
      sq += v * v;
    }
    const v = a < b ? load<f64>(data + (<usize>(b - 1) << 3)) : 0;
    let p = b;
    while (p > a && load<f64>(data + (<usize>(p - 1) << 3)) == v) p--;
    store<i32>(gSplit + (<usize>i << 2), p);
    store<f64>(gTail + (<usize>i << 3), v);
    store<f64>(gQD + (<usize>i << 3), (load<f64>(gY + (<usize>i << 3)) > 0 ? diagP : diagN) + sq + bias2);
    if (k > 0) {
      const e = min(p, a + k);
      let q = a;
      while (q < e && (wide ? load<i32>(indices + (<usize>q << 2)) : <i32>load<u16>(indices + (<usize>q << 1))) == q - a) q++;
      k = q - a;
    }
  }
  gDense = l == 0 ? 0 : k & ~3;
  return 1;
}

export function denseLength(): i32 {
  return gDense;
}

export function setDual(y_: usize, alpha_: usize, QD_: usize, index_: usize): void {
  gY = y_;
  gAlpha = alpha_;
  gQD = QD_;
  gIndex = index_;
}

export function biasWeight(): f64 {
  return biasW;
}

export function iterationsRun(): i32 {
  return iterations;
}

// T: the column index type, u16 or i32 (one instantiation each, so the
// inner loops carry no branch on it).
@inline function wAt<T>(w: usize, indices: usize, p: i32): usize {
  return w + (<usize>load<T>(indices + (<usize>p << alignof<T>())) << 3);
}

/** wᵀx_i without the bias feature: svm.ts rowDot. */
function rowDot<T>(i: i32): f64 {
  // Globals in locals: V8 reloads a global on every use.
  const w = gW;
  const indices = gIndices;
  const data = gData;
  const indptr = gIndptr;
  const split = gSplit;
  const tail = gTail;
  const dense = gDense;
  let p = load<i32>(indptr + (<usize>i << 2));
  const sp = load<i32>(split + (<usize>i << 2));
  const end = load<i32>(indptr + (<usize>(i + 1) << 2));
  let a01 = f64x2.splat(0);
  let a23 = f64x2.splat(0);
  for (let k = 0; k < dense; k += 4, p += 4) {
    const x = data + (<usize>p << 3);
    const ww = w + (<usize>k << 3);
    a01 = f64x2.add(a01, f64x2.mul(v128.load(ww), v128.load(x)));
    a23 = f64x2.add(a23, f64x2.mul(v128.load(ww, 16), v128.load(x, 16)));
  }
  let q0 = f64x2.extract_lane(a01, 0);
  let q1 = f64x2.extract_lane(a01, 1);
  let q2 = f64x2.extract_lane(a23, 0);
  let q3 = f64x2.extract_lane(a23, 1);
  for (const e = sp - 3; p < e; p += 4) {
    const x = data + (<usize>p << 3);
    q0 += load<f64>(wAt<T>(w, indices, p)) * load<f64>(x);
    q1 += load<f64>(wAt<T>(w, indices, p + 1)) * load<f64>(x, 8);
    q2 += load<f64>(wAt<T>(w, indices, p + 2)) * load<f64>(x, 16);
    q3 += load<f64>(wAt<T>(w, indices, p + 3)) * load<f64>(x, 24);
  }
  for (; p < sp; p++) q0 += load<f64>(wAt<T>(w, indices, p)) * load<f64>(data + (<usize>p << 3));
  let t0: f64 = 0;
  let t1: f64 = 0;
  let t2: f64 = 0;
  let t3: f64 = 0;
  for (const e = end - 3; p < e; p += 4) {
    t0 += load<f64>(wAt<T>(w, indices, p));
    t1 += load<f64>(wAt<T>(w, indices, p + 1));
    t2 += load<f64>(wAt<T>(w, indices, p + 2));
    t3 += load<f64>(wAt<T>(w, indices, p + 3));
  }
  for (; p < end; p++) t0 += load<f64>(wAt<T>(w, indices, p));
  return q0 + q1 + (q2 + q3) + (t0 + t1 + (t2 + t3)) * load<f64>(tail + (<usize>i << 3));
}

/** w += d·x_i without the bias feature: svm.ts rowAxpy. */
function rowAxpy<T>(d: f64, i: i32): void {
  const w = gW;
  const indices = gIndices;
  const data = gData;
  const indptr = gIndptr;
  const split = gSplit;
  const tail = gTail;
  const dense = gDense;
  let p = load<i32>(indptr + (<usize>i << 2));
  const sp = load<i32>(split + (<usize>i << 2));
  const end = load<i32>(indptr + (<usize>(i + 1) << 2));
  const dd = f64x2.splat(d);
  for (let k = 0; k < dense; k += 2, p += 2) {
    const ww = w + (<usize>k << 3);
    v128.store(ww, f64x2.add(v128.load(ww), f64x2.mul(dd, v128.load(data + (<usize>p << 3)))));
  }
  for (; p < sp; p++) {
    const at = wAt<T>(w, indices, p);
    store<f64>(at, load<f64>(at) + d * load<f64>(data + (<usize>p << 3)));
  }
  const dv = d * load<f64>(tail + (<usize>i << 3));
  for (; p < end; p++) {
    const at = wAt<T>(w, indices, p);
    store<f64>(at, load<f64>(at) + dv);
  }
}

/**
 * solveDualSvc's loop (see its comment in svm.ts) over rows [0, l), from
 * α = 0, w = 0. Returns 1 when the stopping rule was met, 0 at maxIter.
 */
export function solve(
  l: i32, bias: f64, diagP: f64, diagN: f64, upperP: f64, upperN: f64,
  eps: f64, maxIter: i32, shrinking: i32,
): i32 {
  const y = gY;
  const alpha = gAlpha;
  const QD = gQD;
  const index = gIndex;
  const wide = gWide;
  let wb: f64 = 0;
  let activeSize = l;
  let PGmaxOld = Infinity;
  let PGminOld = -Infinity;
  let iter = 0;
  let converged = 0;
  while (iter < maxIter) {
    let PGmaxNew = -Infinity;
    let PGminNew = Infinity;
    for (let i = 0; i < activeSize; i++) {
      const j = i + randInt(activeSize - i);
      const at = index + (<usize>i << 2);
      const bt = index + (<usize>j << 2);
      const t = load<i32>(at);
      store<i32>(at, load<i32>(bt));
      store<i32>(bt, t);
    }
    for (let s = 0; s < activeSize; s++) {
      const i = load<i32>(index + (<usize>s << 2));
      const yi = load<f64>(y + (<usize>i << 3));
      const ai = load<f64>(alpha + (<usize>i << 3));
      const pos = yi > 0;
      const C = pos ? upperP : upperN;
      const G = yi * ((wide ? rowDot<i32>(i) : rowDot<u16>(i)) + wb * bias) - 1 + ai * (pos ? diagP : diagN);
      let PG: f64 = 0;
      if (ai == 0) {
        if (G > PGmaxOld) {
          activeSize--;
          store<i32>(index + (<usize>s << 2), load<i32>(index + (<usize>activeSize << 2)));
          store<i32>(index + (<usize>activeSize << 2), i);
          s--;
          continue;
        }
        if (G < 0) PG = G;
      } else if (ai == C) {
        if (G < PGminOld) {
          activeSize--;
          store<i32>(index + (<usize>s << 2), load<i32>(index + (<usize>activeSize << 2)));
          store<i32>(index + (<usize>activeSize << 2), i);
          s--;
          continue;
        }
        if (G > 0) PG = G;
      } else {
        PG = G;
      }
      if (PG > PGmaxNew) PGmaxNew = PG;
      if (PG < PGminNew) PGminNew = PG;
      if (PG > 1e-12 || PG < -1e-12) {
        let a = ai - G / load<f64>(QD + (<usize>i << 3));
        a = a < 0 ? 0 : a > C ? C : a;
        store<f64>(alpha + (<usize>i << 3), a);
        const d = (a - ai) * yi;
        if (wide) rowAxpy<i32>(d, i);
        else rowAxpy<u16>(d, i);
        wb += d * bias;
      }
    }
    iter++;
    if (PGmaxNew - PGminNew <= eps) {
      if (activeSize == l) {
        converged = 1;
        break;
      }
      activeSize = l;
      PGmaxOld = Infinity;
      PGminOld = -Infinity;
      continue;
    }
    PGmaxOld = shrinking != 0 && PGmaxNew > 0 ? PGmaxNew : Infinity;
    PGminOld = shrinking != 0 && PGminNew < 0 ? PGminNew : -Infinity;
  }
  iterations = iter;
  biasW = wb;
  return converged;
}
