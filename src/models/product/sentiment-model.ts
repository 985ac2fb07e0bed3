/**
 * A trained sentiment classifier in one object: tokenizer settings,
 * vocabulary, the paper's word vectors (R, ψ, b_c), a logistic regression on
 * [cosine-normalised R v ; bnc v] and the training description. Made by
 * trainSentimentModel (train-model.ts), saved to and loaded from one .svec
 * file (model-file.ts).
 *
 * Scoring decomposes exactly over words. With v the binary bag of the text's
 * m distinct vocabulary words, bnc = v/√m and z = R v/‖R v‖, the decision
 * value is c + Σ_j w_bow[j]/√m + w_vecᵀ(Σ_j φ_j)/‖R v‖, so word j's share is
 * w_bow[j]/√m + u_j/‖R v‖ with u_j = w_vecᵀφ_j precomputed; a word seen n
 * times gives each occurrence 1/n of its share. Σ shares + c = score.
 *
 * k > 2 classes (issue #14): one such head per class (a multinomial logistic
 * regression, softmax over the k scores). A prediction's score is then the
 * winning class's score minus the mean of the k scores, and a word's share is
 * its share in the winning class's score minus its mean share over classes
 * (the softmax ignores what adds equally to every class), so again
 * Σ shares + intercept = score.
 *
 * N-gram models (blueprints nbsvm-bi, nbsvm-tri, vectors-nbsvm): the bag is
 * one of terms, the text's distinct words plus its distinct word n-grams
 * (looked up from consecutive word ids in an NgramTable), bnc = 1/√(terms),
 * and n-gram g's share is w_ngram[g]/√(terms). The file stores the n-grams in
 * sections of their own, versioned by the header's `ngrams.version`; a model
 * without n-grams writes neither, so its bytes are what they were before.
 */
import { withoutTimings } from './timings.js';
import { SentivecError } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { Tokenizer, type TokenizerSettings } from '../../text/tokenizer.js';
import { TokenScanner } from '../../text/token-scanner.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { BinaryBag } from '../../features/binary-bag.js';
import { ProjectionNorm } from '../../features/projection-norm.js';
import type { WordMatrix } from '../../features/word-matrix.js';
import { WordVectors, type Neighbor } from '../embeddings/word-vectors.js';
import { sigmoid } from '../embeddings/sentiment.js';
import { MODEL_FORMAT_VERSION, decodeModelFile, encodeModelFile, readModelFile, type ModelFileContents, type SectionArray } from './model-file.js';
import type { ModelInfo } from './model-info.js';
import { pca2 } from '../baselines/pca.js';
import { NgramTable } from '../../features/ngram-table.js';
import { ngramSection, readNgramTable, type NgramHeader } from './ngram-section.js';
import { RatingReadout, checkRatingParts, type RatingReadoutParts } from './rating-readout.js';

export type { ModelInfo } from './model-info.js';

export interface WordWeight {
  word: string;
  /** Signed contribution to the score. */
  weight: number;
}

export interface TokenContribution {
  /** The token as the tokenizer produced it. */
  token: string;
  /** UTF-16 offsets into the original text. */
  start: number;
  end: number;
  /** Vocabulary word, null when out of vocabulary. */
  word: string | null;
  /** This token's share of the decision score (0 when out of vocabulary); Σ weights + intercept = score. */
  weight: number;
  /** k > 2 classes: the label this word pushes toward most (null when out of vocabulary). */
  toward?: string | null;
}

/** One occurrence of a model n-gram in the text (n-gram models only). */
export interface NgramContribution {
  /** Its words, joined by spaces. */
  ngram: string;
  /** UTF-16 offsets into the original text: its first word's start, its last word's end. */
  start: number;
  end: number;
  /** This occurrence's share of the decision score (a repeated n-gram's share is split between its occurrences). */
  weight: number;
  /** k > 2 classes: the label this n-gram pushes toward most. */
  toward?: string;
}

export interface Prediction {
  /** One of model.labels. */
  label: string;
  /**
   * The model's P(label | text) for the returned label, in [0.5, 1] for two
   * labels, [1/k, 1] for k: calibrated on out-of-fold scores for two labels
   * (Platt), the multinomial model's own for k > 2 (how well either is
   * calibrated is measured, not assumed).
   */
  probability: number;
  /** P(label | text) for every label, in the model's label order. */
  probabilities: Record<string, number>;
  /** The label's display name (train --label-names), only when the model has names. */
  name?: string;
  /** Two labels: signed decision value, > 0 means labels[1], the positive class. k > 2: the label's score minus the mean of all classes' scores. */
  score: number;
  /**
   * How many of the text's tokens are in the vocabulary (every occurrence
   * counts). 0 means the model knows none of its words: the label is then
   * the majority class and the probability its share of the training labels
   * (the class prior), not the intercept's sigmoid.
   */
  evidence: number;
  /** Words that pushed most each way (at most `top` each, strongest first). */
  top: { positive: WordWeight[]; negative: WordWeight[] };
  /** Rating models only (train --task regression | ordinal | classes): the predicted rating, on the training scale. */
  rating?: number;
}

