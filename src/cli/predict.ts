import type { Command } from 'commander';
import { readCorpus } from '../corpus/formats.js';
import type { SourceLocation } from '../corpus/record.js';
import type { Prediction } from '../models/product/sentiment-model.js';
import { MultiTargetModel } from '../models/product/multi-target-model.js';
import { formatTargetPredictions } from './targets.js';
import { SentivecError } from '../util/errors.js';
import { addInputOptions, readOptions, type InputFlags } from './corpus-options.js';
import { parseInteger } from './options.js';
import { LineWriter } from './output.js';

interface PredictFlags extends InputFlags {
  model: string;
  json?: boolean;
  top: number;
}

export function registerPredict(program: Command): void {
  const cmd = program
    .command('predict')
    .description('label texts with a trained model: label, probability, and the words that pushed the decision most each way')
    .argument('[text...]', 'texts to label (or use --input)')
    .requiredOption('--model <file>', 'model file from sentivec train');
  addInputOptions(cmd, { labels: false, required: false, defaultSplit: 'test', fieldsFromModel: true });
  cmd
    .option('--json', 'one JSON object per line: { label, probability, probabilities: { label: P }, score, evidence, top: { positive, negative } }, and rating for a rating model; a model of several targets gives { targets: { name: that object } }')
    .option('--top <n>', 'words shown each way', parseInteger(0, 100), 5)
    .action(async (texts: string[], flags: PredictFlags) => {
      if (texts.length > 0 && flags.input !== undefined) throw new SentivecError('give texts or --input PATH, not both');
      if (texts.length === 0 && flags.input === undefined) throw new SentivecError('nothing to predict: give texts as arguments or --input PATH');
      const several = await MultiTargetModel.load(flags.model);
      const model = several.first;
      const json = flags.json === true;
      // One target: exactly the single model's lines; several: one line per text with every target.
      const lines = (batch: readonly string[], source?: SourceLocation): string[] =>
        several.isMulti
          ? several.predict(batch, flags.top).map((p) => formatTargetPredictions(p, json, (x) => format(x, false), source))
          : model.predict(batch, flags.top).map((p) => format(p, json, source));
      const out = new LineWriter();
      if (flags.input === undefined) {
        for (const l of lines(texts)) await out.line(l);
        return;
      }
      const opts = readOptions(flags, { kind: 'none' }, { text: model.info.input.textField ?? 'text', split: 'test' });
      for await (const r of readCorpus(flags.input, opts)) {
        if (out.isClosed) break;
        await out.line(lines([r.text], r.source)[0]);
      }
    });
}

function format(p: Prediction, json: boolean, source?: SourceLocation): string {
  if (json) return JSON.stringify(source ? { source, ...p } : p);
  const words = (ws: { word: string }[]): string => ws.map((w) => w.word).join(', ');
  let s = `${p.rating !== undefined ? `rating ${Number(p.rating.toFixed(2))}  ` : ''}${p.name ?? p.label} ${p.probability.toFixed(2)}`;
  if (p.evidence === 0) return `${s}  (no known words: the probability is the class prior)`;
  if (p.top.positive.length > 0) s += `  + ${words(p.top.positive)}`;
  if (p.top.negative.length > 0) s += `  − ${words(p.top.negative)}`;
  return s;
}
