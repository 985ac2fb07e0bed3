import type { Command } from 'commander';
import { resolveDataset } from '../corpus/download.js';
import { imdbExperiment, loadImdb } from '../eval/imdb.js';
import { readAclImdbExtra } from '../corpus/aclimdb.js';
import { TABLE1_WORDS, neighbourTable, parseExpectedRatings, polarityAgreement } from '../eval/word-report.js';
import { ExperimentRun, type ModelOptions, type RowResult } from '../eval/experiment.js';
import { runRow } from '../eval/reproduce.js';
import { startBeyondWork } from '../eval/beyond-rows.js';
import { chooseCandidate, tuneModel, type TuneCandidate, type TuneResult } from '../eval/tune-model.js';
import type { TokenizedCorpus } from '../text/tokenized-corpus.js';
import { accuracyChartSvg } from '../eval/chart.js';
import { ALL_ROW_IDS, ROW_IDS, expandRowSpec, isBeyondRow, isRowId, textNeeds, type RowId } from '../eval/rows.js';
import type { TokenizerMode } from '../text/tokenizer.js';
import { createReporter, type LogFormat, type Reporter } from '../util/log.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SentivecError, isSentivecError } from '../util/errors.js';
import { assertWritableDir, parseNumberList, parsePositive } from './options.js';
import { emitJson, jsonOnStdout, type JsonFlag } from './output.js';
import { cGridOption, epochsOption, foldsOption, jsonReportOption, lambdaOption, logFormatOption, nuOption, seedOption, skipTopOption, tokenizerOption, vocabSizeOption } from './option-groups.js';
import { SENTIMENT_VECTORS_OPTIONS } from '../models/embeddings/sentiment-vectors.js';
import { CROSS_VALIDATION_OPTIONS } from '../models/classifiers/cross-validation-options.js';
import { TEXT_OPTIONS } from '../text/text-options.js';
import { fixedDefault } from '../util/options.js';

interface ReproduceFlags {
  data?: string;
  rows?: string;
  json?: JsonFlag;
  chart?: string;
  seed: number;
  tokenizer: TokenizerMode;
  vocabSize: number;
  skipTop: number;
  folds: number;
  cGrid: number[];
  cacheDir?: string;
  logFormat: LogFormat;
  lambda?: number;
  nu?: number;
  sentimentWeight?: number;
  epochs?: number;
  selectModel: boolean;
  selectWeights: number[];
  selectLambdas: number[];
}

/**
 * The defaults `sentivec reproduce` runs with: the tables' reproduction
 * values (TEXT_OPTIONS, CROSS_VALIDATION_OPTIONS, SENTIMENT_VECTORS_OPTIONS).
 * bench:peers, which must run the same configuration, reads them here.
 */
export const REPRODUCE_DEFAULTS = {
  tokenizer: fixedDefault(TEXT_OPTIONS.tokenizer, 'reproduce'),
  vocabSize: fixedDefault(TEXT_OPTIONS.vocabSize, 'reproduce') as number,
  skipTop: fixedDefault(TEXT_OPTIONS.skipTop, 'reproduce'),
  folds: fixedDefault(CROSS_VALIDATION_OPTIONS.folds, 'reproduce'),
  cGrid: fixedDefault(CROSS_VALIDATION_OPTIONS.cGrid, 'reproduce'),
  lambda: fixedDefault(SENTIMENT_VECTORS_OPTIONS.lambda, 'reproduce'),
  sentimentWeight: fixedDefault(SENTIMENT_VECTORS_OPTIONS.sentimentWeight, 'reproduce'),
  /** Unset: the model's own defaults (ν = 1, 10 epochs). */
  nu: undefined as number | undefined,
  epochs: undefined as number | undefined,
} as const;

