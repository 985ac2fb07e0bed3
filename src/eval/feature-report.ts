/**
 * What `sentivec features` reports about a ranking: per test, the top
 * features with statistic, raw and corrected p, effect size with its
 * interval, document frequency per class and a keyword-in-context example;
 * per class, the features that speak for it; redundancy groups among the
 * top features; points for the volcano plot. Plain data, so the JSON file,
 * the terminal table and the HTML page show the same numbers.
 */
import type { CsrMatrix } from '../features/csr.js';
import { firstDocuments, keywordInContext, type KeywordInContext } from '../features/keyword-in-context.js';
import type { NgramCounts } from '../features/ngram-vocabulary.js';
import { strongestClass } from '../features/selection/effect-size.js';
import type { FilterReport } from '../features/selection/filters.js';
import type { FeatureRanking, RankedTest } from '../features/selection/ranking.js';
import { redundancyGroups } from '../features/selection/redundancy.js';
import type { ClassTest } from '../features/selection/test-result.js';
import type { TokenizedDocs } from '../text/documents.js';
import type { ImportanceReport, RfecvReport } from './feature-importance.js';
import type { ModelImportanceReport } from './model-importance.js';

export interface FeatureEffect {
  /** Classes: the class the feature speaks for and its log-odds against the rest. Rating: mean rating with − without. */
  readonly kind: 'log-odds' | 'rating-difference';
  readonly towards: string;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export interface FeatureRow {
  readonly rank: number;
  readonly ngram: string;
  readonly n: number;
  readonly statistic: number;
  readonly p: number;
  /** −log10 p, finite even where p underflows. */
  readonly minusLog10P: number;
  readonly corrected: number;
  readonly significant: boolean;
  /** Documents containing the feature, all classes. */
  readonly df: number;
  /** Per class (classes only). */
  readonly dfPerClass?: number[];
  /** Ratings only: Pearson's r. */
  readonly r?: number;
  readonly effect: FeatureEffect;
  readonly example: KeywordInContext | null;
}

export interface TestReport {
  readonly test: ClassTest;
  /** What the statistic is, for readers. */
  readonly statisticName: string;
  readonly df1: number;
  readonly df2?: number;
  readonly tested: number;
  readonly significant: number;
  readonly top: FeatureRow[];
}

export interface VolcanoPoint {
  readonly ngram: string;
  readonly effect: number;
  /** −log10 of the corrected p (its Bonferroni bound where the corrected p underflows). */
  readonly y: number;
  readonly significant: boolean;
}

export interface FeatureReport {
  readonly input: string;
  readonly documents: number;
  readonly target: { kind: 'classes'; classes: { name: string; documents: number }[] } | { kind: 'rating'; field: string; mean: number };
  readonly ngrams: { min: number; max: number; minDf: number; counted: number[]; kept: number[] };
  readonly filters: FilterReport;
  readonly correction: string;
  readonly alpha: number;
  readonly confidence: number;
  readonly tests: TestReport[];
  /** Per class, the significant features (by the first test) that speak for it, strongest first. */
  readonly perClass: { name: string; features: string[] }[];
  readonly redundancy: { threshold: number; candidates: number; groups: { kept: string; redundant: { ngram: string; v: number }[] }[] };
  readonly volcano: { test: ClassTest; points: VolcanoPoint[]; plotted: number; tested: number };
  /** --importance: model weights aggregated over held-out documents, and permutation importance there. */
  readonly importance?: ImportanceReport;
  /** --rfecv: the accuracy curve against the features kept, and the knee. */
  readonly rfecv?: RfecvReport;
  /** --model: a trained model's word shares aggregated over this corpus, and their permutation importance here. */
  readonly model?: ModelImportanceReport;
  readonly seconds: number;
}

export interface FeatureReportInput {
  readonly input: string;
  readonly ranking: FeatureRanking;
  readonly X: CsrMatrix;
  readonly docs: TokenizedDocs;
  readonly strings: readonly string[];
  readonly names: readonly string[];
  readonly columnTokens: readonly Int32Array[];
  readonly counts: NgramCounts;
  readonly ngrams: { min: number; max: number; minDf: number };
  /** Class names (classes) and per-document class; for ratings the field and the ratings. */
  readonly target: { kind: 'classes'; names: string[]; y: ArrayLike<number> } | { kind: 'rating'; field: string; rating: ArrayLike<number> };
  readonly top: number;
  readonly redundancy: { threshold: number; candidates: number };
  readonly volcanoPoints: number;
  readonly started: number;
}

const STATISTIC_NAMES: Record<ClassTest, string> = { chi2: 'χ²', anova: 'F', mi: 'MI (nats)' };
const LN10 = Math.log(10);

function effectOf(input: FeatureReportInput, i: number): FeatureEffect {
  const r = input.ranking;
  if (r.kind === 'rating') {
    const d = r.rating.meanWith[i] - r.rating.meanWithout[i];
    return { kind: 'rating-difference', towards: d >= 0 ? 'higher' : 'lower', estimate: d, low: d - r.rating.halfWidth[i], high: d + r.rating.halfWidth[i] };
  }
  const names = input.target.kind === 'classes' ? input.target.names : [];
  const s = strongestClass(r.counts, i, r.z);
  // With two classes the odds are class 1's; a feature of class 0 reads better as class 0's (the same numbers negated).
  if (r.counts.classes === 2 && s.cls === 0) return { kind: 'log-odds', towards: names[0], estimate: -s.odds.estimate, low: -s.odds.high, high: -s.odds.low };
  return { kind: 'log-odds', towards: names[s.cls], estimate: s.odds.estimate, low: s.odds.low, high: s.odds.high };
}

/** −log10 of the corrected p; where it underflows, the Bonferroni bound −log10(p·m) from ln p. */
function volcanoY(t: RankedTest, i: number): number {
  const q = t.corrected[i];
  if (q > 0) return -Math.log10(q);
  return -(t.result.logP[i] + Math.log(t.p.length)) / LN10;
}

export function buildFeatureReport(input: FeatureReportInput): FeatureReport {
  const { ranking, X, docs, names } = input;
  const tested = ranking.tested;
  const groups = input.target.kind === 'classes' ? input.target.names.length : 1;
  const group = input.target.kind === 'classes' ? input.target.y : new Int32Array(X.rows);
  // Examples for every feature any table shows, found in one pass over the matrix.
  const shown = new Set<number>();
  for (const t of ranking.tests) for (let k = 0; k < Math.min(input.top, t.order.length); k++) shown.add(t.order[k]);
  const shownList = [...shown];
  const first = firstDocuments(X, shownList.map((i) => tested[i]), group, groups);
  const slot = new Map(shownList.map((i, w) => [i, w]));
  const effects = new Map<number, FeatureEffect>();
  const effect = (i: number): FeatureEffect => {
    let e = effects.get(i);
    if (!e) effects.set(i, (e = effectOf(input, i)));
    return e;
  };
  const example = (i: number): KeywordInContext | null => {
    const w = slot.get(i)!;
    const e = effect(i);
    const preferred = input.target.kind === 'classes' ? input.target.names.indexOf(e.towards) : 0;
    let d = first[w * groups + preferred];
    for (let g = 0; d < 0 && g < groups; g++) d = first[w * groups + g];
    return d < 0 ? null : keywordInContext(docs, input.strings, d, input.columnTokens[tested[i]]);
  };
  const row = (t: RankedTest, rank: number, i: number): FeatureRow => {
    const j = tested[i];
    const counts = ranking.kind === 'classes' ? ranking.counts : null;
    return {
      rank,
      ngram: names[j],
      n: input.columnTokens[j].length,
      statistic: t.result.statistic[i],
      p: t.p[i],
      minusLog10P: -t.result.logP[i] / LN10,
      corrected: t.corrected[i],
      significant: t.corrected[i] <= ranking.options.alpha,
      df: counts ? counts.total[i] : ranking.kind === 'rating' ? ranking.rating.total[i] : 0,
      dfPerClass: counts ? Array.from({ length: counts.classes }, (_, c) => counts.df[c * counts.cols + i]) : undefined,
      r: ranking.kind === 'rating' ? ranking.rating.r[i] : undefined,
      effect: effect(i),
      example: example(i),
    };
  };
  const tests: TestReport[] = ranking.tests.map((t) => ({
    test: t.result.test,
    statisticName: ranking.kind === 'rating' ? 'F (correlation)' : STATISTIC_NAMES[t.result.test],
    df1: t.result.df1,
    df2: t.result.df2,
    tested: t.p.length,
    significant: t.significant,
    top: Array.from(t.order.subarray(0, Math.min(input.top, t.order.length)), (i, k) => row(t, k + 1, i)),
  }));
  const primary = ranking.tests[0];
  // Per class: significant features of the first test whose effect points to the class.
  const perClassNames = input.target.kind === 'classes' ? input.target.names : ['higher', 'lower'];
  const perClass = perClassNames.map((name) => ({ name, features: [] as string[] }));
  for (let k = 0; k < primary.order.length; k++) {
    const i = primary.order[k];
    if (!(primary.corrected[i] <= ranking.options.alpha)) break;
    const list = perClass[perClassNames.indexOf(effect(i).towards)].features;
    if (list.length < 15) list.push(names[tested[i]]);
    if (perClass.every((c) => c.features.length >= 15)) break;
  }
  const candidates = Array.from(primary.order.subarray(0, Math.min(input.redundancy.candidates, primary.order.length)), (i) => tested[i]);
  const redundancy = {
    threshold: input.redundancy.threshold,
    candidates: candidates.length,
    groups: redundancyGroups(X, candidates, input.redundancy.threshold).map((g) => ({ kept: names[g.leader], redundant: g.members.map((m) => ({ ngram: names[m.column], v: m.v })) })),
  };
  // Volcano: the strongest features, then an even spread of the rest, so the plot stays small.
  const m = primary.order.length;
  const cap = Math.min(input.volcanoPoints, m);
  const head = Math.min(m, Math.ceil(cap / 2));
  const picks: number[] = Array.from(primary.order.subarray(0, head));
  const rest = m - head;
  const spread = cap - head;
  for (let s = 0; s < spread; s++) picks.push(primary.order[head + Math.floor((s * rest) / spread)]);
  const points = picks.map((i) => ({ ngram: names[tested[i]], effect: effect(i).kind === 'log-odds' && groups === 2 && effect(i).towards === perClassNames[0] ? -effect(i).estimate : effect(i).estimate, y: volcanoY(primary, i), significant: primary.corrected[i] <= ranking.options.alpha }));
  const target: FeatureReport['target'] =
    input.target.kind === 'classes'
      ? { kind: 'classes', classes: input.target.names.map((name, c) => ({ name, documents: ranking.kind === 'classes' ? ranking.counts.sizes[c] : 0 })) }
      : { kind: 'rating', field: input.target.field, mean: Array.from(input.target.rating).reduce((a, b) => a + b, 0) / input.target.rating.length };
  return {
    input: input.input,
    documents: X.rows,
    target,
    ngrams: { ...input.ngrams, counted: input.counts.counted, kept: input.counts.kept },
    filters: ranking.filters,
    correction: ranking.options.correction,
    alpha: ranking.options.alpha,
    confidence: ranking.options.confidence,
    tests,
    perClass,
    redundancy,
    volcano: { test: primary.result.test, points, plotted: points.length, tested: m },
    seconds: (performance.now() - input.started) / 1000,
  };
}
