/**
 * A feature selector that learns which columns to keep from the rows it is
 * fitted on, and only from them: `fit(X, y)` ranks the columns by a class
 * test (ranking.ts) and keeps the K strongest (`chi2:K`) or every column
 * significant at a false-discovery rate (`fdr:0.05`, Benjamini–Hochberg);
 * `transform` then keeps those columns of any matrix. Because the choice
 * reads labels, it belongs inside each cross-validation fold — fitted on
 * the fold's training rows, applied to its held-out rows — or the estimate
 * is optimistic (test/feature-selector.test.ts measures by how much).
 */
import type { CsrMatrix } from '../csr.js';
import { SentivecError } from '../../util/errors.js';
import { choice, int, num, resolveOptions, type GivenOptions, type OptionTable, type OptionValues } from '../../util/options.js';
import { rankFeatures } from './ranking.js';
import { CLASS_TESTS, type ClassTest } from './test-result.js';

/** The selector's options, declared once (src/util/options.ts). */
export const SELECTOR_OPTIONS = {
  rule: choice(['k-best', 'fdr'] as const, { default: 'fdr', description: 'keep the k strongest columns (k-best) or every column significant at the false-discovery rate alpha (fdr)' }),
  test: choice(CLASS_TESTS, { default: 'chi2', description: 'the class test that ranks the columns (chi2, anova, mi)' }),
  k: int({ min: 1, default: 1000, description: 'k-best: columns kept' }),
  alpha: num({ min: 0, minExclusive: true, max: 0.5, default: 0.05, description: 'fdr: the Benjamini–Hochberg false-discovery rate' }),
  minDf: int({ min: 1, default: 1, description: 'columns in fewer training documents are never kept' }),
} satisfies OptionTable;

export type SelectorOptions = GivenOptions<typeof SELECTOR_OPTIONS>;
export type SelectorSettings = OptionValues<typeof SELECTOR_OPTIONS>;

/** `chi2:K`, `anova:K`, `mi:K` (k-best) or `fdr:ALPHA` (χ² with BH), the command line's spelling. */
export function parseSelectorSpec(spec: string): SelectorOptions {
  const m = /^\s*(chi2|anova|mi|fdr)\s*:\s*([0-9.eE+-]+)\s*$/.exec(spec);
  if (!m) throw new SentivecError(`--select ${spec}: expected chi2:K, anova:K, mi:K (keep the K strongest features) or fdr:ALPHA (e.g. fdr:0.05)`);
  const value = Number(m[2]);
  if (m[1] === 'fdr') {
    if (!(value > 0 && value <= 0.5)) throw new SentivecError(`--select ${spec}: the false-discovery rate must be in (0, 0.5]`);
    return { rule: 'fdr', test: 'chi2', alpha: value };
  }
  if (!Number.isInteger(value) || value < 1) throw new SentivecError(`--select ${spec}: K must be a positive integer`);
  return { rule: 'k-best', test: m[1] as SelectorSettings['test'], k: value };
}

/** The spec back in the command line's spelling. */
export function selectorSpecText(s: SelectorSettings): string {
  return s.rule === 'fdr' ? `fdr:${s.alpha}` : `${s.test}:${s.k}`;
}

export class FeatureSelector {
  readonly settings: SelectorSettings;
  /** Kept columns of the fitted matrix, ascending. */
  selected: Int32Array = new Int32Array(0);
  /** Columns of the fitted matrix. */
  inputColumns = 0;
  private position: Int32Array = new Int32Array(0);

  constructor(options: SelectorOptions = {}) {
    this.settings = resolveOptions('FeatureSelector', SELECTOR_OPTIONS, options);
  }

  /** Learns the columns to keep from these rows and labels (0 … classes − 1). */
  fit(X: CsrMatrix, y: ArrayLike<number>, classes = 2): this {
    const s = this.settings;
    const ranking = rankFeatures(X, y, classes, { tests: [s.test as ClassTest], correction: 'bh', alpha: s.rule === 'fdr' ? s.alpha : 0.05, minDf: s.minDf, minVariance: 0 });
    const t = ranking.tests[0];
    const take = s.rule === 'fdr' ? t.significant : Math.min(s.k, t.order.length);
    // Significant columns are a prefix of the order (BH's corrected p is monotone in p).
    const chosen = Int32Array.from(t.order.subarray(0, take), (i) => ranking.tested[i]).sort();
    this.selected = chosen;
    this.inputColumns = X.cols;
    this.position = new Int32Array(X.cols).fill(-1);
    chosen.forEach((c, i) => (this.position[c] = i));
    return this;
  }

  /** The kept columns of X, renumbered 0 … selected − 1 in ascending order. */
  transform(X: CsrMatrix): CsrMatrix {
    if (X.cols !== this.inputColumns) throw new SentivecError(`FeatureSelector was fitted on ${this.inputColumns} columns, got ${X.cols}`);
    return keepColumns(X, this.position, this.selected.length);
  }

  /** Whether column j is kept (in the fitted column space). */
  keeps(j: number): boolean {
    return this.position[j] >= 0;
  }
}

/** X restricted to the columns with position[j] ≥ 0, column j becoming position[j]. */
export function keepColumns(X: CsrMatrix, position: Int32Array, cols: number): CsrMatrix {
  const indptr = new Int32Array(X.rows + 1);
  let nnz = 0;
  for (let p = 0; p < X.indptr[X.rows]; p++) if (position[X.indices[p]] >= 0) nnz++;
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let k = 0;
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      const q = position[X.indices[p]];
      if (q < 0) continue;
      indices[k] = q;
      data[k++] = X.data[p];
    }
    indptr[i + 1] = k;
  }
  return { rows: X.rows, cols, indptr, indices, data };
}
