/**
 * The shape a model file's header must have before any of it is used: the
 * schema of every field the loader and the commands read (dimensions, words,
 * labels, tokenizer settings, intercept, the training record's target and
 * input), and each section's type and size against those fields. A file can
 * pass its checksum and still be malformed (written by hand, or by a buggy
 * tool): each problem here is a SentivecError naming the field, never a
 * TypeError later in predict, evaluate or the HTTP service.
 */
import type { Header, Problem, SectionEntry } from '../../util/container.js';
import { PRODUCT_DEFAULTS, SEGMENTATIONS } from '../../text/product-options.js';
import { TOKENIZER_MODES } from '../../text/tokenizer.js';
import { MAX_CLASSES } from '../../corpus/labels.js';

/**
 * Version of the n-gram sections' layout (header `ngrams.version`) that ngram-section.ts writes: 2, the
 * table's records (`ngramRecords`); version 1 files (word-id triples and class-major weights) are still read.
 */
export const NGRAM_SECTION_VERSION = 2;

/** Far above any real model; bounds what a header may make the loader allocate. */
const MAX_DIM = 100_000;
const MAX_WORDS = 50_000_000;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export function validateModelHeader(h: Header, table: readonly SectionEntry[], _version: number, bad: Problem): void {
  const field = (name: string, why: string): never => {
    throw bad(`corrupt header (${name} ${why})`);
  };
  const { dim, words, labels, tokenizer, bc, intercept, info } = h;
  // 0: no word vectors (a blueprint that does not use them, e.g. nbsvm-tri).
  if (!Number.isInteger(dim) || (dim as number) < 0 || (dim as number) > MAX_DIM) field('dim', `must be an integer from 0 to ${MAX_DIM}`);
  if (!Array.isArray(words) || words.length > MAX_WORDS || !words.every((w) => typeof w === 'string')) field('words', 'must be a list of strings');
  const wordList = words as string[];
  if (new Set(wordList).size !== wordList.length) field('words', 'must not repeat a word');
  if (!Array.isArray(labels) || labels.length < 2 || labels.length > MAX_CLASSES || !labels.every((l) => typeof l === 'string') || new Set(labels).size !== labels.length) field('labels', `must be 2 to ${MAX_CLASSES} different strings`);
  const names = h.labelNames;
  if (names !== undefined && (!Array.isArray(names) || names.length !== (labels as string[]).length || !names.every((l) => typeof l === 'string') || new Set(names).size !== names.length)) field('labelNames', 'must be one distinct string per label');
  // One linear head for two labels, one per class for k > 2 (sentiment-model.ts).
  const heads = (labels as string[]).length > 2 ? (labels as string[]).length : 1;
  checkTokenizer(tokenizer, field);
  if (bc !== undefined && !finite(bc)) field('bc', 'must be a finite number');
  if (!finite(intercept)) field('intercept', 'must be a finite number');
  if (!isObject(info)) field('info', 'must be an object');
  checkInfo(info as Record<string, unknown>, labels as string[], field);

  const V = wordList.length;
  const d = dim as number;
  const want: Record<string, { type: 'f32' | 'f64'; length: number; required: boolean }> = {
    R: { type: 'f32', length: V * d, required: true },
    psi: { type: 'f32', length: d * Math.max(1, heads - 1), required: false },
    weightsVectors: { type: 'f64', length: d * heads, required: true },
    weightsWords: { type: 'f64', length: V * heads, required: true },
    frequencies: { type: 'f64', length: V, required: true },
    ...ngramSections(h.ngrams, heads, field),
  };
  if (h.ngrams === undefined && table.some((e) => ['ngrams', 'weightsNgrams', 'ngramRecords'].includes(e.name))) field('ngrams', 'is missing while the file has n-gram sections');
  for (const [name, w] of Object.entries(want)) {
    const t = table.find((e) => e.name === name);
    if (!t) {
      if (w.required) throw bad(`corrupt header (section '${name}' is missing)`);
      continue;
    }
    if (t.type !== w.type || t.length !== w.length) throw bad(`corrupt header (section '${name}' is ${t.length} × ${t.type}; ${V} words, dim ${d} and ${heads === 1 ? 2 : heads} labels need ${w.length} × ${w.type})`);
  }
}

