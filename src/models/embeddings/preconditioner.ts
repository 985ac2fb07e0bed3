/**
 * The Hessian model behind the Newton steps for θ̂_k = argmax L_k(θ).
 *
 * The exact Hessian is −(2λI + N_k Cov_k), Cov_k = R diag(p_k) Rᵀ − μ_k μ_kᵀ,
 * μ_k = R p_k; forming it costs |V| β² per document, ~25× a gradient. Instead
 * every document uses the token-weighted mean covariance
 *   C̄ = Σ_k N_k Cov_k / Σ_k N_k = (R diag(q) Rᵀ − Σ_k N_k μ_k μ_kᵀ) / Σ_k N_k,
 *   q = Σ_k N_k p_k,
 * whose ingredients fall out of a gradient pass for free (q from the column
 * sums of E, μ_k from R e_k). C̄ is eigendecomposed once per pass, so a step
 * H̃_k⁻¹ g = U diag(1/(2λ + N_k Λ)) Uᵀ g costs O(β²) (semantic.ts applies it
 * to a chunk of documents as two small products). The model is exact on
 * average and off for individual documents, so θ phases check every step and
 * backtrack (semantic.ts); on the data we tried a handful of steps reach
 * ‖∂L/∂θ‖ below 1e-6 of its starting value.
 */

/**
 * C̄ from the pass statistics: q_w (= Σ_k N_k p_kw), the moment Σ_k N_k μ_k μ_kᵀ
 * and Σ_k N_k. Returns the β × β matrix (row-major).
 */
export function meanCovariance(w: Float64Array, q: Float64Array, moment: Float64Array, tokens: number, dim: number): Float64Array {
  const V = q.length;
  const c = new Float64Array(dim * dim);
  for (let v = 0; v < V; v++) {
    const qv = q[v];
    if (qv === 0) continue;
    const o = v * dim;
    for (let i = 0; i < dim; i++) {
      const a = qv * w[o + i];
      for (let j = i; j < dim; j++) c[i * dim + j] += a * w[o + j];
    }
  }
  const inv = tokens > 0 ? 1 / tokens : 0;
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const x = (c[i * dim + j] - moment[i * dim + j]) * inv;
      c[i * dim + j] = x;
      c[j * dim + i] = x;
    }
  }
  return c;
}

/** C̄ when every θ is 0: the covariance of φ under p_0 = softmax(b). */
export function initialCovariance(w: Float64Array, b: Float64Array, dim: number): Float64Array {
  const V = b.length;
  let max = -Infinity;
  for (let v = 0; v < V; v++) max = Math.max(max, b[v]);
  const p = new Float64Array(V);
  let z = 0;
  for (let v = 0; v < V; v++) z += p[v] = Math.exp(b[v] - max);
  const mu = new Float64Array(dim);
  for (let v = 0; v < V; v++) {
    p[v] /= z;
    for (let j = 0; j < dim; j++) mu[j] += p[v] * w[v * dim + j];
  }
  const moment = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) moment[i * dim + j] = mu[i] * mu[j];
  return meanCovariance(w, p, moment, 1, dim);
}

/**
 * Symmetric eigendecomposition by cyclic Jacobi rotations (β = 50: ~1 ms).
 * Writes eigenvectors as rows of `vecOut` and eigenvalues, clamped at 0
 * (C̄ is a covariance; round-off can push tiny ones negative), into `valOut`.
 */
export function symmetricEigen(a: Float64Array, n: number, vecOut: Float64Array, valOut: Float64Array): void {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += m[i] * m[i];
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotate(m, p, q, n, n, c, s); // columns p, q of M
        rotate(m, p * n, q * n, 1, n, c, s); // rows p, q of M
        rotate(v, p, q, n, n, c, s); // columns p, q of V
      }
    }
  }
  for (let i = 0; i < n; i++) {
    valOut[i] = Math.max(0, m[i * n + i]);
    for (let k = 0; k < n; k++) vecOut[i * n + k] = v[k * n + i];
  }
}

/** The Givens rotation of two strided lines of `a` (n entries each, `step` apart, starting at i and j). */
function rotate(a: Float64Array, i: number, j: number, step: number, n: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const x = a[i + k * step];
    const y = a[j + k * step];
    a[i + k * step] = c * x - s * y;
    a[j + k * step] = s * x + c * y;
  }
}
