import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CsrMatrix } from '../src/features/csr.js';
import { Lsa, randomizedSvd, weightTerms, orthonormalizeColumns } from '../src/models/baselines/lsa.js';
import { Rng } from '../src/util/rng.js';

/** Stores every entry (zeros too) of a dense row-major matrix as CSR. */
function denseCsr(a: Float64Array, rows: number, cols: number): CsrMatrix {
  const indptr = Int32Array.from({ length: rows + 1 }, (_, i) => i * cols);
  const indices = Int32Array.from({ length: rows * cols }, (_, p) => p % cols);
  return { rows, cols, indptr, indices, data: Float64Array.from(a) };
}

/** Low rank with well-separated singular values, plus small dense noise. */
function lowRankPlusNoise(n: number, m: number, sigmas: number[], noise: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const orth = (rows: number): Float64Array => {
    const q = new Float64Array(rows * sigmas.length);
    for (let i = 0; i < q.length; i++) q[i] = rng.normal();
    return orthonormalizeColumns(q, rows, sigmas.length, rng);
  };
  const u = orth(n);
  const v = orth(m);
  const k = sigmas.length;
  const a = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = noise * rng.normal();
      for (let t = 0; t < k; t++) s += u[i * k + t] * sigmas[t] * v[j * k + t];
      a[i * m + j] = s;
    }
  }
  return a;
}

/** Reference: cyclic two-sided Jacobi eigen-decomposition of the dense symmetric AᵀA. */
function referenceSvd(a: Float64Array, n: number, m: number): { s: number[]; v: number[][] } {
  const g = new Float64Array(m * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) g[p * m + q] += a[i * m + p] * a[i * m + q];
  const vec = new Float64Array(m * m);
  for (let p = 0; p < m; p++) vec[p * m + p] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += g[p * m + q] ** 2;
    if (off < 1e-26) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        if (g[p * m + q] === 0) continue;
        const theta = (g[q * m + q] - g[p * m + p]) / (2 * g[p * m + q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const gkp = g[k * m + p];
          const gkq = g[k * m + q];
          g[k * m + p] = c * gkp - s * gkq;
          g[k * m + q] = s * gkp + c * gkq;
        }
        for (let k = 0; k < m; k++) {
          const gpk = g[p * m + k];
          const gqk = g[q * m + k];
          g[p * m + k] = c * gpk - s * gqk;
          g[q * m + k] = s * gpk + c * gqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = vec[k * m + p];
          const vkq = vec[k * m + q];
          vec[k * m + p] = c * vkp - s * vkq;
          vec[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, j) => j).sort((x, y) => g[y * m + y] - g[x * m + x]);
  return {
    s: order.map((j) => Math.sqrt(Math.max(0, g[j * m + j]))),
    v: order.map((j) => Array.from({ length: m }, (_, r) => vec[r * m + j])),
  };
}

const column = (v: Float64Array, k: number, j: number): number[] => Array.from({ length: v.length / k }, (_, r) => v[r * k + j]);
const dot = (x: number[], y: number[]): number => x.reduce((s, xi, i) => s + xi * y[i], 0);

test('randomized SVD recovers the top singular values and vectors of a dense reference', () => {
  const n = 90;
  const m = 60;
  const a = lowRankPlusNoise(n, m, [50, 40, 31, 23, 16, 11, 7, 4], 0.01, 7);
  const ref = referenceSvd(a, n, m);
  const k = 6;
  const svd = randomizedSvd(denseCsr(a, n, m), k, { oversample: 8, powerIterations: 3, rng: new Rng(3) });
  for (let j = 0; j < k; j++) {
    assert.ok(Math.abs(svd.s[j] - ref.s[j]) <= 1e-9 * ref.s[0], `σ${j}: ${svd.s[j]} vs ${ref.s[j]}`);
    const cos = Math.abs(dot(column(svd.v, k, j), ref.v[j]));
    assert.ok(Math.abs(1 - cos) < 1e-9, `v${j}: |cos| = ${cos}`);
  }
});

test('with all directions kept the randomized SVD is exact, orthonormal and sign-fixed', () => {
  const n = 30;
  const m = 12;
  const rng = new Rng(11);
  const a = Float64Array.from({ length: n * m }, () => rng.normal());
  const ref = referenceSvd(a, n, m);
  const svd = randomizedSvd(denseCsr(a, n, m), m, { oversample: 5, powerIterations: 0, rng: new Rng(1) });
  for (let j = 0; j < m; j++) {
    assert.ok(Math.abs(svd.s[j] - ref.s[j]) < 1e-10, `σ${j}`);
    const cj = column(svd.v, m, j);
    for (let i = 0; i <= j; i++) assert.ok(Math.abs(dot(column(svd.v, m, i), cj) - (i === j ? 1 : 0)) < 1e-12);
    const big = cj.reduce((b, x) => (Math.abs(x) > Math.abs(b) ? x : b), 0);
    assert.ok(big > 0, 'largest-magnitude entry is positive');
  }
});

test('rank-deficient input still yields orthonormal vectors and zero trailing singular values', () => {
  const n = 40;
  const m = 25;
  const a = lowRankPlusNoise(n, m, [5, 3, 2], 0, 5);
  const k = 6;
  const svd = randomizedSvd(denseCsr(a, n, m), k, { oversample: 4, powerIterations: 2, rng: new Rng(9) });
  assert.deepEqual(
    [...svd.s.slice(0, 3)].map((x) => Math.round(x * 1e9) / 1e9),
    [5, 3, 2],
  );
  for (let j = 3; j < k; j++) assert.ok(svd.s[j] < 1e-10);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    assert.ok(Math.abs(dot(column(svd.v, k, i), column(svd.v, k, j)) - (i === j ? 1 : 0)) < 1e-10, `v${i}·v${j}`);
  }
});

