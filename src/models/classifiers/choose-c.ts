/**
 * C for the logistic regression by stratified k-fold cross-validation on the
 * training rows. The criterion is pooled held-out accuracy; equal hit counts
 * (common on small or easily separated data, where every C classifies the
 * same) are broken by held-out log-loss, so the chosen C also gives the best
 * calibrated probabilities rather than simply the smallest C. A best C on an
 * edge of the grid extends the grid that way, both steps at once, up to three
 * times (c-search.ts, `all`: these fits are cheap).
 */
import type { CsrMatrix } from '../../features/csr.js';
import { takeRows } from '../../features/matrix.js';
import { silentReporter, type Reporter } from '../../util/log.js';
import { LogisticRegression } from './logistic.js';
import { MultinomialLogisticRegression, argmaxRows, softmaxRows } from './multinomial.js';
import { assignFolds } from './folds.js';
import { searchC } from './c-search.js';

export interface CScore {
  C: number;
  /** Pooled held-out accuracy. */
  accuracy: number;
  /** Mean held-out negative log-likelihood per document (nats). */
  logLoss: number;
}

export interface ChooseCResult {
  C: number;
  /** Every C tried, ascending. */
  scores: CScore[];
  /** k > 2 classes: each split's model at the chosen C (a warm start for the fit on all the rows). */
  models?: KClassModel[];
}

/** Held-out P(true class) of each evaluation row for a model fitted at C on the training rows. */
type HeldOut = (C: number, xTr: CsrMatrix, yTr: Uint8Array, xEv: CsrMatrix, yEv: Uint8Array) => { hit: (i: number) => boolean; pTrue: (i: number) => number };

/**
 * Two classes: each split's fits start from its fit at the nearest C tried so
 * far (LogisticRegression.fitFrom), a warm start along the C path: the dual
 * solution moves little between neighbouring C, and the large C, whose cold
 * fits are by far the slowest, start near their optimum.
 */
const binaryHeldOut = (seed: number): HeldOut => {
  // Only the dual variables are kept (one per row), not the models' weights (one per column: millions with n-grams).
  const fitted = new Map<CsrMatrix, { C: number; alpha: Float64Array }[]>();
  return (C, xTr, yTr, xEv, yEv) => {
    const done = fitted.get(xTr) ?? [];
    const near = nearestC(done, C);
    const model = new LogisticRegression({ C, seed });
    if (near) model.fitFrom(xTr, yTr, near);
    else model.fit(xTr, yTr);
    fitted.set(xTr, [...done, { C, alpha: model.alpha }]);
    const p = model.predictProba(xEv);
    return { hit: (i) => p[i] > 0.5 === (yEv[i] === 1), pTrue: (i) => (yEv[i] === 1 ? p[i] : 1 - p[i]) };
  };
};

/** The fit whose C is nearest to C on a log scale (undefined when none). */
function nearestC<T extends { C: number }>(done: readonly T[], C: number): T | undefined {
  return done.reduce<T | undefined>((best, d) => (best === undefined || Math.abs(Math.log(d.C / C)) < Math.abs(Math.log(best.C / C)) ? d : best), undefined);
}

/** A k-class model fitted at some C, scoring rows k at a time (row-major). */
export interface KClassModel {
  decisionFunction(x: CsrMatrix): Float64Array;
}

/**
 * k > 2 classes with a model of the caller's (e.g. nb-one-vs-rest.ts): fitted
 * at C on a split's training rows, optionally starting from `warm`, its fit on
 * the same rows at another C (ignored if the model cannot use it).
 */
export type KClassFit = (C: number, xTrain: CsrMatrix, yTrain: Uint8Array, warm?: KClassModel) => KClassModel;

/**
 * The multinomial logistic regression's tolerance inside the search (its final fit keeps its default, 1e-4):
 * these fits only rank C values. On airline tweets the same C wins with 60% fewer L-BFGS iterations.
 */
const MULTINOMIAL_SEARCH_TOL = 1e-3;

/** The multinomial logistic regression (multinomial.ts), warm-started from a fit at another C. */
const multinomialFit =
  (k: number): KClassFit =>
  (C, xTr, yTr, warm) =>
    new MultinomialLogisticRegression({ C, tol: MULTINOMIAL_SEARCH_TOL }).fit(xTr, yTr, k, warm instanceof MultinomialLogisticRegression ? warm : undefined);

/**
 * k > 2 classes: the k scores per row softmaxed into probabilities, hits by
 * the highest score. Each split's fits start from its fit at the nearest C
 * tried so far (the solution moves little between neighbours along the path).
 */
