import type { Command } from 'commander';
import { readCorpus } from '../corpus/formats.js';
import { evaluateModel, type EvaluationReport } from '../eval/evaluate-model.js';
import type { SentimentModel } from '../models/product/sentiment-model.js';
import { MultiTargetModel } from '../models/product/multi-target-model.js';
import { SentivecError } from '../util/errors.js';
import { createReporter, type LogFormat } from '../util/log.js';
import { addInputOptions, labelMode, readOptions, type InputFlags, type LabelMode } from './corpus-options.js';
import { logFormatOption } from './option-groups.js';

interface EvaluateFlags extends InputFlags {
  input: string;
  model: string;
  json?: boolean;
  ignoreLabels?: string;
  logFormat: LogFormat;
}

export function registerEvaluate(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description("score a model on a labeled corpus: accuracy, precision / recall / F1 per class, confusion matrix; for a rating model also MAE, RMSE, exact and within-one shares and Spearman's ρ (fields default to the model's training fields)")
    .requiredOption('--model <file>', 'model file from sentivec train');
  addInputOptions(cmd, { labels: true, required: true, defaultSplit: 'test', fieldsFromModel: true });
  cmd
    .option('--ignore-labels <values>', 'comma-separated label values to leave out on purpose (e.g. neutral for a two-class model); counted in the report')
    .option('--json', 'print the report as JSON (a model of several targets: { targets: { name: report } })')
    .addOption(logFormatOption())
    .action(async (flags: EvaluateFlags) => {
      const several = await MultiTargetModel.load(flags.model);
      if (!several.isMulti) {
        const model = several.first;
        const report = await evaluateOne(model, flags, labelMode(flags, trainedMode(model)));
        process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, (l) => model.nameOf(l)));
        return;
      }
      // Several targets: each on its own training field (the input must hold them all).
      if (flags.label !== undefined || flags.rating !== undefined || flags.ratingScale !== undefined) throw new SentivecError('--label, --rating and --rating-scale pick one field; a model of several targets is evaluated on each target\'s training field');
      const reports: [string, EvaluationReport][] = [];
      for (const t of several.targets) reports.push([t.name, await evaluateOne(t.model, flags, trainedMode(t.model))]);
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ targets: Object.fromEntries(reports) }, null, 2)}\n`
          : reports.map(([name, r]) => `target ${name}\n${formatReport(r, (l) => several.target(name).nameOf(l))}`).join('\n'),
      );
    });
}

/** The label or rating field (and scale) a model was trained on. */
function trainedMode(model: SentimentModel): LabelMode {
  const trained = model.info.input;
  const scale = model.info.target.scale;
  return model.info.target.kind === 'rating' && trained.ratingField !== undefined && scale
    ? { kind: 'rating', field: trained.ratingField, scale }
    : { kind: 'label', field: trained.labelField ?? 'label' };
}

async function evaluateOne(model: SentimentModel, flags: EvaluateFlags, mode: LabelMode): Promise<EvaluationReport> {
  const trained = model.info.input;
  const reporter = createReporter(flags.logFormat);
  let task: ReturnType<typeof reporter.task> | undefined;
  let last = 0;
  let lastDone = -1;
  const records = readCorpus(flags.input, {
    ...readOptions(flags, mode, { text: trained.textField ?? 'text', split: 'test' }),
    onProgress: (done, total) => {
      task ??= reporter.task('evaluate', total);
      if (done !== lastDone && (Date.now() - last > 200 || done === total)) {
        last = Date.now();
        lastDone = done;
        task.tick(done);
      }
    },
  });
  const ignoreLabels = flags.ignoreLabels?.split(',').map((l) => l.trim()).filter((l) => l !== '') ?? [];
  const report = await evaluateModel(model, records, mode.kind === 'rating' ? { ratingScale: mode.scale } : { ignoreLabels });
  task?.end({ accuracy: report.accuracy });
  return report;
}

/** `name`: a label's display name (train --label-names), shown as 'value (name)'. */
function formatReport(r: EvaluationReport, name: (label: string) => string): string {
  const labels = r.classes.map((c) => (name(c.label) === c.label ? c.label : `${c.label} (${name(c.label)})`));
  const w = Math.max(9, ...labels.map((l) => l.length));
  const num = (x: number): string => x.toFixed(4).padStart(9);
  const count = (x: number): string => String(x).padStart(w);
  const tally = (t: Record<string, number>): string => Object.entries(t).map(([l, n]) => `${n} '${l}'`).join(', ');
  const lines = [
    `documents  ${r.documents}${r.skipped > 0 ? ` (${r.skipped} without a label skipped)` : ''}`,
    ...(Object.keys(r.ignored).length > 0 ? [`ignored    ${tally(r.ignored)} (--ignore-labels)`] : []),
    ...(Object.keys(r.unknown).length > 0 ? [`unknown    ${tally(r.unknown)}: labels the model does not know, not scored (leave them out with --ignore-labels)`] : []),
    ...(r.rating
      ? [
          `ratings    ${r.rating.documents}: MAE ${r.rating.mae.toFixed(4)}   RMSE ${r.rating.rmse.toFixed(4)}   exact ${(100 * r.rating.exact).toFixed(2)}%   within one ${(100 * r.rating.withinOne).toFixed(2)}%   Spearman ρ ${r.rating.spearman.toFixed(4)}`,
          'as classes (regression and ordinal: above / below the middle of the scale, the middle not scored):',
        ]
      : []),
    `accuracy   ${(100 * r.accuracy).toFixed(2)}%`,
    `macro F1   ${r.macroF1.toFixed(4)}   weighted F1 ${r.weightedF1.toFixed(4)}`,
    '',
    `${'label'.padEnd(w)}  ${'precision'.padStart(9)}  ${'recall'.padStart(9)}  ${'f1'.padStart(9)}  ${'support'.padStart(9)}`,
    ...r.classes.map((c, i) => `${labels[i].padEnd(w)}  ${num(c.precision)}  ${num(c.recall)}  ${num(c.f1)}  ${String(c.support).padStart(9)}`),
    '',
    'confusion matrix (rows: true label, columns: predicted)',
    `${''.padEnd(w)}  ${labels.map((l) => l.padStart(w)).join('  ')}`,
    ...r.confusion.map((row, t) => `${labels[t].padEnd(w)}  ${row.map(count).join('  ')}`),
  ];
  return `${lines.join('\n')}\n`;
}
