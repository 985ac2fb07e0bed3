/**
 * What the model learns to predict, from what the data says: either exactly
 * two label values (which one is "positive" decided by --positive, else by a
 * recognised name, else by sorted order), or a numeric rating on a known scale
 * mapped linearly to a sentiment target in [0, 1].
 */
import { SentivecError } from '../util/errors.js';
import { at, type SourceLocation } from './record.js';

/**
 * What a rating model predicts: binary (above / below the middle of the scale;
 * the middle is text only), regression (the rating), ordinal (the rating
 * level, thresholds on one score) or classes (every rating value a class).
 */
export const RATING_TASKS = ['binary', 'regression', 'ordinal', 'classes'] as const;
export type RatingTask = (typeof RATING_TASKS)[number];

/** `task` defaults to binary. */
export type TargetSpec = { kind: 'label'; positive?: string } | { kind: 'rating'; min: number; max: number; task?: RatingTask };

export interface RatingScale {
  min: number;
  max: number;
}

const POSITIVE_NAMES = ['pos', 'positive', '1', 'true', 'yes', 'good', '+', '+1'];
const NEGATIVE_NAMES = ['neg', 'negative', '0', 'false', 'no', 'bad', '-', '-1'];

/** How the positive label was decided (reported to the user and kept in the model); 'classes': k > 2 labels, no positive one. */
export type PositiveRule = 'option' | 'name' | 'sorted' | 'rating' | 'classes';

export interface ResolvedLabels {
  /** [negative, positive] for two labels; k > 2 classes in the order resolveLabels gives. */
  labels: string[];
  rule: PositiveRule;
}

/** More label values than this in one corpus is a wrong --label-field (free text), not classes. */
export const MAX_CLASSES = 100;

/** Sentiment names in polarity order: k > 2 labels that all appear here keep this order (negative, neutral, positive). */
const POLARITY_ORDER = ['very negative', 'negative', 'neg', 'mixed', 'neutral', 'neu', 'positive', 'pos', 'very positive'];

/** Names for the two classes when the target is a rating. */
export const RATING_LABELS: [string, string] = ['negative', 'positive'];

/** `1..5` → { min: 1, max: 5 }. */
export function parseRatingScale(spec: string): RatingScale {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*$/.exec(spec);
  if (!m) throw new SentivecError(`--rating-scale '${spec}': expected MIN..MAX, e.g. 1..5`);
  const min = Number(m[1]);
  const max = Number(m[2]);
  if (!(max > min)) throw new SentivecError(`--rating-scale '${spec}': MAX must be greater than MIN`);
  return { min, max };
}

/** r on [min, max] → (r − min)/(max − min) ∈ [0, 1]; outside the scale is an error naming the record. */
export function ratingTarget(r: number, scale: RatingScale, source: SourceLocation): number {
  if (!(r >= scale.min && r <= scale.max)) throw new SentivecError(`${at(source)}: rating ${r} is outside the scale ${scale.min}..${scale.max} (set it with --rating-scale)`);
  return (r - scale.min) / (scale.max - scale.min);
}

/**
 * Orders two distinct label values as [negative, positive]. `positive` (the
 * --positive option) wins; otherwise a value with a recognised positive
 * (or the other one with a recognised negative) name; otherwise the second in
 * sorted order.
 */
export function resolveLabels(values: readonly string[], positive: string | undefined, corpus: string): ResolvedLabels {
  if (values.length === 0) throw new SentivecError(`${corpus}: no labeled records`);
  if (values.length === 1) throw new SentivecError(`${corpus}: every labeled record has the label '${values[0]}'; a classifier needs two classes`);
  if (values.length > 2) return resolveClasses(values, positive, corpus);
  const [a, b] = values;
  if (positive !== undefined) {
    if (positive === a) return { labels: [b, a], rule: 'option' };
    if (positive === b) return { labels: [a, b], rule: 'option' };
    throw new SentivecError(`--positive '${positive}' is not one of the labels in ${corpus} ('${a}', '${b}')`);
  }
  const is = (names: string[], v: string): boolean => names.includes(v.toLowerCase());
  const pa = is(POSITIVE_NAMES, a) || is(NEGATIVE_NAMES, b);
  const pb = is(POSITIVE_NAMES, b) || is(NEGATIVE_NAMES, a);
  if (pa !== pb) return { labels: pa ? [b, a] : [a, b], rule: 'name' };
  const sorted = [a, b].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return { labels: [sorted[0], sorted[1]], rule: 'sorted' };
}

/** k > 2 values: classes in polarity order when every name is a known one, else in sorted order. */
function resolveClasses(values: readonly string[], positive: string | undefined, corpus: string): ResolvedLabels {
  if (positive !== undefined) throw new SentivecError(`--positive '${positive}' applies to two labels; ${corpus} has ${values.length} (${values.map((v) => `'${v}'`).join(', ')}), trained as ${values.length} classes`);
  const rank = (v: string): number => POLARITY_ORDER.indexOf(v.toLowerCase());
  const labels = values.every((v) => rank(v) >= 0) && new Set(values.map(rank)).size === values.length ? [...values].sort((x, y) => rank(x) - rank(y)) : [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return { labels, rule: 'classes' };
}

export function describeRule(r: ResolvedLabels): string {
  if (r.rule === 'classes') return `${r.labels.length} classes: ${r.labels.map((l) => `'${l}'`).join(', ')}`;
  const why = { option: 'set by --positive', name: 'recognised name', sorted: 'second in sorted order; set it with --positive', rating: 'rating above the middle of the scale' }[r.rule];
  return `negative = '${r.labels[0]}', positive = '${r.labels[1]}' (${why})`;
}

/** `0=negative,1=positive` → { '0': 'negative', '1': 'positive' } (train --label-names). */
export function parseLabelNames(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const value = part.slice(0, eq).trim();
    const name = part.slice(eq + 1).trim();
    if (eq < 0 || value === '' || name === '') throw new SentivecError(`--label-names '${spec}': expected VALUE=NAME pairs separated by commas, e.g. 0=negative,1=positive`);
    if (value in out) throw new SentivecError(`--label-names '${spec}': '${value}' is named twice`);
    out[value] = name;
  }
  return out;
}

/** Display names for the model's labels, in their order (unnamed labels keep their value); every named value must be a label. */
export function labelDisplayNames(labels: readonly string[], names: Readonly<Record<string, string>>, corpus: string): string[] {
  for (const value of Object.keys(names)) {
    if (!labels.includes(value)) throw new SentivecError(`--label-names names '${value}', which is not a label in ${corpus} (${labels.map((l) => `'${l}'`).join(', ')})`);
  }
  const display = labels.map((l) => names[l] ?? l);
  if (new Set(display).size !== display.length) throw new SentivecError(`--label-names: two labels would show the same name (${display.map((d) => `'${d}'`).join(', ')})`);
  return display;
}
