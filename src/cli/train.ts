import { promises as fs } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { corpusSource } from '../corpus/formats.js';
import { RATING_TASKS, describeRule, parseLabelNames, type RatingTask, type TargetSpec } from '../corpus/labels.js';
import { RATING_HEAD_OPTIONS } from '../models/classifiers/rating-head.js';
import { CORPUS_FORMATS, type CorpusFormat } from '../corpus/record.js';
import { DEFAULT_BUDGET_RULE, trainSentimentModel } from '../models/product/train-model.js';
import type { SentimentModel } from '../models/product/sentiment-model.js';
import { BLUEPRINT_IDS } from '../models/product/blueprint.js';
import { parseSelectSpec, type SelectSpec } from '../models/product/feature-selection.js';
import { learningCurveSvg } from '../eval/learning-curve-chart.js';
import { estimateLine, ratingEstimateLine, calibrationLine, leaderboardTable, learningCurveLines } from '../eval/model-report.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SEGMENTATIONS, type Segmentation } from '../text/product-options.js';
import type { TokenizerMode, TokenizerOptions } from '../text/tokenizer.js';
import { SentivecError } from '../util/errors.js';
import { fixedDefault } from '../util/options.js';
import { createReporter, type LogFormat } from '../util/log.js';
import { addInputOptions, labelMode, readOptions, type InputFlags } from './corpus-options.js';
import { parseChoice, parseInteger, parsePositive } from './options.js';
import { tableOption, cGridOption, epochsOption, foldsOption, lambdaOption, logFormatOption, maxNgramsOption, minCountOption, ngramKeepOption, minPerMillionOption, ngramMinDfOption, nuOption, seedOption, skipTopOption, tokenizerOption, vocabSizeOption } from './option-groups.js';
import { assertWritableTarget, formatBytes } from './output.js';
import { checkTargetFields, checkTargetFormat, targetSpecOf, targetSpecParser, targetSummaries, TARGET_SPEC_HELP, type TargetFlag } from './targets.js';
import { MULTI_TARGET_OPTIONS, trainTargets, type TargetVectorsMode } from '../models/product/train-targets.js';
import type { MultiTargetModel } from '../models/product/multi-target-model.js';

interface TrainFlags extends InputFlags {
  input: string;
  out: string;
  recordTimings?: boolean;
  positive?: string;
  task?: RatingTask;
  target: TargetFlag[];
  targetVectors: TargetVectorsMode;
  labelNames?: Record<string, string>;
  unlabeled: string[];
  unlabeledFormat?: CorpusFormat;
  tokenizer?: TokenizerMode;
  negation?: boolean;
  segment?: Segmentation;
  blueprint?: string;
  ngramMinDf?: number;
  maxNgrams?: number;
  ngramKeep: number[];
  select?: SelectSpec;
  budget?: number;
  leaderboard?: string;
  learningCurve?: string;
  vocabSize?: number;
  skipTop: number;
  minCount: number;
  minPerMillion: number;
  dim: number;
  epochs: number;
  lambda: number;
  nu: number;
  sentimentWeight?: number;
  c?: number;
  cGrid: number[];
  folds: number;
  seed: number;
  threads?: number;
  logFormat: LogFormat;
}

function parseNonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`'${value}' is not a number ≥ 0.`);
  return n;
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('train a sentiment model on your own labeled texts and write it to one .svec file')
    .requiredOption('--out <file>', 'model file to write (replaced only once the new model is complete)');
  addInputOptions(cmd, { labels: true, required: true, defaultSplit: 'train', groups: true });
  cmd
    .option('--task <task>', `with --rating: ${RATING_HEAD_OPTIONS.task.description} (${RATING_TASKS.join(', ')}; default ${fixedDefault(RATING_HEAD_OPTIONS.task, 'product')})`, parseChoice(RATING_TASKS))
    .addOption(new Option('--target <spec>', TARGET_SPEC_HELP).argParser(targetSpecParser).default([], 'none'))
    .addOption(tableOption('--target-vectors <how>', MULTI_TARGET_OPTIONS.vectors, 'product', { group: 'vectors', prefix: 'with --target: ', note: ` (${MULTI_TARGET_OPTIONS.vectors.choices.join(', ')})` }))
    .option('--positive <value>', 'which label value is the positive class (default: a recognised name such as pos/positive/1/true/yes/good, else the second in sorted order)')
    .addOption(
      new Option('--unlabeled <path>', 'more texts without labels for the word vectors (repeatable; any format, labels ignored)')
        .argParser((v: string, acc: string[]) => [...acc, v])
        .default([], 'none'),
    )
    .option('--unlabeled-format <format>', `format of the --unlabeled corpora (${CORPUS_FORMATS.join(', ')})`, parseChoice(CORPUS_FORMATS))
    .addOption(tokenizerOption('none', "; default: each blueprint's own (product, or a variant)"))
    .option('--negation', 'product tokenizer: mark words after a negator, up to the next punctuation, with not_')
    .option('--segment <how>', `product tokenizer: scripts without spaces as words (Intl.Segmenter), character uni+bigrams, or whole runs (${SEGMENTATIONS.join(', ')}; default words)`, parseChoice(SEGMENTATIONS))
    .option('--blueprint <id>', `train this blueprint and skip the leaderboard (${BLUEPRINT_IDS.join(', ')})`, parseChoice(BLUEPRINT_IDS))
    .option('--select <spec>', 'select words inside every fit (so inside every cross-validation fold): chi2:K keeps the K words with the largest χ², fdr:ALPHA those significant at that false-discovery rate, rfecv the knee of a cross-validated recursive elimination; without --blueprint the leaderboard tries each blueprint with and without it', parseSelectSpec)
    .option('--budget <seconds>', `time budget of the leaderboard and the final fit in reference-machine seconds, projected from the data size, not a clock (default: ${DEFAULT_BUDGET_RULE})`, parsePositive)
    .option('--leaderboard <file>', 'also write the leaderboard as JSON to this file')
    .option('--learning-curve <file>', "also write the winner's learning curve as an SVG chart to this file")
    .addOption(vocabSizeOption('product'))
    .addOption(skipTopOption('product', ' (the paper: 50)'))
    .addOption(minCountOption('product'))
    .addOption(minPerMillionOption('product'))
    .addOption(ngramMinDfOption())
    .addOption(maxNgramsOption())
    .addOption(ngramKeepOption())
    .option('--dim <n>', 'word-vector dimensions β', parseInteger(1, 1000), 50)
    .addOption(epochsOption('product', 'word vectors: '))
    .addOption(lambdaOption('product'))
    .addOption(nuOption('product'))
    .option('--sentiment-weight <x>', 'multiplier of the sentiment term (default: labeled documents / 2, i.e. |S_k| for balanced classes; 0 = semantic only)', parseNonNegative)
    .option('--c <x>', 'logistic regression C (default: chosen by cross-validation)', parsePositive)
    .addOption(cGridOption('product', 'logistic regression: '))
    .addOption(foldsOption('product', 'folds of the cross-validation that estimates accuracy, and of the inner one that chooses C'))
    .addOption(seedOption())
    .option('--threads <n>', 'threads for the word vectors (the result does not depend on it)', parseInteger(1, 64))
    .option('--label-names <pairs>', 'display names for label values, e.g. 0=negative,1=positive: stored in the model, shown by predict, evaluate, serve and the web page', parseLabelNames)
    .option('--record-timings', 'also store the training date and timings in the model file (without: identical data and seed give a byte-identical file)')
    .addOption(logFormatOption())
    .action(async (flags: TrainFlags) => {
      const started = performance.now();
      await assertWritableTarget(flags.out, '--out');
      if (flags.leaderboard !== undefined) await assertWritableTarget(flags.leaderboard, '--leaderboard');
      if (flags.learningCurve !== undefined) await assertWritableTarget(flags.learningCurve, '--learning-curve');
      const mode = labelMode(flags, { kind: 'label', field: 'label' });
      if (mode.kind === 'none') throw new SentivecError('train needs --label or --rating');
      if (flags.positive !== undefined && mode.kind === 'rating') throw new SentivecError('--positive applies to labels, not to --rating');
      if (flags.task !== undefined && mode.kind !== 'rating') throw new SentivecError('--task applies to --rating (a label field is always classes)');
      if (flags.target.length > 0) {
        checkTargetFormat(flags.format);
        if (flags.learningCurve !== undefined) throw new SentivecError("--learning-curve draws one target's curve; it does not combine with --target");
        checkTargetFields([mode.field, ...flags.target.map((t) => t.field)]);
      }
      // Several targets: a row with no value for one target is that target's unlabeled text and still trains the others.
      const several = flags.target.length > 0;
      const targetSource = (m: Parameters<typeof readOptions>[1]) => corpusSource(flags.input, { ...readOptions(flags, m, { text: 'text', split: 'train' }), ...(several ? { missing: 'unlabeled' as const } : {}) });
      const source = targetSource(mode);
      const text = flags.text ?? 'text';
      const unlabeled = flags.unlabeled.map((p) => corpusSource(p, { format: flags.unlabeledFormat, text }));
      const target: TargetSpec = mode.kind === 'rating' ? { kind: 'rating', ...mode.scale, task: flags.task ?? fixedDefault(RATING_HEAD_OPTIONS.task, 'product') } : { kind: 'label', positive: flags.positive };
      const input = {
        path: flags.input,
        format: flags.format,
        textField: text,
        labelField: mode.kind === 'label' ? mode.field : undefined,
        ratingField: mode.kind === 'rating' ? mode.field : undefined,
        split: flags.split,
      };
      const common = {
        unlabeled,
        tokenizer: productSwitches(flags),
        vocabSize: flags.vocabSize,
        skipTop: flags.skipTop,
        minCount: flags.minCount,
        minPerMillion: flags.minPerMillion,
        dim: flags.dim,
        epochs: flags.epochs,
        lambda: flags.lambda,
        nu: flags.nu,
        sentimentWeight: flags.sentimentWeight,
        C: flags.c,
        cGrid: flags.cGrid,
        folds: flags.folds,
        blueprint: flags.blueprint,
        ngramMinDf: flags.ngramMinDf,
        maxNgrams: flags.maxNgrams,
        ngramKeep: flags.ngramKeep,
        select: flags.select,
        budgetSeconds: flags.budget,
        seed: flags.seed,
        threads: flags.threads,
        reporter: createReporter(flags.logFormat),
      };
      if (several) {
        const first = { name: mode.field, source, target, input, labelNames: flags.labelNames };
        const more = flags.target.map((t) => {
          const tMode = t.kind === 'label' ? { kind: 'label' as const, field: t.field } : { kind: 'rating' as const, field: t.field, scale: t.scale };
          return { name: t.field, source: targetSource(tMode), target: targetSpecOf(t), input: { ...input, labelField: t.kind === 'label' ? t.field : undefined, ratingField: t.kind === 'rating' ? t.field : undefined } };
        });
        const model = await trainTargets([first, ...more], { ...common, vectors: flags.targetVectors });
        await model.save(flags.out, { timings: flags.recordTimings === true });
        if (flags.leaderboard !== undefined) await writeFileAtomic(flags.leaderboard, `${JSON.stringify({ targets: Object.fromEntries(model.targets.map((t) => [t.name, { leaderboard: t.model.info.leaderboard, estimate: t.model.info.estimate }])) }, null, 2)}\n`);
        const { size } = await fs.stat(flags.out);
        process.stdout.write(severalSummary(model, flags.out, size, (performance.now() - started) / 1000));
        return;
      }
      const model = await trainSentimentModel(source, { ...common, target, labelNames: flags.labelNames, input });
      await model.save(flags.out, { timings: flags.recordTimings === true });
      if (flags.leaderboard !== undefined) await writeFileAtomic(flags.leaderboard, `${JSON.stringify({ leaderboard: model.info.leaderboard, estimate: model.info.estimate, learningCurve: model.info.learningCurve }, null, 2)}\n`);
      if (flags.learningCurve !== undefined) {
        if (!model.info.learningCurve) process.stderr.write('sentivec: no learning curve (one blueprint was asked for, or too few documents); --learning-curve not written\n');
        else await writeFileAtomic(flags.learningCurve, learningCurveSvg(model.info.learningCurve));
      }
      const { size } = await fs.stat(flags.out);
      process.stdout.write(summary(model, flags.out, size, (performance.now() - started) / 1000));
    });
}

