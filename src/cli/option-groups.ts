/**
 * The options several commands share, declared once. A flag that sets an
 * option of a table (src/util/options.ts) is built from its entry
 * (tableOption): the parser from the entry's type and range, the help from
 * its description, the default from the product's or the reproduction's
 * value as the command asks, so `train`, `reproduce` and `cv` cannot drift
 * apart. Each flag sits in one help group: corpus, text, vectors,
 * classifier, cross-validation, output.
 */
import { NGRAM_TERM_OPTIONS } from '../models/product/ngram-terms.js';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CROSS_VALIDATION_OPTIONS } from '../models/classifiers/cross-validation-options.js';
import { SENTIMENT_VECTORS_OPTIONS } from '../models/embeddings/sentiment-vectors.js';
import { TEXT_OPTIONS } from '../text/text-options.js';
import { defaultFor, fixedDefault, rangeText, type DefaultsFor, type NumberSpec, type OptionSpec } from '../util/options.js';
import { NGRAM_KEEP_OPTIONS } from '../features/ngram-pruning.js';
import { parseChoice, parseInteger, parseNumberList, parsePositive } from './options.js';

export const LOG_FORMATS = ['auto', 'json', 'quiet'] as const;

export type OptionGroup = 'corpus' | 'text' | 'vectors' | 'classifier' | 'cross-validation' | 'output';

const HEADINGS: Readonly<Record<OptionGroup, string>> = {
  corpus: 'Corpus options:',
  text: 'Text options:',
  vectors: 'Word-vector options:',
  classifier: 'Classifier options:',
  'cross-validation': 'Cross-validation options:',
  output: 'Output options:',
};

/** `option` under its group's heading in the command's help. */
export function inGroup(option: Option, group: OptionGroup): Option {
  return option.helpGroup(HEADINGS[group]);
}

/** The group of each shared flag that is not built from a table (corpus-options.ts, the output files, the model's own flags). */
const FLAG_GROUPS: Readonly<Record<string, OptionGroup>> = {
  '--input': 'corpus', '--format': 'corpus', '--text': 'corpus', '--label': 'corpus', '--rating': 'corpus', '--rating-scale': 'corpus', '--label-names': 'corpus',
  '--split': 'corpus', '--unlabeled': 'corpus', '--unlabeled-format': 'corpus', '--positive': 'corpus', '--data': 'corpus', '--cache-dir': 'corpus',
  '--negation': 'text', '--segment': 'text',
  '--dim': 'vectors', '--sentiment-weight': 'vectors', '--threads': 'vectors', '--select-model': 'vectors', '--select-weights': 'vectors', '--select-lambdas': 'vectors',
  '--c': 'classifier', '--blueprint': 'classifier', '--budget': 'classifier',
  '--out': 'output', '--chart': 'output', '--leaderboard': 'output', '--learning-curve': 'output', '--record-timings': 'output',
};

/**
 * Puts every flag of `cmd` that has no help group yet into its group from
 * FLAG_GROUPS (others stay under "Options:"), and lists the groups in one
 * order in every command: corpus, text, vectors, classifier,
 * cross-validation, output.
 */
export function groupFlags(cmd: Command): void {
  for (const option of cmd.options) {
    const group = option.long === undefined ? undefined : FLAG_GROUPS[option.long];
    if (group !== undefined && option.helpGroupHeading === undefined) inGroup(option, group);
  }
  const order = ['', ...Object.values(HEADINGS)];
  const rank = (o: Option): number => order.indexOf(o.helpGroupHeading ?? '');
  // Only the help's order changes: commander finds an option by its name, not its position.
  (cmd.options as Option[]).sort((a, b) => rank(a) - rank(b));
}

function numberParser(spec: NumberSpec<number | undefined>): (value: string) => number {
  if (spec.type === 'integer') return parseInteger(spec.min === undefined ? Number.MIN_SAFE_INTEGER : spec.minExclusive ? spec.min + 1 : spec.min, spec.max);
  if (spec.min === 0 && spec.minExclusive && spec.max === undefined) return parsePositive;
  return (value: string): number => {
    const n = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(n) && (spec.min === undefined || (spec.minExclusive ? n > spec.min : n >= spec.min)) && (spec.max === undefined || n <= spec.max);
    if (!ok) throw new InvalidArgumentError(`'${value}' is not ${rangeText(spec)}.`);
    return n;
  };
}

/**
 * The flag `flags` (e.g. '--folds <k>') for a table entry. `defaults`: which
 * default it shows and takes (none: the flag stays unset unless given, and
 * the command or estimator decides). `help` replaces the entry's description,
 * `prefix` and `note` frame it.
 */
