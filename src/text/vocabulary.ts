import { Dictionary } from './dictionary.js';

export interface VocabularyOptions {
  /** Drop this many most frequent tokens (the paper: 50). */
  skipTop?: number;
  /** Keep this many tokens after those (the paper: 5,000). */
  size?: number;
  /** Ignore tokens seen fewer times than this. */
  minCount?: number;
}

/**
 * The model's vocabulary V: token frequencies counted over the training
 * documents (labeled and unlabeled), the `skipTop` most frequent dropped
 * (they carry little sentiment and dominate the softmax), the next `size` kept.
 * Ties in frequency are broken by the token's string order so the cut is
 * deterministic.
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
    const skipTop = options.skipTop ?? 50;
    const size = options.size ?? 5000;
    const minCount = options.minCount ?? 1;
    const order: number[] = [];
    for (let i = 0; i < words.length; i++) if (counts[i] >= minCount) order.push(i);
    order.sort((a, b) => counts[b] - counts[a] || (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : 0));
    return new Vocabulary(order.slice(skipTop, skipTop + size).map((i) => words[i]));
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
