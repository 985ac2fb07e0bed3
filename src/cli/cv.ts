import path from 'node:path';
import { Option, type Command } from 'commander';
import { corpusSource } from '../corpus/formats.js';
import { CORPUS_FORMATS, type CorpusFormat } from '../corpus/record.js';
import { accuracyChartSvg } from '../eval/chart.js';
import { crossValidateRows, type CvResult } from '../eval/cv.js';
import { ALL_ROW_IDS, ROW_IDS, expandRowSpec, isBeyondRow, isRowId, type RowId } from '../eval/rows.js';
import { buildRecordCorpus } from '../text/record-corpus.js';
import { Tokenizer, type TokenizerMode } from '../text/tokenizer.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SentivecError } from '../util/errors.js';
import { createReporter, type LogFormat } from '../util/log.js';
import { addInputOptions, labelMode, readOptions, type InputFlags, type LabelMode } from './corpus-options.js';
import { checkTargetFields, checkTargetFormat, targetSpecParser, type TargetFlag } from './targets.js';
import { emitJson, jsonOnStdout, type JsonFlag } from './output.js';
import { cGridOption, epochsOption, jsonReportOption, lambdaOption, logFormatOption, minCountOption, nuOption, seedOption, skipTopOption, tableOption, tokenizerOption, vocabSizeOption } from './option-groups.js';
import { CROSS_VALIDATION_OPTIONS } from '../models/classifiers/cross-validation-options.js';
import { assertWritableDir, parseChoice, parsePositive } from './options.js';
import { RATING_TASKS, type RatingTask } from '../corpus/labels.js';
import type { CorpusSource } from '../corpus/record.js';
import { crossValidateBlueprints, type BlueprintCvResult } from '../eval/blueprint-cv.js';
import { BLUEPRINT_IDS, blueprintById, type BlueprintSettings } from '../models/product/blueprint.js';
import { DEFAULT_MODEL_C_GRID } from '../models/product/train-model.js';
import { ratingFit } from '../models/product/rating-values.js';
import { SENTIMENT_VECTORS_OPTIONS } from '../models/embeddings/sentiment-vectors.js';
import { RATING_HEAD_OPTIONS } from '../models/classifiers/rating-head.js';
import { currentDefault, fixedDefault } from '../util/options.js';
import { PRODUCT_VOCABULARY } from '../text/vocabulary.js';
import type { Reporter } from '../util/log.js';

interface CvFlags extends InputFlags {
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
}

/** k > 2 classes and rating models: the product blueprints cv runs without --rows (no word vectors to fit in every fold: quick). */
const DEFAULT_MODEL_ROWS = ['bnc', 'nbsvm-bi'];

/** Per labeled document of each class, the sentiment weight IMDb's held-out search chose (1e6 for |S_k| = 12,500). */
const WEIGHT_PER_CLASS_DOCUMENT = 80;