export interface Explanation extends Prediction {
  tokens: TokenContribution[];
  /** N-gram models: every n-gram occurrence's share; Σ token weights + Σ n-gram weights + intercept = score. */
  ngrams?: NgramContribution[];
  /** The distinct out-of-vocabulary tokens, in order of first occurrence (the model ignored them). */
  oov: string[];
  intercept: number;
}

export interface WordInfo {
  word: string;
  /** ψᵀφ_w + b_c, the log-odds that the word appears in a positive document; null without a sentiment component or with k > 2 classes. */
  sentiment: number | null;
  /** k > 2 classes with a sentiment component: p(c | w) of the word vectors' softmax, per label. */
  classes?: Record<string, number>;
  /** Occurrences in the training corpus. */
  frequency: number;
  neighbors: Neighbor[];
}

export interface MapPoint {
  word: string;
  x: number;
  y: number;
  sentiment: number | null;
  /** k > 2 classes with a sentiment component: the label of the word's largest p(c | w). */
  lean?: string;
  frequency: number;
}

/** Everything a model is made of (what the file stores). */
export interface SentimentModelParts {
  words: readonly string[];
  /** Word vectors, word-major |V| × β. */
  vectors: WordMatrix;
  /** ψ (β), or ψ_1 … ψ_{k−1} ((k−1)·β) for k > 2 classes. */
  psi?: Float32Array;
  bc: number;
  /** k > 2 classes: b_1 … b_{k−1} (bc is b_1). */
  bcs?: readonly number[];
  /** The tokenizer's mode and, for `product`, its version and switches (Tokenizer.settings). */
  tokenizer: TokenizerSettings;
  /** [negative, positive], or k > 2 classes. */
  labels: readonly string[];
  /** Display names of the labels, in their order (train --label-names); absent: the labels themselves. */
  names?: readonly string[];
  /** Classifier weights on the normalised R v block (β) and the bnc block (|V|), and its intercept; k > 2 classes: k × β and k × |V|, class-major. */
  weightsVectors: Float64Array;
  weightsWords: Float64Array;
  intercept: number;
  /** k > 2 classes: one intercept per class (intercept is then 0 and unused). */
  intercepts?: readonly number[];
  /**
   * Word n-grams in the bag, with their weights (heads × n-grams, class-major); absent: words only. A table
   * read from a file carries the weights in its records (weightsNgrams absent).
   */
  ngrams?: NgramTable;
  weightsNgrams?: Float64Array;
  /** Training occurrences per word. */
  frequencies: Float64Array;
  /** Rating models: how the score reads as a rating (rating-readout.ts). */
  rating?: RatingReadoutParts;
  info: ModelInfo;
}

export interface SaveOptions {
  /** Also store the training date and timings (info.created, …seconds): the file then differs run to run. */
  timings?: boolean;
}

const DEFAULT_TOP = 5;
/** The most n-gram names a model keeps (termName): a few MB at most. */
const NGRAM_NAMES = 1 << 16;

export class SentimentModel {
  readonly labels: readonly string[];
  /** Display names of the labels (train --label-names), else the labels. */
  readonly names: readonly string[];
  /** 1 for two labels, k for k > 2 classes. */
  readonly heads: number;
  readonly vectors: WordVectors;
  /** False for a blueprint that does not use word vectors (nbsvm-*): the file then has none (β = 0), and neighbors / the map are unavailable. */
  readonly hasVectors: boolean;
  readonly info: ModelInfo;
  readonly tokenizer: Tokenizer;
  readonly intercept: number;
  /** P(labels[1]) in the training labels: the answer for a text without evidence (two labels). */
  readonly prior: number;
  /** Each label's share of the training labels (the answer for a text without evidence). */
  readonly priors: readonly number[];
  /** Rating models: the score → rating reading; null for a classifier. */
  readonly rating: RatingReadout | null;
  private readonly parts: SentimentModelParts;
  private readonly vocabulary: Vocabulary;
  /** Text → vocabulary ids without intermediate strings (the same ids as tokenizer + vocabulary). */
  private readonly scanner: TokenScanner;
  /** u_j = w_vecᵀφ_j (|V| × heads, word-major). */
  private readonly u: Float64Array;
  private readonly intercepts: Float64Array;
  /** Per-class scores of the current text (k > 2). */
  private readonly classScores: Float64Array;
  /** k > 2: each distinct term's share of each head for the current text (terms × heads), grown as needed. */
  private termShares = new Float64Array(0);
  /** k > 2: each distinct term's mean share over the heads, for the current text. */
  private termMeans = new Float64Array(0);
  /** Some head weighs the word-vector block (else 1/‖R v‖ is never needed). */
  private readonly vectorWeights: boolean;
  // Scratch reused by every call (single-threaded), so scoring allocates nothing |V|-sized.
  private readonly bag: BinaryBag;
  /** 1/‖R v‖ of the scratch bag (null when no head weighs the vector block). */
  private readonly projection: ProjectionNorm | null;
  private readonly ngrams: NgramTable | null;
  /**
   * k > 2: the word weights (|V| × k), term-major: a word's k weights in one place, so scoring a word reads
   * one cache line instead of k lines |V| weights apart (the class-major parts stay as they are for the file;
   * an n-gram's k weights are in its table record). Empty for two labels, whose one head is already a row.
   */
  private readonly termWeights: Float64Array;
  /** The current text's distinct n-grams as slots of the table's records (a view of the table's scratch). */
  private grams: Int32Array = NO_IDS;
  /** The names of n-grams that were top terms (termName), by term number; at most NGRAM_NAMES. */
  private readonly ngramNames = new Map<number, string>();
  /** Scratch: the top terms each way of the current text. */
  private readonly pos = new TopK(0);
  private readonly neg = new TopK(0);

