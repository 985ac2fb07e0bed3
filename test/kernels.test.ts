import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KERNEL_KINDS, createKernels, resolveKernels, type KernelKind, type Kernels, type Vec } from '../src/runtime/kernels.js';
import { SentivecError } from '../src/util/errors.js';
import { Rng } from '../src/util/rng.js';

/** 2⁻²⁴: unit roundoff of float32. */
const U32 = 2 ** -24;
/**
 * Shapes with every remainder the tiles have: m mod 4, n mod 8 and mod 4, k
 * mod 4, and blocks of 128; gemmNN's packed wide path (n ≥ 64) with several
 * row blocks (m > 64, and k = 300 whose blocks are 52 rows), and past its
 * largest k (1,024).
 */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 7, 3],
  [3, 130, 50],
  [4, 12, 52],
  [13, 17, 11],
  [64, 301, 52],
  [7, 259, 129],
  [4, 9, 600],
  [66, 50, 300],
  [70, 100, 20],
  [130, 72, 300],
  [5, 70, 1100],
];

function fresh(kind: KernelKind, n: number, rng: Rng, scale = 1): Vec {
  const a = kind === 'js64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = scale * rng.normal();
  return a;
}

/** Recursive summation of k products is off by at most γ_k Σ|a b| (Higham 2002, 3.1), whatever the order. */
function assertProduct(got: Vec, i: number, ref: number, absSum: number, k: number, kind: KernelKind, what: string): void {
  const u = kind === 'js64' ? 2 ** -53 : U32;
  const tol = 1.01 * (k + 2) * u * absSum + 1e-30;
  assert.ok(Math.abs(got[i] - ref) <= tol, `${what}: got ${got[i]}, want ${ref} ± ${tol}`);
}

function checkGemms(k: Kernels, rng: Rng, arena: boolean): void {
  for (const [m, n, kk] of SHAPES) {
    const what = `${k.kind}${arena ? ' (in place)' : ''} ${m}×${n}×${kk}`;
    // Arrays from allocate() run in place; plain ones go through copies.
    const pool = arena ? createKernels(k.kind) : k;
    const bufs = arena
      ? pool.allocate({ a: ['vec', m * kk], bt: ['vec', n * kk], b: ['vec', kk * n], at: ['vec', kk * m], c: ['vec', m * n], acc: ['vec', m * n] })
      : { a: fresh(k.kind, m * kk, rng), bt: fresh(k.kind, n * kk, rng), b: fresh(k.kind, kk * n, rng), at: fresh(k.kind, kk * m, rng), c: fresh(k.kind, m * n, rng), acc: fresh(k.kind, m * n, rng) };
    for (const x of Object.values(bufs)) for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    const { a, bt, b, at, c, acc } = bufs;
    pool.gemmNT(m, n, kk, a, bt, c);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0, abs = 0;
      for (let p = 0; p < kk; p++) {
        s += a[i * kk + p] * bt[j * kk + p];
        abs += Math.abs(a[i * kk + p] * bt[j * kk + p]);
      }
      assertProduct(c, i * n + j, s, abs, kk, k.kind, `gemmNT ${what} at ${i},${j}`);
    }
    c.fill(NaN);
    pool.gemmNN(m, n, kk, a, b, c);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0, abs = 0;
      for (let p = 0; p < kk; p++) {
        s += a[i * kk + p] * b[p * n + j];
        abs += Math.abs(a[i * kk + p] * b[p * n + j]);
      }
      assertProduct(c, i * n + j, s, abs, kk, k.kind, `gemmNN ${what} at ${i},${j}`);
    }
    const before = Float64Array.from(acc);
    pool.gemmTNAdd(m, n, kk, at, b, acc);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = before[i * n + j], abs = Math.abs(s);
      for (let p = 0; p < kk; p++) {
        s += at[p * m + i] * b[p * n + j];
        abs += Math.abs(at[p * m + i] * b[p * n + j]);
      }
      assertProduct(acc, i * n + j, s, abs, kk + 1, k.kind, `gemmTNAdd ${what} at ${i},${j}`);
    }
  }
}

