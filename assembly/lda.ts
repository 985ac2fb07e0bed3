// The collapsed Gibbs sweep of src/models/baselines/lda.ts (sampleShard), in
// WebAssembly with SIMD: each topic weight a_k (n_wk + η) is computed two
// topics per instruction. Every floating-point operation is the one the
// TypeScript sampler does, in the same order (the sums stay scalar, lane by
// lane), and the random stream is the same xoshiro128**, so a fit gives the
// same topics to the last bit on either path.
//
// Memory layout is the caller's (src/models/baselines/lda-wasm.ts): it places the arrays
// and passes their addresses once to setArrays.

import { nextUniform } from './rng';
export { setRng } from './rng';

let K: i32 = 0;
let alpha: f64 = 0;
let eta: f64 = 0;
let vEta: f64 = 0;
let lgKAlpha: f64 = 0;

let docStart: usize = 0; // i32 per document + 1, shard-local token offsets
let words: usize = 0; // i32 per token, already multiplied by K
let z: usize = 0; // u16 per token
let nwk: usize = 0; // i32, |V| × K
let nk: usize = 0; // i32 × K
let ndk: usize = 0; // i32 × K
let a: usize = 0; // f64 × K
let weight: usize = 0; // f64 × K (padded to a multiple of 4)
let blockSum: usize = 0; // f64 × ceil(K / 4)
let inv: usize = 0; // f64 × K
let lgAlpha: usize = 0; // f64: lnΓ(c + α) for c = 0..longest
let lgLen: usize = 0; // f64: lnΓ(n + Kα) for n = 0..longest
let docLL: f64 = 0;

export function heapBase(): usize {
  return __heap_base;
}

export function setParams(k: i32, alpha_: f64, eta_: f64, vEta_: f64, lgKAlpha_: f64): void {
  K = k;
  alpha = alpha_;
  eta = eta_;
  vEta = vEta_;
  lgKAlpha = lgKAlpha_;
}

export function setArrays(
  docStart_: usize, words_: usize, z_: usize, nwk_: usize, nk_: usize, ndk_: usize,
  a_: usize, weight_: usize, blockSum_: usize, inv_: usize, lgAlpha_: usize, lgLen_: usize,
): void {
  docStart = docStart_;
  words = words_;
  z = z_;
  nwk = nwk_;
  nk = nk_;
  ndk = ndk_;
  a = a_;
  weight = weight_;
  blockSum = blockSum_;
  inv = inv_;
  lgAlpha = lgAlpha_;
  lgLen = lgLen_;
}

/** Starts a sweep: inv_k = 1 / (n_k + |V|η) and the doc log-likelihood sum. */
export function beginSweep(): void {
  for (let k = 0; k < K; k++) store<f64>(inv + (<usize>k << 3), 1.0 / (<f64>load<i32>(nk + (<usize>k << 2)) + vEta));
  docLL = 0;
}

export function sweepLogLikelihood(): f64 {
  return docLL;
}

/** Resamples every token of documents [d0, d1) (shard-local numbers). */
export function sweepDocs(d0: i32, d1: i32): void {
  const fullBlocks = K >> 2;
  const blocks = (K + 3) >> 2;
  const etaV = f64x2.splat(eta);
  for (let d = d0; d < d1; d++) {
    const start = load<i32>(docStart + (<usize>d << 2));
    const end = load<i32>(docStart + (<usize>(d + 1) << 2));
    memory.fill(ndk, 0, <usize>K << 2);
    for (let i = start; i < end; i++) {
      const p = ndk + (<usize>load<u16>(z + (<usize>i << 1)) << 2);
      store<i32>(p, load<i32>(p) + 1);
    }
    for (let k = 0; k < K; k++) {
      store<f64>(a + (<usize>k << 3), (<f64>load<i32>(ndk + (<usize>k << 2)) + alpha) * load<f64>(inv + (<usize>k << 3)));
    }
    for (let i = start; i < end; i++) {
      const row = nwk + (<usize>load<i32>(words + (<usize>i << 2)) << 2);
      let k = <i32>load<u16>(z + (<usize>i << 1));
      remove(row, k);
      let even: f64 = 0;
      let odd: f64 = 0;
      for (let q = 0; q < fullBlocks; q++) {
        const j = <usize>q << 2;
        const n4 = v128.load(row + (j << 2));
        const n01 = f64x2.convert_low_i32x4_s(n4);
        const n23 = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(n4, n4, 2, 3, 0, 1));
        const w01 = f64x2.mul(v128.load(a + (j << 3)), f64x2.add(n01, etaV));
        const w23 = f64x2.mul(v128.load(a + (j << 3) + 16), f64x2.add(n23, etaV));
        v128.store(weight + (j << 3), w01);
        v128.store(weight + (j << 3) + 16, w23);
        const sum = f64x2.extract_lane(w01, 0) + f64x2.extract_lane(w01, 1) + (f64x2.extract_lane(w23, 0) + f64x2.extract_lane(w23, 1));
        store<f64>(blockSum + (<usize>q << 3), sum);
        if ((q & 1) == 0) even += sum;
        else odd += sum;
      }
      if (fullBlocks < blocks) {
        let sum: f64 = 0;
        for (let j = fullBlocks << 2; j < K; j++) {
          const w = load<f64>(a + (<usize>j << 3)) * (<f64>load<i32>(row + (<usize>j << 2)) + eta);
          store<f64>(weight + (<usize>j << 3), w);
          sum += w;
        }
        store<f64>(blockSum + (<usize>fullBlocks << 3), sum);
        even += sum;
      }
      let u = nextUniform() * (even + odd);
      let q = 0;
      while (q < blocks - 1) {
        const s = load<f64>(blockSum + (<usize>q << 3));
        if (u < s) break;
        u -= s;
        q++;
      }
      k = q << 2;
      const last = min(K, k + 4) - 1;
      while (k < last) {
        const w = load<f64>(weight + (<usize>k << 3));
        if (u < w) break;
        u -= w;
        k++;
      }
      add(row, k);
      store<u16>(z + (<usize>i << 1), <u16>k);
    }
    let l = -load<f64>(lgLen + (<usize>(end - start) << 3)) + lgKAlpha;
    for (let k = 0; k < K; k++) l += load<f64>(lgAlpha + (<usize>load<i32>(ndk + (<usize>k << 2)) << 3));
    docLL += l;
  }
}

@inline function remove(row: usize, k: i32): void {
  const kk = <usize>k;
  store<i32>(ndk + (kk << 2), load<i32>(ndk + (kk << 2)) - 1);
  store<i32>(row + (kk << 2), load<i32>(row + (kk << 2)) - 1);
  const n = load<i32>(nk + (kk << 2)) - 1;
  store<i32>(nk + (kk << 2), n);
  const iv = 1.0 / (<f64>n + vEta);
  store<f64>(inv + (kk << 3), iv);
  store<f64>(a + (kk << 3), (<f64>load<i32>(ndk + (kk << 2)) + alpha) * iv);
}

@inline function add(row: usize, k: i32): void {
  const kk = <usize>k;
  store<i32>(ndk + (kk << 2), load<i32>(ndk + (kk << 2)) + 1);
  store<i32>(row + (kk << 2), load<i32>(row + (kk << 2)) + 1);
  const n = load<i32>(nk + (kk << 2)) + 1;
  store<i32>(nk + (kk << 2), n);
  const iv = 1.0 / (<f64>n + vEta);
  store<f64>(inv + (kk << 3), iv);
  store<f64>(a + (kk << 3), (<f64>load<i32>(ndk + (kk << 2)) + alpha) * iv);
}
