/**
 * NBSVM and NB-weighted logistic regression (Wang & Manning 2012, "Baselines
 * and Bigrams"): a linear model on x̂ ∘ r, where x̂ is the binarized feature
 * vector and r the Naive-Bayes log-count ratios fitted on the same training
 * rows (features/nb-ratios.ts). Both take the binary n-gram matrix and fit r
 * themselves, so a cross-validation fold that fits the estimator never lets
 * held-out labels into r.
 *
 * NBSVM interpolates between the SVM weights w and the MNB direction:
 *   w' = (1 − β) w + β w̄,   w̄ = ‖w‖₁ / (columns seen in training),
 * so β = 0 is the SVM on x̂ ∘ r and β = 1 scores w̄ · rᵀx̂ + b, the
 * multinomial NB direction. Wang & Manning write the same family with their
 * β on w (w' = (1 − β_WM) w̄ + β_WM w): their β_WM = 0.25 is our β = 0.75.
 * β changes no fit, so CV tries several β on each fitted SVM for free.
 *
 * `featureWeights()` is the weight of each input column (w'_j r_j): a
 * document's score is the sum of the weights of its present features plus
 * `intercept`, which is how a prediction is explained feature by feature.
 *
 * NbSvm.fit may be told that the first `rawColumns` columns are real-valued
 * features (document vectors, the `vectors-nbsvm` row): they are used as
 * given, with no NB ratio, no binarization and no interpolation (w̄ is the
 * mean over the n-gram columns only, the MNB direction being an n-gram one).
 */
import { binaryScores, type CsrMatrix } from '../../features/csr.js';
import { documentFrequencies } from '../../features/document-frequency.js';
import { NbRatios, nbScale } from '../../features/nb-ratios.js';
import { SentivecError } from '../../util/errors.js';
import { LinearSVC } from './svm.js';
import { LogisticRegression } from './logistic.js';
import { LINEAR_OPTIONS } from './linear-base.js';
import { choice, describeOptions, int, num, resolveOptions, type GivenOptions, type OptionDescription, type OptionTable, type OptionValues } from '../../util/options.js';

/** NB-weighted logistic regression's options; NBSVM adds β. C and seed are the linear classifiers' own entries. */
export const NB_LOGISTIC_OPTIONS = {
  alpha: num({ min: 0, minExclusive: true, default: 1, description: 'NB smoothing α added to every feature count of p and q (Wang & Manning 2012)' }),
  C: LINEAR_OPTIONS.C,
  seed: LINEAR_OPTIONS.seed,
} satisfies OptionTable;

/** The linear model fitted on x̂ ∘ r: the squared-hinge SVM (liblinear -s 1, Wang & Manning) or logistic regression (Mesnil et al.'s script, liblinear -s 0). */
export type NbLoss = 'squared-hinge' | 'logistic';

export const NBSVM_OPTIONS = {
  ...NB_LOGISTIC_OPTIONS,
  beta: num({ min: 0, max: 1, default: 0.75, description: "Wang & Manning's interpolation β between the linear model's weights (0) and their mean magnitude, the MNB direction (1)" }),
  loss: choice<NbLoss>(['squared-hinge', 'logistic'], { default: 'squared-hinge', description: "the linear model on x̂ ∘ r: squared-hinge SVM (liblinear -s 1) or logistic regression (liblinear -s 0/-s 7, Mesnil et al. 2015's NBSVM script); C is its cost" }),
  bias: LINEAR_OPTIONS.bias,
  minDf: int({ min: 1, default: 1, description: 'document-frequency floor: n-gram columns present in fewer of the training rows get no NB ratio and no weight (features/document-frequency.ts says why); 1 keeps every column' }),
} satisfies OptionTable;

export type NbLogisticOptions = OptionValues<typeof NB_LOGISTIC_OPTIONS>;
export type NbSvmOptions = OptionValues<typeof NBSVM_OPTIONS>;


/** NbSvm.inputs: everything of a fit that does not depend on C. */
export interface NbSvmInputs {
  alpha: number;
  minDf: number;
  rawColumns: number;
  r: Float64Array;
  scaled: CsrMatrix;
  seenColumns: number;
}

/** A logistic fit's C and dual variables (one per training row): where another fit on the same rows may start. */
export interface NbSvmDual {
  readonly C: number;
  readonly alpha: Float64Array;
}

/**
 * x̂ ∘ r over the entries of columns with counted[j] = 1 (all when
 * `counted` is not given, sharing X's index arrays), the leading `raw`
 * columns keeping their values: dropRareColumns then nbScale, in one pass.
 */