export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description("train on IMDb train, score on IMDb test, and compare with the paper's Table 2")
    .option('--data <path>', 'aclImdb_v1.tar.gz or an unpacked aclImdb directory (default: $SENTIVEC_DATA, else the cached download, else download into the cache)')
    .option('--rows <ids>', `comma-separated row ids (${ALL_ROW_IDS.join(', ')}), or the groups paper (default), beyond, all`)
    .addOption(jsonReportOption())
    .option('--chart <file>', 'also write an SVG chart of ours vs the paper per row')
    .addOption(seedOption())
    .addOption(tokenizerOption('reproduce'))
    .addOption(vocabSizeOption('reproduce'))
    .addOption(skipTopOption('reproduce'))
    .addOption(foldsOption('reproduce', 'cross-validation folds for choosing C (training data only)'))
    .addOption(cGridOption('reproduce', 'SVM: '))
    .option('--cache-dir <dir>', 'where the downloaded dataset is kept')
    // λ = 0.01 and weight 1e6: chosen on a held-out fifth of train (npm run bench:tune-model; the rule in src/eval/tune-model.ts), see BENCHMARKS.md.
    .addOption(lambdaOption('reproduce', 'model rows: '))
    .addOption(nuOption('none', 'model rows: '))
    .option('--sentiment-weight <x>', 'model rows: multiplier of the sentiment term (1 = the paper\'s literal objective)', parsePositive, REPRODUCE_DEFAULTS.sentimentWeight)
    .addOption(epochsOption('none', 'model rows: '))
    .option('--select-model', 'model rows: choose λ (at ν = 1; only λν matters) and the sentiment weight on a held-out fifth of train first', false)
    .option('--select-weights <list>', 'with --select-model: sentiment weights to try', parseNumberList, [12500, 200000, 1000000])
    .option('--select-lambdas <list>', 'with --select-model: λ values to try', parseNumberList, [0.01, 0.05, 0.25])
    .addOption(logFormatOption())
    .action(async (flags: ReproduceFlags) => {
      const rows = parseRows(flags.rows);
      if (typeof flags.json === 'string') await assertWritableDir(flags.json, '--json');
      if (flags.chart) await assertWritableDir(flags.chart, '--chart');
      const started = performance.now();
      const reporter = createReporter(flags.logFormat);
      const data = await resolveDataset({ data: flags.data, cacheDir: flags.cacheDir, progress: flags.logFormat === 'auto' });
      const loadStart = performance.now();
      // Only the text the rows read (rows.ts, textNeeds): `--rows nbsvm-tri` tokenizes train and test with the n-gram tokenizer alone.
      const needs = textNeeds(rows);
      const corpus = await loadImdb(data, { tokenizer: flags.tokenizer, vocabSize: flags.vocabSize, skipTop: flags.skipTop, keepTokens: needs.ngramTokens, vocabularyTokens: needs.paperTokens, unlabeled: needs.unlabeled, reporter });
      const loadSeconds = (performance.now() - loadStart) / 1000;
      const selection = flags.selectModel && rows.some(usesModel) ? selectModel(corpus, flags, reporter) : undefined;
      const model = selection?.chosen ?? { lambda: flags.lambda, nu: flags.nu, sentimentWeight: flags.sentimentWeight, maxEpochs: flags.epochs };
      const modelSelection = selection ?? { method: 'fixed options (the defaults were chosen by npm run bench:tune-model on held-out train, see BENCHMARKS.md)', chosen: model };
      const run = new ExperimentRun(imdbExperiment(corpus), { seed: flags.seed, folds: flags.folds, cGrid: flags.cGrid, model, reporter });
      const results: RowResult[] = [];
      startBeyondWork(run, rows);
      for (const id of rows) {
        const r = runRow(run, id);
        reporter.event('row', { id: r.id, accuracy: r.accuracy, seconds: r.seconds });
        results.push(r);
      }
      const words = await wordReport(run, data);
      const seconds = (performance.now() - started) / 1000;
      if (!jsonOnStdout(flags.json)) {
        if (rows.some(usesModel)) process.stdout.write(`model options: ${describeModel(model)} (${modelSelection.method})\n`);
        process.stdout.write(formatTable(results, seconds, loadSeconds));
        process.stdout.write(formatWords(words));
      }
      if (flags.chart) {
        const chartRows = results.map((r) => ({ label: r.name, ours: r.accuracy, paper: r.paper, section: isBeyondRow(r.id) ? 'beyond the paper (reference: published figure)' : undefined }));
        const chart = accuracyChartSvg(chartRows, 'IMDb test accuracy: sentivec vs Maas et al. (2011), Table 2');
        await writeFileAtomic(flags.chart, chart);
      }
      if (flags.json) {
        const config = {
          data,
          seed: flags.seed,
          tokenizer: flags.tokenizer,
          vocabSize: corpus.vocabulary.size,
          skipTop: flags.skipTop,
          folds: flags.folds,
          cGrid: flags.cGrid,
          model,
          modelSelection,
          documents: { train: corpus.train.docs.count, test: corpus.test.docs.count, unsup: corpus.unsup.docs.count },
          // What was tokenized for these rows (rows.ts, textNeeds): vocabSize and unsup are 0 when no row reads them.
          text: needs,
          loadSeconds,
          peakRssMB: process.resourceUsage().maxRSS / 1024,
        };
        const paperRows = results.filter((r) => !isBeyondRow(r.id));
        const beyond = results.filter((r) => isBeyondRow(r.id));
        await emitJson(flags.json, { rows: paperRows, ...(beyond.length > 0 ? { beyond } : {}), config, seconds, words });
      }
    });
}

