/**
 * WebAssembly SIMD (f32x4) kernels for the paper's model, compiled by asc
 * (asconfig.json) into dist/src/runtime/kernels.wasm. The TypeScript
 * side (src/runtime/kernels-wasm.ts) owns the memory: every argument
 * is a byte address of a contiguous row-major array inside this instance's
 * memory, f32 unless marked f64. Nothing here allocates; the products pack
 * strips of A into PACK, 64 KB of static data (one instance per thread, so
 * nothing shares it).
 *
 * Products use register tiles of 4 rows × 8 columns (8 f32x4 accumulators):
 * with V8's 16 XMM registers that leaves room for the two B vectors and the
 * broadcast A value; wider tiles spill (6 × 8 measured 13% slower). Sizes
 * that do not fill a tile fall back to 4-wide, then scalar code, so any m,
 * n, k is valid. Without fused multiply-add (relaxed SIMD is behind a flag
 * on Node 20) each multiply-add is two instructions, which bounds these
 * loops: npm run bench:kernels prints that bound for the machine.
 */

/** Rows of B per k-block of gemmNN: a 128 × 52 f32 block (26 KB) stays in L1 while the A rows pass. */
const NN_KB: i32 = 128;
/** Columns per n-block of gemmNN: 128 columns × k ≤ 128 rows of B in L1. */
const NN_NB: i32 = 128;
/** Rows of A and B per block of gemmTNAdd: 128 × 52 f32 of B (26 KB) and the packed 128 × 4 strip of A stay in L1. */
const TN_KB: i32 = 128;
/** Rows of B (words) per block of gemmNT: 128 × k f32 stay in L1/L2 while every row of A passes. */
const NT_NB: i32 = 128;
/** gemmNN packs A (nnWide) from this many columns of C on: below it the packing would not pay. */
const WIDE_N: i32 = 64;
/** Floats in PACK, the scratch where gemmNN and gemmTNAdd pack strips of A (64 KB of static data). */
const PACK_FLOATS: i32 = 16384;
const PACK: usize = memory.data(PACK_FLOATS << 2, 16);

// Built twice (package.json build:wasm): plain, and with relaxed SIMD, where
// this is one fused multiply-add instruction (kernels-fma.wasm).
@inline function madd(acc: v128, x: v128, y: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(acc, f32x4.mul(x, y));
}

@inline function splat(p: usize): v128 {
  return v128.load32_splat(p);
}

/**
 * C (m×n) = A (m×k, rows `lda` apart) · B (k×n); C += A·B when `accumulate`.
 * Wide products (n ≥ WIDE_N, e.g. the scores Θ·Rᵀ with Rᵀ stored k×|V|) take
 * nnWide; narrow ones (E·R: n = 52, k = |V|) block k and n so that a block
 * of B stays in L1 while the rows of A pass.
 */
export function gemmNN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool, lda: i32): void {
  if (!accumulate && n >= WIDE_N && k <= PACK_FLOATS / 16) {
    nnWide(m, n, k, lda, a, b, c);
    return;
  }
  for (let p0 = 0; p0 < k; p0 += NN_KB) {
    const p1 = min(k, p0 + NN_KB);
    const add = accumulate || p0 > 0;
    for (let j0 = 0; j0 < n; j0 += NN_NB) {
      const j1 = min(n, j0 + NN_NB);
      let i = 0;
      for (; i + 4 <= m; i += 4) nnRows4(i, j0, j1, n, lda, p0, p1, a, b, c, add);
      for (; i < m; i++) nnRow1(i, j0, j1, n, lda, p0, p1, a, b, c, add);
    }
  }
  if (k == 0 && !accumulate) memory.fill(c, 0, <usize>(m * n) << 2);
}

/**
 * gemmNN for wide C: blocks of up to 64 rows of A are packed into PACK as
 * k × 4 strips (the four values a 4-row tile splats at each step then sit in
 * one 16-byte run, and the k loop needs a single pointer), then 4 × 8 tiles
 * run down all n columns, each over the whole k: B is read in 8-column
 * strips that stay in L1 while every strip of the block passes. Measured at
 * 64 × 5000 × 50: 1.2× the dot-product form of gemmNT on Rᵀ's transpose.
 */
