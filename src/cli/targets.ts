/**
 * Several targets on the command line (issue #14 item 3): `train --target
 * SPEC` (repeatable) adds targets after the one --label / --rating names, and
 * predict / evaluate / info show a multi-target model per target. A SPEC is a
 * field of the input: `FIELD` (a label column: two or more classes) or
 * `FIELD:rating:MIN..MAX[:TASK]` (a rating column, TASK as train --task).
 */
import { InvalidArgumentError } from 'commander';
import { parseRatingScale, RATING_TASKS, type RatingScale, type RatingTask, type TargetSpec } from '../corpus/labels.js';
import { RATING_HEAD_OPTIONS } from '../models/classifiers/rating-head.js';
import type { MultiTargetModel, TargetPredictions } from '../models/product/multi-target-model.js';
import type { Prediction } from '../models/product/sentiment-model.js';
import { fixedDefault } from '../util/options.js';
import { SentivecError } from '../util/errors.js';
import type { SourceLocation } from '../corpus/record.js';

export type TargetFlag = { field: string; kind: 'label' } | { field: string; kind: 'rating'; scale: RatingScale; task?: RatingTask };

export const TARGET_SPEC_HELP = 'another target to learn from the same texts (repeatable): FIELD (a label column) or FIELD:rating:MIN..MAX[:TASK] (a rating column; TASK one of binary, regression, ordinal, classes); each target gets its own head, estimate and calibration in the one model file, by default on one shared set of word vectors with one ψ per target (--target-vectors)';

/** --target names a field of each record: only the field formats have one (cv and train). */
export function checkTargetFormat(format: string | undefined): void {
  if (format === 'aclimdb' || format === 'dir' || format === 'text') throw new SentivecError(`--target names a field: it needs a CSV, TSV or JSON Lines input, not --format ${format}`);
}

/** Commander argParser for a repeatable --target. */
export function targetSpecParser(value: string, acc: TargetFlag[]): TargetFlag[] {
  return [...acc, parseTargetSpec(value)];
}

export function parseTargetSpec(spec: string): TargetFlag {
  const parts = spec.split(':');
  const field = parts[0].trim();
  const wrong = (why: string): never => {
    throw new InvalidArgumentError(`'${spec}': ${why}; expected FIELD or FIELD:rating:MIN..MAX[:TASK], e.g. subjectivity or stars:rating:1..5`);
  };
  if (field === '') wrong('no field name');
  if (parts.length === 1) return { field, kind: 'label' };
  if (parts[1] !== 'rating' || parts.length < 3 || parts.length > 4) return wrong('not a target');
  let scale: RatingScale;
  try {
    scale = parseRatingScale(parts[2]);
  } catch (e) {
    return wrong((e as Error).message);
  }
  const task = parts[3];
  if (task !== undefined && !(RATING_TASKS as readonly string[]).includes(task)) wrong(`unknown task '${task}' (${RATING_TASKS.join(', ')})`);
  return { field, kind: 'rating', scale, ...(task !== undefined ? { task: task as RatingTask } : {}) };
}

/** The TargetSpec trainSentimentModel takes for a --target. */
export function targetSpecOf(t: TargetFlag): TargetSpec {
  return t.kind === 'label' ? { kind: 'label' } : { kind: 'rating', ...t.scale, task: t.task ?? fixedDefault(RATING_HEAD_OPTIONS.task, 'product') };
}

/** Refuses a set of targets train cannot learn: a repeated field. */
export function checkTargetFields(fields: readonly string[]): void {
  const twice = fields.find((f, i) => fields.indexOf(f) !== i);
  if (twice !== undefined) throw new SentivecError(`target field '${twice}' is given twice (--label / --rating and --target name different fields)`);
}

/** predict on a multi-target model: one line per text, JSON `{ targets: { name: prediction } }` or `name: label p …  |  name: …`. */
export function formatTargetPredictions(p: TargetPredictions, json: boolean, one: (x: Prediction) => string, source?: SourceLocation): string {
  if (json) return JSON.stringify(source ? { source, ...p } : p);
  return Object.entries(p.targets)
    .map(([name, x]) => `${name}: ${one(x)}`)
    .join('  |  ');
}

/** Lines per target of a multi-target model's record: a heading, then that target's own lines indented. */
export function targetSummaries(model: MultiTargetModel, summary: (m: MultiTargetModel['first']) => string[]): string[] {
  return model.targets.flatMap((t, i) => [`target ${i + 1} of ${model.targets.length}: ${t.name}`, ...summary(t.model).map((l) => `  ${l}`)]);
}
