/**
 * Adam (Kingma & Ba 2015) for gradient *ascent* on a list of parameter arrays.
 * Chosen for R, b, ψ, b_c because its per-coordinate step sizes absorb the
 * huge spread of gradient scales (a word seen 10⁵ times next to one seen 20
 * times; semantic versus sentiment terms) that plain SGD would need per-word
 * learning rates for.
 */
export interface AdamSettings {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

export const ADAM_DEFAULTS: AdamSettings = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export class Adam {
  readonly m: Float64Array[];
  readonly v: Float64Array[];
  step = 0;

  /** `alloc` places the moments (shared memory when threads update slices of them, see update.ts). */
  constructor(
    sizes: number[],
    readonly settings: AdamSettings = ADAM_DEFAULTS,
    alloc: (n: number) => Float64Array = (n) => new Float64Array(n),
  ) {
    this.m = sizes.map(alloc);
    this.v = sizes.map(alloc);
  }

  /** params[i] += lr · m̂ / (√v̂ + ε) for the gradients grads[i]. */
  update(params: Float64Array[], grads: Float64Array[], lr: number): void {
    this.step++;
    for (let i = 0; i < params.length; i++) adamStep(params[i], grads[i], this.m[i], this.v[i], 0, params[i].length, lr, this.step, this.settings);
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

/** The Adam update of p[lo..hi) at step count `step` (≥ 1, already advanced). */
export function adamStep(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, lo: number, hi: number, lr: number, step: number, s: AdamSettings): void {
  const { beta1: b1, beta2: b2, eps } = s;
  const c1 = 1 / (1 - b1 ** step);
  const c2 = 1 / (1 - b2 ** step);
  for (let j = lo; j < hi; j++) {
    const gj = g[j];
    const mj = (m[j] = b1 * m[j] + (1 - b1) * gj);
    const vj = (v[j] = b2 * v[j] + (1 - b2) * gj * gj);
    p[j] += (lr * mj * c1) / (Math.sqrt(vj * c2) + eps);
  }
}
