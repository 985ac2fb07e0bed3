/**
 * Probabilities that mean what they say: Platt scaling, P(positive | score) =
 * σ(a·score + b), fitted on out-of-fold decision values (scores of documents
 * the scoring model never saw), with Platt's smoothed targets
 * (N₊+1)/(N₊+2) and 1/(N₋+2) so a separable fold cannot push a to infinity.
 * The quality of the calibrated probabilities is measured honestly too: each
 * fold's probabilities come from a Platt fit on the other folds' scores.
 */
export interface Platt {
  a: number;
  b: number;
}

export interface ReliabilityBin {
  /** Bin [low, high) of predicted P(positive). */
  low: number;
  high: number;
  count: number;
  /** Mean predicted P(positive) and observed positive rate in the bin (NaN when empty). */
  predicted: number;
  observed: number;
}

export interface CalibrationReport {
  /**
   * 'temperature': k > 2 classes, softmax(a · scores) with one a > 0 fitted on out-of-fold scores (b = 0; bins of
   * the top class's probability). 'softmax': the scores' own softmax (a = 1; models saved before temperature scaling).
   */
  method: 'platt' | 'temperature' | 'softmax';
  a: number;
  b: number;
  /** From cross-fitted calibrated out-of-fold probabilities. */
  logLoss: number;
  brier: number;
  /** Expected calibration error over 10 equal-width bins. */
  ece: number;
  reliability: ReliabilityBin[];
}

const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** Platt's fit by Newton's method with backtracking (Lin, Lin & Weng 2007). */
export function fitPlatt(scores: ArrayLike<number>, y: ArrayLike<number>, rows?: ArrayLike<number>): Platt {
  const n = rows ? rows.length : scores.length;
  const at = (i: number): number => (rows ? rows[i] : i);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[at(i)] ? 1 : 0;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  const t = (i: number): number => (y[at(i)] ? hi : lo);
  let a = 1;
  let b = 0;
  const loss = (A: number, B: number): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const z = A * scores[at(i)] + B;
      // −[t log σ(z) + (1−t) log(1−σ(z))] = log(1+e^z) − t z, computed stably.
      f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t(i) * z;
    }
    return f;
  };
  let f = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const s = scores[at(i)];
      const p = sigmoid(a * s + b);
      const d = p - t(i);
      const w = p * (1 - p);
      ga += d * s;
      gb += d;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    if (Math.abs(ga) < 1e-9 * n && Math.abs(gb) < 1e-9 * n) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    const found = backtrack(f, ga * da + gb * db, 1e-10, (step) => loss(a + step * da, b + step * db));
    if (!found) break;
    a += found.step * da;
    b += found.step * db;
    f = found.f;
  }
  return { a, b };
}

/** Armijo backtracking: the first step of 1, ½, ¼, … (above `min`) with loss(step) < f + 10⁻⁴ · step · slope, and that loss; undefined if none. */
function backtrack(f: number, slope: number, min: number, loss: (step: number) => number): { step: number; f: number } | undefined {
  for (let step = 1; step > min; step /= 2) {
    const fn = loss(step);
    if (fn < f + 1e-4 * step * slope) return { step, f: fn };
  }
  return undefined;
}

export function applyPlatt(p: Platt, score: number): number {
  return sigmoid(p.a * score + p.b);
}

/** Log-loss, Brier score, ECE and a 10-bin reliability table of P(positive) against 0/1 truth. */
export function probabilityQuality(prob: ArrayLike<number>, y: ArrayLike<number>, bins = 10): Omit<CalibrationReport, 'method' | 'a' | 'b'> {
  const n = prob.length;
  let logLoss = 0;
  let brier = 0;
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = prob[i];
    const t = y[i] ? 1 : 0;
    logLoss -= Math.log(Math.max(1e-15, t ? p : 1 - p));
    brier += (p - t) ** 2;
    const k = Math.min(bins - 1, Math.floor(p * bins));
    count[k]++;
    sumP[k] += p;
    sumY[k] += t;
  }
  let ece = 0;
  const reliability: ReliabilityBin[] = [];
  for (let k = 0; k < bins; k++) {
    if (count[k] > 0) ece += (count[k] / n) * Math.abs(sumP[k] / count[k] - sumY[k] / count[k]);
    reliability.push({ low: k / bins, high: (k + 1) / bins, count: count[k], predicted: count[k] ? sumP[k] / count[k] : NaN, observed: count[k] ? sumY[k] / count[k] : NaN });
  }
  return { logLoss: n ? logLoss / n : NaN, brier: n ? brier / n : NaN, ece, reliability };
}

/**
 * Calibrated out-of-fold probabilities, each fold's from a Platt fit on the
 * other folds' scores (so the calibration's quality is not measured on the
 * scores it was fitted to), and the final Platt fit on all of them.
 */
export function crossFittedCalibration(scores: Float64Array, y: ArrayLike<number>, fold: Int32Array, folds: number): { platt: Platt; probabilities: Float64Array } {
  const probabilities = new Float64Array(scores.length);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < scores.length; i++) (fold[i] === f ? test : train).push(i);
    const p = fitPlatt(scores, y, train);
    for (const i of test) probabilities[i] = applyPlatt(p, scores[i]);
  }
  return { platt: fitPlatt(scores, y), probabilities };
}