function nnWide(m: i32, n: i32, k: i32, lda: i32, a: usize, b: usize, c: usize): void {
  const mb = min(64, (PACK_FLOATS / max(k, 1)) & ~3);
  const m4 = m & ~3;
  const ldb = <usize>n << 2;
  const ldc = <usize>n << 2;
  const strip = <usize>k << 4;
  for (let i0 = 0; i0 < m4; i0 += mb) {
    const i1 = min(m4, i0 + mb);
    packRows(i0, i1, k, lda, a);
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const bj = b + (<usize>j << 2);
      let pk = PACK;
      for (let i = i0; i < i1; i += 4) {
        let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        let ap = pk;
        const end = pk + strip;
        let bp = bj;
        while (ap < end) {
          const y0 = v128.load(bp);
          const y1 = v128.load(bp, 16);
          let x = v128.load32_splat(ap);
          c00 = madd(c00, x, y0); c01 = madd(c01, x, y1);
          x = v128.load32_splat(ap, 4);
          c10 = madd(c10, x, y0); c11 = madd(c11, x, y1);
          x = v128.load32_splat(ap, 8);
          c20 = madd(c20, x, y0); c21 = madd(c21, x, y1);
          x = v128.load32_splat(ap, 12);
          c30 = madd(c30, x, y0); c31 = madd(c31, x, y1);
          ap += 16;
          bp += ldb;
        }
        const c0 = c + ((<usize>i * n + j) << 2);
        v128.store(c0, c00); v128.store(c0, c01, 16);
        v128.store(c0 + ldc, c10); v128.store(c0 + ldc, c11, 16);
        v128.store(c0 + 2 * ldc, c20); v128.store(c0 + 2 * ldc, c21, 16);
        v128.store(c0 + 3 * ldc, c30); v128.store(c0 + 3 * ldc, c31, 16);
        pk = end;
      }
    }
    for (; j + 4 <= n; j += 4) {
      let pk = PACK;
      for (let i = i0; i < i1; i += 4) {
        let c00 = f32x4.splat(0), c10 = c00, c20 = c00, c30 = c00;
        let ap = pk;
        const end = pk + strip;
        let bp = b + (<usize>j << 2);
        while (ap < end) {
          const y = v128.load(bp);
          c00 = madd(c00, v128.load32_splat(ap), y);
          c10 = madd(c10, v128.load32_splat(ap, 4), y);
          c20 = madd(c20, v128.load32_splat(ap, 8), y);
          c30 = madd(c30, v128.load32_splat(ap, 12), y);
          ap += 16;
          bp += ldb;
        }
        const c0 = c + ((<usize>i * n + j) << 2);
        v128.store(c0, c00); v128.store(c0 + ldc, c10); v128.store(c0 + 2 * ldc, c20); v128.store(c0 + 3 * ldc, c30);
        pk = end;
      }
    }
    for (; j < n; j++) for (let i = i0; i < i1; i++) nnScalar(i, j, n, lda, 0, k, a, b, c, false);
  }
  for (let i = m4; i < m; i++) nnRow1(i, 0, n, n, lda, 0, k, a, b, c, false);
}

/** Rows i0..i1 (a multiple of 4 apart) of A into PACK as k × 4 strips: strip s, step p, row r at (s·k + p)·4 + r. */
function packRows(i0: i32, i1: i32, k: i32, lda: i32, a: usize): void {
  const la = <usize>lda << 2;
  let out = PACK;
  for (let i = i0; i < i1; i += 4) {
    const a0 = a + <usize>i * la;
    for (let p = 0; p < k; p++) {
      const q = a0 + (<usize>p << 2);
      v128.store(out, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(v128.load32_splat(q), 1, load<f32>(q + la)), 2, load<f32>(q + 2 * la)), 3, load<f32>(q + 3 * la)));
      out += 16;
    }
  }
}

