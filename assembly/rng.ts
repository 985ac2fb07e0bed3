// src/util/rng.ts's xoshiro128**, for the WebAssembly loops that must draw
// the same random stream as their TypeScript versions (lda.ts, svm.ts). Each
// module instance has its own state, set from the TypeScript generator's.

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;

export function setRng(a: u32, b: u32, c: u32, d: u32): void {
  s0 = a;
  s1 = b;
  s2 = c;
  s3 = d;
}

/** Rng.next(): one 32-bit draw divided by 2^32. */
@inline export function nextUniform(): f64 {
  const r = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return <f64>r / 4294967296.0;
}

/** Rng.int(n): floor(next() · n). */
@inline export function randInt(n: i32): i32 {
  return <i32>Math.floor(nextUniform() * <f64>n);
}
