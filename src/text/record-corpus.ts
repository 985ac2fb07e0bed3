/**
 * A user's corpus (any CorpusSource) as token ids and sentiment targets, in
 * two streamed passes so that no text is kept: the first tokenizes to count
 * words (interning each distinct token once) and checks the labels, the
 * second tokenizes again and keeps only vocabulary ids. Memory is then the
 * distinct tokens plus four bytes per in-vocabulary token, whatever the size
 * of the input files.
 *
 * Targets: two label values become 0 (negative) and 1 (positive); a rating
 * on [min, max] becomes (r − min)/(max − min). Records without a label (or
 * rating), every record of an unlabeled source, and (for the binary rating
 * task) ratings exactly in the middle of the scale get NaN: they only inform
 * the word vectors' semantic term. A rating with --task classes becomes the
 * index of its value among the ratings seen, in rating order.
 */
import { MAX_CLASSES, RATING_LABELS, ratingTarget, resolveLabels, type PositiveRule, type TargetSpec } from '../corpus/labels.js';
import { at, type CorpusRecord, type CorpusSource } from '../corpus/record.js';
import { SentivecError } from '../util/errors.js';
import { silentReporter, type Reporter } from '../util/log.js';
import { Dictionary } from './dictionary.js';
import { NO_SPACE_SCRIPT } from './product-rules.js';
import type { TokenizedDocs } from './documents.js';
import { Tokenizer } from './tokenizer.js';
import { floor, PRODUCT_VOCABULARY, Vocabulary, type VocabularyOptions } from './vocabulary.js';

export interface RecordCorpusOptions extends VocabularyOptions {
  tokenizer?: Tokenizer;
  /** Default: two label values, the positive one chosen by resolveLabels. */
  target?: TargetSpec;
  /**
   * Drop at most 5% of the distinct tokens as "most frequent", so a small
   * corpus keeps a useful vocabulary (on IMDb, 5% is thousands: no effect
   * on the usual 50). Meant for a default skipTop, not one the user chose.
   */
  clampSkipTop?: boolean;
  /** Also keep every token as dictionary ids (`allTokens`, for the n-gram rows): 4 bytes per token. */
  keepTokens?: boolean;
  reporter?: Reporter;
}

export interface RecordCorpusStats {
  documents: number;
  /** Documents with a target (they train the classifier). */
  labeled: number;
  /** Documents used as text only (including middle ratings). */
  unlabeled: number;
  /** Labeled documents per class, in the order of `labels`. */
  perClass: number[];
  /** Ratings exactly at the middle of the scale (used as unlabeled text). */
  middleRatings: number;
  tokens: number;
  /** Distinct tokens with at least minCount occurrences (before the vocabulary cut). */
  distinctTokens: number;
  /** The frequency floor applied: max(minCount, ⌈minPerMillion · tokens / 10⁶⌉). */
  minCount: number;
  /** The skipTop actually applied. */
  skipTop: number;
  /** Documents with no vocabulary word. */
  emptyDocuments: number;
  /**
   * Whether the product tokenizer's other segmentation of scripts written
   * without spaces (words ↔ chars) provably gives this corpus the same
   * vocabulary and the same document ids, so a leaderboard need not build
   * the other corpus to know it (blueprint-twin.ts). It does when the letters
   * of those scripts (NO_SPACE_SCRIPT, counted with multiplicity over every
   * token) are fewer than the frequency floor, so no token made of them can
   * enter either vocabulary, and the at most 2 tokens per letter the other
   * segmentation could add to the token count leave the floor unchanged.
   * (IMDb's 75,000 reviews hold a few Japanese titles: too rare to matter.)
   */
  segmentationInvariant: boolean;
}

export interface RecordCorpus {
  readonly vocabulary: Vocabulary;
  readonly tokenizer: Tokenizer;
  /** Occurrences of each vocabulary word over all documents read. */
  readonly frequencies: Float64Array;
  /** Every document in reading order: the labeled source's records, then each unlabeled source's. */
  readonly docs: TokenizedDocs;
  /**
   * Per document: the sentiment target in [0, 1] (two labels or a rating), or
   * for k > 2 labels the class index 0..k−1; NaN for text-only documents.
   */
  readonly targets: Float64Array;
  /** [negative, positive], or the k > 2 classes. */
  readonly labels: string[];
  readonly positiveRule: PositiveRule;
  readonly stats: RecordCorpusStats;
  /**
   * Per document: its group (dense ids; a document without a group is a group
   * of its own), so cross-validation keeps a group in one fold. null when no
   * record of the labeled source named a group.
   */
  readonly groups: Int32Array | null;
  /** A short labeled text of the corpus (exampleText), to show users what the model reads; null when none is usable. */
  readonly example: string | null;
  /** With `keepTokens`: the same documents with every token, as ids of `words`. */
  readonly allTokens?: { readonly words: readonly string[]; readonly docs: TokenizedDocs };
}

