/**
 * How close predicted ratings are to the true ones (evaluate on a rating
 * model): mean absolute and root mean squared error, the share predicted
 * exactly and within one point (after rounding the prediction to the nearest
 * whole rating, as a user reading stars would), and Spearman's ρ, the rank
 * correlation (Pearson's r on ranks, ties sharing their mean rank): whether
 * the model orders texts right even where its scale is off.
 */
export interface RatingMetrics {
  documents: number;
  mae: number;
  rmse: number;
  /** Fractions in [0, 1]. */
  exact: number;
  withinOne: number;
  spearman: number;
}

/** Ranks 1..n, tied values sharing the mean of their ranks. */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const ranks = new Float64Array(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's ρ; NaN when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = ra.length;
  const mean = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) ** 2;
    sbb += (rb[i] - mean) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Collects (true, predicted) pairs as a corpus streams by. */
export class RatingTally {
  private readonly truth: number[] = [];
  private readonly predicted: number[] = [];

  add(truth: number, predicted: number): void {
    this.truth.push(truth);
    this.predicted.push(predicted);
  }

  get count(): number {
    return this.truth.length;
  }

  report(): RatingMetrics {
    const n = this.truth.length;
    let abs = 0;
    let squares = 0;
    let exact = 0;
    let withinOne = 0;
    for (let i = 0; i < n; i++) {
      const e = this.predicted[i] - this.truth[i];
      abs += Math.abs(e);
      squares += e * e;
      const off = Math.abs(Math.round(this.predicted[i]) - this.truth[i]);
      if (off === 0) exact++;
      if (off <= 1) withinOne++;
    }
    return { documents: n, mae: abs / n, rmse: Math.sqrt(squares / n), exact: exact / n, withinOne: withinOne / n, spearman: spearman(this.truth, this.predicted) };
  }
}
