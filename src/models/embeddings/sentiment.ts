/**
 * The sentiment component: p(s = 1 | w) = σ(ψᵀφ_w + b_c), and the term
 *   Σ_{k labeled} (1/|S_k|) Σ_i [s_k log σ(u_{w_i}) + (1 − s_k) log(1 − σ(u_{w_i}))]
 *   = Σ_w [B_w log σ(u_w) + (A_w − B_w) log(1 − σ(u_w))],   u_w = ψᵀφ_w + b_c,
 * with A, B from data.ts. With r_w = B_w − A_w σ(u_w):
 *   ∂/∂φ_w = r_w ψ,  ∂/∂ψ = Σ_w r_w φ_w,  ∂/∂b_c = Σ_w r_w.
 */

export interface SentimentGradient {
  value: number;
  psi: Float64Array;
  bc: number;
}

/** log σ(u) without overflow. */
export function logSigmoid(u: number): number {
  return u >= 0 ? -Math.log1p(Math.exp(-u)) : u - Math.log1p(Math.exp(u));
}

export function sigmoid(u: number): number {
  return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
}

/**
 * Value of the sentiment term and, scaled by `scale`, its gradient: the
 * R part is added into gradW when given, the ψ and b_c parts are returned.
 */
export function sentimentTerm(
  w: Float64Array,
  psi: Float64Array,
  bc: number,
  sentA: Float64Array,
  sentB: Float64Array,
  dim: number,
  scale: number,
  gradW?: Float64Array,
): SentimentGradient {
  const V = sentA.length;
  const gPsi = new Float64Array(dim);
  let gBc = 0;
  let value = 0;
  for (let v = 0; v < V; v++) {
    const a = sentA[v];
    if (a === 0) continue;
    const bw = sentB[v];
    const o = v * dim;
    let u = bc;
    for (let j = 0; j < dim; j++) u += psi[j] * w[o + j];
    value += bw * logSigmoid(u) + (a - bw) * logSigmoid(-u);
    const r = (bw - a * sigmoid(u)) * scale;
    gBc += r;
    for (let j = 0; j < dim; j++) gPsi[j] += r * w[o + j];
    if (gradW) for (let j = 0; j < dim; j++) gradW[o + j] += r * psi[j];
  }
  return { value, psi: gPsi, bc: gBc };
}
