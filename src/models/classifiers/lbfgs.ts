/**
 * Limited-memory BFGS (Nocedal & Wright 2006, alg. 7.4/7.5) for a smooth
 * convex function, with a backtracking Armijo line search: enough for the
 * multinomial logistic regression, whose objective is strongly convex
 * (the ½‖W‖² term), so the curvature condition sᵀy > 0 holds and the first
 * step of every iteration is usually accepted.
 */
export interface LbfgsOptions {
  /** Stop when ‖∇f‖∞ ≤ gradientTol · scale. */
  gradientTol: number;
  /** Default max(1, ‖∇f(x₀)‖∞); a warm start passes the cold start's, so it is not held to a stricter test. */
  scale?: number;
  maxIter: number;
  /** Pairs (s, y) kept. */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iter: number;
  converged: boolean;
}

/** Minimises f; `fg(x, grad)` returns f(x) and writes ∇f(x) into grad. x0 is not modified. */
export function lbfgs(fg: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, opts: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const m = opts.memory ?? 10;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fg(x, g);
  const g0 = opts.scale ?? Math.max(1, maxAbs(g));
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const alpha = new Float64Array(m);
  let spareS: Float64Array = new Float64Array(n);
  let spareY: Float64Array = new Float64Array(n);
  let iter = 0;
  while (iter < opts.maxIter) {
    if (maxAbs(g) <= opts.gradientTol * g0) return { x, value: f, iter, converged: true };
    // Two-loop recursion: d = −H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], d);
      axpy(-alpha[k], Y[k], d);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      // First step: a unit step along −g scaled to move x by at most 1 in any coordinate.
      const scale = 1 / Math.max(1, maxAbs(g));
      for (let i = 0; i < n; i++) d[i] *= scale;
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], d);
      axpy(alpha[k] - beta, S[k], d);
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dot(g, d);
    }
    let step = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    iter++;
    if (!(fNew <= f)) return { x, value: f, iter, converged: false };
    // The pair is written into spare arrays; the oldest pair's arrays become the next spares (no allocation per iteration).
    const s = spareS;
    const y = spareY;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * dot(y, y)) {
      if (S.length === m) {
        spareS = S.shift() ?? new Float64Array(n);
        spareY = Y.shift() ?? new Float64Array(n);
        rho.shift();
      } else {
        spareS = new Float64Array(n);
        spareY = new Float64Array(n);
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const decrease = f - fNew;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    // A step that no longer changes f at double precision: as converged as it gets.
    if (decrease <= 1e-15 * Math.abs(f)) return { x, value: f, iter, converged: maxAbs(g) <= opts.gradientTol * g0 };
  }
  return { x, value: f, iter, converged: maxAbs(g) <= opts.gradientTol * g0 };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]) > m) m = Math.abs(a[i]);
  return m;
}
