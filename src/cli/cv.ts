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
import { addInputOptions, inputSource, labelMode, type InputFlags } from './corpus-options.js';
import { emitJson, jsonOnStdout, type JsonFlag } from './output.js';
import { cGridOption, epochsOption, jsonReportOption, lambdaOption, logFormatOption, minCountOption, nuOption, seedOption, skipTopOption, tableOption, tokenizerOption, vocabSizeOption } from './option-groups.js';
import { CROSS_VALIDATION_OPTIONS } from '../models/classifiers/cross-validation-options.js';
import { assertWritableDir, parseChoice, parsePositive } from './options.js';

interface CvFlags extends InputFlags {
  input: string;
  unlabeled: string[];
  unlabeledFormat?: CorpusFormat;
  positive?: string;
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
}

/** Per labeled document of each class, the sentiment weight IMDb's held-out search chose (1e6 for |S_k| = 12,500). */
const WEIGHT_PER_CLASS_DOCUMENT = 80;

export function registerCv(program: Command): void {
  const cmd = program
    .command('cv')
    .description("k-fold cross-validation of the paper's Table 2 representations on your labeled corpus (mean ± standard deviation per row)");
  addInputOptions(cmd, { labels: true, required: true, defaultSplit: 'train', groups: true });
  cmd
    .addOption(new Option('--unlabeled <path>', 'texts without labels for the word vectors (repeatable; needed by the full-unlabeled rows)').argParser((v: string, prev: string[]) => [...prev, v]).default([]))
    .option('--unlabeled-format <format>', `format of the --unlabeled corpora (${CORPUS_FORMATS.join(', ')})`, parseChoice(CORPUS_FORMATS))
    .option('--positive <value>', 'which label value is the positive class')
    .option('--rows <ids>', `comma-separated row ids (${ALL_ROW_IDS.join(', ')}) or groups (paper, beyond, all); default: the paper's rows, less the full-unlabeled rows without --unlabeled`)
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
    .action(async (flags: CvFlags) => {
      const started = performance.now();
      for (const [flag, file] of [['--json', flags.json], ['--chart', flags.chart]] as const) if (typeof file === 'string') await assertWritableDir(file, flag);
      const mode = labelMode(flags, { kind: 'label', field: 'label' });
      if (mode.kind === 'none') throw new SentivecError('cv needs --label or --rating');
      const source = inputSource(flags.input, flags, mode, { text: 'text', split: 'train' });
      const unlabeled = flags.unlabeled.map((p) => corpusSource(p, { format: flags.unlabeledFormat, text: flags.text ?? 'text' }));
      const rows = parseRows(flags.rows, unlabeled.length > 0);
      const reporter = createReporter(flags.logFormat);
      const corpus = await buildRecordCorpus(source, unlabeled, {
        tokenizer: new Tokenizer({ mode: flags.tokenizer }),
        target: mode.kind === 'rating' ? { kind: 'rating', ...mode.scale } : { kind: 'label', positive: flags.positive },
        size: flags.vocabSize,
        skipTop: flags.skipTop,
        minCount: flags.minCount,
        clampSkipTop: true,
        minPerMillion: 0,
        keepTokens: rows.some(isBeyondRow),
        reporter,
      });
      const [negative, positive] = corpus.labels;
      if (corpus.labels.length > 2) throw new SentivecError(`cv runs the paper's two-class rows; ${flags.input} has ${corpus.labels.length} labels (${corpus.labels.join(', ')}). train estimates a ${corpus.labels.length}-class model by cross-validation (info shows it)`);
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
      const seconds = (performance.now() - started) / 1000;
      if (!jsonOnStdout(flags.json)) process.stdout.write(formatTable(result, [negative, positive], seconds));
      if (flags.chart) {
        const chartRows = result.rows.map((r) => ({ label: r.name, ours: r.mean, std: r.std, section: isBeyondRow(r.id) ? 'beyond the paper' : undefined }));
        await writeFileAtomic(flags.chart, accuracyChartSvg(chartRows, `${flags.folds}-fold cross-validation accuracy, ${path.basename(flags.input)}`));
      }
      if (flags.json) {
        const config = { input: flags.input, folds: flags.folds, innerFolds: flags.innerFolds, seed: flags.seed, cGrid: flags.cGrid, tokenizer: flags.tokenizer, vocabSize: corpus.vocabulary.size, labels: corpus.labels, model: { lambda: flags.lambda, nu: flags.nu, sentimentWeight: flags.sentimentWeight ?? `${WEIGHT_PER_CLASS_DOCUMENT} × labeled per class`, epochs: flags.epochs } };
        await emitJson(flags.json, { ...result, config, seconds });
      }
    });
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