@inline function nnRows4(i: i32, j0: i32, j1: i32, n: i32, ka: i32, p0: i32, p1: i32, a: usize, b: usize, c: usize, add: bool): void {
  const lda = <usize>ka << 2;
  const ldb = <usize>n << 2;
  const ldc = <usize>n << 2;
  const a0 = a + ((<usize>i * ka + p0) << 2);
  let j = j0;
  for (; j + 8 <= j1; j += 8) {
    const c0 = c + ((<usize>i * n + j) << 2);
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    if (add) {
      c00 = v128.load(c0); c01 = v128.load(c0, 16);
      c10 = v128.load(c0 + ldc); c11 = v128.load(c0 + ldc, 16);
      c20 = v128.load(c0 + 2 * ldc); c21 = v128.load(c0 + 2 * ldc, 16);
      c30 = v128.load(c0 + 3 * ldc); c31 = v128.load(c0 + 3 * ldc, 16);
    }
    let ap = a0;
    let bp = b + ((<usize>p0 * n + j) << 2);
    for (let p = p0; p < p1; p++) {
      const y0 = v128.load(bp);
      const y1 = v128.load(bp, 16);
      let x = splat(ap);
      c00 = madd(c00, x, y0); c01 = madd(c01, x, y1);
      x = splat(ap + lda);
      c10 = madd(c10, x, y0); c11 = madd(c11, x, y1);
      x = splat(ap + 2 * lda);
      c20 = madd(c20, x, y0); c21 = madd(c21, x, y1);
      x = splat(ap + 3 * lda);
      c30 = madd(c30, x, y0); c31 = madd(c31, x, y1);
      ap += 4;
      bp += ldb;
    }
    v128.store(c0, c00); v128.store(c0, c01, 16);
    v128.store(c0 + ldc, c10); v128.store(c0 + ldc, c11, 16);
    v128.store(c0 + 2 * ldc, c20); v128.store(c0 + 2 * ldc, c21, 16);
    v128.store(c0 + 3 * ldc, c30); v128.store(c0 + 3 * ldc, c31, 16);
  }
  for (; j + 4 <= j1; j += 4) {
    const c0 = c + ((<usize>i * n + j) << 2);
    let c00 = f32x4.splat(0), c10 = f32x4.splat(0), c20 = f32x4.splat(0), c30 = f32x4.splat(0);
    if (add) {
      c00 = v128.load(c0); c10 = v128.load(c0 + ldc); c20 = v128.load(c0 + 2 * ldc); c30 = v128.load(c0 + 3 * ldc);
    }
    let ap = a0;
    let bp = b + ((<usize>p0 * n + j) << 2);
    for (let p = p0; p < p1; p++) {
      const y = v128.load(bp);
      c00 = madd(c00, splat(ap), y);
      c10 = madd(c10, splat(ap + lda), y);
      c20 = madd(c20, splat(ap + 2 * lda), y);
      c30 = madd(c30, splat(ap + 3 * lda), y);
      ap += 4;
      bp += ldb;
    }
    v128.store(c0, c00); v128.store(c0 + ldc, c10); v128.store(c0 + 2 * ldc, c20); v128.store(c0 + 3 * ldc, c30);
  }
  for (; j < j1; j++) {
    for (let r = 0; r < 4; r++) nnScalar(i + r, j, n, ka, p0, p1, a, b, c, add);
  }
}

function nnRow1(i: i32, j0: i32, j1: i32, n: i32, ka: i32, p0: i32, p1: i32, a: usize, b: usize, c: usize, add: bool): void {
  const ldb = <usize>n << 2;
  const a0 = a + ((<usize>i * ka + p0) << 2);
  let j = j0;
  for (; j + 4 <= j1; j += 4) {
    const c0 = c + ((<usize>i * n + j) << 2);
    let acc = add ? v128.load(c0) : f32x4.splat(0);
    let ap = a0;
    let bp = b + ((<usize>p0 * n + j) << 2);
    for (let p = p0; p < p1; p++) {
      acc = madd(acc, splat(ap), v128.load(bp));
      ap += 4;
      bp += ldb;
    }
    v128.store(c0, acc);
  }
  for (; j < j1; j++) nnScalar(i, j, n, ka, p0, p1, a, b, c, add);
}

/** ka: the row stride of A (elements). */
function nnScalar(i: i32, j: i32, n: i32, ka: i32, p0: i32, p1: i32, a: usize, b: usize, c: usize, add: bool): void {
  const cp = c + ((<usize>i * n + j) << 2);
  let s: f32 = add ? load<f32>(cp) : 0;
  for (let p = p0; p < p1; p++) s += load<f32>(a + ((<usize>i * ka + p) << 2)) * load<f32>(b + ((<usize>p * n + j) << 2));
  store<f32>(cp, s);
}