  constructor(parts: SentimentModelParts) {
    const V = parts.words.length;
    const dim = parts.vectors.dim;
    const k = parts.labels.length;
    const heads = k > 2 ? k : 1;
    if (k < 2 || new Set(parts.labels).size !== k) throw new SentivecError('a model needs at least two distinct labels');
    if (parts.weightsVectors.length !== heads * dim || parts.weightsWords.length !== heads * V || parts.frequencies.length !== V || (heads > 1 && parts.intercepts?.length !== heads)) {
      throw new SentivecError(`model parts disagree: ${V} words, β = ${dim}, ${k} labels, ${parts.weightsWords.length} word weights, ${parts.weightsVectors.length} vector weights, ${parts.intercepts?.length ?? 1} intercepts, ${parts.frequencies.length} frequencies`);
    }
    const G = parts.ngrams?.size ?? 0;
    // Scoring reads each found n-gram's weights from its table record: a table read from a file has them there.
    const carried = parts.ngrams !== undefined && parts.weightsNgrams === undefined && parts.ngrams.heads === heads;
    if (!carried && (parts.weightsNgrams?.length ?? 0) !== heads * G) throw new SentivecError(`model parts disagree: ${G} n-grams, ${heads} heads, ${parts.weightsNgrams?.length ?? 0} n-gram weights`);
    this.ngrams = parts.ngrams ? (carried ? parts.ngrams : parts.ngrams.weightedBy(parts.weightsNgrams ?? new Float64Array(0), heads)) : null;
    if (parts.names && (parts.names.length !== k || new Set(parts.names).size !== k)) throw new SentivecError(`model parts disagree: ${parts.names.length} label names for ${k} labels, or a repeated name`);
    this.parts = parts;
    this.labels = parts.labels;
    this.names = parts.names ?? parts.labels;
    this.heads = heads;
    this.info = parts.info;
    this.intercept = parts.intercept;
    this.intercepts = heads > 1 ? Float64Array.from(parts.intercepts ?? []) : Float64Array.of(parts.intercept);
    this.classScores = new Float64Array(heads);
    this.vectorWeights = parts.weightsVectors.some((w) => w !== 0);
    this.priors = classPriors(parts);
    this.prior = this.priors[1];
    this.tokenizer = Tokenizer.fromSettings(parts.tokenizer);
    this.rating = parts.rating ? new RatingReadout(parts.rating, parts.labels, parts.intercept) : null;
    // WordVectors carries the two-class ψ; k-class ψ_c stay in parts (wordClasses).
    this.vectors = new WordVectors(parts.words, parts.vectors, { psi: heads === 1 ? parts.psi : undefined, bc: parts.bc, options: { dim } });
    this.hasVectors = dim > 0;
    this.vocabulary = new Vocabulary(parts.words);
    this.scanner = new TokenScanner(this.vocabulary, this.tokenizer);
    const R = parts.vectors.data;
    this.u = new Float64Array(V * heads);
    for (let j = 0; j < V; j++) {
      for (let h = 0; h < heads; h++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += parts.weightsVectors[h * dim + d] * R[j * dim + d];
        this.u[j * heads + h] = s;
      }
    }
    this.termWeights = heads > 1 ? termMajor(parts.weightsWords, heads) : new Float64Array(0);
    this.bag = new BinaryBag(V);
    this.projection = this.vectorWeights ? new ProjectionNorm(parts.vectors) : null;
  }

  /** Reads and validates a .svec file; every problem is a SentivecError naming the file. */
  static async load(file: string): Promise<SentimentModel> {
    return SentimentModel.fromContents(await readModelFile(file), file);
  }

  /** From the bytes of a .svec file (`name` is used in error messages). */
  static fromBytes(bytes: Uint8Array, name = '<model>'): SentimentModel {
    return SentimentModel.fromContents(decodeModelFile(bytes, name), name);
  }

