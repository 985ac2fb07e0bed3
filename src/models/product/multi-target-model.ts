/**
 * Several targets at once (issue #14 item 3: sentiment and subjectivity, or
 * several aspect ratings): one SentimentModel per target, each with its own
 * head, labels, calibration and cross-validated estimate, under one name per
 * target (the field it was trained on). Predictions, explanations and
 * evaluations are per target.
 *
 * File: a multi-target .svec is the first target's model file as it always
 * was, plus a header block `targets: { version, names, more }` holding the
 * other targets' headers, and their sections under `targets/<t>/<section>`.
 * So anything that reads a single model (serve, the web page, an older
 * sentivec) reads the first target; a single-target model is written and read
 * exactly as before (no `targets` block).
 *
 * Version 2 (this writer) stores what a later target has in common with the
 * first once: `targets.same[t]` names the sections (R: the targets' one
 * shared set of word vectors, train-targets.ts; frequencies) and header keys
 * (words, tokenizer) that target t + 1 takes from the first target. Version 1
 * files (every target's sections and header in full) still load. A
 * `targets.version` this reader does not know is refused rather than misread.
 */
import { SentivecError } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { SectionEntry } from '../../util/container.js';
import { MODEL_FORMAT_VERSION, decodeModelFile, encodeModelFile, readModelFile, type ModelFileContents, type SectionArray } from './model-file.js';
import { validateModelHeader } from './model-header.js';
import { SentimentModel, type Explanation, type Prediction } from './sentiment-model.js';

/** Version of the `targets` header block and the `targets/<t>/…` sections' layout. */
export const TARGETS_SECTION_VERSION = 2;

/** Layout versions this reader reads: 1 wrote every target in full. */
const READABLE_TARGETS_VERSIONS: readonly number[] = [1, TARGETS_SECTION_VERSION];

const PREFIX = 'targets/';

export interface Target {
  /** The field the target was trained on (its label or rating column). */
  readonly name: string;
  readonly model: SentimentModel;
}

/** One text's predictions, one entry per target. */
export interface TargetPredictions {
  targets: Record<string, Prediction>;
}

export interface SaveTargetsOptions {
  timings?: boolean;
}

/** The name a model's target goes by: the label or rating field it was trained on. */
export function targetName(model: SentimentModel): string {
  const input = model.info.input;
  return (model.info.target.kind === 'rating' ? input.ratingField : input.labelField) ?? input.labelField ?? input.ratingField ?? 'label';
}

export class MultiTargetModel {
  readonly targets: readonly Target[];

  constructor(targets: readonly Target[]) {
    if (targets.length === 0) throw new SentivecError('a model needs at least one target');
    const names = targets.map((t) => t.name);
    if (names.some((n) => n === '') || new Set(names).size !== names.length) throw new SentivecError(`target names must be distinct and not empty, got ${names.map((n) => `'${n}'`).join(', ')}`);
    this.targets = targets;
  }

  /** Reads a .svec file with one target or several; every problem is a SentivecError naming the file. */
  static async load(file: string): Promise<MultiTargetModel> {
    return MultiTargetModel.fromContents(await readModelFile(file), file);
  }

  static fromBytes(bytes: Uint8Array, name = '<model>'): MultiTargetModel {
    return MultiTargetModel.fromContents(decodeModelFile(bytes, name), name);
  }

  private static fromContents(c: ModelFileContents, file: string): MultiTargetModel {
    const { targets: block, ...firstHeader } = c.header;
    if (block === undefined) {
      const model = SentimentModel.fromContents(c, file);
      return new MultiTargetModel([{ name: targetName(model), model }]);
    }
    const bad = (problem: string): SentivecError => new SentivecError(`${file} is not a usable sentivec model: ${problem}`);
    const { names, more, same } = checkBlock(block, bad);
    const firstSections = new Map([...c.sections].filter(([n]) => !n.startsWith(PREFIX)));
    const parts: ModelFileContents[] = [{ header: firstHeader, sections: firstSections }];
    more.forEach((own, i) => {
      const prefix = `${PREFIX}${i + 1}/`;
      const sections = new Map<string, SectionArray>();
      const header: Record<string, unknown> = { ...own };
      for (const n of same[i]) {
        const a = firstSections.get(n);
        if (a !== undefined) sections.set(n, a);
        else if (n in firstHeader) header[n] = firstHeader[n];
        else throw bad(`corrupt header (target '${names[i + 1]}' shares '${n}', which the first target does not have)`);
      }
      for (const [n, a] of c.sections) if (n.startsWith(prefix)) sections.set(n.slice(prefix.length), a);
      const table: SectionEntry[] = [...sections].map(([name, a]) => ({ name, type: a instanceof Float32Array ? 'f32' : 'f64', length: a.length }));
      validateModelHeader(header, table, MODEL_FORMAT_VERSION, (p) => bad(`target '${names[i + 1]}': ${p}`));
      parts.push({ header, sections });
    });
    return new MultiTargetModel(parts.map((p, t) => ({ name: names[t], model: SentimentModel.fromContents(p, `${file} (target '${names[t]}')`) })));
  }