/**
 * C (m×n) = A (m×k) · Bᵀ with B stored n×k (rows of both are contiguous in k):
 * dot products of 4-lane slices of k, 2 rows × 4 columns at a time, summed
 * across lanes at the end of each tile.
 */
export function gemmNT(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize): void {
  const k4 = k & ~3;
  const ld = <usize>k << 2;
  for (let j0 = 0; j0 < n; j0 += NT_NB) {
    const j1 = min(n, j0 + NT_NB);
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const a0 = a + <usize>i * ld;
      const a1 = a0 + ld;
      let j = j0;
      for (; j + 4 <= j1; j += 4) {
        const b0 = b + <usize>j * ld;
        let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
        let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
        for (let p = 0; p < k4; p += 4) {
          const q = <usize>p << 2;
          const x0 = v128.load(a0 + q);
          const x1 = v128.load(a1 + q);
          let y = v128.load(b0 + q);
          s00 = madd(s00, x0, y); s10 = madd(s10, x1, y);
          y = v128.load(b0 + ld + q);
          s01 = madd(s01, x0, y); s11 = madd(s11, x1, y);
          y = v128.load(b0 + 2 * ld + q);
          s02 = madd(s02, x0, y); s12 = madd(s12, x1, y);
          y = v128.load(b0 + 3 * ld + q);
          s03 = madd(s03, x0, y); s13 = madd(s13, x1, y);
        }
        let r0 = hsum4(s00, s01, s02, s03);
        let r1 = hsum4(s10, s11, s12, s13);
        if (k4 < k) {
          r0 = f32x4.add(r0, tail4(a0, b0, ld, k4, k));
          r1 = f32x4.add(r1, tail4(a1, b0, ld, k4, k));
        }
        v128.store(c + ((<usize>i * n + j) << 2), r0);
        v128.store(c + ((<usize>(i + 1) * n + j) << 2), r1);
      }
      for (; j < j1; j++) {
        store<f32>(c + ((<usize>i * n + j) << 2), dot(a0, b + <usize>j * ld, k));
        store<f32>(c + ((<usize>(i + 1) * n + j) << 2), dot(a1, b + <usize>j * ld, k));
      }
    }
    for (; i < m; i++) {
      const a0 = a + <usize>i * ld;
      let j = j0;
      for (; j + 4 <= j1; j += 4) {
        const b0 = b + <usize>j * ld;
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
        for (let p = 0; p < k4; p += 4) {
          const q = <usize>p << 2;
          const x = v128.load(a0 + q);
          s0 = madd(s0, x, v128.load(b0 + q));
          s1 = madd(s1, x, v128.load(b0 + ld + q));
          s2 = madd(s2, x, v128.load(b0 + 2 * ld + q));
          s3 = madd(s3, x, v128.load(b0 + 3 * ld + q));
        }
        let r = hsum4(s0, s1, s2, s3);
        if (k4 < k) r = f32x4.add(r, tail4(a0, b0, ld, k4, k));
        v128.store(c + ((<usize>i * n + j) << 2), r);
      }
      for (; j < j1; j++) store<f32>(c + ((<usize>i * n + j) << 2), dot(a0, b + <usize>j * ld, k));
    }
  }
}

/** [Σ lanes of v0, Σ v1, Σ v2, Σ v3]. */
@inline function hsum4(v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  const t0 = f32x4.add(f32x4.shuffle(v0, v1, 0, 4, 1, 5), f32x4.shuffle(v0, v1, 2, 6, 3, 7));
  const t1 = f32x4.add(f32x4.shuffle(v2, v3, 0, 4, 1, 5), f32x4.shuffle(v2, v3, 2, 6, 3, 7));
  return f32x4.add(f32x4.shuffle(t0, t1, 0, 1, 4, 5), f32x4.shuffle(t0, t1, 2, 3, 6, 7));
}

