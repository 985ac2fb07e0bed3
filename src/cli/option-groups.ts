/**
 * The options several commands share, declared once. Defaults and ranges of
 * the model's options come from its options table
 * (SENTIMENT_VECTORS_OPTIONS): `train` uses the product's defaults,
 * `reproduce` and `cv` the reproduction's where the table says they differ
 * on purpose, and why.
 */
import { Option } from 'commander';
import { SENTIMENT_VECTORS_OPTIONS } from '../models/embeddings/sentiment-vectors.js';
import { parseChoice, parseInteger, parsePositive } from './options.js';

export const LOG_FORMATS = ['auto', 'json', 'quiet'] as const;

export function seedOption(): Option {
  return new Option('--seed <n>', 'random seed: the same seed and data give the same result').argParser(parseInteger(0, 2 ** 32 - 1)).default(1);
}

export function logFormatOption(): Option {
  return new Option('--log-format <format>', 'progress: auto (a bar on a TTY, else a JSON line on stderr every 2 s), json (every event as a JSON line on stderr), quiet').argParser(parseChoice(LOG_FORMATS)).default('auto');
}

export function vocabSizeOption(): Option {
  return new Option('--vocab-size <n>', 'vocabulary size |V|').argParser(parseInteger(1)).default(5000);
}

/** `note` says how the command caps it; without a default the command computes one. */
export function skipTopOption(note: string, fallback?: number): Option {
  const o = new Option('--skip-top <n>', `most frequent tokens dropped from the vocabulary${note}`).argParser(parseInteger(0));
  return fallback === undefined ? o : o.default(fallback);
}

/** Which defaults the model options take: the product's, the reproduction's, or none (the model's own). */
export type ModelDefaults = 'product' | 'reproduce' | 'none';
const T = SENTIMENT_VECTORS_OPTIONS;

export function lambdaOption(defaults: ModelDefaults, prefix = ''): Option {
  const o = new Option('--lambda <x>', `${prefix}${T.lambda.description}`).argParser(parsePositive);
  return defaults === 'none' ? o : o.default(defaults === 'reproduce' ? T.lambda.reproduce : T.lambda.default);
}

export function nuOption(defaults: ModelDefaults, prefix = ''): Option {
  const o = new Option('--nu <x>', `${prefix}${T.nu.description}`).argParser(parsePositive);
  return defaults === 'none' ? o : o.default(T.nu.default);
}

export function epochsOption(defaults: ModelDefaults, prefix = ''): Option {
  const o = new Option('--epochs <n>', `${prefix}${T.maxEpochs.description}`).argParser(parseInteger(1));
  return defaults === 'none' ? o : o.default(T.maxEpochs.default);
}

/** `--json [file]` for the commands without positional arguments (output.ts says the convention). */
export function jsonReportOption(): Option {
  return new Option('--json [file]', 'the results as JSON: alone, on stdout in place of the text report; with FILE, written there as well');
}