  /** From a decoded model file (multi-target-model.ts reads each target this way). */
  static fromContents(c: ModelFileContents, file: string): SentimentModel {
    const bad = (problem: string): SentivecError => new SentivecError(`${file} is not a usable sentivec model: ${problem}`);
    const h = c.header;
    const words = h.words;
    const dim = h.dim;
    if (!Array.isArray(words) || !words.every((w) => typeof w === 'string') || !Number.isInteger(dim) || (dim as number) < 0) throw bad('corrupt header (words / dimensions)');
    const V = words.length;
    const labels = h.labels;
    if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string')) throw bad('corrupt header (labels)');
    const heads = labels.length > 2 ? labels.length : 1;
    let tokenizer: Tokenizer;
    try {
      tokenizer = Tokenizer.fromSettings(h.tokenizer);
    } catch (e) {
      throw bad(`unknown tokenizer settings ${JSON.stringify(h.tokenizer)}: ${(e as Error).message}`);
    }
    const section = <T extends SectionArray>(name: string, type: new (n: number) => T, length: number): T => {
      const a = c.sections.get(name);
      if (!(a instanceof type) || a.length !== length) throw bad(`section '${name}' is missing or has the wrong size`);
      return a;
    };
    const d = dim as number;
    const psi = c.sections.has('psi') ? section('psi', Float32Array, d * (heads > 1 ? heads - 1 : 1)) : undefined;
    // The header's ngrams block was checked against its sections (model-header.ts); the table checks the ids.
    const ng = h.ngrams as NgramHeader | undefined;
    let ngrams: Pick<SentimentModelParts, 'ngrams'> = {};
    if (ng) {
      try {
        ngrams = { ngrams: readNgramTable(ng, c.sections, V, heads) };
      } catch (e) {
        throw bad(`n-gram section: ${(e as Error).message}`);
      }
    }
    if (typeof h.bc !== 'number' || typeof h.intercept !== 'number' || typeof h.info !== 'object' || h.info === null) throw bad('corrupt header (bc / intercept / info)');
    const numbers = (x: unknown, n: number): x is number[] => Array.isArray(x) && x.length === n && x.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (heads > 1 && !numbers(h.intercepts, heads)) throw bad(`corrupt header (intercepts: ${heads} numbers expected)`);
    if (heads > 1 && psi && !numbers(h.bcs, heads - 1)) throw bad(`corrupt header (bcs: ${heads - 1} numbers expected)`);
    return new SentimentModel({
      words: words as string[],
      vectors: { dim: d, vocabSize: V, data: section('R', Float32Array, V * d) },
      psi,
      bc: h.bc,
      tokenizer: tokenizer.settings,
      labels: labels as string[],
      ...(Array.isArray(h.labelNames) ? { names: h.labelNames as string[] } : {}),
      weightsVectors: section('weightsVectors', Float64Array, d * heads),
      weightsWords: section('weightsWords', Float64Array, V * heads),
      intercept: h.intercept,
      ...(heads > 1 ? { intercepts: h.intercepts as number[], ...(psi ? { bcs: h.bcs as number[] } : {}) } : {}),
      frequencies: section('frequencies', Float64Array, V),
      ...ngrams,
      ...(h.rating !== undefined ? { rating: checkRatingParts(h.rating, bad) } : {}),
      info: h.info as ModelInfo,
    });
  }

  /** The .svec bytes; without `timings`, the date and timings are left out so identical training gives identical bytes. */
  toBytes(options: SaveOptions = {}): Uint8Array {
    const p = this.parts;
    const sections = new Map<string, SectionArray>([['R', p.vectors.data]]);
    if (p.psi) sections.set('psi', p.psi);
    sections.set('weightsVectors', p.weightsVectors);
    sections.set('weightsWords', p.weightsWords);
    sections.set('frequencies', p.frequencies);
    // The n-gram table's records as they are (ngram-section.ts): loading them is a copy, not a rebuild.
    const ng = this.ngrams ? ngramSection(this.ngrams) : undefined;
    if (ng) sections.set(ng.name, ng.section);
    const header = {
      kind: 'sentivec-model',
      dim: p.vectors.dim,
      words: p.words,
      tokenizer: p.tokenizer,
      labels: p.labels,
      ...(p.names ? { labelNames: p.names } : {}),
      bc: p.bc,
      intercept: p.intercept,
      ...(this.heads > 1 ? { intercepts: [...this.intercepts], ...(p.bcs ? { bcs: [...p.bcs] } : {}) } : {}),
      ...(ng ? { ngrams: ng.header } : {}),
      ...(p.rating ? { rating: p.rating } : {}),
      info: { ...(options.timings ? p.info : withoutTimings(p.info)), formatVersion: MODEL_FORMAT_VERSION },
    };
    return encodeModelFile(header, sections);
  }

  /** Writes the model atomically: the file is replaced only by a complete new one. */
  async save(file: string, options: SaveOptions = {}): Promise<void> {
    await writeFileAtomic(file, this.toBytes(options));
  }

  get vocabularySize(): number {
    return this.parts.words.length;
  }

  /** Word n-grams the model scores (0: words only), and their longest order (1: words only). */
  get ngramCount(): number {
    return this.ngrams?.size ?? 0;
  }

  get ngramOrder(): number {
    return this.ngrams?.order ?? 1;
  }

  predict(texts: readonly string[], top = DEFAULT_TOP): Prediction[] {
    return texts.map((t) => {
      if (typeof t !== 'string') throw new SentivecError(`predict: expected strings, got ${typeof t}`);
      const ids = this.scanner.scan(t);
      const distinct = this.scanner.distinctIds();
      if (distinct) this.bag.adopt(distinct);
      else this.bag.fill(ids);
      this.grams = this.ngrams ? this.ngrams.distinctSlots(ids) : NO_IDS;
      return this.named(this.decide(top, ids.length));
    });
  }

  /** The display name of a label (itself without --label-names). */
  nameOf(label: string): string {
    const i = this.labels.indexOf(label);
    return i < 0 ? label : this.names[i];
  }

  /** A rating model's prediction reads its score as a rating; with label names, the prediction says its label's name too. */
  private named(decided: Prediction): Prediction {
    const p = this.rating ? this.rating.apply(decided) : decided;
    return this.parts.names ? { ...p, name: this.nameOf(p.label) } : p;
  }

