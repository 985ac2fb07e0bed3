/**
 * Cross-validation folds: stratified k-fold, and stratified group k-fold:
 * fold indices such that every group (e.g. all the
 * reviews of one movie) lies in a single fold, with each class spread over
 * the folds as evenly as the groups allow.
 *
 * Why: when documents of one group share words that have nothing to do with
 * sentiment (a movie's title, its actors), a model can learn the group from
 * the training folds and recognise it in the held-out fold, so an ungrouped
 * estimate is optimistic for new groups (IMDb's test set is a disjoint set
 * of movies). Keeping each group in one fold makes every held-out document
 * come from a group the fold's model never saw.
 *
 * The assignment follows scikit-learn's StratifiedGroupKFold: groups are
 * shuffled (seeded), then taken largest first (the hard ones to place, while
 * there is room), and each goes to the fold where it leaves the per-class
 * shares of the folds most even (the spread, over folds, of each class's
 * fraction in that fold, summed over classes); ties go to the smaller fold,
 * then the lower index. Deterministic for a seed.
 */
import { SentivecError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';

/**
 * Fold index in [0, k) per row. Each class is shuffled (seeded) and dealt
 * round-robin, and the dealing position carries over from one class to the
 * next, so every fold's per-class count and total size differ by at most one
 * from any other fold's.
 */
export function stratifiedKFold(y: ArrayLike<number>, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new SentivecError(`number of folds must be an integer >= 2, got ${k}`);
  if (k > y.length) throw new SentivecError(`cannot split ${y.length} rows into ${k} folds`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const rows = byClass.get(y[i]);
    if (rows) rows.push(i);
    else byClass.set(y[i], [i]);
  }
  const rng = new Rng(seed);
  const fold = new Int32Array(y.length);
  let deal = 0;
  // Sorted so the result does not depend on which class appears first.
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(Int32Array.from(byClass.get(label) ?? []));
    for (let r = 0; r < rows.length; r++) fold[rows[r]] = deal++ % k;
  }
  return fold;
}

/** Distinct values of `groups` (the most folds a grouped split can have). */
export function groupCount(groups: ArrayLike<number>): number {
  return new Set(Array.from(groups)).size;
}

export function stratifiedGroupKFold(y: ArrayLike<number>, groups: ArrayLike<number>, k: number, seed: number): Int32Array {
  if (groups.length !== y.length) throw new SentivecError(`grouped folds: ${groups.length} group ids for ${y.length} rows`);
  if (!Number.isInteger(k) || k < 2) throw new SentivecError(`number of folds must be an integer >= 2, got ${k}`);
  let classes = 0;
  for (let i = 0; i < y.length; i++) classes = Math.max(classes, y[i] + 1);
  // Rows and per-class counts of each group, groups in order of first appearance.
  const index = new Map<number, number>();
  const members: number[][] = [];
  const counts: number[][] = [];
  for (let i = 0; i < y.length; i++) {
    let g = index.get(groups[i]);
    if (g === undefined) {
      g = members.length;
      index.set(groups[i], g);
      members.push([]);
      counts.push(new Array<number>(classes).fill(0));
    }
    members[g].push(i);
    counts[g][y[i]]++;
  }
  if (members.length < k) throw new SentivecError(`cannot split ${members.length} groups into ${k} folds (every group stays in one fold)`);
  const classTotal = new Array<number>(classes).fill(0);
  for (let i = 0; i < y.length; i++) classTotal[y[i]]++;
  const order = new Rng(seed).shuffle(Int32Array.from(members.keys()));
  // Stable sort: equal sizes keep the shuffled order.
  const placed = Array.from(order).sort((a, b) => members[b].length - members[a].length);
  const perFold = Array.from({ length: k }, () => new Array<number>(classes).fill(0));
  const foldSize = new Array<number>(k).fill(0);
  const fold = new Int32Array(y.length);
  for (const g of placed) {
    let best = -1;
    let bestSpread = Infinity;
    for (let f = 0; f < k; f++) {
      for (let c = 0; c < classes; c++) perFold[f][c] += counts[g][c];
      const spread = classSpread(perFold, classTotal);
      for (let c = 0; c < classes; c++) perFold[f][c] -= counts[g][c];
      if (spread < bestSpread - 1e-12 || (Math.abs(spread - bestSpread) <= 1e-12 && foldSize[f] < foldSize[best])) {
        best = f;
        bestSpread = spread;
      }
    }
    for (let c = 0; c < classes; c++) perFold[best][c] += counts[g][c];
    foldSize[best] += members[g].length;
    for (const i of members[g]) fold[i] = best;
  }
  return fold;
}

/** Σ over classes of the standard deviation, over folds, of the fold's share of that class. */
function classSpread(perFold: readonly number[][], classTotal: readonly number[]): number {
  const k = perFold.length;
  let sum = 0;
  for (let c = 0; c < classTotal.length; c++) {
    if (classTotal[c] === 0) continue;
    let mean = 0;
    for (let f = 0; f < k; f++) mean += perFold[f][c] / classTotal[c];
    mean /= k;
    let v = 0;
    for (let f = 0; f < k; f++) v += (perFold[f][c] / classTotal[c] - mean) ** 2;
    sum += Math.sqrt(v / k);
  }
  return sum;
}

/** Fold per row: stratified group k-fold when `groups` is given, else stratified k-fold. */
export function assignFolds(y: ArrayLike<number>, k: number, seed: number, groups?: ArrayLike<number> | null): Int32Array {
  return groups ? stratifiedGroupKFold(y, groups, k, seed) : stratifiedKFold(y, k, seed);
}
