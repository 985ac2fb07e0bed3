/**
 * Redundant features: n-grams that (almost) always occur together — "new
 * york" and "york", "waste of" and "waste of time" — carry one signal
 * twice. For binary features the association of a pair is the φ coefficient
 * of their 2 × 2 co-occurrence table, and Cramér's V of that table is |φ|.
 * Grouping is greedy in order of strength: the strongest feature not yet in
 * a group leads a new one and takes every later candidate with V ≥ the
 * threshold; the leader is kept, the others reported as redundant with it.
 *
 * Pairs are counted for a candidate set (the top features), not all m²
 * pairs of a million n-grams: one pass over the documents, adding 1 for
 * every pair of candidates present in the same document.
 */
import type { CsrMatrix } from '../csr.js';
import { SentivecError } from '../../util/errors.js';

export interface RedundancyGroup {
  /** Column kept (the strongest of the group). */
  readonly leader: number;
  /** Columns grouped with it, and their Cramér's V with the leader. */
  readonly members: readonly { column: number; v: number }[];
}

/** Cramér's V (= |φ|) of two binary features from their counts. */
export function cramersV(n: number, n1: number, n2: number, n11: number): number {
  const den = Math.sqrt(n1 * (n - n1) * n2 * (n - n2));
  if (den === 0) return 0;
  return Math.abs((n * n11 - n1 * n2) / den);
}

/**
 * Groups of redundant columns among `candidates` (columns of X, strongest
 * first). Candidates cap the quadratic pair table: 2,000 take 16 MB.
 */
export function redundancyGroups(X: CsrMatrix, candidates: ArrayLike<number>, threshold: number): RedundancyGroup[] {
  const m = candidates.length;
  if (m > 4000) throw new SentivecError(`redundancy grouping takes at most 4000 candidates, got ${m}`);
  if (!(threshold > 0 && threshold <= 1)) throw new SentivecError(`redundancy threshold must be in (0, 1], got ${threshold}`);
  const pos = new Int32Array(X.cols).fill(-1);
  for (let i = 0; i < m; i++) pos[candidates[i]] = i;
  const single = new Float64Array(m);
  const pair = new Int32Array(m * m);
  const present = new Int32Array(m);
  for (let d = 0; d < X.rows; d++) {
    let h = 0;
    for (let p = X.indptr[d]; p < X.indptr[d + 1]; p++) {
      const i = pos[X.indices[p]];
      if (i >= 0 && X.data[p] !== 0) present[h++] = i;
    }
    for (let a = 0; a < h; a++) {
      const ia = present[a];
      single[ia]++;
      for (let b = a + 1; b < h; b++) {
        const ib = present[b];
        if (ia < ib) pair[ia * m + ib]++;
        else pair[ib * m + ia]++;
      }
    }
  }
  const assigned = new Uint8Array(m);
  const groups: RedundancyGroup[] = [];
  for (let i = 0; i < m; i++) {
    if (assigned[i]) continue;
    const members: { column: number; v: number }[] = [];
    for (let j = i + 1; j < m; j++) {
      if (assigned[j]) continue;
      const v = cramersV(X.rows, single[i], single[j], pair[i * m + j]);
      if (v >= threshold) {
        assigned[j] = 1;
        members.push({ column: candidates[j], v });
      }
    }
    if (members.length > 0) groups.push({ leader: candidates[i], members });
  }
  return groups;
}