function countCorpus(seed: number, docs: number, terms: number): CsrMatrix {
  const rng = new Rng(seed);
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (let d = 0; d < docs; d++) {
    for (let w = 0; w < terms; w++) {
      if (rng.next() < 0.3) {
        indices.push(w);
        data.push(1 + rng.int(4));
      }
    }
    indptr.push(indices.length);
  }
  return { rows: docs, cols: terms, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

test('Lsa.fit is deterministic for a seed and its word vectors are the (scaled) right singular vectors', () => {
  const x = countCorpus(4, 200, 80);
  const a = new Lsa({ dim: 10, seed: 5 }).fit(x);
  const b = new Lsa({ dim: 10, seed: 5 }).fit(x);
  assert.equal(a.wordVectors.dim, 10);
  assert.equal(a.wordVectors.vocabSize, 80);
  assert.deepEqual(a.wordVectors.data, b.wordVectors.data);
  assert.deepEqual(a.singularValues, b.singularValues);
  for (let j = 1; j < 10; j++) assert.ok(a.singularValues[j] <= a.singularValues[j - 1]);
  const scaled = new Lsa({ dim: 10, seed: 5, scaleBySingularValues: true }).fit(x);
  for (let w = 0; w < 80; w++) {
    for (let j = 0; j < 10; j++) {
      assert.ok(Math.abs(scaled.wordVectors.data[w * 10 + j] - Math.fround(a.components[w * 10 + j] * a.singularValues[j])) < 1e-5);
    }
  }
});

test('weightings: binary, tfidf and log-entropy', () => {
  // 3 documents over 3 terms; term 0 in every document, term 2 in one.
  const x: CsrMatrix = {
    rows: 3,
    cols: 3,
    indptr: Int32Array.from([0, 2, 4, 5]),
    indices: Int32Array.from([0, 2, 0, 1, 0]),
    data: Float64Array.from([2, 3, 1, 1, 1]),
  };
  assert.deepEqual([...weightTerms(x, 'binary').matrix.data], [1, 1, 1, 1, 1]);
  assert.deepEqual([...weightTerms(x, 'count').matrix.data], [2, 3, 1, 1, 1]);
  const idf = (df: number): number => Math.log(4 / (1 + df)) + 1;
  const t = weightTerms(x, 'tfidf');
  assert.deepEqual([...t.termWeights], [idf(3), idf(1), idf(1)]);
  assert.deepEqual([...t.matrix.data], [2, 3 * idf(1), 1, idf(1), 1].map((v, p) => (p === 0 || p === 2 || p === 4 ? v * idf(3) : v)));
  const le = weightTerms(x, 'logentropy');
  // Term 0: counts 2,1,1 of 4 → entropy weight 1 + Σ p ln p / ln 3; terms 1, 2 live in one document → 1.
  const g0 = 1 + (0.5 * Math.log(0.5) + 2 * 0.25 * Math.log(0.25)) / Math.log(3);
  assert.ok(Math.abs(le.termWeights[0] - g0) < 1e-15);
  assert.deepEqual([...le.termWeights.slice(1)], [1, 1]);
  assert.ok(Math.abs(le.matrix.data[1] - Math.log(4)) < 1e-15);
});

test('Lsa rejects more dimensions than the matrix has', () => {
  assert.throws(() => new Lsa({ dim: 5 }).fit(countCorpus(1, 4, 10)), /singular vectors/);
  assert.throws(() => new Lsa({ dim: 0 }), /positive integer/);
});