export function tableOption(flags: string, spec: OptionSpec, defaults: DefaultsFor, o: { group: OptionGroup; help?: string; prefix?: string; note?: string }): Option {
  const option = new Option(flags, `${o.prefix ?? ''}${o.help ?? spec.description}${o.note ?? ''}`);
  if (spec.type === 'choice') option.argParser(parseChoice(spec.choices as readonly string[]));
  else if (spec.type === 'numbers') option.argParser(parseNumberList);
  else if (spec.type !== 'boolean') option.argParser(numberParser(spec));
  const value = defaultFor<unknown>(spec, defaults);
  if (value !== undefined) option.default(Array.isArray(value) ? [...value] : value);
  return inGroup(option, o.group);
}

const CV = CROSS_VALIDATION_OPTIONS;
const TEXT = TEXT_OPTIONS;
const VECTORS = SENTIMENT_VECTORS_OPTIONS;

export function seedOption(): Option {
  return tableOption('--seed <n>', CV.seed, 'product', { group: 'cross-validation' });
}

/** --folds: `help` says what the command's folds are for. */
export function foldsOption(defaults: DefaultsFor, help?: string): Option {
  return tableOption('--folds <k>', CV.folds, defaults, { group: 'cross-validation', help });
}

export function cGridOption(defaults: DefaultsFor, prefix = ''): Option {
  return tableOption('--c-grid <list>', CV.cGrid, defaults, { group: 'cross-validation', prefix });
}

export function tokenizerOption(defaults: DefaultsFor, note = ''): Option {
  return tableOption('--tokenizer <mode>', TEXT.tokenizer, defaults, { group: 'text', note });
}

export function vocabSizeOption(defaults: DefaultsFor): Option {
  return tableOption('--vocab-size <n>', TEXT.vocabSize, defaults, { group: 'text' });
}

/** `note` says how the command caps it. */
export function skipTopOption(defaults: DefaultsFor, note = ''): Option {
  return tableOption('--skip-top <n>', TEXT.skipTop, defaults, { group: 'text', note });
}

export function minCountOption(defaults: DefaultsFor): Option {
  return tableOption('--min-count <n>', TEXT.minCount, defaults, { group: 'text' });
}

/** train: the n-gram blueprints' document-frequency floor (ngram-terms.ts). */
export function ngramMinDfOption(): Option {
  return tableOption('--ngram-min-df <n>', NGRAM_TERM_OPTIONS.ngramMinDf, 'product', { group: 'text' });
}

/** train: the n-gram blueprints' size cap (ngram-terms.ts). */
export function maxNgramsOption(): Option {
  return tableOption('--max-ngrams <n>', NGRAM_TERM_OPTIONS.maxNgrams, 'product', { group: 'text' });
}

/** train: the n-gram blueprints' kept fractions (ngram-pruning.ts): `auto` is the default grid, chosen from by cross-validation; one fraction is used as given. */
export function ngramKeepOption(): Option {
  const spec = NGRAM_KEEP_OPTIONS.ngramKeep;
  const grid = fixedDefault(spec, 'product');
  const parse = (value: string): number[] => {
    if (value.trim() === 'auto') return [...grid];
    const list = parseNumberList(value);
    const bad = list.find((f) => f > (spec.max ?? 1));
    if (bad !== undefined) throw new InvalidArgumentError(`'${bad}' is not a fraction > 0 and ≤ ${spec.max}.`);
    return list;
  };
  return inGroup(new Option('--ngram-keep <auto|fractions>', `${spec.description} (auto: ${grid.join(', ')})`).argParser(parse).default([...grid], 'auto'), 'classifier');
}

export function minPerMillionOption(defaults: DefaultsFor): Option {
  return tableOption('--min-per-million <x>', TEXT.minPerMillion, defaults, { group: 'text' });
}

export function lambdaOption(defaults: DefaultsFor, prefix = ''): Option {
  return tableOption('--lambda <x>', VECTORS.lambda, defaults, { group: 'vectors', prefix });
}

export function nuOption(defaults: DefaultsFor, prefix = ''): Option {
  return tableOption('--nu <x>', VECTORS.nu, defaults, { group: 'vectors', prefix });
}

export function epochsOption(defaults: DefaultsFor, prefix = ''): Option {
  return tableOption('--epochs <n>', VECTORS.maxEpochs, defaults, { group: 'vectors', prefix });
}

export function logFormatOption(): Option {
  return inGroup(new Option('--log-format <format>', 'progress: auto (a bar on a TTY, else a JSON line on stderr every 2 s), json (every event as a JSON line on stderr), quiet').argParser(parseChoice(LOG_FORMATS)).default('auto'), 'output');
}

/** `--json [file]` for the commands without positional arguments (output.ts says the convention). */
export function jsonReportOption(): Option {
  return inGroup(new Option('--json [file]', 'the results as JSON: alone, on stdout in place of the text report; with FILE, written there as well'), 'output');
}