function vocabularyRule(cap: number | null, skipTop: number): string {
  const rules: string[] = [];
  if (skipTop > 0) rules.push(`the ${skipTop} most frequent dropped`);
  if (cap !== null) rules.push(`at most ${cap}`);
  return rules.length > 0 ? ` (${rules.join(', ')})` : '';
}

/** The text options the user fixed (undefined: each blueprint's own). */
function productSwitches(flags: TrainFlags): TokenizerOptions | undefined {
  const switches = { ...(flags.negation === true ? { negation: true } : {}), ...(flags.segment !== undefined ? { segment: flags.segment } : {}) };
  if (flags.tokenizer !== undefined && flags.tokenizer !== 'product' && Object.keys(switches).length > 0) throw new SentivecError('--negation and --segment apply to --tokenizer product');
  if (flags.tokenizer === undefined && Object.keys(switches).length === 0) return undefined;
  return { mode: flags.tokenizer ?? 'product', ...switches };
}

/** How `train` names each classifier kind of a classifying model (ratings have their own lines). */
const CLASSIFIER_NAMES: Partial<Record<SentimentModel['info']['classifier']['kind'], string>> = {
  'multinomial-logistic-regression': 'multinomial logistic regression',
  'one-vs-rest-logistic-regression': 'one-vs-rest logistic regression (naive-Bayes features per class)',
};