/**
 * The n-gram block (ngram-section.ts): { version, order, count } and, for
 * version 2, `slots`; and the sections it implies. A version this reader does
 * not know is refused rather than read as another layout.
 */
function ngramSections(ng: unknown, heads: number, field: (name: string, why: string) => never): Record<string, { type: 'f32' | 'f64'; length: number; required: boolean }> {
  if (ng === undefined) return {};
  if (!isObject(ng)) return field('ngrams', 'must be an object');
  if (ng.version !== 1 && ng.version !== NGRAM_SECTION_VERSION) field('ngrams.version', `is ${JSON.stringify(ng.version)}; this sentivec reads n-gram sections of versions 1 and ${NGRAM_SECTION_VERSION} (a newer sentivec wrote the file?)`);
  if (ng.order !== 2 && ng.order !== 3) field('ngrams.order', 'must be 2 or 3');
  if (!Number.isInteger(ng.count) || (ng.count as number) < 0 || (ng.count as number) > MAX_WORDS) field('ngrams.count', `must be an integer from 0 to ${MAX_WORDS}`);
  const G = ng.count as number;
  if (ng.version === 2) {
    if (!Number.isInteger(ng.slots) || (ng.slots as number) < 16 || (ng.slots as number) > 4 * MAX_WORDS) field('ngrams.slots', `must be an integer from 16 to ${4 * MAX_WORDS}`);
    return { ngramRecords: { type: 'f64', length: (ng.slots as number) * (1 + heads), required: true } };
  }
  return { ngrams: { type: 'f32', length: 3 * G, required: true }, weightsNgrams: { type: 'f64', length: heads * G, required: true } };
}

function checkTokenizer(t: unknown, field: (name: string, why: string) => never): void {
  if (!isObject(t)) return field('tokenizer', 'must be an object');
  if (typeof t.mode !== 'string' || !(TOKENIZER_MODES as readonly string[]).includes(t.mode)) return field('tokenizer.mode', `must be one of ${TOKENIZER_MODES.join(', ')}`);
  if (t.mode !== 'product') return;
  if (!Number.isInteger(t.version)) field('tokenizer.version', 'must be an integer');
  for (const [k, v] of Object.entries(PRODUCT_DEFAULTS)) {
    if (k === 'segment') {
      if (!(SEGMENTATIONS as readonly unknown[]).includes(t[k])) field(`tokenizer.${k}`, `must be one of ${SEGMENTATIONS.join(', ')}`);
    } else if (typeof t[k] !== typeof v) field(`tokenizer.${k}`, `must be a ${typeof v}`);
  }
}

/** The parts of the training record that commands rely on: predict --input, evaluate, info. */
function checkInfo(info: Record<string, unknown>, labels: string[], field: (name: string, why: string) => never): void {
  const { target, input, blueprint } = info;
  if (!isObject(target)) return field('info.target', 'must be an object');
  if (target.kind !== 'label' && target.kind !== 'rating') field('info.target.kind', "must be 'label' or 'rating'");
  if (!Array.isArray(target.labels) || target.labels.length !== labels.length || target.labels.some((l, i) => l !== labels[i])) field('info.target.labels', 'must equal labels');
  if (target.kind === 'rating') {
    const s = target.scale;
    if (!isObject(s) || !finite(s.min) || !finite(s.max) || !(s.min < s.max)) field('info.target.scale', 'must be { min, max } with min < max');
  }
  if (!isObject(input)) return field('info.input', 'must be an object');
  if (typeof input.path !== 'string') field('info.input.path', 'must be a string');
  for (const k of ['format', 'textField', 'labelField', 'ratingField', 'split']) {
    if (input[k] !== undefined && typeof input[k] !== 'string') field(`info.input.${k}`, 'must be a string');
  }
  if (input.unlabeled !== undefined && !(Array.isArray(input.unlabeled) && input.unlabeled.every((u) => typeof u === 'string'))) field('info.input.unlabeled', 'must be a list of strings');
  if (blueprint !== undefined && !(isObject(blueprint) && typeof blueprint.id === 'string' && typeof blueprint.description === 'string')) field('info.blueprint', 'must be { id, description }');
}