/** The k4..k part of the dot products of row a with rows b0 … b0 + 3·ld. */
function tail4(a: usize, b0: usize, ld: usize, k4: i32, k: i32): v128 {
  let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
  for (let p = k4; p < k; p++) {
    const q = <usize>p << 2;
    const x = load<f32>(a + q);
    t0 += x * load<f32>(b0 + q);
    t1 += x * load<f32>(b0 + ld + q);
    t2 += x * load<f32>(b0 + 2 * ld + q);
    t3 += x * load<f32>(b0 + 3 * ld + q);
  }
  return f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t0), 1, t1), 2, t2), 3, t3);
}

function dot(x: usize, y: usize, k: i32): f32 {
  let s: f32 = 0;
  for (let p = 0; p < k; p++) s += load<f32>(x + (<usize>p << 2)) * load<f32>(y + (<usize>p << 2));
  return s;
}

/** C (m×n) += Aᵀ · B with A stored k×m and B stored k×n. */
export function gemmTNAdd(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize): void {
  for (let p0 = 0; p0 < k; p0 += TN_KB) tnBlock(m, n, p0, min(k, p0 + TN_KB), a, b, c);
}

/**
 * gemmTNAdd over rows p0..p1 of A and B. Each 4-column strip of A (four
 * words of E, |V| × 4 bytes apart from one document to the next) is first
 * copied into PACK as one contiguous run, so that the seven column tiles that
 * reuse it read 16 consecutive bytes per step instead of a line of a new
 * page; the order of the sums is unchanged.
 */
function tnBlock(m: i32, n: i32, p0: i32, p1: i32, a: usize, b: usize, c: usize): void {
  const lda = <usize>m << 2;
  const ldb = <usize>n << 2;
  const ldc = <usize>n << 2;
  const end = PACK + (<usize>(p1 - p0) << 4);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    let src = a + ((<usize>p0 * m + i) << 2);
    for (let q = PACK; q < end; q += 16) {
      v128.store(q, v128.load(src));
      src += lda;
    }
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const c0 = c + ((<usize>i * n + j) << 2);
      let c00 = v128.load(c0), c01 = v128.load(c0, 16);
      let c10 = v128.load(c0 + ldc), c11 = v128.load(c0 + ldc, 16);
      let c20 = v128.load(c0 + 2 * ldc), c21 = v128.load(c0 + 2 * ldc, 16);
      let c30 = v128.load(c0 + 3 * ldc), c31 = v128.load(c0 + 3 * ldc, 16);
      let ap = PACK;
      let bp = b + ((<usize>p0 * n + j) << 2);
      while (ap < end) {
        const y0 = v128.load(bp);
        const y1 = v128.load(bp, 16);
        let x = v128.load32_splat(ap);
        c00 = madd(c00, x, y0); c01 = madd(c01, x, y1);
        x = v128.load32_splat(ap, 4);
        c10 = madd(c10, x, y0); c11 = madd(c11, x, y1);
        x = v128.load32_splat(ap, 8);
        c20 = madd(c20, x, y0); c21 = madd(c21, x, y1);
        x = v128.load32_splat(ap, 12);
        c30 = madd(c30, x, y0); c31 = madd(c31, x, y1);
        ap += 16;
        bp += ldb;
      }
      v128.store(c0, c00); v128.store(c0, c01, 16);
      v128.store(c0 + ldc, c10); v128.store(c0 + ldc, c11, 16);
      v128.store(c0 + 2 * ldc, c20); v128.store(c0 + 2 * ldc, c21, 16);
      v128.store(c0 + 3 * ldc, c30); v128.store(c0 + 3 * ldc, c31, 16);
    }
    for (; j + 4 <= n; j += 4) {
      const c0 = c + ((<usize>i * n + j) << 2);
      let c00 = v128.load(c0), c10 = v128.load(c0 + ldc), c20 = v128.load(c0 + 2 * ldc), c30 = v128.load(c0 + 3 * ldc);
      let ap = PACK;
      let bp = b + ((<usize>p0 * n + j) << 2);
      while (ap < end) {
        const y = v128.load(bp);
        c00 = madd(c00, v128.load32_splat(ap), y);
        c10 = madd(c10, v128.load32_splat(ap, 4), y);
        c20 = madd(c20, v128.load32_splat(ap, 8), y);
        c30 = madd(c30, v128.load32_splat(ap, 12), y);
        ap += 16;
        bp += ldb;
      }
      v128.store(c0, c00); v128.store(c0 + ldc, c10); v128.store(c0 + 2 * ldc, c20); v128.store(c0 + 3 * ldc, c30);
    }
    for (; j < n; j++) for (let r = 0; r < 4; r++) tnScalar(i + r, j, m, n, p0, p1, a, b, c);
  }
  for (; i < m; i++) {
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const c0 = c + ((<usize>i * n + j) << 2);
      let acc = v128.load(c0);
      let ap = a + ((<usize>p0 * m + i) << 2);
      let bp = b + ((<usize>p0 * n + j) << 2);
      for (let p = p0; p < p1; p++) {
        acc = madd(acc, v128.load32_splat(ap), v128.load(bp));
        ap += lda;
        bp += ldb;
      }
      v128.store(c0, acc);
    }
    for (; j < n; j++) tnScalar(i, j, m, n, p0, p1, a, b, c);
  }
}