function summary(model: SentimentModel, out: string, bytes: number, seconds: number): string {
  return `${[...modelSummary(model), `wrote ${out} (${formatBytes(bytes)}) in ${seconds.toFixed(1)} s`].join('\n')}\n`;
}

function severalSummary(model: MultiTargetModel, out: string, bytes: number, seconds: number): string {
  return `${[...targetSummaries(model, modelSummary), `wrote ${out} (${formatBytes(bytes)}, ${model.targets.length} targets) in ${seconds.toFixed(1)} s`].join('\n')}\n`;
}

/** What `train` prints of the model it wrote, and `info` of a saved one: one line per part of its record. */
export function modelSummary(model: SentimentModel): string[] {
  const { info } = model;
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const [neg, pos] = info.target.labels;
  const lines = [
    info.target.kind === 'rating' && info.target.task !== undefined
      ? `ratings on ${info.target.scale?.min}..${info.target.scale?.max}, predicted by ${info.target.task === 'classes' ? `${info.target.labels.length} classes (one per rating value)` : info.target.task === 'regression' ? 'regression' : 'ordinal regression (thresholds on one score)'}`
      : info.target.kind === 'rating'
      ? `labels: ratings on ${info.target.scale?.min}..${info.target.scale?.max}; above the middle = '${pos}', below = '${neg}'${info.data.middleRatings > 0 ? ` (${info.data.middleRatings} at the middle used as unlabeled text)` : ''}`
      : `labels: ${describeRule({ labels: info.target.labels, rule: info.target.positiveRule })}`,
    `documents: ${info.data.labeled} labeled (${info.target.labels.map((l) => `${info.data.perClass[l]} ${l}`).join(', ')}), ${info.data.unlabeled} unlabeled; ${info.data.tokens} tokens`,
    `vocabulary: ${info.data.vocabularySize} words, every token seen at least ${info.data.minCount ?? info.options.minCount} times${vocabularyRule(info.options.vocabSize, info.data.skipTop)}`,
    ...(info.ngrams ? [ngramLine(info.ngrams)] : []),
    ...(info.ngrams?.pruning ? [pruningLine(info.ngrams.pruning)] : []),
    model.hasVectors ? `word vectors: β = ${info.options.dim}, ${info.vectors.epochs} epochs${info.vectors.converged ? ' (converged)' : ''}, sentiment weight ${info.options.sentimentWeight}${info.vectors.targets ? `, one fit shared by targets ${info.vectors.targets.join(', ')}` : ''}${typeof info.vectors.seconds === 'number' ? `, ${info.vectors.seconds.toFixed(1)} s` : ''}` : `word vectors: none (blueprint ${info.blueprint.id} does not use them)`, // no timings in a file saved without --record-timings
    ...(info.leaderboard ? leaderboardTable(info.leaderboard) : []),
    `blueprint: ${info.blueprint.id} (${info.blueprint.description})`,
    ...selectionLines(info),
    ...(info.rating ? ratingLines(info.rating) : [`classifier: ${CLASSIFIER_NAMES[info.classifier.kind] ?? 'logistic regression'}, C = ${info.classifier.C}${info.options.C !== null ? ' (fixed)' : info.classifier.crossValidation?.foldChoices ? ` (the middle of ${info.classifier.crossValidation.foldChoices.join(', ')}, each chosen by CV in one fold of the estimate)` : info.classifier.crossValidation ? ` (chosen by ${info.classifier.crossValidation.folds}-fold CV)` : ' (too few documents to cross-validate)'}, training accuracy ${pct(info.classifier.trainingAccuracy)}`,
    estimateLine(info.estimate)]),
    calibrationLine(info.calibration),
    ...(info.learningCurve ? learningCurveLines(info.learningCurve) : []),
  ];
  return lines;
}

