/**
 * Naive-Bayes logistic regression for k ≥ 3 classes, one-vs-rest: class c's
 * binary logistic regression is fitted on the bag scaled by r_c, the
 * log-count ratios of class c against all the others (nb-ratios.ts), and
 * the prediction is the class whose model scores highest — NBSVM's own
 * features for each binary problem, as LIBLINEAR and scikit-learn extend a
 * binary linear model to k classes. Chosen over one multinomial fit on k
 * stacked copies of the scaled bag (k² weights per term, k times the columns
 * of an already slow solver) and over one class-independent scale (which
 * is no longer the NB direction of any class).
 *
 * The ratios read labels: `fit` computes them from its own rows, so every
 * fit inside a cross-validation fold refits them on that fold. The scale
 * folds into the weights (w_cj r_cj), so `coef` applies to the unscaled
 * columns: a fitted model scores like any k-head linear model
 * (multiScores). Columns below `from` (e.g. a dense word-vector block) are
 * left unscaled. Probabilities are the softmax of the k log-odds.
 *
 * Along a C search's path, `fit` takes the previous fit (same rows, another
 * C) and starts each class's solver from that class's solution
 * (LogisticRegression.fitFrom): the ratios are the same, only C moved.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { NbRatios } from '../../features/nb-ratios.js';
import { SentivecError } from '../../util/errors.js';
import { LogisticRegression } from './logistic.js';
import { argmaxRows, multiScores, softmaxRows } from './multinomial.js';

export interface NbOneVsRestOptions {
  C: number;
  /** NB smoothing α (NB_LOGISTIC_OPTIONS.alpha). */
  alpha: number;
  /** First scaled column; default 0 (all). */
  from?: number;
  /** The binary solver's stopping tolerance (the caller's: the product passes its binary head's). */
  tol: number;
  seed: number;
}

export class NbOneVsRest {
  /** k × columns, class-major, on the unscaled columns (w_cj r_cj); one intercept per class (after fit). */
  coef: Float64Array = new Float64Array(0);
  intercepts: Float64Array = new Float64Array(0);
  /** Each class's dual solution (its rows' α), for a warm start at another C. */
  private duals: Float64Array[] = [];
  /** Solver passes over the rows, summed over the k heads (the cost a warm start cuts). */
  passes = 0;

  constructor(private readonly opts: NbOneVsRestOptions) {}

  get C(): number {
    return this.opts.C;
  }

  /** y: class indices 0..k−1, every class present in these rows. `warm`: a fit on the same rows and labels at another C. */
  fit(X: CsrMatrix, y: ArrayLike<number>, k: number, warm?: NbOneVsRest): this {
    if (!Number.isInteger(k) || k < 3) throw new SentivecError(`one-vs-rest NB needs k ≥ 3 classes (two classes: the binary NB logistic regression), got ${k}`);
    if (warm && warm.duals.length !== k) throw new SentivecError(`one-vs-rest NB: the warm start has ${warm.duals.length} classes, not ${k}`);
    const from = this.opts.from ?? 0;
    const nb = NbRatios.fit(X, y, { alpha: this.opts.alpha, classes: k });
    const F = X.cols;
    const nnz = X.indptr[X.rows];
    this.coef = new Float64Array(k * F);
    this.intercepts = new Float64Array(k);
    this.duals = [];
    this.passes = 0;
    const scaled = new Float64Array(nnz);
    const Xc: CsrMatrix = { ...X, data: scaled };
    for (let c = 0; c < k; c++) {
      const r = nb.ratios(c);
      for (let p = 0; p < nnz; p++) scaled[p] = X.indices[p] >= from ? X.data[p] * r[X.indices[p]] : X.data[p];
      const lr = new LogisticRegression({ C: this.opts.C, tol: this.opts.tol, seed: this.opts.seed });
      const yc = Uint8Array.from(y, (v) => (v === c ? 1 : 0));
      if (warm) lr.fitFrom(Xc, yc, { C: warm.C, alpha: warm.duals[c] });
      else lr.fit(Xc, yc);
      this.duals.push(lr.alpha);
      this.passes += lr.nIter;
      for (let j = 0; j < F; j++) this.coef[c * F + j] = j >= from ? lr.coef[j] * r[j] : lr.coef[j];
      this.intercepts[c] = lr.intercept;
    }
    return this;
  }

  /** n × k log-odds (class c against the rest), row-major. */
  decisionFunction(X: CsrMatrix): Float64Array {
    if (this.intercepts.length === 0) throw new SentivecError('NbOneVsRest: call fit() before predicting');
    return multiScores(X, this.coef, this.intercepts);
  }

  /** n × k: the softmax of the k log-odds, row-major. */
  predictProba(X: CsrMatrix): Float64Array {
    return softmaxRows(this.decisionFunction(X), this.intercepts.length);
  }

  predict(X: CsrMatrix): Int32Array {
    return argmaxRows(this.decisionFunction(X), this.intercepts.length);
  }
}