/** Throttled progress for one pass over one source. */
function progress(reporter: Reporter, name: string): { onProgress: (done: number, total: number) => void; end: (fields?: Record<string, unknown>) => void } {
  let task: ReturnType<Reporter['task']> | undefined;
  let last = 0;
  let lastDone = -1;
  return {
    onProgress(done, total) {
      task ??= reporter.task(name, total);
      const now = Date.now();
      if (done !== lastDone && (now - last > 200 || done === total)) {
        last = now;
        lastDone = done;
        task.tick(done);
      }
    },
    end(fields) {
      (task ?? reporter.task(name, 1)).end(fields);
    },
  };
}

class Float64Builder {
  private a = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = x;
  }
  finish(): Float64Array {
    return this.a.slice(0, this.length);
  }
}

export async function buildRecordCorpus(labeled: CorpusSource, unlabeled: readonly CorpusSource[] = [], options: RecordCorpusOptions = {}): Promise<RecordCorpus> {
  const tokenizer = options.tokenizer ?? new Tokenizer();
  const target: TargetSpec = options.target ?? { kind: 'label' };
  const reporter = options.reporter ?? silentReporter;
  const dict = new Dictionary();
  const raw = new Float64Builder();
  const values: string[] = [];
  const firstSeen: string[] = [];
  let middleRatings = 0;
  let tokens = 0;
  const docsPerSource: number[] = [];
  let example: string | null = null;
  let firstLabeled: string | null = null;
  // Group names → dense ids, and per document the name's id (−1: none yet).
  const groupIds = new Map<string, number>();
  const groupOf = new Float64Builder();

  // Pass 1: count tokens, collect targets (label values as their index of first appearance).
  for (const [i, source] of [labeled, ...unlabeled].entries()) {
    const p = progress(reporter, `read ${source.name}`);
    let n = 0;
    for await (const r of source.open(p.onProgress)) {
      tokenizer.forEachToken(r.text, (t) => {
        dict.add(t, true);
        tokens++;
      });
      const t = i === 0 ? rawTarget(r, target, values, firstSeen, () => middleRatings++) : NaN;
      raw.push(t);
      groupOf.push(i === 0 && r.group !== undefined ? internGroup(groupIds, r.group) : -1);
      if (example === null && !Number.isNaN(t)) {
        const text = collapse(r.text);
        firstLabeled ??= text;
        if (text.length >= EXAMPLE_MIN && text.length <= EXAMPLE_MAX) example = text;
      }
      n++;
    }
    p.end({ documents: n });
    if (n === 0) throw new SentivecError(`${source.name}: no records (an empty corpus)`);
    docsPerSource.push(n);
  }

  let labels: string[];
  let positiveRule: PositiveRule;
  const targets = raw.finish();
  if (target.kind === 'label') {
    if (values.length === 0) throw new SentivecError(`${labeled.name}: no labeled records (every record lacks a label)`);
    const resolved = resolveLabels(values, target.positive, labeled.name);
    labels = resolved.labels;
    positiveRule = resolved.rule;
    // Index of first appearance → class index (for two labels: 1 = positive, 0 = negative).
    const classOf = values.map((v) => labels.indexOf(v));
    for (let k = 0; k < targets.length; k++) if (!Number.isNaN(targets[k])) targets[k] = classOf[targets[k]];
  } else if (target.task === 'classes') {
    // Every rating value a class, in rating order (the pass-1 targets are the ratings themselves).
    const ratings = [...new Set(targets.filter((t) => !Number.isNaN(t)))].sort((a, b) => a - b);
    if (ratings.length < 2) throw new SentivecError(`${labeled.name}: every rating is ${ratings[0]}; --task classes needs two rating values`);
    labels = ratings.map(String);
    positiveRule = 'classes';
    for (let k = 0; k < targets.length; k++) if (!Number.isNaN(targets[k])) targets[k] = ratings.indexOf(targets[k]);
  } else {
    labels = [...RATING_LABELS];
    positiveRule = 'rating';
  }
  const perClass = new Array<number>(labels.length).fill(0);
  for (let k = 0; k < targets.length; k++) if (!Number.isNaN(targets[k])) perClass[labels.length > 2 ? targets[k] : targets[k] > 0.5 ? 1 : 0]++;
  const labeledCount = perClass.reduce((a, b) => a + b, 0);
  if (labeledCount === 0) throw new SentivecError(`${labeled.name}: no labeled records${middleRatings > 0 ? ` (all ${middleRatings} ratings are at the middle of the scale)` : ''}`);
  if (target.kind === 'rating' && (target.task ?? 'binary') === 'binary' && (perClass[0] === 0 || perClass[1] === 0)) {
    const side = perClass[0] === 0 ? 'above' : 'below';
    throw new SentivecError(`${labeled.name}: every rating is ${side} the middle of the scale ${target.min}..${target.max}; a classifier needs both sides (check --rating-scale)`);
  }

  // The vocabulary cut (defaults: PRODUCT_VOCABULARY).
  let total = 0;
  for (let i = 0; i < dict.size; i++) total += dict.count(i);
  const floorOptions = { minCount: options.minCount ?? PRODUCT_VOCABULARY.minCount, minPerMillion: options.minPerMillion ?? PRODUCT_VOCABULARY.minPerMillion };
  const minCount = floor(floorOptions, total);
  const letters = noSpaceLetters(dict);
  const segmentationInvariant = letters === 0 || (letters < minCount && floor(floorOptions, total + 2 * letters) === minCount);
  let distinctTokens = 0;
  for (let i = 0; i < dict.size; i++) if (dict.count(i) >= minCount) distinctTokens++;
  const requestedSkip = options.skipTop ?? PRODUCT_VOCABULARY.skipTop;
  const skipTop = options.clampSkipTop ? Math.min(requestedSkip, Math.floor(distinctTokens / 20)) : requestedSkip;
  const vocabulary = Vocabulary.fromDictionary(dict, { skipTop, minCount, size: options.size ?? PRODUCT_VOCABULARY.size });
  if (vocabulary.size === 0) {
    throw new SentivecError(`the vocabulary is empty: ${distinctTokens} distinct tokens occur at least ${minCount} times and the ${skipTop} most frequent are dropped (lower --min-count or --skip-top)`);
  }
  const map = vocabulary.mapping(dict);
  const frequencies = new Float64Array(vocabulary.size);
  for (let d = 0; d < dict.size; d++) if (map[d] >= 0) frequencies[map[d]] = dict.count(d);

  // Pass 2: vocabulary ids only, into arrays sized exactly from pass 1's counts
  // (a growing builder would briefly need up to three times the memory).
  let inVocabulary = 0;
  for (let v = 0; v < frequencies.length; v++) inVocabulary += frequencies[v];
  const offsets = new Int32Array(targets.length + 1);
  const ids = new Int32Array(inVocabulary);
  const keep = options.keepTokens ?? false;
  const everyId = new Int32Array(keep ? tokens : 0);
  const everyOffset = new Int32Array(keep ? targets.length + 1 : 0);
  let every = 0;
  let doc = 0;
  let used = 0;
  const changed = (source: CorpusSource): SentivecError => new SentivecError(`${source.name} changed while it was being read`);
  for (const [i, source] of [labeled, ...unlabeled].entries()) {
    const p = progress(reporter, `index ${source.name}`);
    let n = 0;
    for await (const r of source.open(p.onProgress)) {
      if (n === docsPerSource[i]) throw changed(source);
      tokenizer.forEachToken(r.text, (t) => {
        const id = dict.get(t);
        if (keep) {
          if (id === undefined || every === everyId.length) throw changed(source);
          everyId[every++] = id;
        }
        const v = id === undefined ? -1 : map[id];
        if (v >= 0) {
          if (used === ids.length) throw changed(source);
          ids[used++] = v;
        }
      });
      offsets[++doc] = used;
      if (keep) everyOffset[doc] = every;
      n++;
    }
    p.end();
    if (n !== docsPerSource[i]) throw changed(source);
  }
  if (used !== ids.length) throw changed(labeled);
  const docs: TokenizedDocs = { count: doc, offsets, tokens: ids };
  let groups: Int32Array | null = null;
  if (groupIds.size > 0) {
    // Documents without a group get ids of their own, after the named groups'.
    let next = groupIds.size;
    groups = Int32Array.from(groupOf.finish(), (g) => (g >= 0 ? g : next++));
  }
  let emptyDocuments = 0;
  for (let d = 0; d < docs.count; d++) if (docs.offsets[d + 1] === docs.offsets[d]) emptyDocuments++;
  return {
    ...(keep ? { allTokens: { words: dict.words, docs: { count: doc, offsets: everyOffset, tokens: everyId } } } : {}),
    vocabulary,
    tokenizer,
    frequencies,
    docs,
    targets,
    groups,
    labels,
    positiveRule,
    example: example ?? (firstLabeled === null ? null : shorten(firstLabeled)),
    stats: {
      documents: docs.count,
      labeled: labeledCount,
      unlabeled: docs.count - labeledCount,
      perClass,
      middleRatings,
      tokens,
      distinctTokens,
      minCount,
      skipTop,
      emptyDocuments,
      segmentationInvariant,
    },
  };
}