/** N-gram models: how many n-grams the floor and the cap kept of those counted. */
function ngramLine(n: NonNullable<SentimentModel['info']['ngrams']>): string {
  const orders = n.kept.map((k, i) => `${k} ${i === 0 ? 'bigrams' : 'trigrams'} of ${n.counted[i]}`).join(', ');
  return `n-grams: ${orders} (in ≥ ${n.minDf} of ${n.documents} labeled documents, at most ${n.maxNgrams})`;
}

/** N-gram models train pruned: the fraction kept and the cross-validated accuracy of each fraction tried. */
function pruningLine(p: NonNullable<NonNullable<SentimentModel['info']['ngrams']>['pruning']>): string {
  const curve = p.curve.map((c) => `${c.fraction}: ${(100 * c.accuracy).toFixed(2)}% ± ${(100 * c.se).toFixed(2)}`).join(', ');
  return `n-gram pruning: kept ${p.ngrams} of ${p.of} n-grams (fraction ${p.fraction}, the largest |weight|, refitted)${curve ? `; cross-validated accuracy by fraction ${curve}; ${p.rule}` : `; ${p.rule}`}`;
}

/** A rating model's head and its honest error. */
function ratingLines(r: NonNullable<SentimentModel['info']['rating']>): string[] {
  const head = r.task === 'regression' ? `ridge regression, α = ${r.penalty}` : `ordinal regression (all thresholds), C = ${r.penalty}`;
  const chosen = r.folds > 0 ? ` (chosen by ${r.folds}-fold CV on MAE)` : '';
  return [`head: ${head}${chosen}, ratings ${r.levels.join(', ')}`, ratingEstimateLine(r.estimate)];
}

/** train --select: what the final fit kept, and the RFE-CV curve's knee. */
function selectionLines(info: SentimentModel['info']): string[] {
  const s = info.selection;
  if (!s) return [];
  const ranking = `${s.ranking.significant} of ${s.ranking.tested} words significant by χ² at FDR ${s.ranking.alpha} on all training documents`;
  if (!s.kept) return [`feature selection: the leaderboard chose a blueprint without it (${ranking})`];
  const knee = s.kept.curve ? `; RFE-CV accuracy by words kept: ${s.kept.curve.map((p) => `${p.features}: ${(100 * p.accuracy).toFixed(1)}%`).join(', ')}; knee ${s.kept.chosen}` : '';
  return [`feature selection: ${s.kept.spec} kept ${s.kept.kept} of ${s.kept.words} words${knee} (${ranking})`];
}