export function registerCv(program: Command): void {
  const cmd = program
    .command('cv')
    .description("k-fold cross-validation of the paper's Table 2 representations on your labeled corpus (mean ± standard deviation per row); with more than two labels, or --task regression | ordinal, of the product's blueprints (accuracy and macro-F1, or MAE, per fold)");
  addInputOptions(cmd, { labels: true, required: true, defaultSplit: 'train', groups: true });
  cmd
    .addOption(new Option('--unlabeled <path>', 'texts without labels for the word vectors (repeatable; needed by the full-unlabeled rows)').argParser((v: string, prev: string[]) => [...prev, v]).default([]))
    .option('--unlabeled-format <format>', `format of the --unlabeled corpora (${CORPUS_FORMATS.join(', ')})`, parseChoice(CORPUS_FORMATS))
    .option('--positive <value>', 'which label value is the positive class')
    .option('--task <task>', `with --rating: binary (the paper's rows on above / below the middle), regression or ordinal (the product's rating heads, scored by MAE), classes (every rating value a class) (${RATING_TASKS.join(', ')}; default binary)`, parseChoice(RATING_TASKS))
    .option(
      '--rows <ids>',
      `comma-separated row ids (${ALL_ROW_IDS.join(', ')}) or groups (paper, beyond, all); default: the paper's rows, less the full-unlabeled rows without --unlabeled. More than two labels or --task regression | ordinal: product blueprint ids (${BLUEPRINT_IDS.join(', ')}; default ${DEFAULT_MODEL_ROWS.join(',')})`,
    )
    .addOption(tableOption('--folds <k>', CROSS_VALIDATION_OPTIONS.outerFolds, 'product', { group: 'cross-validation' }))
    .addOption(tableOption('--inner-folds <k>', CROSS_VALIDATION_OPTIONS.folds, 'reproduce', { group: 'cross-validation', help: 'folds of the inner cross-validation that chooses the SVM C on each training part' }))
    .addOption(cGridOption('reproduce', 'SVM: '))
    .addOption(seedOption())
    .addOption(tokenizerOption('reproduce'))
    .addOption(vocabSizeOption('reproduce'))
    .addOption(skipTopOption('reproduce', ' (at most 5% of the distinct tokens)'))
    // The product's floor (TEXT_OPTIONS.minCount): a user's corpus may be small, and a word seen once teaches the vectors next to nothing.
    .addOption(minCountOption('product'))
    .addOption(lambdaOption('reproduce', 'model rows: '))
    .addOption(nuOption('product', 'model rows: '))
    .option('--sentiment-weight <x>', `model rows: multiplier of the sentiment term (default ${WEIGHT_PER_CLASS_DOCUMENT} × labeled documents per class of each training part, the per-token balance chosen on IMDb)`, parsePositive)
    .addOption(epochsOption('product', 'model rows: '))
    .addOption(jsonReportOption())
    .option('--chart <file>', 'also write an SVG chart (mean ± standard deviation per row, the paper for reference)')
    .addOption(logFormatOption())
    .option('--target <spec>', 'another target field of the same texts (repeatable; FIELD or FIELD:rating:MIN..MAX[:TASK], as train --target): each target is cross-validated on its own and reported under its name; a row without a value for one target is that target\'s unlabeled text', targetSpecParser, [])
    .action(async (flags: CvFlags) => {
      const started = performance.now();
      for (const [flag, file] of [['--json', flags.json], ['--chart', flags.chart]] as const) if (typeof file === 'string') await assertWritableDir(file, flag);
      const mode = labelMode(flags, { kind: 'label', field: 'label' });
      if (mode.kind === 'none') throw new SentivecError('cv needs --label or --rating');
      if (flags.task !== undefined && mode.kind !== 'rating') throw new SentivecError('--task applies to --rating (a label field is always classes)');
      const reporter = createReporter(flags.logFormat);
      const given = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
      const seconds = (): number => (performance.now() - started) / 1000;
      if (flags.target.length === 0) {
        const run = await cvTarget(flags, { mode, task: flags.task, positive: flags.positive }, false, given, reporter, seconds);
        if (!jsonOnStdout(flags.json)) process.stdout.write(run.text);
        if (flags.chart) {
          if (!run.chart) throw new SentivecError('--chart draws accuracies; a rating model is scored by its MAE (use --json)');
          await writeFileAtomic(flags.chart, accuracyChartSvg(run.chart, `${flags.folds}-fold cross-validation accuracy, ${path.basename(flags.input)}`));
        }
        if (flags.json) await emitJson(flags.json, { ...run.json, seconds: seconds() });
        return;
      }
      // Several targets (as train --target): each field cross-validated on its own, one after the other.
      if (flags.chart) throw new SentivecError('--chart draws one target; it does not combine with --target');
      checkTargetFormat(flags.format);
      checkTargetFields([mode.field, ...flags.target.map((t) => t.field)]);
      const targets = [{ mode, task: flags.task, positive: flags.positive }, ...flags.target.map((t) => ({ mode: t.kind === 'label' ? { kind: 'label' as const, field: t.field } : { kind: 'rating' as const, field: t.field, scale: t.scale }, task: t.kind === 'rating' ? (t.task ?? 'binary') : undefined, positive: undefined }))];
      const runs: [string, TargetRun][] = [];
      for (const t of targets) {
        reporter.event('target', { name: t.mode.field, index: runs.length + 1, of: targets.length });
        runs.push([t.mode.field, await cvTarget(flags, t, true, given, reporter, seconds)]);
      }
      if (!jsonOnStdout(flags.json)) process.stdout.write(runs.map(([name, r]) => `target ${name}\n${r.text}`).join('\n'));
      if (flags.json) await emitJson(flags.json, { targets: Object.fromEntries(runs.map(([name, r]) => [name, r.json])), seconds: seconds() });
    });
}