  /** predict() plus every token's share of the score and its place in the text. */
  explain(text: string, top = DEFAULT_TOP): Explanation {
    const spans: { token: string; start: number; end: number; id: number }[] = [];
    const known: { start: number; end: number }[] = [];
    const ids: number[] = [];
    const oov = new Set<string>();
    let evidence = 0;
    this.bag.clear();
    this.tokenizer.forEachTokenSpan(text, (token, start, end) => {
      const id = this.vocabulary.id(token);
      spans.push({ token, start, end, id });
      if (id >= 0) {
        this.bag.add(id);
        ids.push(id);
        known.push({ start, end });
        evidence++;
      } else oov.add(token);
    });
    this.grams = this.ngrams ? this.ngrams.distinctSlots(ids) : NO_IDS;
    const prediction = this.named(this.decide(top, evidence));
    const predicted = this.labels.indexOf(prediction.label);
    const share = this.shares(predicted);
    const tokens: TokenContribution[] = spans.map(({ token, start, end, id }) => ({
      token,
      start,
      end,
      word: id >= 0 ? this.parts.words[id] : null,
      weight: id >= 0 ? (share.get(id) ?? 0) / this.bag.occurrences(id) : 0,
      ...(this.heads > 1 ? { toward: id >= 0 ? this.labels[this.towardClass(id)] : null } : {}),
    }));
    const ngrams = this.ngrams ? this.ngramContributions(this.ngrams, ids, known, share) : undefined;
    return { ...prediction, tokens, ...(ngrams ? { ngrams } : {}), oov: [...oov], intercept: this.heads > 1 ? this.intercepts[predicted] - mean(this.intercepts) : this.intercept };
  }

  /** Each n-gram occurrence of the in-vocabulary word ids (`known`: their spans) with its share of the score. */
  private ngramContributions(table: NgramTable, ids: readonly number[], known: readonly { start: number; end: number }[], share: Map<number, number>): NgramContribution[] {
    const occurrences = table.occurrences(ids);
    const times = new Map<number, number>();
    for (const [g] of occurrences) times.set(g, (times.get(g) ?? 0) + 1);
    const V = this.parts.words.length;
    return occurrences.map(([g, p, n]) => ({
      ngram: table.name(g, this.parts.words),
      start: known[p].start,
      end: known[p + n - 1].end,
      weight: (share.get(V + g) ?? 0) / (times.get(g) ?? 1),
      ...(this.heads > 1 ? { toward: this.labels[this.towardClass(V + g)] } : {}),
    }));
  }

  /** The k words nearest to `word` by cosine; a SentivecError if it is not in the vocabulary. */
  neighbors(word: string, k = 10): Neighbor[] {
    return this.vectors.mostSimilar(this.withVectors(this.vocabularyWord(word)), k);
  }

  /** Cosine similarity of two words' vectors; a SentivecError names a word not in the vocabulary. */
  similarity(a: string, b: string): number {
    return this.vectors.similarity(this.withVectors(this.vocabularyWord(a)), this.vocabularyWord(b));
  }

  /** What the model knows about a word; undefined when it is not in the vocabulary. */
  word(word: string, k = 10): WordInfo | undefined {
    const w = this.findWord(word);
    if (w === undefined) return undefined;
    const id = this.vocabulary.id(w);
    const classes = this.wordClasses(id);
    return { word: w, sentiment: this.vectors.psi ? this.vectors.sentiment(w) : null, ...(classes ? { classes: Object.fromEntries(this.labels.map((l, c) => [l, classes[c]])) } : {}), frequency: this.parts.frequencies[id], neighbors: this.hasVectors ? this.vectors.mostSimilar(w, k) : [] };
  }

  /** ψᵀφ_w + b_c; a SentivecError if the word is unknown or the model has no sentiment component. */
  sentimentOf(word: string): number {
    return this.vectors.sentiment(this.vocabularyWord(word));
  }

