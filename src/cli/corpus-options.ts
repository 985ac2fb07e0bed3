/**
 * The input options every corpus-reading command shares (train, evaluate,
 * predict; `cv` can reuse them): where the corpus is, its format, which
 * fields hold the text and the label or rating.
 */
import { Option, type Command } from 'commander';
import { corpusSource } from '../corpus/formats.js';
import { parseRatingScale, type RatingScale } from '../corpus/labels.js';
import { CORPUS_FORMATS, type CorpusFormat, type CorpusSource, type ReadCorpusOptions } from '../corpus/record.js';
import { SentivecError } from '../util/errors.js';
import { parseChoice } from './options.js';

export interface InputFlags {
  input?: string;
  format?: CorpusFormat;
  text?: string;
  label?: string;
  rating?: string;
  ratingScale?: string;
  groupColumn?: string;
  split?: 'train' | 'test';
}

const FORMAT_HELP = `corpus format: ${CORPUS_FORMATS.join(', ')} (default: from the extension; a folder is aclimdb if shaped like it, else dir)`;

/** --input, --format, --text, and with `labels` also --label, --rating, --rating-scale; with `groups` (commands that cross-validate) --group-column; --split for aclImdb. */
export function addInputOptions(cmd: Command, opts: { labels: boolean; required: boolean; defaultSplit: 'train' | 'test'; fieldsFromModel?: boolean; groups?: boolean }): Command {
  const fieldDefault = (name: string): string => (opts.fieldsFromModel ? "default: the model's training field" : `default ${name}`);
  const input = new Option('--input <path>', 'CSV, TSV, JSON Lines or text file (.gz too), a folder per label, or aclImdb');
  if (opts.required) input.makeOptionMandatory();
  cmd
    .addOption(input)
    .option('--format <format>', FORMAT_HELP, parseChoice(CORPUS_FORMATS))
    .option('--text <field>', `column / field holding the text (csv, tsv, jsonl; ${fieldDefault('text')})`);
  if (opts.labels) {
    cmd
      .option('--label <field>', `column / field holding the label: exactly two distinct values (csv, tsv, jsonl; ${fieldDefault('label')})`)
      .option('--rating <field>', 'column / field holding a numeric rating instead of a label (with --rating-scale)')
      .option('--rating-scale <min..max>', 'rating scale, e.g. 1..5: r maps to (r − min)/(max − min); above the middle is positive, below negative, exactly the middle is used as unlabeled text');
  }
  if (opts.groups) {
    cmd.option('--group-column <field>', 'column / field naming each document\'s group (e.g. the product or movie it is about): cross-validation keeps a group in one fold, so the estimate is for unseen groups (csv, tsv, jsonl; aclImdb: the movie, always)');
  }
  cmd.option('--split <split>', `aclImdb only: train (train/pos, train/neg + train/unsup as unlabeled) or test (default ${opts.defaultSplit})`, parseChoice(['train', 'test'] as const));
  return cmd;
}

export type LabelMode = { kind: 'label'; field: string } | { kind: 'rating'; field: string; scale: RatingScale } | { kind: 'none' };

/** Label or rating mode from the flags, falling back to `fallback` (e.g. what the model was trained with). */
export function labelMode(flags: InputFlags, fallback: LabelMode): LabelMode {
  if (flags.label !== undefined && flags.rating !== undefined) throw new SentivecError('--label and --rating exclude each other: a model learns from one or the other');
  if (flags.rating !== undefined && flags.ratingScale === undefined) throw new SentivecError('--rating needs --rating-scale MIN..MAX (e.g. 1..5)');
  if (flags.ratingScale !== undefined && flags.rating === undefined && fallback.kind !== 'rating') throw new SentivecError('--rating-scale needs --rating FIELD');
  if (flags.rating !== undefined) return { kind: 'rating', field: flags.rating, scale: parseRatingScale(flags.ratingScale ?? '') };
  if (flags.label !== undefined) return { kind: 'label', field: flags.label };
  if (flags.ratingScale !== undefined && fallback.kind === 'rating') return { ...fallback, scale: parseRatingScale(flags.ratingScale) };
  return fallback;
}

export function readOptions(flags: InputFlags, mode: LabelMode, defaults: { text: string; split: 'train' | 'test' }): Omit<ReadCorpusOptions, 'onProgress'> {
  return {
    format: flags.format,
    text: flags.text ?? defaults.text,
    label: mode.kind === 'label' ? mode.field : undefined,
    rating: mode.kind === 'rating' ? mode.field : undefined,
    group: flags.groupColumn,
    split: flags.split ?? defaults.split,
  };
}

export function inputSource(path: string, flags: InputFlags, mode: LabelMode, defaults: { text: string; split: 'train' | 'test' }): CorpusSource {
  return corpusSource(path, readOptions(flags, mode, defaults));
}
