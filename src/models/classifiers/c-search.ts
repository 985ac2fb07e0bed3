/**
 * The one search for C behind every cross-validated choice of it (selectC
 * for the Table 2 rows and the tests, the SVM rows' selectSvmC, the product's
 * chooseLogisticC). What differs between them is plugged in, not rewritten:
 *
 * - `better(a, b)`: the order of scores (tie-breaking). Every caller
 *   compares integer held-out hit counts first, so equal scores tie exactly.
 * - `extension`: what happens when the best C sits on an edge of the grid
 *   (the grid was too narrow): the edge × 3 and × 10 past it (÷ on the low
 *   side), for up to `rounds` rounds, either
 *   - `all`: both values of a round are scored and the best of everything
 *     tried wins (cheap fits: the product's logistic regression), or
 *   - `until-no-gain`: one value at a time, adopted only when it `gains` on
 *     the best so far, stopping at the first that does not (the SVM rows:
 *     the values past it would only be tried to lose too, and large C are by
 *     far the slowest fits).
 */
export interface Scored {
  readonly C: number;
}

export interface GridExtension<S extends Scored> {
  rounds: number;
  mode: 'all' | 'until-no-gain';
  /** until-no-gain: whether `candidate` is adopted over `best` (default: better()). */
  gains?(candidate: S, best: S): boolean;
  /** The value `factor` past the edge (default edge × factor). */
  value?(edge: number, factor: number): number;
}

export interface CSearch<S extends Scored> {
  grid: readonly number[];
  /** Scores for the given C values, in their order. */
  evaluate(Cs: readonly number[]): S[];
  /** Whether a is strictly preferred to b. */
  better(a: S, b: S): boolean;
  extension?: GridExtension<S>;
}

export interface CSearchResult<S extends Scored> {
  best: S;
  /** Every C scored, in the order tried (the grid first). */
  tried: S[];
}

const UP = [3, 10];
const DOWN = [1 / 3, 1 / 10];

/**
 * The default order: higher held-out accuracy, then the smaller (more
 * regularized) C. Accuracies are integer hit counts over one row count, so
 * equal ones are exactly equal.
 */
export function moreAccurateThenSmallerC(a: { C: number; accuracy: number }, b: { C: number; accuracy: number }): boolean {
  return a.accuracy > b.accuracy || (a.accuracy === b.accuracy && a.C < b.C);
}

export function searchC<S extends Scored>(s: CSearch<S>): CSearchResult<S> {
  const tried: S[] = [];
  const score = (Cs: readonly number[]): S[] => {
    const todo = Cs.filter((C) => !tried.some((t) => t.C === C));
    const got = todo.length > 0 ? s.evaluate(todo) : [];
    tried.push(...got);
    return got;
  };
  const bestOf = (xs: readonly S[]): S => xs.reduce((a, b) => (s.better(b, a) ? b : a));
  score(s.grid);
  let best = bestOf(tried);
  const ext = s.extension;
  if (!ext) return { best, tried };
  const value = ext.value ?? ((edge: number, f: number): number => edge * f);
  const gains = ext.gains ?? s.better;
  for (let round = 0; round < ext.rounds; round++) {
    const Cs = tried.map((t) => t.C);
    const edge = best.C;
    const factors = edge === Math.max(...Cs) ? UP : edge === Math.min(...Cs) ? DOWN : undefined;
    if (!factors) break;
    if (ext.mode === 'all') {
      score(factors.map((f) => value(edge, f)));
      best = bestOf(tried);
      continue;
    }
    let improved = false;
    for (const f of factors) {
      const [candidate] = score([value(edge, f)]);
      if (candidate === undefined || !gains(candidate, best)) break;
      best = candidate;
      improved = true;
    }
    if (!improved) break;
  }
  return { best, tried };
}