  /** A 2-D map (PCA of the unit word vectors) of the n most frequent words; empty without word vectors. */
  map(n = 500): MapPoint[] {
    if (!this.hasVectors) return [];
    const V = this.parts.words.length;
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => this.parts.frequencies[b] - this.parts.frequencies[a] || a - b);
    const rows = order.slice(0, Math.max(0, Math.min(n, V)));
    const xy = pca2(this.parts.vectors, rows);
    return rows.map((i, r) => {
      const word = this.parts.words[i];
      const classes = this.wordClasses(i);
      const lean = classes ? { lean: this.labels[classes.indexOf(Math.max(...classes))] } : {};
      return { word, x: xy[2 * r], y: xy[2 * r + 1], sentiment: this.vectors.psi ? this.vectors.sentiment(word) : null, ...lean, frequency: this.parts.frequencies[i] };
    });
  }

  /**
   * The vocabulary entry a user's word refers to: the word itself, or its
   * single token as the tokenizer would produce it ("Great" → "great").
   */
  findWord(word: string): string | undefined {
    if (this.vocabulary.has(word)) return word;
    const tokens = this.tokenizer.tokenize(word);
    if (tokens.length === 1 && this.vocabulary.has(tokens[0])) return tokens[0];
    return undefined;
  }

  /** `word`, once it is sure the model has word vectors to compare it by. */
  private withVectors(word: string): string {
    if (!this.hasVectors) throw new SentivecError(`this model has no word vectors (its blueprint, ${this.info.blueprint.id}, does not use them); neighbors and similarity need one trained with a vectors blueprint, e.g. --blueprint vectors-bnc`);
    return word;
  }

  private vocabularyWord(word: string): string {
    const w = this.findWord(word);
    if (w === undefined) throw new SentivecError(`"${word}" is not in the model's vocabulary (${this.parts.words.length} words; it keeps frequent training words only)`);
    return w;
  }

  /** 1/‖R v‖ for the scratch bag; 0 when the head gives the vector block no weight (every u_j is 0: nbsvm-*, whose vectors are only shown). */
  private inverseNorm(): number {
    return this.projection ? this.projection.inverse(this.bag) : 0;
  }

  /** k > 2 classes with a sentiment component: the word vectors' p(c | w) for word id (softmax over [0, ψ_cᵀφ_w + b_c]). */
  private wordClasses(id: number): number[] | undefined {
    const { psi, bcs, vectors } = this.parts;
    if (this.heads === 1 || !psi || !bcs) return undefined;
    const dim = vectors.dim;
    const u = [0, ...bcs.map((b, c) => {
      let s = b;
      for (let d = 0; d < dim; d++) s += psi[c * dim + d] * vectors.data[id * dim + d];
      return s;
    })];
    const top = Math.max(...u);
    const e = u.map((x) => Math.exp(x - top));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  }

  /** Term j's share of head h's score in the scratch bag: word j < |V|, or n-gram j − |V|. */
  private share(j: number, h: number, bnc: number, inv: number): number {
    const V = this.parts.words.length;
    if (j >= V) return (this.ngrams as NgramTable).weight(j - V, h) * bnc;
    return this.parts.weightsWords[h * V + j] * bnc + this.u[j * this.heads + h] * inv;
  }

  /** Distinct terms of the current text: its words, then its n-grams. */
  private get termCount(): number {
    return this.bag.size + this.grams.length;
  }

  /** The q-th distinct term of the current text as the top lists hold it: a word id, or |V| + the n-gram's slot in the table. */
  private term(q: number): number {
    const m = this.bag.size;
    return q < m ? this.bag.words[q] : this.parts.words.length + this.grams[q - m];
  }

  /** A term of the top lists (term()) as share() and explain number it: a word id, or |V| + the n-gram's id. */
  private termId(j: number): number {
    const V = this.parts.words.length;
    return j < V || !this.ngrams ? j : V + this.ngrams.idAt(j - V);
  }

  /** 1/√(distinct terms) of the current text (0 without any). */
  private bnc(): number {
    const m = this.termCount;
    return m > 0 ? 1 / Math.sqrt(m) : 0;
  }

  /** k > 2: the class whose score word j (in the scratch bag) raises most. */
  private towardClass(j: number): number {
    const inv = this.inverseNorm();
    const bnc = this.bnc();
    let best = 0;
    for (let h = 1; h < this.heads; h++) if (this.share(j, h, bnc, inv) > this.share(j, best, bnc, inv)) best = h;
    return best;
  }

  /** Word j's share of the score of class c: its share of head c minus its mean share over heads (k > 2), or of the one head. */
  private centeredShare(j: number, c: number, bnc: number, inv: number): number {
    if (this.heads === 1) return this.share(j, 0, bnc, inv);
    let sum = 0;
    for (let h = 0; h < this.heads; h++) sum += this.share(j, h, bnc, inv);
    return this.share(j, c, bnc, inv) - sum / this.heads;
  }

  private shares(predicted: number): Map<number, number> {
    const m = this.termCount;
    const inv = this.inverseNorm();
    const bnc = this.bnc();
    const out = new Map<number, number>();
    for (let q = 0; q < m; q++) {
      const j = this.termId(this.term(q));
      out.set(j, this.centeredShare(j, predicted, bnc, inv));
    }
    return out;
  }

  private decide(top: number, evidence: number): Prediction {
    if (evidence === 0) {
      // No known word: the features are all zero and the logistic regression would answer sigmoid(intercept),
      // which is not the class balance (regularisation and calibration move it). The honest answer is the prior.
      const probabilities = Object.fromEntries(this.labels.map((l, c) => [l, this.priors[c]]));
      if (this.heads === 1) {
        const positive = this.prior > 0.5;
        return { label: this.labels[positive ? 1 : 0], probability: positive ? this.prior : 1 - this.prior, probabilities, score: Math.log(this.prior / (1 - this.prior)), evidence, top: { positive: [], negative: [] } };
      }
      const best = this.priors.indexOf(Math.max(...this.priors));
      const logs = this.priors.map((q) => Math.log(q));
      return { label: this.labels[best], probability: this.priors[best], probabilities, score: logs[best] - mean(logs), evidence, top: { positive: [], negative: [] } };
    }
    const m = this.bag.size;
    const inv = this.inverseNorm();
    const bnc = this.bnc();
    if (this.heads > 1) return this.decideClasses(top, bnc, inv, evidence);
    // One pass over the terms: each one's share, the score, and the top terms. A share rarely beats the floor
    // of those kept (after the first few), so the two tests are well predicted and the weights' loads still
    // overlap; the offers come in term order, as term(q) numbers them. The score starts from a Float64Array
    // entry so the optimiser keeps the sum an unboxed double.
    const pos = this.pos.reset(top);
    const neg = this.neg.reset(top);
    let score = this.intercepts[0];
    const words = this.bag.words;
    const weightsWords = this.parts.weightsWords;
    const u = this.u;
    for (let q = 0; q < m; q++) {
      const j = words[q];
      // Without the vector block (inv = 0: nbsvm-*, or R v = 0) u_j·inv is a zero, which changes no sum: skip it.
      const share = inv === 0 ? weightsWords[j] * bnc : weightsWords[j] * bnc + u[j] * inv;
      score += share;
      if (share > pos.floor) pos.offer(j, share);
      else if (-share > neg.floor) neg.offer(j, -share);
    }
    // Each found n-gram's weight is in its table record, which the lookup has just read: no second miss.
    const grams = this.grams;
    const records = this.ngrams ? this.ngrams.weights : NO_WEIGHTS;
    const stride = this.ngrams ? this.ngrams.recordFloats : 0;
    const V = this.parts.words.length;
    for (let g = 0; g < grams.length; g++) {
      const slot = grams[g];
      const share = records[slot * stride + 1] * bnc;
      score += share;
      if (share > pos.floor) pos.offer(V + slot, share);
      else if (-share > neg.floor) neg.offer(V + slot, -share);
    }
    const p = sigmoid(score);
    const positive = score > 0;
    return {
      label: this.labels[positive ? 1 : 0],
      probability: positive ? p : 1 - p,
      probabilities: { [this.labels[0]]: 1 - p, [this.labels[1]]: p },
      score,
      evidence,
      top: this.topWords(pos, neg),
    };
  }

  /** k > 2 classes: softmax over the heads' scores; the words pushing toward / away from the winner. */
  private decideClasses(top: number, bnc: number, inv: number, evidence: number): Prediction {
    const k = this.heads;
    const s = this.classScores;
    s.set(this.intercepts);
    const m = this.termCount;
    // Each term's k shares once: the scores and the centred shares of the top words both read them.
    if (this.termShares.length < m * k) this.termShares = new Float64Array(2 * m * k);
    const shares = this.termShares;
    // share(j, h, bnc, inv) written out for the words, then the n-grams (the same products and sums in the
    // same order), reading term-major weights; u_j·inv is left out when inv = 0, a zero that changes no sum.
    const words = this.bag.words;
    const w = this.bag.size;
    const weights = this.termWeights;
    const u = this.u;
    if (this.termMeans.length < m) this.termMeans = new Float64Array(2 * m);
    const means = this.termMeans;
    // The n-grams' k weights are in their table records.
    const grams = this.grams;
    const records = this.ngrams ? this.ngrams.weights : NO_WEIGHTS;
    const stride = this.ngrams ? this.ngrams.recordFloats : 0;
    // Each term's mean share over the heads is kept too (its sum in the same order as centeredShare's).
    if (k === 3) {
      this.threeClassShares(bnc, inv);
    } else {
      for (let q = 0; q < m; q++) {
        const word = q < w;
        const at = word ? words[q] * k : grams[q - w] * stride + 1;
        let sum = 0;
        for (let h = 0; h < k; h++) {
          const share = word ? (inv === 0 ? weights[at + h] * bnc : weights[at + h] * bnc + u[at + h] * inv) : records[at + h] * bnc;
          shares[q * k + h] = share;
          sum += share;
          s[h] += share;
        }
        means[q] = sum / k;
      }
    }
    let best = 0;
    for (let h = 1; h < k; h++) if (s[h] > s[best]) best = h;
    let z = 0;
    for (let h = 0; h < k; h++) z += Math.exp(s[h] - s[best]);
    const probabilities: Record<string, number> = {};
    for (let h = 0; h < k; h++) probabilities[this.labels[h]] = Math.exp(s[h] - s[best]) / z;
    const pos = this.pos.reset(top);
    const neg = this.neg.reset(top);
    if (top > 0) {
      for (let q = 0; q < m; q++) {
        // centeredShare(term q, best) from the stored shares and mean.
        const share = shares[q * k + best] - means[q];
        if (share > pos.floor) pos.offer(this.term(q), share);
        else if (-share > neg.floor) neg.offer(this.term(q), -share);
      }
    }
    return { label: this.labels[best], probability: 1 / z, probabilities, score: s[best] - mean(s), evidence, top: this.topWords(pos, neg) };
  }

  /**
   * decideClasses' shares, means and scores for three classes, the common case: the words' loop and the
   * n-grams' loop apart (no per-term test of which a term is), each term's three shares written out, then
   * the scores summed in locals over the stored shares; the same products and sums in the same order.
   */
  private threeClassShares(bnc: number, inv: number): void {
    const words = this.bag.words;
    const w = this.bag.size;
    const weights = this.termWeights;
    const u = this.u;
    for (let q = 0; q < w; q++) {
      const at = 3 * words[q];
      if (inv === 0) this.keepThree(q, weights[at] * bnc, weights[at + 1] * bnc, weights[at + 2] * bnc);
      else this.keepThree(q, weights[at] * bnc + u[at] * inv, weights[at + 1] * bnc + u[at + 1] * inv, weights[at + 2] * bnc + u[at + 2] * inv);
    }
    const grams = this.grams;
    const records = this.ngrams ? this.ngrams.weights : NO_WEIGHTS;
    const stride = this.ngrams ? this.ngrams.recordFloats : 0;
    for (let g = 0; g < grams.length; g++) {
      const at = grams[g] * stride + 1;
      this.keepThree(w + g, records[at] * bnc, records[at + 1] * bnc, records[at + 2] * bnc);
    }
    const s = this.classScores;
    const shares = this.termShares;
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    for (let q = 0, end = 3 * (w + grams.length); q < end; q += 3) {
      s0 += shares[q];
      s1 += shares[q + 1];
      s2 += shares[q + 2];
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
  }

  /** Term q's three shares, and their mean (summed from 0 in head order, as centeredShare does). */
  private keepThree(q: number, a: number, b: number, c: number): void {
    const shares = this.termShares;
    shares[3 * q] = a;
    shares[3 * q + 1] = b;
    shares[3 * q + 2] = c;
    this.termMeans[q] = (0 + a + b + c) / 3;
  }

  private topWords(pos: TopK, neg: TopK): Prediction['top'] {
    return {
      positive: this.wordWeights(pos, 1),
      negative: this.wordWeights(neg, -1),
    };
  }

  /** The kept terms of `top`, largest first, as words with their weights times `sign` (a loop, not a closure per text). */
  private wordWeights(top: TopK, sign: number): WordWeight[] {
    const out: WordWeight[] = [];
    for (let i = 0; i < top.size; i++) out.push({ word: this.termName(top.ids[i]), weight: sign * top.values[i] });
    return out;
  }

  /** Term j's text (j as term() gives it): the word, or the n-gram's words joined by spaces. */
  private termName(j: number): string {
    const words = this.parts.words;
    if (j < words.length || !this.ngrams) return words[j];
    // The same n-grams top text after text: their names are kept (a bounded cache, so nothing grows without
    // end), not joined again each time (a new string a term, garbage by the next batch).
    let name = this.ngramNames.get(j);
    if (name === undefined) {
      if (this.ngramNames.size >= NGRAM_NAMES) this.ngramNames.clear();
      name = this.ngrams.nameAt(j - words.length, words);
      this.ngramNames.set(j, name);
    }
    return name;
  }
}

