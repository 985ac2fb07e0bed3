/**
 * Adam (Kingma & Ba 2015) for gradient *ascent* on a list of parameter arrays.
 * Chosen for R, b, ψ, b_c because its per-coordinate step sizes absorb the
 * huge spread of gradient scales (a word seen 10⁵ times next to one seen 20
 * times; semantic versus sentiment terms) that plain SGD would need per-word
 * learning rates for.
 */
export class Adam {
  readonly m: Float64Array[];
  readonly v: Float64Array[];
  step = 0;

  constructor(
    sizes: number[],
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = sizes.map((n) => new Float64Array(n));
    this.v = sizes.map((n) => new Float64Array(n));
  }

  /** params[i] += lr · m̂ / (√v̂ + ε) for the gradients grads[i]. */
  update(params: Float64Array[], grads: Float64Array[], lr: number): void {
    this.step++;
    const { beta1: b1, beta2: b2, eps } = this;
    const c1 = 1 / (1 - b1 ** this.step);
    const c2 = 1 / (1 - b2 ** this.step);
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const g = grads[i];
      const m = this.m[i];
      const v = this.v[i];
      for (let j = 0; j < p.length; j++) {
        const gj = g[j];
        const mj = (m[j] = b1 * m[j] + (1 - b1) * gj);
        const vj = (v[j] = b2 * v[j] + (1 - b2) * gj * gj);
        p[j] += (lr * mj * c1) / (Math.sqrt(vj * c2) + eps);
      }
    }
  }

  /** Copies the moments and step count of `other` (same sizes). */
  copyFrom(other: Adam): void {
    for (let i = 0; i < this.m.length; i++) {
      this.m[i].set(other.m[i]);
      this.v[i].set(other.v[i]);
    }
    this.step = other.step;
  }
}
