// ‖R v‖² for a binary bag v (src/features/binary-bag.ts, inverseProjectionNorm),
// in WebAssembly SIMD: predict's feature stage for models that weigh the word
// vectors. In TypeScript each of the bag's ~130 rows of R costs a float32 →
// float64 conversion and a bounds check per entry; here four entries of a row
// come in one load and widen in two instructions.
//
// The same additions in the same order as the TypeScript: for each dimension,
// R v is summed in float64 over the bag's words in the bag's order, starting
// from 0; then ‖R v‖² sums the squares over the dimensions in order. So the
// result is the same to the last bit (test/predict-fast-path.test.ts). Four
// dimensions are summed at a time over all the words, their sums staying in
// registers; the rows are then in L1 for the next four.
//
// Memory layout is the caller's (src/features/projection-kernel.ts).

export function heapBase(): usize {
  return __heap_base;
}

/** Σ_d (Σ_q R[words[q]][d])², R float32 word-major with `dim` entries a row, `words` m int32 row ids. */
export function squaredNorm(r: usize, dim: i32, words: usize, m: i32): f64 {
  const rowBytes = (<usize>dim) << 2;
  let s: f64 = 0;
  let d: i32 = 0;
  for (; d + 4 <= dim; d += 4) {
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    const col = r + ((<usize>d) << 2);
    for (let q: i32 = 0; q < m; q++) {
      const j = <usize>load<i32>(words + ((<usize>q) << 2));
      const v = v128.load(col + j * rowBytes);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3)));
    }
    const a0 = f64x2.extract_lane(lo, 0);
    const a1 = f64x2.extract_lane(lo, 1);
    const a2 = f64x2.extract_lane(hi, 0);
    const a3 = f64x2.extract_lane(hi, 1);
    s += a0 * a0;
    s += a1 * a1;
    s += a2 * a2;
    s += a3 * a3;
  }
  for (; d < dim; d++) {
    let a: f64 = 0;
    const col = r + ((<usize>d) << 2);
    for (let q: i32 = 0; q < m; q++) {
      const j = <usize>load<i32>(words + ((<usize>q) << 2));
      a += <f64>load<f32>(col + j * rowBytes);
    }
    s += a * a;
  }
  return s;
}
