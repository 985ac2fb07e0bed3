import { defaultFor, fixedDefault } from '../util/options.js';
import { Dictionary } from './dictionary.js';
import { TEXT_OPTIONS } from './text-options.js';

export interface VocabularyOptions {
  /** Drop this many most frequent tokens (the paper: 50; the product: 0). */
  skipTop?: number;
  /** Keep at most this many tokens after those (the paper: 5,000; the product: no cap). */
  size?: number;
  /** Ignore tokens seen fewer times than this (an absolute frequency floor). */
  minCount?: number;
  /**
   * A relative frequency floor: ignore tokens seen fewer than this many times
   * per million tokens of the corpus (the product: 2); 0 = none. With
   * minCount it makes the size follow the data: every word seen twice in a
   * small corpus (≈ 6k words for 12k tweets), only the words seen 35 times or
   * more in IMDb's 17.5M training tokens (≈ 18k words).
   */
  minPerMillion?: number;
}

/** The vocabulary cut for `defaults`, from TEXT_OPTIONS (an unset size: no cap). */
function vocabularyFor(defaults: 'product' | 'reproduce'): Readonly<Required<VocabularyOptions>> {
  const T = TEXT_OPTIONS;
  return Object.freeze({
    skipTop: fixedDefault(T.skipTop, defaults),
    size: defaultFor(T.vocabSize, defaults) ?? Number.POSITIVE_INFINITY,
    minCount: fixedDefault(T.minCount, defaults),
    minPerMillion: fixedDefault(T.minPerMillion, defaults),
  });
}

/** What the paper did (reproduce, the research commands): drop the 50 most frequent tokens, keep the next 5,000. */
export const PAPER_VOCABULARY = vocabularyFor('reproduce');

/**
 * The product's default (train, cv on a user's corpus): no frequent-token drop
 * (on tweets and short reviews the 50 most frequent include not, no, but,
 * good, !, ?), no fixed size: every token seen at least twice and at least
 * twice per million tokens, so the size follows the data.
 */
export const PRODUCT_VOCABULARY = vocabularyFor('product');

/** The occurrences a token needs to enter the vocabulary, for a corpus of `tokens` tokens: max(minCount, ⌈minPerMillion · tokens / 10⁶⌉). */
export function floor(options: VocabularyOptions, tokens: number): number {
  const minCount = options.minCount ?? PAPER_VOCABULARY.minCount;
  const perMillion = options.minPerMillion ?? PAPER_VOCABULARY.minPerMillion;
  return Math.max(minCount, Math.ceil((perMillion * tokens) / 1e6));
}

/**
 * The model's vocabulary V: token frequencies counted over the training
 * documents (labeled and unlabeled), the `skipTop` most frequent dropped
 * (they carry little sentiment and dominate the softmax), then the next
 * tokens above the frequency floor (floor()), up to `size` of them. Ties in frequency are broken by the token's
 * string order so the cut is deterministic. Defaults: PAPER_VOCABULARY.
 */
export class Vocabulary {
  readonly words: readonly string[];
  private readonly index: Map<string, number>;

  constructor(words: readonly string[]) {
    this.words = words;
    this.index = new Map(words.map((w, i) => [w, i]));
    if (this.index.size !== words.length) throw new Error('vocabulary words must be unique');
  }

  get size(): number {
    return this.words.length;
  }

  /** Id of `word`, or -1 when it is outside the vocabulary. */
  id(word: string): number {
    return this.index.get(word) ?? -1;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  static fromCounts(words: readonly string[], counts: ArrayLike<number>, options: VocabularyOptions = {}): Vocabulary {
    const skipTop = options.skipTop ?? PAPER_VOCABULARY.skipTop;
    const size = options.size ?? PAPER_VOCABULARY.size;
    let total = 0;
    for (let i = 0; i < words.length; i++) total += counts[i];
    const minCount = floor(options, total);
    const order: number[] = [];
    for (let i = 0; i < words.length; i++) if (counts[i] >= minCount) order.push(i);
    order.sort((a, b) => counts[b] - counts[a] || (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : 0));
    const end = Math.min(order.length, skipTop + size);
    return new Vocabulary(order.slice(skipTop, end).map((i) => words[i]));
  }

  static fromDictionary(dict: Dictionary, options: VocabularyOptions = {}): Vocabulary {
    const counts = new Float64Array(dict.size);
    for (let i = 0; i < dict.size; i++) counts[i] = dict.count(i);
    return Vocabulary.fromCounts(dict.words, counts, options);
  }

  /** Maps dictionary ids to vocabulary ids (-1 outside V). */
  mapping(dict: Dictionary): Int32Array {
    const map = new Int32Array(dict.size).fill(-1);
    for (let v = 0; v < this.words.length; v++) {
      const d = dict.get(this.words[v]);
      if (d !== undefined) map[d] = v;
    }
    return map;
  }
}
