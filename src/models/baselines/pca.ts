/**
 * Two principal components of a set of word vectors, for drawing a word map.
 * Vectors are scaled to unit length first (the map should show cosine
 * neighbourhoods, not frequency-driven norms), centred, and projected on the
 * top two eigenvectors of their β × β covariance, found by power iteration
 * from a fixed start so the same model always gives the same map. Each axis
 * is oriented so that its largest loading is positive.
 */
import type { WordMatrix } from '../../features/word-matrix.js';
import { Rng } from '../../util/rng.js';
import { unitRowInto } from '../../features/unit-rows.js';

const ITERATIONS = 200;

export function pca2(r: WordMatrix, rows: readonly number[]): Float64Array {
  const { dim, data } = r;
  const n = rows.length;
  const out = new Float64Array(2 * n);
  if (n === 0) return out;
  const x = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) unitRowInto(data, rows[i] * dim, x, i * dim, dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += x[i * dim + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) x[i * dim + j] -= mean[j];
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      const xa = x[i * dim + a];
      for (let b = 0; b < dim; b++) cov[a * dim + b] += xa * x[i * dim + b];
    }
  }
  const rng = new Rng(1);
  const axes: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: dim }, () => rng.normal());
    for (let it = 0; it < ITERATIONS; it++) {
      const w = new Float64Array(dim);
      for (let a = 0; a < dim; a++) {
        let s = 0;
        for (let b = 0; b < dim; b++) s += cov[a * dim + b] * v[b];
        w[a] = s;
      }
      for (const prev of axes) {
        let d = 0;
        for (let a = 0; a < dim; a++) d += w[a] * prev[a];
        for (let a = 0; a < dim; a++) w[a] -= d * prev[a];
      }
      let norm = 0;
      for (let a = 0; a < dim; a++) norm += w[a] * w[a];
      norm = Math.sqrt(norm);
      if (norm === 0) {
        v = new Float64Array(dim); // no variance left (β = 1, or identical vectors)
        break;
      }
      for (let a = 0; a < dim; a++) w[a] /= norm;
      v = w;
    }
    let big = 0;
    for (let a = 1; a < dim; a++) if (Math.abs(v[a]) > Math.abs(v[big])) big = a;
    if (v[big] < 0) for (let a = 0; a < dim; a++) v[a] = -v[a];
    axes.push(v);
  }
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let a = 0; a < dim; a++) s += x[i * dim + a] * axes[c][a];
      out[2 * i + c] = s;
    }
  }
  return out;
}