for (const kind of KERNEL_KINDS) {
  test(`${kind}: gemmNT, gemmNN and gemmTNAdd match naive products on shapes with every tile remainder`, () => {
    const rng = new Rng(3);
    checkGemms(createKernels(kind), rng, false);
    checkGemms(createKernels(kind), rng, true);
  });

  test(`${kind}: softmaxRows and logSumExpRows against float64, with huge, tiny and tied scores`, () => {
    const k = createKernels(kind);
    const rng = new Rng(4);
    for (const n of [1, 3, 4, 5, 31, 4999, 5000]) {
      const m = 5;
      // n = 5000 in the kernels' own memory (in place), the others through copies.
      const kk = n === 5000 ? createKernels(kind) : k;
      const { s, bias, lse, lse2, scale } =
        n === 5000
          ? kk.allocate({ s: ['vec', m * n], bias: ['vec', n], lse: ['f64', m], lse2: ['f64', m], scale: ['f64', m] })
          : { s: fresh(kind, m * n, rng), bias: fresh(kind, n, rng), lse: new Float64Array(m), lse2: new Float64Array(m), scale: new Float64Array(m) };
      for (let i = 0; i < s.length; i++) s[i] = 3 * rng.normal();
      for (let i = 0; i < n; i++) bias[i] = 2 * rng.normal();
      for (let i = 0; i < m; i++) scale[i] = i === 4 ? -7 : 1;
      // Row 1: scores around 1000 (exp would overflow unshifted); row 2: one
      // word far above the rest (the others underflow to 0); row 3: all tied.
      for (let j = 0; j < n; j++) {
        s[n + j] += 1000;
        s[2 * n + j] = j === n >> 1 ? 50 : -200 + s[2 * n + j];
        s[3 * n + j] = -bias[j];
      }
      const orig = Float64Array.from(s);
      kk.logSumExpRows(m, n, s, bias, lse);
      const unnormalised = Float64Array.from(s);
      s.set(orig);
      kk.softmaxRows(m, n, s, bias, lse2, scale);
      for (let i = 0; i < m; i++) {
        let mx = -Infinity;
        for (let j = 0; j < n; j++) mx = Math.max(mx, orig[i * n + j] + bias[j]);
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(orig[i * n + j] + bias[j] - mx);
        const ref = mx + Math.log(sum);
        // Float32 rounds s + bias by up to u|s + bias|; exp adds < 2.4e-7 relative.
        const shiftErr = kind === 'js64' ? 1e-15 : 2 * U32 * (Math.abs(mx) + 1);
        const tol = kind === 'js64' ? 1e-12 * (1 + Math.abs(ref)) : shiftErr + 5e-7 + U32 * Math.abs(ref);
        assert.ok(Math.abs(lse[i] - ref) <= tol, `lse n=${n} row ${i}: ${lse[i]} vs ${ref}`);
        assert.equal(lse2[i], lse[i], 'softmaxRows and logSumExpRows agree on lse');
        let total = 0;
        for (let j = 0; j < n; j++) {
          const p = Math.exp(orig[i * n + j] + bias[j] - ref) * scale[i];
          const got = s[i * n + j];
          const e = Math.exp(orig[i * n + j] + bias[j] - mx);
          assert.ok(Math.abs(unnormalised[i * n + j] - e) <= (kind === 'js64' ? 1e-12 : 2 * shiftErr + 1e-6) * e + 1e-38, 'logSumExpRows leaves exp(S + bias − max)');
          total += got;
          const pTol = kind === 'js64' ? 1e-12 * Math.abs(p) + 1e-300 : Math.abs(p) * (2 * shiftErr + 1e-6) + 1e-38;
          assert.ok(Math.abs(got - p) <= pTol, `softmax n=${n} row ${i} col ${j}: ${got} vs ${p}`);
        }
        assert.ok(Math.abs(total - scale[i]) <= 1e-5 * Math.abs(scale[i]), `row ${i} sums to ${total}`);
      }
      // e⁻²⁵⁰ is below float32's range: exactly 0 there, not a subnormal or garbage.
      if (n > 1 && kind !== 'js64') assert.equal(s[2 * n], 0, 'a score 250 below the maximum gives exactly 0');
    }
  });

  test(`${kind}: csrTimes (sparse rows × dense) matches the naive sum, with empty rows and every column remainder`, () => {
    const k = createKernels(kind);
    const rng = new Rng(7);
    for (const [m, n, rows] of [[1, 1, 1], [5, 4, 9], [9, 13, 30], [64, 52, 5000], [3, 67, 11]]) {
      const ptr = new Int32Array(m + 1);
      const idx: number[] = [];
      for (let i = 0; i < m; i++) {
        const terms = i % 3 === 1 ? 0 : 1 + rng.int(40);
        for (let t = 0; t < terms; t++) idx.push(rng.int(rows));
        ptr[i + 1] = idx.length;
      }
      const val = fresh(kind, idx.length, rng);
      const b = fresh(kind, rows * n, rng);
      const out = fresh(kind, m * n, rng);
      k.csrTimes(m, n, ptr, Int32Array.from(idx), val, b, out);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0, abs = 0;
        for (let p = ptr[i]; p < ptr[i + 1]; p++) {
          s += val[p] * b[idx[p] * n + j];
          abs += Math.abs(val[p] * b[idx[p] * n + j]);
        }
        assertProduct(out, i * n + j, s, abs, ptr[i + 1] - ptr[i], kind, `csrTimes ${m}×${n} at ${i},${j}`);
      }
    }
  });

  test(`${kind}: colSumsAdd accumulates column sums in float64`, () => {
    const k = createKernels(kind);
    const rng = new Rng(5);
    for (const [m, n] of [[1, 1], [3, 7], [64, 5001]]) {
      const a = fresh(kind, m * n, rng);
      const out = Float64Array.from({ length: n }, () => rng.normal());
      const ref = Float64Array.from(out);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) ref[j] += a[i * n + j];
      k.colSumsAdd(m, n, a, out);
      for (let j = 0; j < n; j++) assert.ok(Math.abs(out[j] - ref[j]) <= 1e-13 * (1 + Math.abs(ref[j])), `${m}×${n} column ${j}`);
    }
  });
}

