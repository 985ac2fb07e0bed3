/**
 * Text cleaning and tokenization.
 *
 * Two modes, because the paper and a later reproduction disagree:
 * - `paper` keeps sentiment-bearing non-word tokens: emoticons (`:-)`, `;p`),
 *   and runs of `!` or `?` (collapsed to a single `!` / `?` so that "!!!!!"
 *   counts once, like a word).
 * - `strip` keeps only word tokens: punctuation attached to words is dropped.
 * Both lowercase and share one word definition (letters/digits joined by
 * internal apostrophes or hyphens: "don't", "well-made"), so the ablation
 * isolates exactly the punctuation tokens.
 */

export type TokenizerMode = 'paper' | 'strip';

export const TOKENIZER_MODES: readonly TokenizerMode[] = ['paper', 'strip'];

export interface TokenizerOptions {
  mode?: TokenizerMode;
}

// Only real tags: a bare "<3" or "a < b" is text, not markup.
const TAG = /<\/?[a-z][^<>]*>/gi;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
  '&nbsp;': ' ',
};
const ENTITY = /&(?:amp|lt|gt|quot|#39|apos|nbsp);/g;

/** Strip HTML tags (aclImdb reviews contain `<br />`) and decode common entities. */
export function cleanHtml(text: string): string {
  return text.replace(TAG, ' ').replace(ENTITY, (m) => ENTITIES[m] ?? m);
}

// Emoticons are matched before words so ":p" is not split into ":" + "p".
const EMOTICON = String.raw`(?:[:;=][\-o*']?[()\[\]dp/\\|3]|<3)(?![\p{L}\p{N}])`;
const WORD = String.raw`[\p{L}\p{N}]+(?:['\-][\p{L}\p{N}]+)*`;
const PAPER_RE = new RegExp(`(${EMOTICON})|(${WORD})|(!+)|(\\?+)`, 'gu');
const STRIP_RE = new RegExp(WORD, 'gu');
const CURLY_APOSTROPHE = /[\u2018\u2019\u02bc]/g;

export class Tokenizer {
  readonly mode: TokenizerMode;

  constructor(options: TokenizerOptions = {}) {
    this.mode = options.mode ?? 'paper';
    if (!TOKENIZER_MODES.includes(this.mode)) {
      throw new Error(`unknown tokenizer mode ${String(this.mode)}`);
    }
  }

  /** Calls `emit` for every token of `text`, in order, without building an array. */
  forEachToken(text: string, emit: (token: string) => void): void {
    const s = cleanHtml(text).toLowerCase().replace(CURLY_APOSTROPHE, "'");
    if (this.mode === 'strip') {
      const re = new RegExp(STRIP_RE);
      let m: RegExpExecArray | null;
      while ((m = re.exec(s)) !== null) emit(m[0]);
      return;
    }
    const re = new RegExp(PAPER_RE);
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      if (m[3] !== undefined) emit('!');
      else if (m[4] !== undefined) emit('?');
      else emit(m[0]);
    }
  }

  tokenize(text: string): string[] {
    const out: string[] = [];
    this.forEachToken(text, (t) => out.push(t));
    return out;
  }
}
