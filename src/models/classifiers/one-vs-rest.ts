/**
 * One-vs-rest for k ≥ 3 classes over any binary linear classifier
 * (LinearSVC, LogisticRegression): class c's model separates c from the
 * others; the prediction is the class whose model scores highest, as
 * LIBLINEAR and scikit-learn's LinearSVC do for more than two classes.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import type { LinearClassifier } from './linear-base.js';
import { argmaxRows, multiScores } from './multinomial.js';

export class OneVsRest {
  /** k × features, class-major, and one intercept per class (after fit). */
  coef: Float64Array = new Float64Array(0);
  intercepts: Float64Array = new Float64Array(0);

  /** `make` builds one fresh binary classifier (the same options for every class). */
  constructor(private readonly make: () => LinearClassifier) {}

  /** y: class indices 0..k−1, every class present. */
  fit(X: CsrMatrix, y: ArrayLike<number>, k: number): this {
    if (!Number.isInteger(k) || k < 2) throw new SentivecError(`one-vs-rest needs k ≥ 2 classes, got ${k}`);
    this.coef = new Float64Array(k * X.cols);
    this.intercepts = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const m = this.make().fit(X, Uint8Array.from(y as ArrayLike<number>, (v) => (v === c ? 1 : 0)));
      this.coef.set(m.coef, c * X.cols);
      this.intercepts[c] = m.intercept;
    }
    return this;
  }

  /** n × k decision values, row-major. */
  decisionFunction(X: CsrMatrix): Float64Array {
    return multiScores(X, this.coef, this.intercepts);
  }

  predict(X: CsrMatrix): Int32Array {
    return argmaxRows(this.decisionFunction(X), this.intercepts.length);
  }
}
