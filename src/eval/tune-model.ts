/**
 * Choosing the paper's model options (λ, ν, sentiment weight, epochs) without
 * touching the test set: hold out a stratified slice of the 25k training
 * reviews, fit the word vectors on the rest (plus the unlabeled reviews when
 * asked), choose C by CV on the rest, and score each candidate on the slice.
 */
import type { CsrMatrix } from '../features/csr.js';
import { countMatrix, denseToCsr, hstackDense } from '../features/matrix.js';
import { bnc, bnn } from '../features/smart.js';
import { projectDocuments } from '../features/projection.js';
import { concatDocs, selectDocs } from '../text/documents.js';
import type { TokenizedCorpus } from '../text/tokenized-corpus.js';
import { LinearSVC } from '../models/classifiers/svm.js';
import { accuracy, selectC, stratifiedKFold } from '../models/classifiers/model-selection.js';
import { SentimentVectors } from '../models/embeddings/index.js';
import type { WordMatrix } from '../features/word-matrix.js';
import type { ModelOptions } from './experiment.js';
import { expectedRatingsFromDocs, polarityAgreement } from './word-report.js';

export interface TuneCandidate extends ModelOptions {
  useSentiment: boolean;
  unlabeled: boolean;
}

export interface TuneResult {
  candidate: TuneCandidate;
  /** Held-out accuracy of word-vector features alone, and concatenated with bnc. */
  heldOut: { vectors: number; vectorsBow: number; documents: number };
  /**
   * Polarity agreement@10 of the 200 most polar words, with expected ratings
   * from the fitting part of train (`train`, usable for choices) and, when
   * given, from imdbEr.txt (`reference`, a report only: imdbEr.txt was built
   * from the whole dataset, test reviews included).
   */
  polarity: { train: number; reference?: number };
  seconds: number;
}

export function tuneModel(
  corpus: TokenizedCorpus,
  candidates: readonly TuneCandidate[],
  opts: {
    holdoutFolds: number;
    seed: number;
    cGrid: readonly number[];
    folds: number;
    referenceRatings?: Map<string, number>;
    onResult?: (r: TuneResult) => void;
  },
): TuneResult[] {
  const { train, unsup, vocabulary } = corpus;
  // One fold of a stratified k-fold split is the held-out slice (1/k of train).
  const fold = stratifiedKFold(train.labels, opts.holdoutFolds, opts.seed);
  const fitRows = Int32Array.from(train.labels.keys()).filter((i) => fold[i] !== 0);
  const heldRows = Int32Array.from(train.labels.keys()).filter((i) => fold[i] === 0);
  const fitDocs = selectDocs(train.docs, fitRows);
  const heldDocs = selectDocs(train.docs, heldRows);
  const yFit = Uint8Array.from(fitRows, (i) => train.labels[i]);
  const yHeld = Uint8Array.from(heldRows, (i) => train.labels[i]);
  const starsFit = Uint8Array.from(fitRows, (i) => train.stars[i]);
  const countsFit = countMatrix(fitDocs, vocabulary.size);
  const countsHeld = countMatrix(heldDocs, vocabulary.size);
  const trainRatings = expectedRatingsFromDocs(vocabulary.words, fitDocs, starsFit);
  const polarity = (r: WordMatrix): TuneResult['polarity'] => ({
    train: polarityAgreement(vocabulary.words, r, trainRatings),
    reference: opts.referenceRatings ? polarityAgreement(vocabulary.words, r, opts.referenceRatings) : undefined,
  });
  const score = (xFit: CsrMatrix, xHeld: CsrMatrix): number => {
    const { C } = selectC({ kind: 'linear-svc', options: { seed: opts.seed } }, xFit, yFit, { grid: opts.cGrid, folds: opts.folds, seed: opts.seed });
    return accuracy(yHeld, new LinearSVC({ C, seed: opts.seed }).fit(xFit, yFit).predict(xHeld));
  };
  const results: TuneResult[] = [];
  for (const candidate of candidates) {
    const started = performance.now();
    const docs = candidate.unlabeled ? concatDocs(fitDocs, unsup.docs) : fitDocs;
    const stars = new Uint8Array(docs.count);
    stars.set(starsFit);
    const { useSentiment, lambda, nu, sentimentWeight, maxEpochs } = candidate;
    const r = new SentimentVectors({ useSentiment, lambda, nu, sentimentWeight, maxEpochs, seed: opts.seed }).fit(docs, stars, vocabulary.size).R;
    const zFit = projectDocuments(bnn(countsFit), r);
    const zHeld = projectDocuments(bnn(countsHeld), r);
    const result: TuneResult = {
      candidate,
      heldOut: {
        vectors: score(denseToCsr(zFit, r.dim), denseToCsr(zHeld, r.dim)),
        vectorsBow: score(hstackDense(zFit, r.dim, bnc(countsFit)), hstackDense(zHeld, r.dim, bnc(countsHeld))),
        documents: heldRows.length,
      },
      polarity: polarity(r),
      seconds: (performance.now() - started) / 1000,
    };
    opts.onResult?.(result);
    results.push(result);
  }
  return results;
}

/**
 * The selection rule used everywhere, accuracy first, in the spirit of the
 * one-standard-error rule: score = mean of the two held-out accuracies (word
 * vectors alone, and with bnc); candidates within one standard error of the
 * best score, √(p(1−p)/n) on the n held-out documents (≈ 0.44 pp for 5,000
 * IMDb reviews), are statistically tied, and among those the highest polarity
 * agreement (ratings from the fitting part of train, never imdbEr.txt) wins,
 * because vectors whose neighbours share polarity are what the sentiment term
 * is for. Remaining ties keep the earlier candidate.
 */
export function chooseCandidate(results: readonly TuneResult[]): TuneResult {
  if (results.length === 0) throw new Error('chooseCandidate: no candidates');
  const mean = (r: TuneResult): number => (r.heldOut.vectors + r.heldOut.vectorsBow) / 2;
  const top = results.reduce((a, r) => (mean(r) > mean(a) ? r : a));
  const p = mean(top);
  const band = Math.sqrt((p * (1 - p)) / top.heldOut.documents);
  const tied = results.filter((r) => mean(r) >= p - band - 1e-12);
  return tied.reduce((a, r) => (r.polarity.train > a.polarity.train ? r : a));
}
