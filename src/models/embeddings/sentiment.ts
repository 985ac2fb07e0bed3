/**
 * The sentiment component. Two classes (the paper): p(s = 1 | w) = σ(ψᵀφ_w + b_c), and
 *   Σ_{k labeled} (1/|S_k|) Σ_i [s_k log σ(u_{w_i}) + (1 − s_k) log(1 − σ(u_{w_i}))]
 *   = Σ_w [B_w log σ(u_w) + (A_w − B_w) log(1 − σ(u_w))],   u_w = ψᵀφ_w + b_c,
 * with A, B from data.ts. With r_w = B_w − A_w σ(u_w):
 *   ∂/∂φ_w = r_w ψ,  ∂/∂ψ = Σ_w r_w φ_w,  ∂/∂b_c = Σ_w r_w.
 *
 * k classes (issue #14): a softmax over classes with one ψ_c, b_c per class
 * c = 1..K (K = k − 1); class 0 is the reference (ψ_0 = 0, b_0 = 0), so k = 2
 * is exactly the binary model above. p(c | w) = e^{u_wc} / (1 + Σ_{c'} e^{u_wc'}),
 * u_wc = ψ_cᵀφ_w + b_c, and with B_wc = Σ_{k ∈ class c} n_kw/|S_c|:
 *   Σ_w [Σ_{c≥1} B_wc u_wc − A_w log(1 + Σ_c e^{u_wc})],
 *   r_wc = B_wc − A_w p(c | w),  ∂/∂φ_w = Σ_c r_wc ψ_c,  ∂/∂ψ_c = Σ_w r_wc φ_w,  ∂/∂b_c = Σ_w r_wc.
 *
 * Parameters travel as one block `sent` = [ψ_1 … ψ_K (β each), b_1 … b_K], so
 * for K = 1 it is [ψ, b_c] as before.
 */

export interface SentimentGradient {
  value: number;
  /** ∂/∂[ψ_1 … ψ_K, b_1 … b_K], the layout of `sent`. */
  grad: Float64Array;
}

/** log σ(u) without overflow. */
export function logSigmoid(u: number): number {
  return u >= 0 ? -Math.log1p(Math.exp(-u)) : u - Math.log1p(Math.exp(u));
}

export function sigmoid(u: number): number {
  return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
}

/** Classes beyond the reference one that a `sent` block of this length holds for β = dim. */
export function sentimentClasses(sentLength: number, dim: number): number {
  return sentLength / (dim + 1);
}

/**
 * Value of the sentiment term and, scaled by `scale`, its gradient: the R
 * part is added into gradW when given, the ψ and b_c parts are returned.
 * sentB is |V| × K, word-major.
 */
export function sentimentTerm(
  w: Float64Array,
  sent: Float64Array,
  sentA: Float64Array,
  sentB: Float64Array,
  dim: number,
  scale: number,
  gradW?: Float64Array,
): SentimentGradient {
  const K = sentimentClasses(sent.length, dim);
  return K === 1 ? binaryTerm(w, sent, sentA, sentB, dim, scale, gradW) : softmaxTerm(w, sent, K, sentA, sentB, dim, scale, gradW);
}

/** The paper's two-class term, kept as its own loop so binary vectors stay bit for bit what they were. */
function binaryTerm(w: Float64Array, sent: Float64Array, sentA: Float64Array, sentB: Float64Array, dim: number, scale: number, gradW?: Float64Array): SentimentGradient {
  const V = sentA.length;
  const grad = new Float64Array(dim + 1);
  const bc = sent[dim];
  let gBc = 0;
  let value = 0;
  for (let v = 0; v < V; v++) {
    const a = sentA[v];
    if (a === 0) continue;
    const bw = sentB[v];
    const o = v * dim;
    let u = bc;
    for (let j = 0; j < dim; j++) u += sent[j] * w[o + j];
    value += bw * logSigmoid(u) + (a - bw) * logSigmoid(-u);
    const r = (bw - a * sigmoid(u)) * scale;
    gBc += r;
    for (let j = 0; j < dim; j++) grad[j] += r * w[o + j];
    if (gradW) for (let j = 0; j < dim; j++) gradW[o + j] += r * sent[j];
  }
  grad[dim] = gBc;
  return { value, grad };
}

function softmaxTerm(w: Float64Array, sent: Float64Array, K: number, sentA: Float64Array, sentB: Float64Array, dim: number, scale: number, gradW?: Float64Array): SentimentGradient {
  const V = sentA.length;
  const grad = new Float64Array(K * (dim + 1));
  const bias = K * dim;
  const u = new Float64Array(K);
  let value = 0;
  for (let v = 0; v < V; v++) {
    const a = sentA[v];
    if (a === 0) continue;
    const o = v * dim;
    // Scores against the reference class's 0, and a stable log(1 + Σ e^u).
    let top = 0;
    for (let c = 0; c < K; c++) {
      let s = sent[bias + c];
      for (let j = 0; j < dim; j++) s += sent[c * dim + j] * w[o + j];
      u[c] = s;
      if (s > top) top = s;
    }
    let z = Math.exp(-top);
    for (let c = 0; c < K; c++) z += Math.exp(u[c] - top);
    const lse = top + Math.log(z);
    value -= a * lse;
    for (let c = 0; c < K; c++) {
      const b = sentB[v * K + c];
      value += b * u[c];
      const r = (b - a * Math.exp(u[c] - lse)) * scale;
      grad[bias + c] += r;
      for (let j = 0; j < dim; j++) grad[c * dim + j] += r * w[o + j];
      if (gradW) for (let j = 0; j < dim; j++) gradW[o + j] += r * sent[c * dim + j];
    }
  }
  return { value, grad };
}
