/**
 * The kernels in plain TypeScript: the fallback where WebAssembly SIMD is
 * missing (`SENTIVEC_KERNELS=js`), and with Float64Array storage the float64
 * reference (`js64`). Same contracts as assembly/kernels.ts; arithmetic is in
 * doubles whatever the storage, so `js` differs from `wasm` only by where
 * the float32 roundings fall.
 *
 * Register blocks of 2×4 accumulators keep everything in the 16 XMM
 * registers V8 allocates from; larger blocks spill and measured no faster.
 */
import type { Vec } from './kernel-types.js';

/** Words per column tile of gemmNT: 128 × k values of B stay in L2 while every row of A passes. */
const NT_TILE = 128;
/** Rows of B per k-tile of gemmNN. */
const NN_TILE = 256;

/** C (m×n) = A (m×k) · Bᵀ, with B stored n×k. Overwrites C. */
export function gemmNT(m: number, n: number, k: number, a: Vec, b: Vec, c: Vec): void {
  const m2 = m - (m % 2);
  for (let j0 = 0; j0 < n; j0 += NT_TILE) {
    const j1 = Math.min(n, j0 + NT_TILE);
    const j4 = j0 + ((j1 - j0) - ((j1 - j0) % 4));
    for (let i = 0; i < m2; i += 2) {
      const a0 = i * k;
      const a1 = a0 + k;
      for (let j = j0; j < j4; j += 4) {
        const b0 = j * k;
        const b1 = b0 + k;
        const b2 = b1 + k;
        const b3 = b2 + k;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        for (let p = 0; p < k; p++) {
          const x0 = a[a0 + p];
          const x1 = a[a1 + p];
          const y0 = b[b0 + p];
          const y1 = b[b1 + p];
          const y2 = b[b2 + p];
          const y3 = b[b3 + p];
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        }
        const o0 = i * n + j;
        const o1 = o0 + n;
        c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
        c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
      }
      for (let j = j4; j < j1; j++) {
        c[i * n + j] = dot(a, a0, b, j * k, k);
        c[(i + 1) * n + j] = dot(a, a1, b, j * k, k);
      }
    }
    for (let i = m2; i < m; i++) {
      for (let j = j0; j < j1; j++) c[i * n + j] = dot(a, i * k, b, j * k, k);
    }
  }
}

/** C (m×n) = A (m×k, rows `lda` apart) · B (k×n). Overwrites C. */
export function gemmNN(m: number, n: number, k: number, a: Vec, b: Vec, c: Vec, lda = k): void {
  c.fill(0, 0, m * n);
  for (let p0 = 0; p0 < k; p0 += NN_TILE) addProduct(m, n, p0, Math.min(k, p0 + NN_TILE), a, lda, 1, b, c);
}

/** C (m×n) += Aᵀ · B, with A stored k×m and B stored k×n. */
export function gemmTNAdd(m: number, n: number, k: number, a: Vec, b: Vec, c: Vec): void {
  addProduct(m, n, 0, k, a, 1, m, b, c);
}

/**
 * C (m×n) += A[:, p0..p1) · B[p0..p1, :], where A(i, p) is a[i·rowStep + p·colStep]
 * (gemmNN: A row-major; gemmTNAdd: A stored transposed). Register blocks of
 * 2 rows × 4 columns; the sums run over p in order, so results do not depend
 * on the layout.
 */
function addProduct(m: number, n: number, p0: number, p1: number, a: Vec, rowStep: number, colStep: number, b: Vec, c: Vec): void {
  const m2 = m - (m % 2);
  const n4 = n - (n % 4);
  for (let i = 0; i < m2; i += 2) {
    const a0 = i * rowStep;
    const a1 = a0 + rowStep;
    const o0 = i * n;
    const o1 = o0 + n;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      for (let p = p0; p < p1; p++) {
        const x0 = a[a0 + p * colStep];
        const x1 = a[a1 + p * colStep];
        const q = p * n + j;
        const y0 = b[q];
        const y1 = b[q + 1];
        const y2 = b[q + 2];
        const y3 = b[q + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
      }
      c[o0 + j] += c00; c[o0 + j + 1] += c01; c[o0 + j + 2] += c02; c[o0 + j + 3] += c03;
      c[o1 + j] += c10; c[o1 + j + 1] += c11; c[o1 + j + 2] += c12; c[o1 + j + 3] += c13;
    }
    for (let j = n4; j < n; j++) {
      let c0 = 0;
      let c1 = 0;
      for (let p = p0; p < p1; p++) {
        const y = b[p * n + j];
        c0 += a[a0 + p * colStep] * y;
        c1 += a[a1 + p * colStep] * y;
      }
      c[o0 + j] += c0;
      c[o1 + j] += c1;
    }
  }
  for (let i = m2; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = p0; p < p1; p++) s += a[i * rowStep + p * colStep] * b[p * n + j];
      c[i * n + j] += s;
    }
  }
}

/**
 * Row i of S (m×n) becomes scale_i · softmax(S_i + bias) (plain softmax
 * without `scale`); lse_i = log Σ_j exp(S_ij + bias_j). Shifting by the row
 * maximum keeps exp in range for any scores.
 */
export function softmaxRows(m: number, n: number, s: Vec, bias: Vec, lse: Float64Array, scale?: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    const sum = expShifted(n, s, o, bias, lse, i);
    const f = (scale ? scale[i] : 1) / sum;
    for (let j = 0; j < n; j++) s[o + j] *= f;
  }
}

/** lse_i = log Σ_j exp(S_ij + bias_j) for each row of S (m×n); S_i is left holding exp(S_i + bias − max). */
export function logSumExpRows(m: number, n: number, s: Vec, bias: Vec, lse: Float64Array): void {
  for (let i = 0; i < m; i++) expShifted(n, s, i * n, bias, lse, i);
}

/** Row S[o..o+n) ← exp(S + bias − max); lse[i] ← log Σ exp(S + bias); returns Σ exp(S + bias − max). */
function expShifted(n: number, s: Vec, o: number, bias: Vec, lse: Float64Array, i: number): number {
  const max = rowMax(n, s, o, bias);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const e = Math.exp(s[o + j] + bias[j] - max);
    s[o + j] = e;
    sum += e;
  }
  lse[i] = max + Math.log(sum);
  return sum;
}

/** out[j] += Σ_i A[i][j] for A (m×n). */
export function colSumsAdd(m: number, n: number, a: Vec, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) out[j] += a[o + j];
  }
}

/** out (m×n) = X · B for X in CSR form (row i: val[p] at column idx[p], p in ptr[i]..ptr[i+1]). */
export function csrTimes(m: number, n: number, ptr: Int32Array, idx: Int32Array, val: Vec, b: Vec, out: Vec): void {
  out.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let p = ptr[i]; p < ptr[i + 1]; p++) {
      const x = val[p];
      const r = idx[p] * n;
      for (let j = 0; j < n; j++) out[o + j] += x * b[r + j];
    }
  }
}

export function expArray(n: number, x: Vec, y: Vec): void {
  for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]);
}

function rowMax(n: number, s: Vec, o: number, bias: Vec): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = s[o + j] + bias[j];
    if (v > max) max = v;
  }
  return max;
}

function dot(a: Vec, ao: number, b: Vec, bo: number, k: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s += a[ao + p] * b[bo + p];
  return s;
}
