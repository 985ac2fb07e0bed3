/**
 * train's n-gram pruning (features/ngram-pruning.ts) with the kept fraction
 * chosen on the training folds, the way glmnet picks lambda.1se: inside the
 * estimate's cross-validation (cross-validate.ts), each fold's fitted model
 * is pruned at every fraction of the grid, refitted on the n-grams it kept,
 * and its held-out texts scored with the pruned table; the pooled held-out
 * accuracy per fraction is the curve, and the fraction kept is the smallest
 * within one standard error of the best (one-se-rule.ts). The final fit on
 * all training rows is then pruned to that fraction and refitted the same
 * way, and the estimate the model reports is the pruned models' (the chosen
 * fraction's out-of-fold scores).
 *
 * Why refit: dropping n-grams changes every text's bnc scale (1/√terms
 * counts only the n-grams kept) and removes evidence the remaining weights
 * were fitted to share. On IMDb (2/3 of train fitted, 1/3 held out, C = 100)
 * the trigram model pruned to 10% scored 90.91% as it was and 91.15%
 * refitted, the full model 91.15%; the refit at the fold's C, without a new
 * C search, took 1.3 s against 4.9 s for the full fit (BENCHMARKS.md,
 * "#11 n-gram pruning, session i").
 */
import { keptCount, pruneNgrams, rankByWeight } from '../../features/ngram-pruning.js';
import { oneStandardErrorChoice } from '../classifiers/one-se-rule.js';
import { argmaxRows } from '../classifiers/multinomial.js';
import { fitBlueprint, type Blueprint, type FitRequest, type FittedBlueprint } from './blueprint.js';

/** One fraction of the grid, as train's cross-validation scored it. */
export interface NgramKeepPoint {
  fraction: number;
  /** N-grams kept (of the full table). */
  ngrams: number;
  /** Pooled out-of-fold accuracy of the pruned, refitted fold models (decision value's sign, or the top class), and its binomial standard error. */
  accuracy: number;
  se: number;
}

export interface NgramKeepChoice {
  /** The fraction kept. */
  fraction: number;
  /** Every fraction of the grid, largest first; empty when one fraction was given (nothing to choose). */
  curve: NgramKeepPoint[];
  rule: string;
}

export const NGRAM_KEEP_RULE = 'the smallest fraction whose pooled out-of-fold accuracy (each fold pruned, refitted on the n-grams it kept and rescored with its pruned table) is within one standard error of the best';

/**
 * `fitted` (fitBlueprint(bp, req)) with only the `fraction` of its n-grams of largest |weight|, refitted on
 * them at its C with its word vectors; its C search is reported as the full fit's. All n-grams: `fitted`.
 */
export function keepNgrams(bp: Blueprint, req: FitRequest, fitted: FittedBlueprint, fraction: number, ranked?: Int32Array): FittedBlueprint {
  const terms = fitted.ngrams;
  if (!terms || req.rating) return fitted;
  const G = terms.table.size;
  const count = keptCount(fraction, G);
  if (count >= G) return fitted;
  const order = ranked ?? rankByWeight(fitted.weightsNgrams, fitted.heads, G);
  const pruned = pruneNgrams(terms.table, req.corpus.vocabulary.size, fitted.weightsNgrams, fitted.heads, order, count);
  const refit = fitBlueprint(bp, { ...req, settings: { ...req.settings, C: fitted.C }, ngramTable: pruned.table, ...(fitted.vectors ? { vectors: fitted.vectors } : {}) });
  return { ...refit, C: fitted.C, cScores: fitted.cScores, cFolds: fitted.cFolds };
}

/**
 * The held-out scores of every fold at every fraction of `grid`, then the choice. One per
 * cross-validation: `fold` after each fold's fit, `choose` once all rows are scored.
 */
export class NgramKeepCurve {
  private readonly grid: number[];
  private readonly scores: Float64Array[];
  private readonly kept: number[];

  /** `rows` labeled rows, `heads` scores a row (1, or k classes). */
  constructor(grid: readonly number[], rows: number, private readonly heads: number) {
    this.grid = [...new Set(grid)].sort((a, b) => b - a);
    this.scores = this.grid.map(() => new Float64Array(rows * heads));
    this.kept = this.grid.map(() => 0);
  }

  /** Prunes and refits one fold's fit at every fraction, and scores its held-out documents `docs` (rows `at` of the CV). */
  fold(bp: Blueprint, req: FitRequest, fitted: FittedBlueprint, docs: Int32Array, at: readonly number[]): void {
    const H = this.heads;
    const ranked = fitted.ngrams ? rankByWeight(fitted.weightsNgrams, fitted.heads, fitted.ngrams.table.size) : undefined;
    this.grid.forEach((fraction, q) => {
      const model = keepNgrams(bp, req, fitted, fraction, ranked);
      this.kept[q] = model.ngrams?.table.size ?? 0;
      const s = model.scores(docs);
      at.forEach((i, k) => this.scores[q].set(s.subarray(k * H, (k + 1) * H), i * H));
    });
  }

  /** The fraction by the one-standard-error rule on the pooled held-out accuracy, and its scores (the pruned models' out-of-fold scores). */
  choose(y: Uint8Array): { choice: NgramKeepChoice; scores: Float64Array } {
    const n = y.length;
    const curve = this.grid.map((fraction, q) => {
      const s = this.scores[q];
      const predicted = this.heads > 1 ? argmaxRows(s, this.heads) : Uint8Array.from(s, (v) => (v > 0 ? 1 : 0));
      let hits = 0;
      for (let i = 0; i < n; i++) if (predicted[i] === y[i]) hits++;
      const a = hits / Math.max(1, n);
      return { fraction, ngrams: this.kept[q], accuracy: a, se: Math.sqrt((a * (1 - a)) / Math.max(1, n)) };
    });
    const q = this.grid.length === 1 ? 0 : oneStandardErrorChoice(curve.map((p) => ({ size: p.fraction, accuracy: p.accuracy, se: p.se })));
    return { choice: { fraction: this.grid[q], curve: this.grid.length === 1 ? [] : curve, rule: this.grid.length === 1 ? 'given (--ngram-keep)' : NGRAM_KEEP_RULE }, scores: this.scores[q] };
  }
}