for (const kind of ['wasm-fma', 'wasm'] as const) {
  test(`${kind} exp: relative error below 2⁻²³ over a dense sweep of [−87.34, 88.37]; 0 from −88 down, +∞ above, NaN kept`, (t) => {
    const k = createKernels(kind);
    const LO = -87.33654475; // ln 2⁻¹²⁶: smallest x with a normal result
    const HI = 88.37626;
    const n = 1 << 22;
    const x = new Float32Array(n + 3);
    for (let i = 0; i < n; i++) x[i] = LO + ((HI - LO) * i) / (n - 1);
    // Finer around 0, where the softmax's largest terms fall, and random bit
    // patterns (every binade from 2⁻¹²⁶ up, both signs).
    const around0 = Float32Array.from({ length: 1 << 21 }, (_, i) => -1 + i / (1 << 20));
    const rng = new Rng(6);
    const random = new Float32Array(1 << 20);
    const bits = new Uint32Array(random.buffer);
    for (let i = 0; i < bits.length; i++) bits[i] = (rng.next() * 2 ** 32) >>> 0;
    let maxErr = 0;
    let worst = 0;
    for (const xs of [x, around0, random]) {
      const y = new Float32Array(xs.length);
      k.exp(xs.length, xs, y);
      for (let i = 0; i < xs.length; i++) {
        if (!(xs[i] >= LO && xs[i] <= HI)) continue;
        const ref = Math.exp(xs[i]);
        const err = Math.abs(y[i] - ref) / ref;
        if (err > maxErr) {
          maxErr = err;
          worst = xs[i];
        }
      }
    }
    t.diagnostic(`max relative error ${maxErr.toExponential(3)} (${(maxErr / 2 ** -23).toFixed(2)} × 2⁻²³) at x = ${worst}`);
    assert.ok(maxErr < 2 ** -23, `max relative error ${maxErr} at x = ${worst}`);
    const special = Float32Array.from([-Infinity, -1e30, -88, -100, 0, -0, 88.4, 1e30, Infinity, NaN, 1, -1, 88.3, -87.5, -87.9]);
    const y = new Float32Array(special.length);
    k.exp(special.length, special, y);
    assert.deepEqual(Array.from(y.subarray(0, 9)), [0, 0, 0, 0, 1, 1, Infinity, Infinity, Infinity]);
    assert.ok(Number.isNaN(y[9]));
    for (let i = 10; i < 13; i++) assert.ok(Math.abs(y[i] / Math.exp(special[i]) - 1) < 2 ** -23, `exp(${special[i]})`);
    // Below −87.34 the true value is subnormal (< 2⁻¹²⁶): the result is a subnormal or 0, off by less than 2⁻¹²⁶.
    for (let i = 13; i < 15; i++) assert.ok(Math.abs(y[i] - Math.exp(special[i])) < 2 ** -126, `exp(${special[i]}) = ${y[i]}`);
    assert.ok(y[13] > 0, 'exp(−87.5) is a subnormal, not 0');
    // Tails (n mod 4 ≠ 0) go through the same vector code: identical bits.
    for (let len = 1; len < 8; len++) {
      const part = new Float32Array(len);
      k.exp(len, x.subarray(1000, 1000 + len), part);
      const full = new Float32Array(8);
      k.exp(8, x.subarray(1000, 1008), full);
      assert.deepEqual(part, full.subarray(0, len));
    }
  });
}

