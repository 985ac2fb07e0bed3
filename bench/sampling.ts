/** Sampling helpers shared by the synthetic-corpus benchmarks. */

/** Normalized cumulative sums of `weights`, for inverse-CDF sampling. */
export function cumulative(weights: Float64Array): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) c[i] = s += weights[i];
  for (let i = 0; i < c.length; i++) c[i] /= s;
  return c;
}

/** Index drawn from `cum` (see cumulative) for a uniform u in [0, 1). */
export function draw(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
