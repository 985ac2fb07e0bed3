/**
 * `train --select`: which bag-of-words columns a blueprint's classifier may
 * use, chosen from the rows the blueprint is fitted on and from nothing else
 * (fitBlueprint runs inside every cross-validation fold, so the selection
 * does too). `chi2:K` keeps the K words with the largest χ², `fdr:α` every
 * word significant at false-discovery rate α (Benjamini–Hochberg), `rfecv`
 * the knee of a recursive-elimination curve cross-validated on these rows.
 * The word-vector block is never dropped. Dropped words keep weight 0, so
 * the model scores a text with the same arithmetic as before.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { FeatureSelector, parseSelectorSpec, selectorSpecText, type SelectorOptions } from '../../features/selection/feature-selector.js';
import { SentivecError } from '../../util/errors.js';
import { strongestClass } from '../../features/selection/effect-size.js';
import { rankFeatures } from '../../features/selection/ranking.js';
import { rfecv, type RfecvPoint } from '../classifiers/rfecv.js';

export type SelectSpec = { kind: 'univariate'; options: SelectorOptions } | { kind: 'rfecv' };

/** `chi2:K`, `anova:K`, `mi:K`, `fdr:ALPHA` or `rfecv`. */
export function parseSelectSpec(spec: string): SelectSpec {
  if (spec.trim() === 'rfecv') return { kind: 'rfecv' };
  try {
    return { kind: 'univariate', options: parseSelectorSpec(spec) };
  } catch (e) {
    if (e instanceof SentivecError) throw new SentivecError(`${e.message}, or rfecv`);
    throw e;
  }
}

export function selectSpecText(s: SelectSpec): string {
  return s.kind === 'rfecv' ? 'rfecv' : selectorSpecText(new FeatureSelector(s.options).settings);
}

/** What a fit kept, stored in the model's info (the final fit's). */
export interface SelectionSummary {
  spec: string;
  /** Words that could be selected, and how many were. */
  words: number;
  kept: number;
  /** rfecv: held-out accuracy against the number of words kept, and the knee chosen. */
  curve?: RfecvPoint[];
  chosen?: number;
}

/** The rows' words as a matrix of their own (columns dim … dim + V − 1 of X renumbered from 0). */
function wordBlock(X: CsrMatrix, dim: number): CsrMatrix {
  if (dim === 0) return X;
  const indptr = new Int32Array(X.rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      if (X.indices[p] < dim) continue;
      indices.push(X.indices[p] - dim);
      data.push(X.data[p]);
    }
    indptr[i + 1] = indices.length;
  }
  return { rows: X.rows, cols: X.cols - dim, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/**
 * The columns of X (word vectors first, `dim` of them, then one per word)
 * the classifier keeps: position[j] = j for kept columns, −1 for dropped.
 */
export function selectColumns(X: CsrMatrix, y: Uint8Array, dim: number, spec: SelectSpec, opts: { classes: number; C: number; folds: number; seed: number; groups?: Int32Array }): { position: Int32Array; summary: SelectionSummary } {
  const words = X.cols - dim;
  const position = Int32Array.from({ length: X.cols }, (_, j) => j);
  if (spec.kind === 'univariate') {
    // χ², F and MI test k classes as well as two.
    const selector = new FeatureSelector(spec.options).fit(wordBlock(X, dim), y, opts.classes);
    for (let w = 0; w < words; w++) if (!selector.keeps(w)) position[dim + w] = -1;
    return { position, summary: { spec: selectSpecText(spec), words, kept: selector.selected.length } };
  }
  if (opts.classes > 2) throw new SentivecError(`--select rfecv eliminates by a binary classifier's weights; with ${opts.classes} labels use chi2:K, anova:K, mi:K or fdr:ALPHA`);
  // Too few documents of a class to cross-validate the elimination: every word stays.
  if (opts.folds < 2) return { position, summary: { spec: 'rfecv', words, kept: words } };
  // Only words seen in these rows are eligible (the others have no data to rank them by).
  const seen = new Uint8Array(X.cols);
  for (let p = 0; p < X.indptr[X.rows]; p++) seen[X.indices[p]] = 1;
  const eligible: number[] = [];
  for (let j = dim; j < X.cols; j++) if (seen[j]) eligible.push(j);
  const r = rfecv(X, y, Int32Array.from(eligible), { C: opts.C, folds: opts.folds, seed: opts.seed }, opts.groups);
  for (let j = dim; j < X.cols; j++) position[j] = -1;
  for (const j of r.kept) position[j] = j;
  return { position, summary: { spec: 'rfecv', words, kept: r.kept.length, curve: r.curve, chosen: r.chosen } };
}

/** One word of the ranking a model stores from its training rows. */
export interface StoredFeature {
  word: string;
  chi2: number;
  p: number;
  /** Benjamini–Hochberg over every word tested. */
  corrected: number;
  /** The label the word speaks for, and its log-odds ratio (+½, Woolf 95% interval) for that label against the rest. */
  towards: string;
  logOdds: number;
  low: number;
  high: number;
  /** Training documents containing the word, per label (in the model's label order). */
  documents: number[];
}

export interface StoredRanking {
  test: 'chi2';
  correction: 'bh';
  alpha: number;
  documents: number;
  tested: number;
  significant: number;
  features: StoredFeature[];
}

/**
 * The χ² ranking of the words over all training rows, strongest first (the
 * top `top`): what `train --select` stores in the model so `info`, the web
 * service and the features report can show why the model keeps what it keeps.
 */
export function trainingRanking(X: CsrMatrix, y: Uint8Array, words: readonly string[], labels: readonly string[], top: number, alpha = 0.05): StoredRanking {
  const ranking = rankFeatures(X, y, labels.length, { tests: ['chi2'], correction: 'bh', alpha, minDf: 1 });
  const t = ranking.tests[0];
  const z = ranking.z;
  const features = Array.from(t.order.subarray(0, Math.min(top, t.order.length)), (i): StoredFeature => {
    const s = strongestClass(ranking.counts, i, z);
    // Two labels: strongestClass gives label 1's log-odds; a word of label 0 reads better as label 0's (negated).
    const sign = labels.length > 2 || s.cls === 1 ? 1 : -1;
    const { cols, df } = ranking.counts;
    return {
      word: words[ranking.tested[i]],
      chi2: t.result.statistic[i],
      p: t.p[i],
      corrected: t.corrected[i],
      towards: labels[s.cls],
      logOdds: sign * s.odds.estimate,
      low: sign === 1 ? s.odds.low : -s.odds.high,
      high: sign === 1 ? s.odds.high : -s.odds.low,
      documents: labels.map((_, c) => df[c * cols + i]),
    };
  });
  return { test: 'chi2', correction: 'bh', alpha, documents: X.rows, tested: t.p.length, significant: t.significant, features };
}
