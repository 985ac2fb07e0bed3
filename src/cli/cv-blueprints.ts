/**
 * `sentivec cv` on the product's blueprints (the recipes `train` chooses
 * from, eval/blueprint-cv.ts): for k > 2 classes and rating heads, where the
 * paper's two-class rows do not apply, and for several targets on one shared
 * set of word vectors (--target with --target-vectors shared, eval/targets-cv.ts),
 * where the estimate is to describe the model `train --target` writes. Each
 * corpus is read as `train` reads it (the product's tokenizer and vocabulary
 * floors unless given), with train's defaults for what cv's options set for
 * the paper's rows (C grid, λ, ...) unless given on the command line.
 */
import { corpusSource } from '../corpus/formats.js';
import type { RatingTask, TargetSpec } from '../corpus/labels.js';
import type { CorpusFormat, CorpusSource } from '../corpus/record.js';
import { crossValidateBlueprints, type BlueprintCvResult } from '../eval/blueprint-cv.js';
import { crossValidateTargets } from '../eval/targets-cv.js';
import { RATING_HEAD_OPTIONS } from '../models/classifiers/rating-head.js';
import { SENTIMENT_VECTORS_OPTIONS } from '../models/embeddings/sentiment-vectors.js';
import { BLUEPRINT_IDS, blueprintById, type Blueprint, type BlueprintSettings, type RatingFit } from '../models/product/blueprint.js';
import { ratingFit } from '../models/product/rating-values.js';
import { DEFAULT_MODEL_C_GRID } from '../models/product/train-model.js';
import type { TargetVectorsMode } from '../models/product/train-targets.js';
import { buildRecordCorpus, type RecordCorpus } from '../text/record-corpus.js';
import { Tokenizer, type TokenizerMode } from '../text/tokenizer.js';
import { PRODUCT_VOCABULARY } from '../text/vocabulary.js';
import { SentivecError } from '../util/errors.js';
import type { LogFormat, Reporter } from '../util/log.js';
import { currentDefault, fixedDefault } from '../util/options.js';
import { readOptions, type InputFlags, type LabelMode } from './corpus-options.js';
import type { JsonFlag } from './output.js';
import type { TargetFlag } from './targets.js';

export interface CvFlags extends InputFlags {
  input: string;
  unlabeled: string[];
  unlabeledFormat?: CorpusFormat;
  positive?: string;
  task?: RatingTask;
  rows?: string;
  folds: number;
  innerFolds: number;
  cGrid: number[];
  seed: number;
  tokenizer: TokenizerMode;
  vocabSize: number;
  skipTop: number;
  minCount: number;
  lambda: number;
  nu: number;
  sentimentWeight?: number;
  epochs: number;
  json?: JsonFlag;
  chart?: string;
  logFormat: LogFormat;
  target: TargetFlag[];
  targetVectors: TargetVectorsMode;
}

/** One target of cv: the field read as a label or a rating, its --task and --positive. */
export interface CvTargetSpec {
  mode: Exclude<LabelMode, { kind: 'none' }>;
  task: RatingTask | undefined;
  positive: string | undefined;
}

/** k > 2 classes and rating models: the product blueprints cv runs without --rows (no word vectors to fit in every fold: quick). */
export const DEFAULT_MODEL_ROWS = ['bnc', 'nbsvm-bi'];

/** Several targets on shared word vectors: without --rows, the paper's best (whose every fold's vectors carry every target's term) and nbsvm-bi. */
export const DEFAULT_TARGET_ROWS = ['vectors-bnc', 'nbsvm-bi'];

/** A target's records (`missing`: an empty value makes a row that target's unlabeled text, as with --target) and the --unlabeled corpora. */
export function targetSources(flags: CvFlags, spec: CvTargetSpec, missing: boolean): { source: CorpusSource; unlabeled: CorpusSource[] } {
  return {
    source: corpusSource(flags.input, { ...readOptions(flags, spec.mode, { text: 'text', split: 'train' }), ...(missing ? { missing: 'unlabeled' as const } : {}) }),
    unlabeled: flags.unlabeled.map((p) => corpusSource(p, { format: flags.unlabeledFormat, text: flags.text ?? 'text' })),
  };
}

/** The TargetSpec a cv target is read with. */
export function targetSpecOfCv(spec: CvTargetSpec): TargetSpec {
  const { mode } = spec;
  return mode.kind === 'rating' ? { kind: 'rating', ...mode.scale, task: spec.task ?? 'binary' } : { kind: 'label', positive: spec.positive };
}

