/**
 * The bookkeeping every permutation importance shares: per feature, the
 * accuracy lost in each repeat and, per held-out row, its loss summed over
 * the repeats. The interval has to cover two sources of noise: the
 * permutations (the spread of the repeats) and, larger, which documents
 * happen to be held out — a feature whose weight is pure noise still moves a
 * few held-out predictions, and whether those turn right or wrong is luck of
 * the sample. So each row's loss, averaged over the repeats, is one
 * observation: standard error over rows, plus the repeats' own error, in
 * quadrature (mean ± z·se).
 */
import { normalQuantile } from '../features/selection/distributions.js';
import { SentivecError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';

export interface DropSummary {
  /** Mean accuracy drop over the repeats. */
  mean: number;
  /** Standard deviation of the repeats' drops. */
  sd: number;
  /** Standard error of the mean drop (held-out rows and repeats). */
  se: number;
}

export class DropTally {
  private readonly drops: Float64Array;
  private readonly rowLoss: Float64Array;
  private readonly rowSeen: Int32Array;
  private readonly rowList: Int32Array;
  private rows = 0;
  private feature = -1;
  private repeat = 0;

  constructor(
    private readonly n: number,
    readonly repeats: number,
  ) {
    if (!Number.isInteger(repeats) || repeats < 2) throw new SentivecError(`permutation importance needs at least 2 repeats, got ${repeats}`);
    this.drops = new Float64Array(repeats);
    this.rowLoss = new Float64Array(n);
    this.rowSeen = new Int32Array(n).fill(-1);
    this.rowList = new Int32Array(n);
  }

  /** Starts the next feature. */
  begin(): void {
    this.feature++;
    this.rows = 0;
    this.repeat = 0;
    this.drops.fill(0);
  }

  /** Row i's correctness went from `before` to `after` (0/1) in the current repeat. */
  row(i: number, before: number, after: number): void {
    if (before === after) return;
    if (this.rowSeen[i] !== this.feature) {
      this.rowSeen[i] = this.feature;
      this.rowLoss[i] = 0;
      this.rowList[this.rows++] = i;
    }
    this.rowLoss[i] += before - after;
    this.drops[this.repeat] += (before - after) / this.n;
  }

  endRepeat(): void {
    this.repeat++;
  }

  finish(): DropSummary {
    const R = this.repeats;
    let sum = 0;
    for (const v of this.drops) sum += v;
    const mean = sum / R;
    let ss = 0;
    for (const v of this.drops) ss += (v - mean) ** 2;
    // Rows as observations: D_i = row i's mean loss over the repeats; the mean drop is their mean over all n rows.
    let sq = 0;
    for (let t = 0; t < this.rows; t++) sq += (this.rowLoss[this.rowList[t]] / R) ** 2;
    const n = this.n;
    const rowVariance = n > 1 ? Math.max(0, sq - n * mean * mean) / (n - 1) : 0;
    const sd = Math.sqrt(ss / (R - 1));
    return { mean, sd, se: Math.sqrt(rowVariance / n + (sd * sd) / R) };
  }
}

/** z of a two-sided interval at this confidence. */
export function confidenceZ(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new SentivecError(`confidence must be in (0, 1), got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

/** d distinct rows of 0 … n − 1, uniformly (Floyd's algorithm, O(d): `mark` holds `token` for rows taken). */
export function sampleRows(rng: Rng, n: number, d: number, mark: Int32Array, token: number): Int32Array {
  const out = new Int32Array(d);
  for (let k = 0, j = n - d; j < n; j++, k++) {
    const t = rng.int(j + 1);
    const pick = mark[t] === token ? j : t;
    mark[pick] = token;
    out[k] = pick;
  }
  return out;
}