function tnScalar(i: i32, j: i32, m: i32, n: i32, p0: i32, p1: i32, a: usize, b: usize, c: usize): void {
  const cp = c + ((<usize>i * n + j) << 2);
  let s: f32 = 0;
  for (let p = p0; p < p1; p++) s += load<f32>(a + ((<usize>p * m + i) << 2)) * load<f32>(b + ((<usize>p * n + j) << 2));
  store<f32>(cp, load<f32>(cp) + s);
}

// ---- exp, softmax, log-sum-exp ----------------------------------------------

/** Clamp: from here down n = −127, whose 2ⁿ is built as 0, so the result is exactly 0 (eˣ < 6.1e−39). */
const EXP_LO: f32 = -88.0;
/** Above ln(2¹²⁷ · (2 − 2⁻²³)) ≈ 88.3763 the 2ⁿ scale would overflow the exponent field. */
const EXP_HI: f32 = 88.37626;
const LOG2E: f32 = 1.44269504088896341;
/** ln 2 split so that n·LN2_HI is exact for |n| ≤ 2¹⁵ (Cody–Waite). */
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
/** 1.5 · 2²³: adding it rounds to an integer held in the low mantissa bits. */
const ROUND: f32 = 12582912.0;

/**
 * eˣ on four lanes for x in [−88, 88.3763] (or NaN): x = n ln 2 + r,
 * |r| ≤ ln2/2, eʳ by the degree-7 polynomial of Cephes' expf (1 + r + r²·P₅),
 * times 2ⁿ built in the exponent bits. Maximal relative error for results
 * ≥ 2⁻¹²⁶ (x ≥ −87.34): 8.1e−8 = 0.68 × 2⁻²³, measured by the sweep in
 * test/kernels.test.ts (which asserts < 2⁻²³). Below −87.34 the true value
 * is subnormal and the result a subnormal or 0 (absolute error < 2⁻¹²⁶).
 */
@inline function expCore(x: v128): v128 {
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUND));
  const n = f32x4.sub(t, f32x4.splat(ROUND));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  const z = f32x4.mul(r, r);
  let y = f32x4.splat(1.9875691500e-4);
  y = madd(f32x4.splat(1.3981999507e-3), y, r);
  y = madd(f32x4.splat(8.3334519073e-3), y, r);
  y = madd(f32x4.splat(4.1665795894e-2), y, r);
  y = madd(f32x4.splat(1.6666665459e-1), y, r);
  y = madd(f32x4.splat(5.0000001201e-1), y, r);
  y = f32x4.add(madd(r, y, z), f32x4.splat(1));
  // bits(t) = 0x4B400000 + n, so (bits(t) − 0x4B400000 + 127) << 23 is 2ⁿ (0 for n = −127).
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127 - 0x4b400000)), 23);
  return f32x4.mul(y, scale);
}

/** eˣ for x ≤ 0 (what the softmax needs after its max shift): −∞ and x ≤ −88 give 0. */
@inline function expNonPositive(x: v128): v128 {
  // pmax (one instruction, unlike max) with x first keeps NaN.
  return expCore(f32x4.pmax(x, f32x4.splat(EXP_LO)));
}

