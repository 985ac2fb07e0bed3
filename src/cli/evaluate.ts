import type { Command } from 'commander';
import { readCorpus } from '../corpus/formats.js';
import { evaluateModel, type EvaluationReport } from '../eval/evaluate-model.js';
import { SentimentModel } from '../models/product/sentiment-model.js';
import { createReporter, type LogFormat } from '../util/log.js';
import { addInputOptions, labelMode, readOptions, type InputFlags, type LabelMode } from './corpus-options.js';
import { logFormatOption } from './option-groups.js';

interface EvaluateFlags extends InputFlags {
  input: string;
  model: string;
  json?: boolean;
  logFormat: LogFormat;
}

export function registerEvaluate(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description("score a model on a labeled corpus: accuracy, precision / recall / F1 per class, confusion matrix (fields default to the model's training fields)")
    .requiredOption('--model <file>', 'model file from sentivec train');
  addInputOptions(cmd, { labels: true, required: true, defaultSplit: 'test', fieldsFromModel: true });
  cmd
    .option('--json', 'print the report as JSON')
    .addOption(logFormatOption())
    .action(async (flags: EvaluateFlags) => {
      const model = await SentimentModel.load(flags.model);
      const trained = model.info.input;
      const scale = model.info.target.scale;
      const fallback: LabelMode =
        model.info.target.kind === 'rating' && trained.ratingField !== undefined && scale
          ? { kind: 'rating', field: trained.ratingField, scale }
          : { kind: 'label', field: trained.labelField ?? 'label' };
      const mode = labelMode(flags, fallback);
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
      const report = await evaluateModel(model, records, mode.kind === 'rating' ? { ratingScale: mode.scale } : {});
      task?.end({ accuracy: report.accuracy });
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    });
}

function formatReport(r: EvaluationReport): string {
  const [neg, pos] = r.classes;
  const w = Math.max(9, neg.label.length, pos.label.length);
  const num = (x: number): string => x.toFixed(4).padStart(9);
  const count = (x: number): string => String(x).padStart(Math.max(9, w));
  const lines = [
    `documents  ${r.documents}${r.skipped > 0 ? ` (${r.skipped} without a label skipped)` : ''}`,
    `accuracy   ${(100 * r.accuracy).toFixed(2)}%`,
    '',
    `${'label'.padEnd(w)}  ${'precision'.padStart(9)}  ${'recall'.padStart(9)}  ${'f1'.padStart(9)}  ${'support'.padStart(9)}`,
    ...r.classes.map((c) => `${c.label.padEnd(w)}  ${num(c.precision)}  ${num(c.recall)}  ${num(c.f1)}  ${String(c.support).padStart(9)}`),
    '',
    'confusion matrix (rows: true label, columns: predicted)',
    `${''.padEnd(w)}  ${neg.label.padStart(Math.max(9, w))}  ${pos.label.padStart(Math.max(9, w))}`,
    `${neg.label.padEnd(w)}  ${count(r.confusion[0][0])}  ${count(r.confusion[0][1])}`,
    `${pos.label.padEnd(w)}  ${count(r.confusion[1][0])}  ${count(r.confusion[1][1])}`,
  ];
  return `${lines.join('\n')}\n`;
}