const pathHeldOut = (k: number, fit: KClassFit): { heldOut: HeldOut; modelsAt: (C: number) => KClassModel[] } => {
  const fitted = new Map<CsrMatrix, { C: number; model: KClassModel }[]>();
  const modelsAt = (C: number): KClassModel[] => [...fitted.values()].flatMap((done) => done.filter((d) => d.C === C).map((d) => d.model));
  const heldOut: HeldOut = (C, xTr, yTr, xEv, yEv) => {
    const done = fitted.get(xTr) ?? [];
    const model = fit(C, xTr, yTr, nearestC(done, C)?.model);
    fitted.set(xTr, [...done, { C, model }]);
    const s = model.decisionFunction(xEv);
    const p = softmaxRows(s, k);
    const best = argmaxRows(s, k);
    return { hit: (i) => best[i] === yEv[i], pTrue: (i) => p[i * k + yEv[i]] };
  };
  return { heldOut, modelsAt };
};

/**
 * A feature step that reads labels (e.g. naive-Bayes ratios), fitted on a
 * split's training rows and applied to both its parts: so the held-out rows
 * that score each C never informed the features, as in the outer CV.
 */
export type SplitTransform = (xTrain: CsrMatrix, yTrain: Uint8Array) => (x: CsrMatrix) => CsrMatrix;

/**
 * `groups` (per row) keeps each group in one fold; `splitTransform` is refitted in each split. `classes` > 2 chooses C
 * for the multinomial logistic regression, or for `kClassFit` when given; default 2, the binary one.
 */
export function chooseLogisticC(X: CsrMatrix, y: Uint8Array, opts: { grid: readonly number[]; folds: number; seed: number; classes?: number; groups?: ArrayLike<number>; splitTransform?: SplitTransform; kClassFit?: KClassFit; reporter?: Reporter }): ChooseCResult {
  const k = opts.classes ?? 2;
  const path = k > 2 ? pathHeldOut(k, opts.kClassFit ?? multinomialFit(k)) : null;
  const heldOut = path ? path.heldOut : binaryHeldOut(opts.seed);
  const reporter = opts.reporter ?? silentReporter;
  // With groups (reviews of one movie), no group straddles the folds (group-k-fold.ts).
  const fold = assignFolds(y, opts.folds, opts.seed, opts.groups);
  const splits = Array.from({ length: opts.folds }, (_, f) => {
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? ev : tr).push(i);
    const yTr = Uint8Array.from(tr, (i) => y[i]);
    const xTr = takeRows(X, tr);
    const transform = opts.splitTransform?.(xTr, yTr);
    return { xTr: transform ? transform(xTr) : xTr, yTr, xEv: transform ? transform(takeRows(X, ev)) : takeRows(X, ev), yEv: Uint8Array.from(ev, (i) => y[i]) };
  });
  const evaluate = (todo: readonly number[]): (CScore & { hits: number })[] => {
    const task = reporter.task('choose C', todo.length * splits.length);
    let fits = 0;
    // k > 2: the grid is a warm-started path of ascending C, and held-out accuracy rises to a peak and
    // falls; the path stops at the first C past the best that scores below it, since the larger the C,
    // the slower the multinomial fit (on airline tweets C = 30 costs 4 times C = 1). Skipped values never win.
    let peak: { C: number; hits: number } | undefined;
    let past = false;
    const scored = todo.map((C) => {
      if (past && peak && C > peak.C) return { C, hits: -1, accuracy: NaN, logLoss: Infinity };
      const s = scoreC(C);
      if (k > 2 && peak && C > peak.C && s.hits < peak.hits) past = true;
      if (!peak || s.hits > peak.hits) peak = { C, hits: s.hits };
      return s;
    });
    task.end();
    return scored;

    function scoreC(C: number): CScore & { hits: number } {
      let hits = 0;
      let loss = 0;
      for (const s of splits) {
        const h = heldOut(C, s.xTr, s.yTr, s.xEv, s.yEv);
        for (let i = 0; i < s.yEv.length; i++) {
          if (h.hit(i)) hits++;
          // Clamped so one confident mistake costs a lot but stays finite.
          loss -= Math.log(Math.max(1e-15, h.pTrue(i)));
        }
        task.tick(++fits);
      }
      return { C, hits, accuracy: hits / y.length, logLoss: loss / y.length };
    }
  };
  const { best, tried } = searchC({
    grid: opts.grid,
    evaluate,
    // More hits, then lower log-loss, then the smaller C.
    better: (a, b) => a.hits > b.hits || (a.hits === b.hits && (a.logLoss < b.logLoss || (a.logLoss === b.logLoss && a.C < b.C))),
    extension: { rounds: 3, mode: 'all', value: (edge, f) => Number((edge * f).toPrecision(3)) },
  });
  const scores = tried.filter((t) => t.hits >= 0).sort((a, b) => a.C - b.C).map(({ C, accuracy, logLoss }) => ({ C, accuracy, logLoss }));
  return { C: best.C, scores, ...(path ? { models: path.modelsAt(best.C) } : {}) };
}