  get first(): SentimentModel {
    return this.targets[0].model;
  }

  get isMulti(): boolean {
    return this.targets.length > 1;
  }

  /** One target's model by name. */
  target(name: string): SentimentModel {
    const t = this.targets.find((x) => x.name === name);
    if (!t) throw new SentivecError(`the model has no target '${name}'; its targets: ${this.targets.map((x) => x.name).join(', ')}`);
    return t.model;
  }

  /** The .svec bytes: one target's are exactly SentimentModel.toBytes; a later target's sections and header keys equal to the first's are stored once. */
  toBytes(options: SaveTargetsOptions = {}): Uint8Array {
    if (!this.isMulti) return this.first.toBytes(options);
    const parts = this.targets.map((t) => decodeModelFile(t.model.toBytes(options), t.name));
    const [head, ...rest] = parts;
    const sections = new Map(head.sections);
    const same: string[][] = [];
    const more: Record<string, unknown>[] = [];
    rest.forEach((p, i) => {
      const shared: string[] = [];
      for (const [n, a] of p.sections) {
        const b = head.sections.get(n);
        if (b !== undefined && sameArray(a, b)) shared.push(n);
        else sections.set(`${PREFIX}${i + 1}/${n}`, a);
      }
      const header: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(p.header)) {
        if (k in head.header && JSON.stringify(v) === JSON.stringify(head.header[k])) shared.push(k);
        else header[k] = v;
      }
      same.push(shared);
      more.push(header);
    });
    const header = { ...head.header, targets: { version: TARGETS_SECTION_VERSION, names: this.targets.map((t) => t.name), more, same } };
    return encodeModelFile(header, sections);
  }

  async save(file: string, options: SaveTargetsOptions = {}): Promise<void> {
    await writeFileAtomic(file, this.toBytes(options));
  }

  predict(texts: readonly string[], top?: number): TargetPredictions[] {
    const per = this.targets.map((t) => t.model.predict(texts, top));
    return texts.map((_, i) => ({ targets: Object.fromEntries(this.targets.map((t, k) => [t.name, per[k][i]])) }));
  }

  explain(text: string, top?: number): Record<string, Explanation> {
    return Object.fromEntries(this.targets.map((t) => [t.name, t.model.explain(text, top)]));
  }
}

function checkBlock(block: unknown, bad: (p: string) => SentivecError): { names: string[]; more: Record<string, unknown>[]; same: string[][] } {
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObject(block)) throw bad('corrupt header (targets must be an object)');
  if (!READABLE_TARGETS_VERSIONS.includes(block.version as number)) throw bad(`corrupt header (targets.version is ${JSON.stringify(block.version)}; this sentivec reads versions ${READABLE_TARGETS_VERSIONS.join(' and ')} (a newer sentivec wrote the file?))`);
  const { names, more } = block;
  if (!Array.isArray(names) || names.length < 2 || !names.every((n) => typeof n === 'string' && n !== '') || new Set(names).size !== names.length) throw bad('corrupt header (targets.names must be 2 or more distinct names)');
  if (!Array.isArray(more) || more.length !== names.length - 1 || !more.every(isObject)) throw bad('corrupt header (targets.more must hold one header per target after the first)');
  // Version 1 stored every target in full: nothing taken from the first.
  const same = block.version === 1 ? more.map(() => []) : block.same;
  if (!Array.isArray(same) || same.length !== more.length || !same.every((l) => Array.isArray(l) && l.every((n) => typeof n === 'string'))) throw bad('corrupt header (targets.same must hold one list of names per target after the first)');
  return { names: names as string[], more: more as Record<string, unknown>[], same: same as string[][] };
}

/** Same type, length and values (bit for bit: NaN equals NaN, 0 and −0 differ). */
function sameArray(a: SectionArray, b: SectionArray): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