for (const kind of KERNEL_KINDS) {
  test(`${kind}: gemmNN reads A's rows lda apart (the scores: θ rows padded to dimP, k = β)`, () => {
    const k = createKernels(kind);
    const rng = new Rng(9);
    for (const [m, n, kk, lda] of [[7, 300, 50, 52], [64, 260, 50, 52], [6, 20, 5, 9]]) {
      const a = fresh(kind, m * lda, rng);
      const b = fresh(kind, kk * n, rng);
      const c = fresh(kind, m * n, rng);
      k.gemmNN(m, n, kk, a, b, c, lda);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0, abs = 0;
        for (let p = 0; p < kk; p++) {
          s += a[i * lda + p] * b[p * n + j];
          abs += Math.abs(a[i * lda + p] * b[p * n + j]);
        }
        assertProduct(c, i * n + j, s, abs, kk, kind, `gemmNN lda ${kind} ${m}×${n}×${kk} (lda ${lda}) at ${i},${j}`);
      }
    }
  });
}

test('js exp is Math.exp rounded to float32', () => {
  const k = createKernels('js');
  const x = Float32Array.from([-100, -3.5, 0, 2, 80]);
  const y = new Float32Array(5);
  k.exp(5, x, y);
  assert.deepEqual(Array.from(y), Array.from(x, (v) => Math.fround(Math.exp(v))));
});

test('wasm: in-place and copied operands give identical bits; allocate works once; wrong array types are refused', () => {
  const rng = new Rng(8);
  const [m, n, kk] = [9, 203, 52];
  const k = createKernels('wasm');
  const buf = k.allocate({ a: ['vec', m * kk], b: ['vec', n * kk], c: ['vec', m * n] });
  for (const x of [buf.a, buf.b]) for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  k.gemmNT(m, n, kk, buf.a, buf.b, buf.c);
  const c = new Float32Array(m * n);
  createKernels('wasm').gemmNT(m, n, kk, Float32Array.from(buf.a), Float32Array.from(buf.b), c);
  assert.deepEqual(c, Float32Array.from(buf.c));
  assert.throws(() => k.allocate({ x: ['vec', 1] }), /once/);
  assert.throws(() => k.gemmNT(1, 1, 1, new Float64Array(1), new Float32Array(1), new Float32Array(1)), TypeError);
});

test('kernel choice: argument, then SENTIVEC_KERNELS, else wasm-fma here; bad values are SentivecErrors', () => {
  const saved = process.env.SENTIVEC_KERNELS;
  try {
    delete process.env.SENTIVEC_KERNELS;
    assert.equal(resolveKernels(), 'wasm-fma');
    assert.equal(resolveKernels('js64'), 'js64');
    assert.equal(resolveKernels('wasm'), 'wasm');
    process.env.SENTIVEC_KERNELS = 'js';
    assert.equal(resolveKernels(), 'js');
    assert.equal(resolveKernels('auto'), 'wasm-fma');
    process.env.SENTIVEC_KERNELS = 'simd';
    assert.throws(() => resolveKernels(), (e: unknown) => e instanceof SentivecError && /SENTIVEC_KERNELS.*"simd"/.test(e.message));
    assert.throws(() => resolveKernels('gpu' as KernelKind), SentivecError);
  } finally {
    if (saved === undefined) delete process.env.SENTIVEC_KERNELS;
    else process.env.SENTIVEC_KERNELS = saved;
  }
});

test('every loop with a WebAssembly build reads SENTIVEC_KERNELS the same way: an unknown value is a SentivecError', async () => {
  const { LinearSVC } = await import('../src/models/classifiers/svm.js');
  const { Lda } = await import('../src/models/baselines/lda.js');
  const X = { rows: 2, cols: 1, indptr: Int32Array.from([0, 1, 2]), indices: Int32Array.from([0, 0]), data: Float64Array.from([1, -1]) };
  const saved = process.env.SENTIVEC_KERNELS;
  try {
    process.env.SENTIVEC_KERNELS = 'bogus';
    const bad = (e: unknown): boolean => e instanceof SentivecError && /SENTIVEC_KERNELS.*"bogus"/.test(e.message);
    assert.throws(() => new LinearSVC().fit(X, [1, 0]), bad);
    assert.throws(() => new Lda({ topics: 2, threads: 1 }).fit({ ...X, data: Float64Array.from([1, 1]) }), bad);
    assert.throws(() => resolveKernels(), bad);
    assert.throws(() => new LinearSVC({ kernels: 'gpu' as 'js' }), SentivecError);
  } finally {
    if (saved === undefined) delete process.env.SENTIVEC_KERNELS;
    else process.env.SENTIVEC_KERNELS = saved;
  }
});