const NO_IDS = new Int32Array(0);
const NO_WEIGHTS = new Float64Array(0);

/** Class-major word weights (k × |V|) as a term-major array (|V| × k). */
function termMajor(words: Float64Array, k: number): Float64Array {
  const V = words.length / k;
  const out = new Float64Array(words.length);
  for (let h = 0; h < k; h++) for (let j = 0; j < V; j++) out[j * k + h] = words[h * V + j];
  return out;
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/**
 * Each label's share of the labeled training documents (info.data.perClass),
 * kept strictly inside (0, 1) so its log-odds is finite; a model whose info
 * lacks the counts falls back to the no-word answer of its heads.
 */
function classPriors(parts: SentimentModelParts): number[] {
  const counts = parts.info?.data?.perClass;
  const n = parts.labels.map((l) => counts?.[l]);
  const total = n.reduce<number>((a, b) => a + (typeof b === 'number' ? b : NaN), 0);
  if (!(total > 0)) {
    if (parts.labels.length === 2) return [1 - sigmoid(parts.intercept), sigmoid(parts.intercept)];
    const b = parts.intercepts ?? parts.labels.map(() => 0);
    const top = Math.max(...b);
    const z = b.reduce((a, x) => a + Math.exp(x - top), 0);
    return b.map((x) => Math.exp(x - top) / z);
  }
  const eps = 1 / (total + 2);
  return n.map((c) => Math.min(1 - eps, Math.max(eps, (c as number) / total)));
}

/**
 * The k largest (id, value) pairs offered (values > 0), largest first; ties
 * keep the earlier offer. A model keeps two and resets them for each text,
 * so a prediction allocates only its result.
 */
class TopK {
  /** The kept pairs, largest first (the first `size`). */
  readonly ids: number[] = [];
  readonly values: number[] = [];
  private n = 0;
  private k = 0;
  /**
   * A value must exceed this to enter: 0 until k are kept, then the k-th
   * largest (Infinity for k = 0). Scoring checks it before calling offer(),
   * so the few hundred terms of a text cost a comparison each, not a call.
   */
  floor = Infinity;

  constructor(k: number) {
    this.reset(k);
  }

  get size(): number {
    return this.n;
  }

  /** Empty, for the k largest of the next text; returns itself. */
  reset(k: number): this {
    this.k = k;
    this.n = 0;
    this.floor = k > 0 ? 0 : Infinity;
    return this;
  }

  offer(id: number, value: number): void {
    if (this.k <= 0) return;
    const n = this.n;
    if (n === this.k && value <= this.values[n - 1]) return;
    let i = n === this.k ? n - 1 : n;
    while (i > 0 && this.values[i - 1] < value) {
      this.values[i] = this.values[i - 1];
      this.ids[i] = this.ids[i - 1];
      i--;
    }
    this.values[i] = value;
    this.ids[i] = id;
    if (n < this.k) this.n = n + 1;
    if (this.n === this.k) this.floor = this.values[this.k - 1];
  }

}