/** The rating head a target is scored with (regression, ordinal), or null (classes: two labels, more, or a binned rating). */
export function ratingHeadOf(target: TargetSpec): { min: number; max: number; task: 'regression' | 'ordinal' } | null {
  return target.kind === 'rating' && (target.task === 'regression' || target.task === 'ordinal') ? { min: target.min, max: target.max, task: target.task } : null;
}

function blueprintsOf(rows: string | undefined, defaults: readonly string[], why: string): Blueprint[] {
  const ids = rows === undefined ? defaults : rows.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (ids.length === 0) throw new SentivecError('--rows: expected at least one blueprint id');
  const unknown = ids.filter((id) => !BLUEPRINT_IDS.includes(id));
  if (unknown.length > 0) throw new SentivecError(`--rows: ${why}, cv runs the product's blueprints; unknown blueprint '${unknown[0]}' (known: ${BLUEPRINT_IDS.join(', ')})`);
  return [...new Set(ids)].map(blueprintById);
}

/**
 * cv reads the corpus once, with one tokenizer, for every blueprint it runs; a
 * text variant (vectors-bnc-paper, -negation) listed with blueprints of another
 * tokenizer would silently run on the wrong text, so that mix is refused
 * unless --tokenizer fixes one tokenizer for all of them.
 */
function oneTokenizer(blueprints: readonly Blueprint[], given: (name: string) => boolean): Blueprint[] {
  if (given('tokenizer')) return [...blueprints];
  const key = (bp: Blueprint): string => JSON.stringify(bp.tokenizer);
  const other = blueprints.find((bp) => key(bp) !== key(blueprints[0]));
  if (other) throw new SentivecError(`--rows: '${blueprints[0].id}' and '${other.id}' read the text with different tokenizers, and cv reads it once; cross-validate them in separate runs (or fix one with --tokenizer)`);
  return [...blueprints];
}

async function readCorpus(source: CorpusSource, unlabeled: CorpusSource[], target: TargetSpec, bp: Blueprint, flags: CvFlags, given: (name: string) => boolean, reporter: Reporter): Promise<RecordCorpus> {
  return buildRecordCorpus(source, unlabeled, {
    tokenizer: new Tokenizer(given('tokenizer') ? { mode: flags.tokenizer } : bp.tokenizer),
    target,
    size: given('vocabSize') ? flags.vocabSize : undefined,
    skipTop: given('skipTop') ? flags.skipTop : PRODUCT_VOCABULARY.skipTop,
    minCount: flags.minCount,
    minPerMillion: PRODUCT_VOCABULARY.minPerMillion,
    reporter,
  });
}

function settingsOf(flags: CvFlags, given: (name: string) => boolean): BlueprintSettings {
  const V = SENTIMENT_VECTORS_OPTIONS;
  return {
    dim: fixedDefault(V.dim, 'product'),
    epochs: flags.epochs,
    lambda: given('lambda') ? flags.lambda : fixedDefault(V.lambda, 'product'),
    nu: flags.nu,
    sentimentWeight: flags.sentimentWeight ?? null,
    C: null,
    cGrid: given('cGrid') ? flags.cGrid : DEFAULT_MODEL_C_GRID,
    innerFolds: flags.innerFolds,
    seed: flags.seed,
    threads: currentDefault(V.threads),
  };
}

function ratingFitOf(corpus: RecordCorpus, head: { min: number; max: number; task: 'regression' | 'ordinal' }): RatingFit {
  return ratingFit(corpus, head, fixedDefault(head.task === 'regression' ? RATING_HEAD_OPTIONS.alphaGrid : RATING_HEAD_OPTIONS.ordinalCGrid, 'product'));
}

/**
 * k > 2 classes (labels, or every rating value a class: --task classes) or a
 * rating head (--task regression | ordinal): the blueprints named by --rows,
 * each cross-validated on the corpus read with `target`.
 */
export async function crossValidateModels(source: CorpusSource, unlabeled: CorpusSource[], target: TargetSpec, flags: CvFlags, given: (name: string) => boolean, reporter: Reporter): Promise<BlueprintCvResult> {
  const blueprints = oneTokenizer(blueprintsOf(flags.rows, DEFAULT_MODEL_ROWS, 'with more than two labels or a rating head'), given);
  const corpus = await readCorpus(source, unlabeled, target, blueprints[0], flags, given, reporter);
  const rating = ratingHeadOf(target);
  const fit = rating ? ratingFitOf(corpus, rating) : undefined;
  return crossValidateBlueprints(corpus, { blueprints, folds: flags.folds, seed: flags.seed, settings: settingsOf(flags, given), ...(fit ? { rating: fit } : {}), reporter });
}