/** One target's cross-validation: its table, its JSON report, and its chart rows (null for a rating head, scored by MAE). */
interface TargetRun {
  text: string;
  json: Record<string, unknown>;
  chart: { label: string; ours: number; std: number; section?: string }[] | null;
}

interface CvTargetSpec {
  mode: Exclude<LabelMode, { kind: 'none' }>;
  task: RatingTask | undefined;
  positive: string | undefined;
}

/** The paper's rows on two labels, else (k > 2 classes, a rating head) the product's blueprints; `missing`: empty values make a row unlabeled (--target). */
async function cvTarget(flags: CvFlags, spec: CvTargetSpec, missing: boolean, given: (name: string) => boolean, reporter: Reporter, seconds: () => number): Promise<TargetRun> {
  const { mode } = spec;
  const source = corpusSource(flags.input, { ...readOptions(flags, mode, { text: 'text', split: 'train' }), ...(missing ? { missing: 'unlabeled' as const } : {}) });
  const unlabeled = flags.unlabeled.map((p) => corpusSource(p, { format: flags.unlabeledFormat, text: flags.text ?? 'text' }));
  const target = mode.kind === 'rating' ? { kind: 'rating' as const, ...mode.scale, task: spec.task ?? 'binary' } : { kind: 'label' as const, positive: spec.positive };
  // Rating heads (regression, ordinal) are product models: scored by their error, not the paper's rows.
  const head = target.kind === 'rating' && (target.task === 'regression' || target.task === 'ordinal') ? { min: target.min, max: target.max, task: target.task } : null;
  const modelRun = async (): Promise<TargetRun> => {
    const result = await crossValidateModels(source, unlabeled, head, { ...flags, positive: spec.positive }, given, reporter);
    return {
      text: formatModelTable(result, seconds()),
      json: { ...result, config: { input: flags.input, folds: flags.folds, seed: flags.seed } },
      chart: result.kind === 'classes' ? result.rows.map((r) => ({ label: r.id, ours: r.mean, std: r.std })) : null,
    };
  };
  if (head) return modelRun();
  // Checked once the labels are read (more than two: --rows names blueprints).
  const rowSpec = flags.rows === undefined ? ROW_IDS : expandRowSpec(flags.rows);
  const corpus = await buildRecordCorpus(source, unlabeled, {
    tokenizer: new Tokenizer({ mode: flags.tokenizer }),
    target,
    size: flags.vocabSize,
    skipTop: flags.skipTop,
    minCount: flags.minCount,
    clampSkipTop: true,
    minPerMillion: 0,
    keepTokens: rowSpec.some((id) => isRowId(id) && isBeyondRow(id)),
    reporter,
  });
  const [negative, positive] = corpus.labels;
  // More than two labels: the paper's rows are two-class, so the product's blueprints (read again with the product's text settings).
  if (corpus.labels.length > 2) return modelRun();
  const rows = parseRows(flags.rows, unlabeled.length > 0);
  const result = crossValidateRows(corpus, {
    rows,
    folds: flags.folds,
    innerFolds: flags.innerFolds,
    cGrid: flags.cGrid,
    seed: flags.seed,
    model: {
      lambda: flags.lambda,
      nu: flags.nu,
      maxEpochs: flags.epochs,
      ...(flags.sentimentWeight === undefined ? { sentimentWeightPerClass: WEIGHT_PER_CLASS_DOCUMENT } : { sentimentWeight: flags.sentimentWeight }),
    },
    reporter,
  });
  const config = { input: flags.input, folds: flags.folds, innerFolds: flags.innerFolds, seed: flags.seed, cGrid: flags.cGrid, tokenizer: flags.tokenizer, vocabSize: corpus.vocabulary.size, labels: corpus.labels, model: { lambda: flags.lambda, nu: flags.nu, sentimentWeight: flags.sentimentWeight ?? `${WEIGHT_PER_CLASS_DOCUMENT} × labeled per class`, epochs: flags.epochs } };
  return {
    text: formatTable(result, [negative, positive], seconds()),
    json: { ...result, config },
    chart: result.rows.map((r) => ({ label: r.name, ours: r.mean, std: r.std, section: isBeyondRow(r.id) ? 'beyond the paper' : undefined })),
  };
}

