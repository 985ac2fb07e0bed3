/**
 * `sentivec features`: which words and phrases separate the classes (or
 * move the rating) of a corpus, by χ², ANOVA F and mutual information, with
 * corrected p-values, effect sizes, filters, redundancy groups and a
 * keyword-in-context example each; a terminal table, JSON and HTML.
 */
import { Option, type Command } from 'commander';
import { corpusSource } from '../corpus/formats.js';
import { CORPUS_FORMATS, type CorpusFormat } from '../corpus/record.js';
import { buildFeatureReport, type FeatureReport } from '../eval/feature-report.js';
import { IMPORTANCE_DEFAULTS, importanceReport, rfecvReport } from '../eval/feature-importance.js';
import { sentimentModelImportance, type ModelImportanceReport } from '../eval/model-importance.js';
import { SentimentModel } from '../models/product/sentiment-model.js';
import { featureReportHtml } from '../eval/feature-report-html.js';
import { featureReportLines } from '../eval/feature-report-text.js';
import { NGRAM_VOCABULARY_DEFAULTS, NgramVocabulary } from '../features/ngram-vocabulary.js';
import { CORRECTIONS, type Correction } from '../features/selection/corrections.js';
import { RANKING_DEFAULTS, rankFeatures, rankFeaturesByRating } from '../features/selection/ranking.js';
import { CLASS_TESTS, type ClassTest } from '../features/selection/test-result.js';
import { DocumentBuilder, type TokenizedDocs } from '../text/documents.js';
import { NgramTokenIds } from '../text/ngram-tokenizer.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SentivecError } from '../util/errors.js';
import { createReporter, type LogFormat, type Reporter } from '../util/log.js';
import { assertWritableDir, parseChoice, parseInteger, parsePositive } from './options.js';
import { jsonReportOption, logFormatOption, seedOption } from './option-groups.js';
import { emitJson, jsonOnStdout, type JsonFlag } from './output.js';

interface FeaturesFlags {
  input: string;
  format?: CorpusFormat;
  text: string;
  label?: string;
  rating?: string;
  split: 'train' | 'test';
  ngrams: { min: number; max: number };
  minDf: number;
  minVariance: number;
  test: ClassTest | 'all';
  correction: Correction;
  alpha: number;
  confidence: number;
  top: number;
  redundancy: number;
  redundancyCandidates: number;
  json?: JsonFlag;
  html?: string;
  importance?: boolean;
  model?: string;
  rfecv?: boolean;
  repeats: number;
  seed: number;
  logFormat: LogFormat;
}

/** The options' defaults, in one place. */
export const FEATURES_DEFAULTS = {
  ngrams: '1..3',
  minDf: NGRAM_VOCABULARY_DEFAULTS.minDf,
  minVariance: RANKING_DEFAULTS.minVariance,
  correction: RANKING_DEFAULTS.correction,
  alpha: RANKING_DEFAULTS.alpha,
  confidence: RANKING_DEFAULTS.confidence,
  top: 20,
  redundancy: 0.9,
  redundancyCandidates: 500,
  volcanoPoints: 3000,
} as const;

export function parseNgramRange(value: string): { min: number; max: number } {
  const m = /^\s*([1-3])\s*(?:\.\.\s*([1-3]))?\s*$/.exec(value);
  if (!m) throw new SentivecError(`--ngrams ${value}: expected N or MIN..MAX with 1 ≤ MIN ≤ MAX ≤ 3 (e.g. 1..3)`);
  const min = m[2] === undefined ? 1 : Number(m[1]);
  const max = Number(m[2] ?? m[1]);
  if (min > max) throw new SentivecError(`--ngrams ${value}: MIN is above MAX`);
  return { min, max };
}

function parseFraction(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !(n > 0 && n < 1)) throw new SentivecError(`${name} ${value}: expected a number strictly between 0 and 1`);
    return n;
  };
}

interface LoadedCorpus {
  docs: TokenizedDocs;
  strings: string[];
  labels: string[];
  ratings: number[];
  /** The texts themselves, kept only for --model (which predicts them again). */
  texts: string[];
  skipped: number;
}

