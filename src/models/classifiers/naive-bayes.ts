/**
 * Binarized multinomial Naive Bayes as a scorer: the log-odds
 *   log P(pos | x) − log P(neg | x) = Σ_j x̂_j r_j + log(n₊ / n₋) + const,
 * with r the NB log-count ratios (features/nb-ratios.ts) fitted on the
 * training rows. No optimization at all, so it costs one pass over the data;
 * as a generative model it errs differently from the discriminative NBSVM
 * fitted on the same ratios, which is what an ensemble member is for
 * (Mesnil et al. 2015 stack a generative language model with NBSVM).
 */
import { binaryScores, type CsrMatrix } from '../../features/csr.js';
import { NbRatios } from '../../features/nb-ratios.js';
import { SentivecError } from '../../util/errors.js';

export class NaiveBayesScorer {
  readonly alpha: number;
  r: Float64Array = new Float64Array(0);
  intercept = 0;

  constructor(alpha = 1) {
    this.alpha = alpha;
  }

  fit(X: CsrMatrix, y: ArrayLike<number>): this {
    this.r = NbRatios.fit(X, y, { alpha: this.alpha }).ratios(1);
    let pos = 0;
    for (let i = 0; i < y.length; i++) pos += y[i] === 1 ? 1 : 0;
    if (pos === 0 || pos === y.length) throw new SentivecError('Naive Bayes needs training rows of both classes');
    this.intercept = Math.log(pos / (y.length - pos));
    return this;
  }

  /** Log-odds of the positive class (binarized: any nonzero counts once). */
  decisionFunction(X: CsrMatrix): Float64Array {
    if (X.cols !== this.r.length) throw new SentivecError(`Naive Bayes has ${this.r.length} features but the matrix has ${X.cols} columns`);
    return binaryScores(X, this.r, this.intercept);
  }
}