function parseRows(spec: string | undefined, haveUnlabeled: boolean): RowId[] {
  if (spec === undefined) return ROW_IDS.filter((id) => haveUnlabeled || !id.startsWith('full-unlabeled'));
  const ids = expandRowSpec(spec);
  if (ids.length === 0) throw new SentivecError('--rows: expected at least one row id');
  for (const id of ids) if (!isRowId(id)) throw new SentivecError(`--rows: unknown row id '${id}'; known ids: ${ALL_ROW_IDS.join(', ')} (groups: paper, beyond, all)`);
  return [...new Set(ids)] as RowId[];
}

function formatTable(r: CvResult, labels: readonly [string, string], seconds: number): string {
  const pct = (x: number): string => (100 * x).toFixed(2);
  const width = Math.max(14, ...r.rows.map((x) => x.name.length));
  const lines = [
    `${r.folds}-fold ${r.groups > 0 ? `grouped (${r.groups} groups, none in two folds) ` : ''}cross-validation on ${r.labeled} labeled documents ('${labels[0]}' / '${labels[1]}')${r.unlabeled > 0 ? ` + ${r.unlabeled} unlabeled` : ''}`,
    `${'row'.padEnd(20)} ${'representation'.padEnd(width)}  ${'mean %'.padStart(7)}  ${'± std'.padStart(6)}  ${'min'.padStart(6)}  ${'max'.padStart(6)}  ${'seconds'.padStart(7)}`,
  ];
  for (const x of r.rows) {
    lines.push(
      `${x.id.padEnd(20)} ${x.name.padEnd(width)}  ${pct(x.mean).padStart(7)}  ${pct(x.std).padStart(6)}  ${pct(Math.min(...x.accuracies)).padStart(6)}  ${pct(Math.max(...x.accuracies)).padStart(6)}  ${x.seconds.toFixed(1).padStart(7)}`,
    );
  }
  lines.push(`total: ${seconds.toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}

/**
 * k > 2 classes or a rating head: the product blueprints named by --rows, each
 * cross-validated (eval/blueprint-cv.ts) on the corpus read as `train` reads it
 * (the product's tokenizer and vocabulary floors unless given), with train's
 * defaults for what cv's options set for the paper's rows (C grid, λ, ...)
 * unless given on the command line.
 */
async function crossValidateModels(source: CorpusSource, unlabeled: CorpusSource[], rating: { min: number; max: number; task: 'regression' | 'ordinal' } | null, flags: CvFlags, given: (name: string) => boolean, reporter: Reporter): Promise<BlueprintCvResult> {
  const ids = flags.rows === undefined ? DEFAULT_MODEL_ROWS : flags.rows.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (ids.length === 0) throw new SentivecError('--rows: expected at least one blueprint id');
  const unknown = ids.filter((id) => !BLUEPRINT_IDS.includes(id));
  if (unknown.length > 0) throw new SentivecError(`--rows: with more than two labels or a rating head, cv runs the product's blueprints; unknown blueprint '${unknown[0]}' (known: ${BLUEPRINT_IDS.join(', ')})`);
  const blueprints = [...new Set(ids)].map(blueprintById);
  const V = SENTIMENT_VECTORS_OPTIONS;
  const corpus = await buildRecordCorpus(source, unlabeled, {
    tokenizer: new Tokenizer(given('tokenizer') ? { mode: flags.tokenizer } : blueprints[0].tokenizer),
    target: rating ? { kind: 'rating', ...rating } : { kind: 'label', positive: flags.positive },
    size: given('vocabSize') ? flags.vocabSize : undefined,
    skipTop: given('skipTop') ? flags.skipTop : PRODUCT_VOCABULARY.skipTop,
    minCount: flags.minCount,
    minPerMillion: PRODUCT_VOCABULARY.minPerMillion,
    reporter,
  });
  const settings: BlueprintSettings = {
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
  const fit = rating ? ratingFit(corpus, rating, fixedDefault(rating.task === 'regression' ? RATING_HEAD_OPTIONS.alphaGrid : RATING_HEAD_OPTIONS.ordinalCGrid, 'product')) : undefined;
  return crossValidateBlueprints(corpus, { blueprints, folds: flags.folds, seed: flags.seed, settings, ...(fit ? { rating: fit } : {}), reporter });
}

function formatModelTable(r: BlueprintCvResult, seconds: number): string {
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