/**
 * Several targets on one shared set of word vectors: every target's corpus is
 * read first (same records, one field each), then each is cross-validated on
 * the blueprints named by --rows with every fold's word vectors carrying all
 * targets' terms (eval/targets-cv.ts), as train --target's leaderboard does.
 */
export async function crossValidateSharedTargets(flags: CvFlags, specs: readonly CvTargetSpec[], given: (name: string) => boolean, reporter: Reporter): Promise<{ name: string; result: BlueprintCvResult }[]> {
  const blueprints = oneTokenizer(blueprintsOf(flags.rows, DEFAULT_TARGET_ROWS, 'with --target and --target-vectors shared'), given);
  const targets = [];
  for (const spec of specs) {
    const { source, unlabeled } = targetSources(flags, spec, true);
    const target = targetSpecOfCv(spec);
    const corpus = await readCorpus(source, unlabeled, target, blueprints[0], flags, given, reporter);
    const head = ratingHeadOf(target);
    targets.push({ name: spec.mode.field, corpus, ...(head ? { rating: ratingFitOf(corpus, head) } : {}) });
  }
  return crossValidateTargets(targets, { blueprints, folds: flags.folds, seed: flags.seed, settings: settingsOf(flags, given), reporter });
}

export function formatModelTable(r: BlueprintCvResult, seconds: number): string {
  const pct = (x: number): string => (100 * x).toFixed(2);
  const width = Math.max(12, ...r.rows.map((x) => x.id.length));
  const grouped = r.groups > 0 ? `grouped (${r.groups} groups, none in two folds) ` : '';
  const data = `${r.labeled} labeled documents${r.unlabeled > 0 ? ` + ${r.unlabeled} unlabeled` : ''}`;
  const lines: string[] = [];
  if (r.kind === 'classes') {
    lines.push(
      `${r.folds}-fold ${grouped}cross-validation on ${data}, ${r.labels.length} classes (${r.labels.map((l) => `'${l}'`).join(' / ')}; the most frequent is ${pct(r.majority)}%), every label-reading step inside the folds`,
      `${'blueprint'.padEnd(width)}  ${'mean %'.padStart(7)}  ${'± std'.padStart(6)}  ${'min'.padStart(6)}  ${'max'.padStart(6)}  ${'macro-F1'.padStart(8)}  ${'pooled % [95% interval]'.padEnd(24)}  ${'seconds'.padStart(7)}`,
    );
    for (const x of r.rows) {
      const e = x.estimate;
      lines.push(
        `${x.id.padEnd(width)}  ${pct(x.mean).padStart(7)}  ${pct(x.std).padStart(6)}  ${pct(Math.min(...x.accuracies)).padStart(6)}  ${pct(Math.max(...x.accuracies)).padStart(6)}  ${x.macroF1Mean.toFixed(4).padStart(8)}  ${`${pct(e.value)} [${pct(e.low)}–${pct(e.high)}]`.padEnd(24)}  ${x.seconds.toFixed(1).padStart(7)}`,
      );
    }
  } else {
    lines.push(
      `${r.folds}-fold ${grouped}cross-validation of the ${r.task} rating head on ${data}, every label-reading step inside the folds`,
      `${'blueprint'.padEnd(width)}  ${'MAE'.padStart(6)}  ${'± std'.padStart(6)}  ${'RMSE'.padStart(6)}  ${'exact %'.padStart(7)}  ${'±1 %'.padStart(6)}  ${'Spearman'.padStart(8)}  ${'pooled MAE [95% interval]'.padEnd(25)}  ${'mean-only'.padStart(9)}  ${'seconds'.padStart(7)}`,
    );
    for (const x of r.rows) {
      const avg = (f: (m: (typeof x.foldMetrics)[number]) => number): number => x.foldMetrics.reduce((s, m) => s + f(m), 0) / x.foldMetrics.length;
      const e = x.estimate;
      lines.push(
        `${x.id.padEnd(width)}  ${x.mean.toFixed(3).padStart(6)}  ${x.std.toFixed(3).padStart(6)}  ${avg((m) => m.rmse).toFixed(3).padStart(6)}  ${pct(avg((m) => m.exact)).padStart(7)}  ${pct(avg((m) => m.withinOne)).padStart(6)}  ${x.spearman.toFixed(4).padStart(8)}  ${`${e.value.toFixed(3)} [${e.low.toFixed(3)}–${e.high.toFixed(3)}]`.padEnd(25)}  ${e.baseline.toFixed(3).padStart(9)}  ${x.seconds.toFixed(1).padStart(7)}`,
      );
    }
  }
  lines.push(`total: ${seconds.toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}