const MODEL_ROWS: ReadonlySet<RowId> = new Set(['semantic', 'full', 'full-unlabeled', 'semantic-bow', 'full-bow', 'full-unlabeled-bow']);
const usesModel = (id: RowId): boolean => MODEL_ROWS.has(id);

function describeModel(m: ModelOptions): string {
  return `λ ${m.lambda ?? 'default'}, ν ${m.nu ?? 'default'}, sentiment weight ${m.sentimentWeight ?? 'default'}, epochs ${m.maxEpochs ?? 'default'}`;
}

interface ModelSelection {
  method: string;
  chosen: ModelOptions;
  candidates?: TuneResult[];
}

/**
 * Fits the full model (labeled reviews only) for each candidate on 4/5 of
 * train and scores it on the held-out fifth; the test set is not read.
 */
function selectModel(corpus: TokenizedCorpus, flags: ReproduceFlags, reporter: Reporter): ModelSelection {
  const candidates: TuneCandidate[] = [];
  for (const lambda of flags.selectLambdas) {
    for (const sentimentWeight of flags.selectWeights) candidates.push({ useSentiment: true, unlabeled: false, lambda, nu: 1, sentimentWeight, maxEpochs: flags.epochs });
  }
  const task = reporter.task('select model options', candidates.length);
  let done = 0;
  const results = tuneModel(corpus, candidates, {
    holdoutFolds: 5,
    seed: flags.seed,
    cGrid: flags.cGrid,
    folds: 3,
    onResult: (r) => {
      reporter.event('model candidate', { ...r.candidate, heldOut: r.heldOut, polarity: r.polarity, seconds: r.seconds });
      task.tick(++done);
    },
  });
  task.end();
  const best = chooseCandidate(results).candidate;
  return {
    method: `chosen on a held-out fifth of train: highest mean held-out accuracy (vectors, vectors + bnc), candidates within one standard error of it tied and broken by polarity agreement (train-derived ratings)`,
    chosen: { lambda: best.lambda, nu: best.nu, sentimentWeight: best.sentimentWeight, maxEpochs: best.maxEpochs },
    candidates: results,
  };
}

function parseRows(spec: string | undefined): RowId[] {
  if (spec === undefined) return [...ROW_IDS];
  const ids = expandRowSpec(spec);
  if (ids.length === 0) throw new SentivecError('--rows: expected at least one row id');
  for (const id of ids) {
    if (!isRowId(id)) throw new SentivecError(`--rows: unknown row id '${id}'; known ids: ${ALL_ROW_IDS.join(', ')} (groups: paper, beyond, all)`);
  }
  return [...new Set(ids)] as RowId[];
}

