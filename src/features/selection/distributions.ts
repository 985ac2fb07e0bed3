/**
 * Tails of the χ² and F distributions, for p-values of feature statistics.
 * Both come from regularized incomplete functions: the χ² tail is the upper
 * incomplete gamma Q(k/2, x/2), the F tail an incomplete beta. They are
 * computed in log space (ln p), because the strongest IMDb n-grams have
 * χ² in the thousands, whose p-values underflow a double (p < 1e-308) while
 * −log10 p is still needed for the volcano plot and for ranking ties.
 * Algorithms: series and Lentz continued fractions (Numerical Recipes §6.2,
 * §6.4), Lanczos ln Γ; tested against SciPy / mpmath values.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: ~1e-15 relative). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  // Reflection keeps small arguments accurate.
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 100000;

/** ln P(a, x), the regularized lower incomplete gamma, by its series (converges fast for x < a + 1). */
function logGammaPSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return Math.log(sum) - x + a * Math.log(x) - logGamma(a);
}

/** ln Q(a, x), the regularized upper incomplete gamma, by Lentz's continued fraction (x ≥ a + 1). */
function logGammaQFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.log(h) - x + a * Math.log(x) - logGamma(a);
}

/** ln Q(a, x) = ln(1 − P(a, x)): the log upper tail. */
export function logGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gamma Q needs a > 0, got ${a}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x === Infinity) return -Infinity;
  if (x < a + 1) return Math.log1p(-Math.exp(logGammaPSeries(a, x)));
  return logGammaQFraction(a, x);
}

/** Regularized lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x < a + 1) return Math.exp(logGammaPSeries(a, x));
  return -Math.expm1(logGammaQFraction(a, x));
}

/** Regularized upper incomplete gamma Q(a, x). */
export function gammaQ(a: number, x: number): number {
  return Math.exp(logGammaQ(a, x));
}

/** Continued fraction of the incomplete beta (modified Lentz), valid for x < (a + 1)/(a + b + 2). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** ln of x^a (1−x)^b / (a B(a, b)) · fraction: ln I_x(a, b) on the fraction's side. */
function logBetaDirect(a: number, b: number, x: number): number {
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  return lnFront + Math.log(betaFraction(a, b, x)) - Math.log(a);
}

/** ln I_x(a, b), the log regularized incomplete beta function. */
export function logBetaI(a: number, b: number, x: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`incomplete beta needs a, b > 0, got ${a}, ${b}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return -Infinity;
  if (x >= 1) return 0;
  if (x < (a + 1) / (a + b + 2)) return logBetaDirect(a, b, x);
  return Math.log1p(-Math.exp(logBetaDirect(b, a, 1 - x)));
}

/** Regularized incomplete beta I_x(a, b). */
export function betaI(a: number, b: number, x: number): number {
  return Math.exp(logBetaI(a, b, x));
}

/** ln P(χ²_k ≥ x). */
export function chi2LogSf(x: number, k: number): number {
  if (!(k > 0)) throw new RangeError(`χ² degrees of freedom must be > 0, got ${k}`);
  return logGammaQ(k / 2, x / 2);
}

/** ln P(F_{d1,d2} ≥ f) = ln I_{d2/(d2 + d1 f)}(d2/2, d1/2). */
export function fLogSf(f: number, d1: number, d2: number): number {
  if (!(d1 > 0) || !(d2 > 0)) throw new RangeError(`F degrees of freedom must be > 0, got ${d1}, ${d2}`);
  if (Number.isNaN(f)) return NaN;
  if (f <= 0) return 0;
  if (f === Infinity) return -Infinity;
  // For small f the other side of the beta is the accurate one (the tail is near 1).
  const x = d2 / (d2 + d1 * f);
  return logBetaI(d2 / 2, d1 / 2, x);
}

/** Standard normal CDF Φ(z), through erfc(t) = Q(1/2, t²). */
export function normalCdf(z: number): number {
  const q = 0.5 * gammaQ(0.5, (z * z) / 2);
  return z >= 0 ? 1 - q : q;
}

/** Φ⁻¹(p) by bisection on Φ (called once per report, so simplicity beats speed). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs 0 < p < 1, got ${p}`);
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
