/**
 * The product tokenizer's switches, declared once with their defaults. Each
 * one is a rule of its own so the text benchmark (bench/text.ts) can measure
 * it by turning it off (or on) alone; the defaults are what `sentivec train`
 * uses. A model file records the switches and PRODUCT_TOKENIZER_VERSION, so a
 * model always tokenizes as it was trained.
 */

/** How runs of a script written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese) become tokens. */
export type Segmentation = 'words' | 'chars' | 'none';
export const SEGMENTATIONS: readonly Segmentation[] = ['words', 'chars', 'none'];

export interface ProductOptions {
  /** Unicode NFKC, one form for quotes and apostrophes, elongations cut to two letters (sooooo → soo). */
  normalize: boolean;
  /** Emoji and emoji sequences (ZWJ, skin tones, flags, keycaps) as tokens. */
  emoji: boolean;
  /**
   * URLs → <url>, runs of digits → <num>; @mentions and #hashtags kept as one
   * token each (@united, #fail: a frequent handle says which airline, a rare
   * one falls under the frequency floor).
   */
  placeholders: boolean;
  /** words: Intl.Segmenter's words; chars: character unigrams and bigrams; none: the whole run is one token. */
  segment: Segmentation;
  /** Words after a negator, up to the next punctuation, get the prefix `not_` (Das & Chen 2001; Pang et al. 2002). */
  negation: boolean;
}

export const PRODUCT_DEFAULTS: Readonly<ProductOptions> = Object.freeze({
  normalize: true,
  emoji: true,
  placeholders: true,
  segment: 'words',
  negation: false,
});

/**
 * Bumped whenever a rule of the product tokenizer changes what it emits: a
 * model records the version it was trained with, and a reader refuses a
 * version it does not implement rather than tokenizing differently.
 */
export const PRODUCT_TOKENIZER_VERSION = 1;

/** The placeholder tokens (they cannot collide with words: a word never contains `<` or `>`). */
export const URL_TOKEN = '<url>';
export const NUMBER_TOKEN = '<num>';
/** Prefix of a word inside a negation scope (`_` never occurs in a word token). */
export const NEGATED_PREFIX = 'not_';

/** Words that open a negation scope (after lowercasing and apostrophe unification); words ending in n't do too. */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'nowhere', 'neither', 'nor', 'cannot', 'without',
  'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'werent', 'cant', 'couldnt', 'wont', 'wouldnt',
  'shouldnt', 'aint', 'havent', 'hasnt', 'hadnt', 'mustnt',
]);

export function isNegator(word: string): boolean {
  return NEGATORS.has(word) || word.endsWith("n't");
}