function scaleKept(X: CsrMatrix, r: Float64Array, counted: Uint8Array | undefined, raw: number): CsrMatrix {
  const nnz = X.indptr[X.rows];
  const value = (p: number): number => (X.indices[p] < raw ? X.data[p] : X.data[p] !== 0 ? r[X.indices[p]] : 0);
  if (!counted) {
    const data = new Float64Array(nnz);
    for (let p = 0; p < nnz; p++) data[p] = value(p);
    return { rows: X.rows, cols: X.cols, indptr: X.indptr, indices: X.indices, data };
  }
  const indptr = new Int32Array(X.rows + 1);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let k = 0;
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      if (counted[X.indices[p]] === 0) continue;
      indices[k] = X.indices[p];
      data[k++] = value(p);
    }
    indptr[i + 1] = k;
  }
  return { rows: X.rows, cols: X.cols, indptr, indices: indices.slice(0, k), data: data.slice(0, k) };
}

function threshold(scores: Float64Array): Uint8Array {
  return Uint8Array.from(scores, (s) => (s > 0 ? 1 : 0));
}

export class NbSvm {
  readonly options: NbSvmOptions;
  /** NB log-count ratios r, one per column. */
  r: Float64Array = new Float64Array(0);
  /** The linear model's weights on x̂ ∘ r (before interpolation). */
  svmCoef: Float64Array = new Float64Array(0);
  intercept = 0;
  /** n-gram columns kept (present in at least minDf training rows): the |V| of w̄. */
  seenColumns = 0;
  /** Leading real-valued columns, used as given (see the file comment). */
  rawColumns = 0;
  /** The logistic fit's C and dual variables (one per training row), for a warm start of another fit on the same rows; undefined for the SVM. */
  dual: NbSvmDual | undefined;
  private fitted = false;

  constructor(options: GivenOptions<typeof NBSVM_OPTIONS> = {}) {
    this.options = resolveOptions('NBSVM', NBSVM_OPTIONS, options);
  }

  describe(): Record<string, OptionDescription> {
    return describeOptions(NBSVM_OPTIONS, this.options);
  }

  /**
   * What fit computes before the SVM (NB ratios r, the scaled rows x̂ ∘ r, the
   * columns kept): it depends on α and the document-frequency floor, not on
   * C, so a C grid on the same rows computes it once (nbsvm-selection.ts)
   * and passes it to every fit. An n-gram column under the floor, or absent
   * from these rows, gets r_j = 0: no weight at any β (without it, β > 0
   * would give such a column w̄ times the ratios' constant term, and a CV
   * fold would score n-grams that the final model, whose columns are the
   * training n-grams, never has).
   */
  static inputs(X: CsrMatrix, y: ArrayLike<number>, alpha: number, rawColumns = 0, minDf = 1): NbSvmInputs {
    return NbSvm.floorInputs(X, y, alpha, rawColumns)(minDf);
  }

  /**
   * NbSvm.inputs of the same rows at any document-frequency floor: the
   * frequencies and the NB counts are taken once, here, and each floor only
   * leaves columns out (NbRatios.ratios' `counted`), which gives exactly the
   * ratios of the matrix without those columns. A CV fold then counts its
   * rows once, not once per floor, and holds one floor's rows at a time.
   */
  static floorInputs(X: CsrMatrix, y: ArrayLike<number>, alpha: number, rawColumns: number): (minDf: number) => NbSvmInputs {
    if (!Number.isInteger(rawColumns) || rawColumns < 0 || rawColumns > X.cols) throw new SentivecError(`NBSVM: rawColumns must be an integer in 0..${X.cols}, got ${rawColumns}`);
    const df = documentFrequencies(X);
    const nb = NbRatios.fit(X, y, { alpha });
    return (minDf) => {
      if (!Number.isInteger(minDf) || minDf < 1) throw new SentivecError(`the document-frequency floor must be an integer ≥ 1, got ${minDf}`);
      const counted = new Uint8Array(X.cols).fill(1, 0, rawColumns);
      let seenColumns = 0;
      for (let j = rawColumns; j < X.cols; j++) {
        if (df[j] < minDf) continue;
        counted[j] = 1;
        seenColumns++;
      }
      const r = nb.ratios(1, counted);
      r.fill(1, 0, rawColumns);
      for (let j = rawColumns; j < X.cols; j++) if (counted[j] === 0) r[j] = 0;
      return { alpha, minDf, rawColumns, r, scaled: scaleKept(X, r, minDf === 1 ? undefined : counted, rawColumns), seenColumns };
    };
  }

  /**
   * X: binary features (any nonzero counts as present) after `rawColumns` real-valued ones; y: 0/1. `inputs`: NbSvm.inputs of the same X, y and this α, if already computed.
   * `warm`: the dual variables (`dual`) of a logistic fit on the same rows, to start from (LogisticRegression.fitFrom, unscaled); the SVM ignores it.
   */
  fit(X: CsrMatrix, y: ArrayLike<number>, rawColumns = 0, inputs?: NbSvmInputs, warm?: NbSvmDual): this {
    const given = inputs ?? NbSvm.inputs(X, y, this.options.alpha, rawColumns, this.options.minDf);
    if (given.alpha !== this.options.alpha || given.minDf !== this.options.minDf || given.rawColumns !== rawColumns || given.scaled.rows !== X.rows || given.r.length !== X.cols) throw new SentivecError('NBSVM: the precomputed inputs were made for other rows, α, document-frequency floor or raw columns');
    this.rawColumns = rawColumns;
    this.r = given.r;
    const { C, seed, bias } = this.options;
    if (this.options.loss === 'logistic') {
      const lr = new LogisticRegression({ C, seed, bias });
      if (warm) lr.fitFrom(given.scaled, y, warm, 'none');
      else lr.fit(given.scaled, y);
      this.dual = { C, alpha: lr.alpha };
      this.svmCoef = lr.coef;
      this.intercept = lr.intercept;
    } else {
      const svm = new LinearSVC({ C, seed, bias }).fit(given.scaled, y);
      this.dual = undefined;
      this.svmCoef = svm.coef;
      this.intercept = svm.intercept;
    }
    this.seenColumns = given.seenColumns;
    this.fitted = true;
    return this;
  }