export function calibrationReport(scores: Float64Array, y: ArrayLike<number>, fold: Int32Array, folds: number): { report: CalibrationReport; probabilities: Float64Array } {
  const { platt, probabilities } = crossFittedCalibration(scores, y, fold, folds);
  return { report: { method: 'platt', a: platt.a, b: platt.b, ...probabilityQuality(probabilities, y) }, probabilities };
}

/**
 * k > 2 classes: the out-of-fold softmax probabilities as they are (the
 * multinomial model fits its log-loss directly). Log-loss of the true class,
 * multi-class Brier score, and ECE / reliability of the top class's
 * probability against whether it was right.
 */
export function softmaxReport(probabilities: Float64Array, y: ArrayLike<number>, k: number): CalibrationReport {
  const n = y.length;
  let logLoss = 0;
  let brier = 0;
  const top = new Float64Array(n);
  const right = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 0; c < k; c++) {
      const p = probabilities[i * k + c];
      brier += (p - (c === y[i] ? 1 : 0)) ** 2;
      if (p > probabilities[i * k + best]) best = c;
    }
    logLoss -= Math.log(Math.max(1e-15, probabilities[i * k + y[i]]));
    top[i] = probabilities[i * k + best];
    right[i] = best === y[i] ? 1 : 0;
  }
  const q = probabilityQuality(top, right);
  return { method: 'softmax', a: 1, b: 0, ...q, logLoss: n ? logLoss / n : NaN, brier: n ? brier / n : NaN };
}

/**
 * k > 2 classes: temperature scaling (Guo et al. 2017), the a > 0 minimising
 * the mean log-loss of softmax(a · s_i) on out-of-fold scores (n × k,
 * row-major; `rows`: the rows to fit on, default all). One parameter, so the
 * most probable class never changes; it matters for one-vs-rest heads,
 * whose k log-odds softmaxed as they are come out overconfident. The loss is
 * convex in a: Newton's method on log a, with backtracking.
 */
export function fitTemperature(scores: ArrayLike<number>, y: ArrayLike<number>, k: number, rows?: ArrayLike<number>): number {
  const n = rows ? rows.length : y.length;
  const at = (i: number): number => (rows ? rows[i] : i);
  // Mean log-loss at a, with its first and second derivatives in a.
  const evaluate = (a: number): { f: number; g: number; h: number } => {
    let f = 0;
    let g = 0;
    let h = 0;
    for (let q = 0; q < n; q++) {
      const i = at(q);
      const o = i * k;
      let top = -Infinity;
      for (let c = 0; c < k; c++) top = Math.max(top, a * scores[o + c]);
      let z = 0;
      let m1 = 0;
      let m2 = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp(a * scores[o + c] - top);
        z += e;
        m1 += e * scores[o + c];
        m2 += e * scores[o + c] * scores[o + c];
      }
      const mean = m1 / z;
      f += top + Math.log(z) - a * scores[o + y[i]];
      g += mean - scores[o + y[i]];
      h += m2 / z - mean * mean;
    }
    return { f: f / Math.max(1, n), g: g / Math.max(1, n), h: h / Math.max(1, n) };
  };
  let t = 0;
  let cur = evaluate(1);
  for (let iter = 0; iter < 50; iter++) {
    const a = Math.exp(t);
    // d/dt = a g, d²/dt² = a² h + a g.
    const gt = a * cur.g;
    const ht = a * a * cur.h + a * cur.g;
    if (Math.abs(gt) < 1e-10) break;
    const step = ht > 1e-12 ? -gt / ht : -Math.sign(gt);
    let next = cur;
    const found = backtrack(cur.f, step * gt, 1e-8, (s) => (next = evaluate(Math.exp(t + s * step))).f);
    if (!found) break;
    t += found.step * step;
    cur = next;
  }
  return Math.exp(t);
}

/**
 * k > 2: the temperature fitted on all out-of-fold scores, and its report from
 * cross-fitted probabilities (each fold's with a temperature fitted on the
 * other folds' scores), as for Platt.
 */
export function temperatureReport(scores: Float64Array, y: ArrayLike<number>, fold: Int32Array, folds: number, k: number): { report: CalibrationReport; probabilities: Float64Array } {
  const probabilities = new Float64Array(scores.length);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? test : train).push(i);
    const a = fitTemperature(scores, y, k, train);
    for (const i of test) {
      let top = -Infinity;
      for (let c = 0; c < k; c++) top = Math.max(top, a * scores[i * k + c]);
      let z = 0;
      for (let c = 0; c < k; c++) z += probabilities[i * k + c] = Math.exp(a * scores[i * k + c] - top);
      for (let c = 0; c < k; c++) probabilities[i * k + c] /= z;
    }
  }
  const a = fitTemperature(scores, y, k);
  return { report: { ...softmaxReport(probabilities, y, k), method: 'temperature', a }, probabilities };
}