/** eˣ on the whole float32 line: 0 from −88 down, +∞ above 88.3763, NaN kept. */
@inline function exp4(x0: v128): v128 {
  const e = expCore(f32x4.pmin(f32x4.pmax(x0, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI)));
  return v128.bitselect(f32x4.splat(f32.POSITIVE_INFINITY), e, f32x4.gt(x0, f32x4.splat(EXP_HI)));
}

/** y[i] = e^x[i] for n values (the kernel the softmax uses, exposed for tests and benchmarks). */
export function expArray(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), exp4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), exp1(load<f32>(x + (<usize>i << 2))));
}

/** One lane of exp4, so that tails round exactly like full vectors. */
@inline function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** max_j (s[j] + bias[j]) over one row. */
function rowMax(n: i32, s: usize, bias: usize): f32 {
  let mv = f32x4.splat(f32.NEGATIVE_INFINITY);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const q = <usize>j << 2;
    mv = f32x4.pmax(mv, f32x4.add(v128.load(s + q), v128.load(bias + q)));
  }
  let mx = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  for (; j < n; j++) mx = max(mx, load<f32>(s + (<usize>j << 2)) + load<f32>(bias + (<usize>j << 2)));
  return mx;
}

/**
 * s[j] ← exp(s[j] + bias[j] − mx). No running sum here: a loop-carried
 * accumulator next to the exp's dozen constants spills in V8's 16 XMM
 * registers and halved the speed; rowSum64 adds the row up afterwards.
 */
function rowExp(n: i32, s: usize, bias: usize, mx: f32): void {
  const shift = f32x4.splat(mx);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const q = <usize>j << 2;
    v128.store(s + q, expNonPositive(f32x4.sub(f32x4.add(v128.load(s + q), v128.load(bias + q)), shift)));
  }
  for (; j < n; j++) {
    const q = <usize>j << 2;
    store<f32>(s + q, f32x4.extract_lane(expNonPositive(f32x4.splat(load<f32>(s + q) + load<f32>(bias + q) - mx)), 0));
  }
}

/** Σ_j s[j] in f64 (two f64x2 chains per half-vector, so the adds overlap). */
function rowSum64(n: i32, s: usize): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const v = v128.load(s + (<usize>j << 2));
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3)));
  }
  const a = f64x2.add(a0, a1);
  let sum = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; j < n; j++) sum += <f64>load<f32>(s + (<usize>j << 2));
  return sum;
}

/**
 * Row i of S (m×n) becomes scale_i · softmax(S_i + bias), or the plain softmax
 * when `scale` is 0; lse_i = log Σ_j exp(S_ij + bias_j) (f64). Shifting by the
 * row maximum keeps every exponent ≤ 0.
 */
export function softmaxRows(m: i32, n: i32, s: usize, bias: usize, lse: usize, scale: usize): void {
  for (let i = 0; i < m; i++) {
    const row = s + ((<usize>i * n) << 2);
    const mx = rowMax(n, row, bias);
    rowExp(n, row, bias, mx);
    const sum = rowSum64(n, row);
    store<f64>(lse + (<usize>i << 3), <f64>mx + Math.log(sum));
    const f = <f32>((scale != 0 ? load<f64>(scale + (<usize>i << 3)) : 1.0) / sum);
    const fv = f32x4.splat(f);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const q = row + (<usize>j << 2);
      v128.store(q, f32x4.mul(v128.load(q), fv));
    }
    for (; j < n; j++) {
      const q = row + (<usize>j << 2);
      store<f32>(q, load<f32>(q) * f);
    }
  }
}

/**
 * lse_i = log Σ_j exp(S_ij + bias_j) (f64) for each row of S (m×n). S is
 * left holding exp(S_ij + bias_j − max_j(S_ij + bias_j)), unnormalised.
 */
export function logSumExpRows(m: i32, n: i32, s: usize, bias: usize, lse: usize): void {
  for (let i = 0; i < m; i++) {
    const row = s + ((<usize>i * n) << 2);
    const mx = rowMax(n, row, bias);
    rowExp(n, row, bias, mx);
    store<f64>(lse + (<usize>i << 3), <f64>mx + Math.log(rowSum64(n, row)));
  }
}