  /** w̄ = ‖w‖₁ over the n-gram columns / the columns kept: the MNB direction's weight. */
  private meanWeight(): number {
    const w = this.svmCoef;
    let l1 = 0;
    for (let j = this.rawColumns; j < w.length; j++) l1 += Math.abs(w[j]);
    return this.seenColumns > 0 ? l1 / this.seenColumns : 0;
  }

  /** w'_j r_j per input column, at interpolation β (default: the model's). */
  featureWeights(beta = this.options.beta): Float64Array {
    if (!this.fitted) throw new SentivecError('NbSvm: call fit() before predicting');
    const w = this.svmCoef;
    const raw = this.rawColumns;
    const mean = this.meanWeight();
    const out = new Float64Array(w.length);
    for (let j = 0; j < raw; j++) out[j] = w[j];
    for (let j = raw; j < w.length; j++) out[j] = ((1 - beta) * w[j] + beta * mean) * this.r[j];
    return out;
  }

  decisionFunction(X: CsrMatrix, beta = this.options.beta): Float64Array {
    return binaryScores(X, this.featureWeights(beta), this.intercept, this.rawColumns);
  }

  /**
   * decisionFunction at each β of `betas`, from one pass over X: a row's
   * score is b + raw + (1 − β) Σ w_j r_j + β w̄ Σ r_j over its present n-gram
   * columns, so a β grid (nbsvm-selection.ts) costs one pass, not one per β.
   * Equal to decisionFunction up to rounding (the sums are grouped otherwise).
   */
  decisionFunctions(X: CsrMatrix, betas: readonly number[]): Float64Array[] {
    const wr = this.featureWeights(0);
    const { r, rawColumns: raw } = this;
    const mean = this.meanWeight();
    const out = betas.map(() => new Float64Array(X.rows));
    for (let i = 0; i < X.rows; i++) {
      let sRaw = this.intercept;
      let sW = 0;
      let sR = 0;
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
        const j = X.indices[p];
        if (j < raw) sRaw += wr[j] * X.data[p];
        else if (X.data[p] !== 0) {
          sW += wr[j];
          sR += r[j];
        }
      }
      betas.forEach((beta, k) => (out[k][i] = sRaw + (1 - beta) * sW + beta * mean * sR));
    }
    return out;
  }

  predict(X: CsrMatrix, beta = this.options.beta): Uint8Array {
    return threshold(this.decisionFunction(X, beta));
  }
}

/** L2-regularised logistic regression on x̂ ∘ r (Mesnil et al. 2015's NBSVM script is this, liblinear -s 0): calibrated probabilities. */
export class NbLogistic {
  readonly options: NbLogisticOptions;
  r: Float64Array = new Float64Array(0);
  coef: Float64Array = new Float64Array(0);
  intercept = 0;
  private fitted = false;

  constructor(options: GivenOptions<typeof NB_LOGISTIC_OPTIONS> = {}) {
    this.options = resolveOptions('NB logistic regression', NB_LOGISTIC_OPTIONS, options);
  }

  describe(): Record<string, OptionDescription> {
    return describeOptions(NB_LOGISTIC_OPTIONS, this.options);
  }

  fit(X: CsrMatrix, y: ArrayLike<number>): this {
    this.r = NbRatios.fit(X, y, { alpha: this.options.alpha }).ratios(1);
    const lr = new LogisticRegression({ C: this.options.C, seed: this.options.seed }).fit(nbScale(X, this.r), y);
    this.coef = lr.coef;
    this.intercept = lr.intercept;
    this.fitted = true;
    return this;
  }

  /** coef_j r_j per input column. */
  featureWeights(): Float64Array {
    if (!this.fitted) throw new SentivecError('NbLogistic: call fit() before predicting');
    return Float64Array.from(this.coef, (w, j) => w * this.r[j]);
  }

  decisionFunction(X: CsrMatrix): Float64Array {
    return binaryScores(X, this.featureWeights(), this.intercept);
  }

  predictProba(X: CsrMatrix): Float64Array {
    return Float64Array.from(this.decisionFunction(X), (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
  }

  predict(X: CsrMatrix): Uint8Array {
    return threshold(this.decisionFunction(X));
  }
}