/** Reads and tokenizes the labeled (or rated) records; records without a label (aclImdb's unsup) are skipped. */
async function loadCorpus(flags: FeaturesFlags, reporter: Reporter): Promise<LoadedCorpus> {
  const source = corpusSource(flags.input, { format: flags.format, text: flags.text, label: flags.rating === undefined ? (flags.label ?? 'label') : undefined, rating: flags.rating, split: flags.split });
  const tokenIds = new NgramTokenIds();
  const builder = new DocumentBuilder();
  const labels: string[] = [];
  const ratings: number[] = [];
  const texts: string[] = [];
  let skipped = 0;
  const task = reporter.task('read', 1);
  for await (const r of source.open((done, total) => task.tick(done / Math.max(1, total)))) {
    if (flags.rating !== undefined ? r.rating === undefined : r.label === undefined) {
      skipped++;
      continue;
    }
    builder.begin();
    tokenIds.addText(r.text, builder);
    if (flags.model !== undefined) texts.push(r.text);
    if (flags.rating !== undefined) ratings.push(r.rating!);
    else labels.push(r.label!);
  }
  task.end({ documents: builder.count, skipped });
  return { docs: builder.finish(), strings: tokenIds.strings, labels, ratings, texts, skipped };
}

export async function runFeatures(flags: FeaturesFlags, reporter: Reporter): Promise<FeatureReport> {
  const started = performance.now();
  if (flags.label !== undefined && flags.rating !== undefined) throw new SentivecError('--label and --rating exclude each other');
  const rating = flags.rating !== undefined;
  const tests: ClassTest[] = flags.test === 'all' ? (rating ? ['anova'] : [...CLASS_TESTS]) : [flags.test];
  if (rating && tests.some((t) => t !== 'anova')) throw new SentivecError(`--test ${flags.test} needs classes; with --rating only anova (the F test of the correlation) applies`);
  const corpus = await loadCorpus(flags, reporter);
  if (corpus.docs.count < 3) throw new SentivecError(`${flags.input}: ${corpus.docs.count} labeled documents; the tests need at least 3`);
  const vocabTask = reporter.task('n-grams', 1);
  const vocab = NgramVocabulary.fit(corpus.docs, corpus.strings, { minOrder: flags.ngrams.min, maxOrder: flags.ngrams.max, minDf: flags.minDf });
  const X = vocab.transform(corpus.docs);
  vocabTask.end({ kept: vocab.counts.kept, counted: vocab.counts.counted, nnz: X.indptr[X.rows] });
  if (vocab.size === 0) throw new SentivecError(`${flags.input}: no n-gram is in ${flags.minDf} or more documents; lower --min-df`);
  const options = { tests, correction: flags.correction, alpha: flags.alpha, confidence: flags.confidence, minDf: flags.minDf, minVariance: flags.minVariance };
  const rankTask = reporter.task('tests', 1);
  let target: Parameters<typeof buildFeatureReport>[0]['target'];
  let ranking;
  if (rating) {
    const r = Float64Array.from(corpus.ratings);
    ranking = rankFeaturesByRating(X, r, options);
    target = { kind: 'rating', field: flags.rating!, rating: r };
  } else {
    const names = [...new Set(corpus.labels)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (names.length < 2) throw new SentivecError(`${flags.input}: the label field has ${names.length} distinct value${names.length === 1 ? '' : 's'}; the tests need at least 2 classes`);
    const index = new Map(names.map((n, i) => [n, i]));
    const y = Int32Array.from(corpus.labels, (l) => index.get(l)!);
    ranking = rankFeatures(X, y, names.length, options);
    target = { kind: 'classes', names, y };
  }
  rankTask.end({ tested: ranking.filters.kept });
  const report = buildFeatureReport({
    input: flags.input,
    ranking,
    X,
    docs: corpus.docs,
    strings: corpus.strings,
    names: vocab.names,
    columnTokens: vocab.tokens,
    counts: vocab.counts,
    ngrams: { ...flags.ngrams, minDf: flags.minDf },
    target,
    top: flags.top,
    redundancy: { threshold: flags.redundancy, candidates: flags.redundancyCandidates },
    volcanoPoints: FEATURES_DEFAULTS.volcanoPoints,
    started,
  });
  if (!flags.importance && !flags.rfecv && flags.model === undefined) return report;
  if (target.kind !== 'classes') throw new SentivecError('--importance, --rfecv and --model need classes (--label with two values), not --rating');
  const { y, names: classNames } = target;
  const importanceTask = flags.importance ? reporter.task('importance', 1) : null;
  const importance = flags.importance ? importanceReport(X, y, classNames.length, vocab.names, { seed: flags.seed, repeats: flags.repeats, confidence: flags.confidence, top: flags.top }) : undefined;
  importanceTask?.end({ heldOutAccuracy: importance?.heldOutAccuracy });
  const rfecvTask = flags.rfecv ? reporter.task('rfecv', 1) : null;
  const rfecv = flags.rfecv ? rfecvReport(X, y, classNames.length, ranking.tested, vocab.names, { seed: flags.seed, top: flags.top }) : undefined;
  rfecvTask?.end({ chosen: rfecv?.chosen });
  let model: ModelImportanceReport | undefined;
  if (flags.model !== undefined) {
    const modelTask = reporter.task('model importance', 1);
    const trained = await SentimentModel.load(flags.model);
    model = sentimentModelImportance(trained, corpus.texts.map((text, i) => ({ text, label: corpus.labels[i] })), { name: flags.model, top: flags.top, repeats: flags.repeats, seed: flags.seed, confidence: flags.confidence });
    modelTask.end({ accuracy: model.accuracy });
  }
  return { ...report, importance, rfecv, model, seconds: (performance.now() - started) / 1000 };
}

export function registerFeatures(program: Command): void {
  const d = FEATURES_DEFAULTS;
  program
    .command('features')
    .description('rank the words and n-grams that separate the classes (or move the rating) of a corpus: χ², ANOVA F, mutual information, corrected p-values, effect sizes, examples')
    .addOption(new Option('--input <path>', 'CSV, TSV, JSON Lines, a folder per label, or aclImdb').makeOptionMandatory())
    .option('--format <format>', `corpus format (${CORPUS_FORMATS.join(', ')}; default: from the path)`, parseChoice(CORPUS_FORMATS))
    .option('--text <field>', 'column / field holding the text', 'text')
    .option('--label <field>', 'column / field holding the class (two or more distinct values; default label)')
    .option('--rating <field>', 'column / field holding a numeric rating instead of a class')
    .option('--split <split>', 'aclImdb only: train or test', parseChoice(['train', 'test'] as const), 'train')
    .option('--ngrams <min..max>', 'n-gram lengths, e.g. 1, 1..2, 1..3', parseNgramRange, parseNgramRange(d.ngrams))
    .option('--min-df <n>', 'keep n-grams in at least this many documents', parseInteger(1), d.minDf)
    .option('--min-variance <x>', 'drop features whose binary variance p(1 − p) is at or below this', (v: string) => {
      const n = Number(v);
      if (v.trim() === '' || !(n >= 0 && n < 0.25)) throw new SentivecError(`--min-variance ${v}: expected a number in [0, 0.25)`);
      return n;
    }, d.minVariance)
    .option('--test <test>', `${CLASS_TESTS.join(', ')} or all (ratings: anova, the F test of the correlation)`, parseChoice([...CLASS_TESTS, 'all'] as const), 'all')
    .option('--correction <method>', `multiple-testing correction: ${CORRECTIONS.join(', ')}`, parseChoice(CORRECTIONS), d.correction)
    .option('--alpha <x>', 'significance level of the corrected p-values (bh: the false-discovery rate)', parseFraction('--alpha'), d.alpha)
    .option('--confidence <x>', 'confidence level of the effect-size intervals', parseFraction('--confidence'), d.confidence)
    .option('--top <n>', 'features listed per test', parseInteger(1), d.top)
    .option('--redundancy <v>', "Cramér's V at which two features count as redundant", parsePositive, d.redundancy)
    .option('--redundancy-candidates <n>', 'how many of the strongest features are checked for redundancy', parseInteger(2, 4000), d.redundancyCandidates)
    .addOption(jsonReportOption())
    .option('--html <file>', 'also write a self-contained HTML report (table, volcano plot, per-class features, importance, RFE-CV curve)')
    .option('--importance', 'two classes: fit a logistic regression on a seeded 80% (C by 5-fold CV there) and report its weights aggregated over the other 20% and the permutation importance there, with intervals')
    .option('--model <file>', "a trained model (.svec): its words' shares of the scores aggregated over this corpus, and the permutation importance of its strongest words here (give held-out documents, not its training data)")
    .option('--rfecv', 'two classes: recursive feature elimination with 5-fold cross-validation; the accuracy curve against the features kept, and its knee')
    .option('--repeats <n>', 'permutation importance: shuffles per feature', parseInteger(2, 1000), IMPORTANCE_DEFAULTS.repeats)
    .addOption(seedOption())
    .addOption(logFormatOption())
    .action(async (flags: FeaturesFlags) => {
      if (flags.redundancy > 1) throw new SentivecError(`--redundancy ${flags.redundancy}: Cramér's V is at most 1`);
      for (const [flag, file] of [['--json', flags.json], ['--html', flags.html]] as const) if (typeof file === 'string') await assertWritableDir(file, flag);
      const report = await runFeatures(flags, createReporter(flags.logFormat));
      if (!jsonOnStdout(flags.json)) process.stdout.write(`${featureReportLines(report).join('\n')}\n`);
      await emitJson(flags.json, report);
      if (flags.html) await writeFileAtomic(flags.html, featureReportHtml(report));
    });
}