const NO_SPACE_LETTERS = new RegExp(NO_SPACE_SCRIPT, 'gv');

/** Letters of scripts written without spaces in all tokens, with multiplicity. */
function noSpaceLetters(dict: Dictionary): number {
  let n = 0;
  for (let i = 0; i < dict.size; i++) {
    const found = dict.words[i].match(NO_SPACE_LETTERS);
    if (found) n += found.length * dict.count(i);
  }
  return n;
}

function internGroup(ids: Map<string, number>, name: string): number {
  let id = ids.get(name);
  if (id === undefined) {
    id = ids.size;
    ids.set(name, id);
  }
  return id;
}

// The example is the first labeled text of 20–140 chars (a sentence or a tweet), else the first one cut short.
const EXAMPLE_MIN = 20;
const EXAMPLE_MAX = 140;

/** Whitespace runs (and HTML line breaks, as in IMDb reviews) to one space. */
function collapse(text: string): string {
  return text.replace(/<br\s*\/?>/gi, ' ').replace(/\s+/g, ' ').trim();
}

/** At most EXAMPLE_MAX chars: up to the last sentence end in them, else the last space, with an ellipsis. */
function shorten(text: string): string | null {
  if (text.length === 0) return null;
  if (text.length <= EXAMPLE_MAX) return text;
  const head = text.slice(0, EXAMPLE_MAX);
  const sentence = Math.max(...['. ', '! ', '? ', '。', '！', '？'].map((e) => head.lastIndexOf(e)));
  if (sentence >= EXAMPLE_MIN) return head.slice(0, sentence + 1).trim();
  const space = head.lastIndexOf(' ');
  return `${(space >= EXAMPLE_MIN ? head.slice(0, space) : head).trim()}…`;
}