/** out[j] += Σ_i A[i][j] for A (m×n) f32, out f64 (n). */
export function colSumsAdd(m: i32, n: i32, a: usize, out: usize): void {
  const ld = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = out + (<usize>j << 3);
    let lo = v128.load(o);
    let hi = v128.load(o, 16);
    let ap = a + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      const v = v128.load(ap);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3)));
      ap += ld;
    }
    v128.store(o, lo);
    v128.store(o, hi, 16);
  }
  for (; j < n; j++) {
    const o = out + (<usize>j << 3);
    let s = load<f64>(o);
    for (let i = 0; i < m; i++) s += <f64>load<f32>(a + ((<usize>i * n + j) << 2));
    store<f64>(o, s);
  }
}

/**
 * out (m×n) = X · B for a sparse X (m rows, CSR: row i has values val[p] in
 * columns idx[p] for p in ptr[i]..ptr[i+1], ptr i32, idx i32) and B
 * (rows × n): each row of out sums val-scaled rows of B.
 */
export function csrTimes(m: i32, n: i32, ptr: usize, idx: usize, val: usize, b: usize, out: usize): void {
  const ldb = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const o = out + ((<usize>i * n) << 2);
    const p0 = load<i32>(ptr + (<usize>i << 2));
    const p1 = load<i32>(ptr + (<usize>(i + 1) << 2));
    let j = 0;
    for (; j + 16 <= n; j += 16) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      const bj = b + (<usize>j << 2);
      for (let p = p0; p < p1; p++) {
        const x = v128.load32_splat(val + (<usize>p << 2));
        const row = bj + <usize>load<i32>(idx + (<usize>p << 2)) * ldb;
        s0 = madd(s0, x, v128.load(row));
        s1 = madd(s1, x, v128.load(row, 16));
        s2 = madd(s2, x, v128.load(row, 32));
        s3 = madd(s3, x, v128.load(row, 48));
      }
      v128.store(o + (<usize>j << 2), s0);
      v128.store(o + (<usize>j << 2), s1, 16);
      v128.store(o + (<usize>j << 2), s2, 32);
      v128.store(o + (<usize>j << 2), s3, 48);
    }
    for (; j + 4 <= n; j += 4) {
      let s0 = f32x4.splat(0);
      const bj = b + (<usize>j << 2);
      for (let p = p0; p < p1; p++) {
        const row = bj + <usize>load<i32>(idx + (<usize>p << 2)) * ldb;
        s0 = madd(s0, v128.load32_splat(val + (<usize>p << 2)), v128.load(row));
      }
      v128.store(o + (<usize>j << 2), s0);
    }
    for (; j < n; j++) {
      let s: f32 = 0;
      for (let p = p0; p < p1; p++) s += load<f32>(val + (<usize>p << 2)) * load<f32>(b + ((<usize>load<i32>(idx + (<usize>p << 2)) * n + j) << 2));
      store<f32>(o + (<usize>j << 2), s);
    }
  }
}

/** First byte the host may use (static data ends below it). */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * For npm run bench:kernels: `iters` passes of the 4 × 8 register tile over
 * 256 steps of L1-resident data at p (12 KB), 256 × 64 flops each. Nothing
 * but the tile's loads, multiplies and adds: the ceiling of the products here.
 */
export function mulAddPeak(iters: i32, p: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const end = p + 256 * 16;
  for (let it = 0; it < iters; it++) {
    let ap = p;
    let bp = end;
    while (ap < end) {
      const y0 = v128.load(bp);
      const y1 = v128.load(bp, 16);
      let x = v128.load32_splat(ap);
      c00 = madd(c00, x, y0); c01 = madd(c01, x, y1);
      x = v128.load32_splat(ap, 4);
      c10 = madd(c10, x, y0); c11 = madd(c11, x, y1);
      x = v128.load32_splat(ap, 8);
      c20 = madd(c20, x, y0); c21 = madd(c21, x, y1);
      x = v128.load32_splat(ap, 12);
      c30 = madd(c30, x, y0); c31 = madd(c31, x, y1);
      ap += 16;
      bp += 32;
    }
  }
  v128.store(p, f32x4.add(f32x4.add(f32x4.add(c00, c01), f32x4.add(c10, c11)), f32x4.add(f32x4.add(c20, c21), f32x4.add(c30, c31))));
}