interface WordReport {
  /** Table 1: the 5 nearest words of each target, per kind of word vectors. */
  neighbours: Record<string, Record<string, string[]>>;
  /** Polarity agreement@10 of the 200 most polar words (imdbEr.txt), per kind. */
  polarityAgreement: Record<string, number>;
}

async function wordReport(run: ExperimentRun, data: string): Promise<WordReport> {
  const words = run.experiment.vocabulary.words;
  let ratings: Map<string, number> | undefined;
  try {
    ratings = parseExpectedRatings(await readAclImdbExtra(data, 'imdb.vocab'), await readAclImdbExtra(data, 'imdbEr.txt'));
  } catch (e) {
    if (!isSentivecError(e)) throw e;
    ratings = undefined; // a copy without imdbEr.txt / imdb.vocab: no polarity check
  }
  const report: WordReport = { neighbours: {}, polarityAgreement: {} };
  for (const [kind, r] of Object.entries(run.fittedVectors())) {
    if (!r) continue;
    report.neighbours[kind] = neighbourTable(words, r, TABLE1_WORDS, 5);
    if (ratings) {
      const agreement = polarityAgreement(words, r, ratings, { top: 200, k: 10 });
      if (Number.isFinite(agreement)) report.polarityAgreement[kind] = agreement; // NaN: too few rated words
    }
  }
  return report;
}

function formatWords(w: WordReport): string {
  const lines: string[] = [];
  for (const [kind, table] of Object.entries(w.neighbours)) {
    lines.push(`\nnearest words (${kind})`);
    for (const [target, near] of Object.entries(table)) lines.push(`  ${target.padEnd(12)} ${near.join(', ')}`);
  }
  const pa = Object.entries(w.polarityAgreement);
  if (pa.length > 0) lines.push(`\npolarity agreement@10 (200 most polar words, imdbEr.txt): ${pa.map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`).join(', ')}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function formatTable(rows: RowResult[], seconds: number, loadSeconds: number): string {
  const pct = (x: number): string => (100 * x).toFixed(2);
  const nameWidth = Math.max(4, ...rows.map((r) => r.name.length));
  const lines: string[] = [];
  const block = (list: RowResult[], reference: string): void => {
    lines.push(`${'row'.padEnd(20)} ${'representation'.padEnd(nameWidth)}  ${'ours %'.padStart(7)}  ${reference.padStart(7)}  ${'diff'.padStart(6)}  ${'C'.padStart(6)}  ${'seconds'.padStart(7)}`);
    for (const r of list) {
      const diff = 100 * (r.accuracy - r.paper);
      const extra = r.source ? `  (${r.source}; ${Object.entries(r.choices ?? {}).filter(([k]) => k !== 'C').map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v}`).join(', ')})` : '';
      lines.push(
        `${r.id.padEnd(20)} ${r.name.padEnd(nameWidth)}  ${pct(r.accuracy).padStart(7)}  ${pct(r.paper).padStart(7)}  ${((diff >= 0 ? '+' : '') + diff.toFixed(2)).padStart(6)}  ${String(r.selection.C).padStart(6)}  ${r.seconds.toFixed(1).padStart(7)}${extra}`,
      );
    }
  };
  const paper = rows.filter((r) => !isBeyondRow(r.id));
  const beyond = rows.filter((r) => isBeyondRow(r.id));
  if (paper.length > 0) block(paper, 'paper %');
  if (beyond.length > 0) {
    if (paper.length > 0) lines.push('');
    lines.push('beyond the paper (reference: the published figure named on each row)');
    block(beyond, 'ref %');
  }
  lines.push(`read + tokenize: ${loadSeconds.toFixed(1)} s; total: ${seconds.toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}