/**
 * Pass-1 target of a record of the labeled source: the label's index among
 * the values seen so far (more than MAX_CLASSES is an error naming its line), the
 * scaled rating, or NaN (no label / middle rating).
 */
function rawTarget(r: CorpusRecord, target: TargetSpec, values: string[], firstSeen: string[], middle: () => void): number {
  if (target.kind === 'rating') {
    if (r.rating === undefined) return NaN;
    const s = ratingTarget(r.rating, target, r.source);
    // --task classes: the rating itself (its class is its rank among the values, known after pass 1).
    if (target.task === 'classes') return r.rating;
    // Only the binary task has no side for the middle: the others learn it like any rating.
    if (s === 0.5 && (target.task ?? 'binary') === 'binary') {
      middle();
      return NaN;
    }
    return s;
  }
  if (r.label === undefined) return NaN;
  let i = values.indexOf(r.label);
  if (i < 0) {
    if (values.length === MAX_CLASSES) {
      throw new SentivecError(`${at(r.source)}: label value '${r.label}' is the ${MAX_CLASSES + 1}st distinct one (the first, '${values[0]}', at ${firstSeen[0]}); at most ${MAX_CLASSES} classes: is the label field right?`);
    }
    i = values.length;
    values.push(r.label);
    firstSeen.push(at(r.source));
  }
  return i;
}
