import path from 'node:path';
import { Option, type Command } from 'commander';
import { CORPUS_FORMATS } from '../corpus/record.js';
import { accuracyChartSvg } from '../eval/chart.js';
import { crossValidateRows, type CvResult } from '../eval/cv.js';
import { ALL_ROW_IDS, ROW_IDS, expandRowSpec, isBeyondRow, isRowId, type RowId } from '../eval/rows.js';
import { buildRecordCorpus } from '../text/record-corpus.js';
import { Tokenizer } from '../text/tokenizer.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SentivecError } from '../util/errors.js';
import { createReporter } from '../util/log.js';
import { addInputOptions, labelMode } from './corpus-options.js';
import { checkTargetFields, checkTargetFormat, targetSpecParser } from './targets.js';
import { emitJson, jsonOnStdout } from './output.js';
import { cGridOption, epochsOption, jsonReportOption, lambdaOption, logFormatOption, minCountOption, nuOption, seedOption, skipTopOption, tableOption, tokenizerOption, vocabSizeOption } from './option-groups.js';
import { CROSS_VALIDATION_OPTIONS } from '../models/classifiers/cross-validation-options.js';
import { assertWritableDir, parseChoice, parsePositive } from './options.js';
import { RATING_TASKS } from '../corpus/labels.js';
import type { BlueprintCvResult } from '../eval/blueprint-cv.js';
import { BLUEPRINT_IDS } from '../models/product/blueprint.js';
import { MULTI_TARGET_OPTIONS } from '../models/product/train-targets.js';
import { DEFAULT_MODEL_ROWS, DEFAULT_TARGET_ROWS, crossValidateModels, crossValidateSharedTargets, formatModelTable, ratingHeadOf, targetSources, targetSpecOfCv, type CvFlags, type CvTargetSpec } from './cv-blueprints.js';
import type { Reporter } from '../util/log.js';

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
      `comma-separated row ids (${ALL_ROW_IDS.join(', ')}) or groups (paper, beyond, all); default: the paper's rows, less the full-unlabeled rows without --unlabeled. More than two labels (or --task classes) or --task regression | ordinal: product blueprint ids (${BLUEPRINT_IDS.join(', ')}; default ${DEFAULT_MODEL_ROWS.join(',')}; with --target and shared word vectors ${DEFAULT_TARGET_ROWS.join(',')})`,
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
    .option('--target <spec>', `another target field of the same texts (repeatable; FIELD or FIELD:rating:MIN..MAX[:TASK], as train --target), each reported under its name; a row without a value for one target is that target's unlabeled text. With --target-vectors shared, --rows names product blueprints (default ${DEFAULT_TARGET_ROWS.join(',')})`, targetSpecParser, [])
    .addOption(tableOption('--target-vectors <how>', MULTI_TARGET_OPTIONS.vectors, 'product', { group: 'vectors', prefix: 'with --target: ', help: "shared = each target cross-validated on the product's blueprints as train --target does, every fold's word vectors fitted with every target's sentiment term (one ψ each) on that fold's training rows only; separate = each target cross-validated on its own, as a single-target cv", note: ` (${MULTI_TARGET_OPTIONS.vectors.choices.join(', ')})` }))
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
      // Several targets (as train --target): shared, one set of word vectors with every target's term in every fold;
      // separate, each field cross-validated on its own as a single-target cv, one after the other.
      if (flags.chart) throw new SentivecError('--chart draws one target; it does not combine with --target');
      checkTargetFormat(flags.format);
      checkTargetFields([mode.field, ...flags.target.map((t) => t.field)]);
      const targets: CvTargetSpec[] = [{ mode, task: flags.task, positive: flags.positive }, ...flags.target.map((t) => ({ mode: t.kind === 'label' ? { kind: 'label' as const, field: t.field } : { kind: 'rating' as const, field: t.field, scale: t.scale }, task: t.kind === 'rating' ? (t.task ?? 'binary') : undefined, positive: undefined }))];
      const runs: [string, TargetRun][] = [];
      if (flags.targetVectors === 'shared') {
        for (const { name, result } of await crossValidateSharedTargets(flags, targets, given, reporter)) runs.push([name, modelRunOf(result, flags, seconds())]);
      } else for (const t of targets) {
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

/** A blueprint cross-validation's table, JSON report and chart rows. */
function modelRunOf(result: BlueprintCvResult, flags: CvFlags, seconds: number): TargetRun {
  return {
    text: formatModelTable(result, seconds),
    json: { ...result, config: { input: flags.input, folds: flags.folds, seed: flags.seed, ...(flags.target.length > 0 ? { targetVectors: flags.targetVectors } : {}) } },
    chart: result.kind === 'classes' ? result.rows.map((r) => ({ label: r.id, ours: r.mean, std: r.std })) : null,
  };
}

/** The paper's rows on two labels, else (k > 2 classes, a rating head) the product's blueprints; `missing`: empty values make a row unlabeled (--target). */
async function cvTarget(flags: CvFlags, spec: CvTargetSpec, missing: boolean, given: (name: string) => boolean, reporter: Reporter, seconds: () => number): Promise<TargetRun> {
  const { source, unlabeled } = targetSources(flags, spec, missing);
  const target = targetSpecOfCv(spec);
  // Rating heads (regression, ordinal) are product models: scored by their error, not the paper's rows.
  const modelRun = async (): Promise<TargetRun> => modelRunOf(await crossValidateModels(source, unlabeled, target, flags, given, reporter), flags, seconds());
  if (ratingHeadOf(target)) return modelRun();
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
