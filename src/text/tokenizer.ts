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
 *
 * token-scanner.ts restates these rules over char codes for prediction's hot
 * path; a change here needs the same change there (its tests compare the two).
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

  /**
   * The same tokens as forEachToken, each with its UTF-16 offsets [start, end)
   * in the original `text` (before tag stripping, entity decoding and
   * lowercasing), for highlighting. Slower than forEachToken.
   */
  forEachTokenSpan(text: string, emit: (token: string, start: number, end: number) => void): void {
    const { clean, from, to } = cleanWithOffsets(text);
    let s = clean.toLowerCase();
    let sFrom = from;
    let sTo = to;
    if (s.length !== clean.length) {
      // Rare: lowercasing changed the length (e.g. U+0130); lowercase per code point to keep the map.
      const parts: string[] = [];
      sFrom = [];
      sTo = [];
      for (let i = 0; i < clean.length; ) {
        const cp = clean.codePointAt(i) ?? 0;
        const width = cp > 0xffff ? 2 : 1;
        const lower = String.fromCodePoint(cp).toLowerCase();
        parts.push(lower);
        for (let k = 0; k < lower.length; k++) {
          sFrom.push(from[i]);
          sTo.push(to[i + width - 1]);
        }
        i += width;
      }
      s = parts.join('');
    }
    s = s.replace(CURLY_APOSTROPHE, "'");
    const re = new RegExp(this.mode === 'strip' ? STRIP_RE : PAPER_RE);
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      const start = sFrom[m.index];
      const end = sTo[m.index + m[0].length - 1];
      if (this.mode === 'paper' && m[3] !== undefined) emit('!', start, end);
      else if (this.mode === 'paper' && m[4] !== undefined) emit('?', start, end);
      else emit(m[0], start, end);
    }
  }

  tokenize(text: string): string[] {
    const out: string[] = [];
    this.forEachToken(text, (t) => out.push(t));
    return out;
  }
}

/**
 * cleanHtml, also returning for each character of the result the range
 * [from, to) of `text` it came from. Same rules: tags become one space, then
 * entities are decoded (a tag's space can never be part of an entity, so the
 * two steps can run segment by segment).
 */
function cleanWithOffsets(text: string): { clean: string; from: number[]; to: number[] } {
  const parts: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const plain = (lo: number, hi: number): void => {
    const entity = new RegExp(ENTITY);
    let i = lo;
    const seg = text.slice(lo, hi);
    let m: RegExpExecArray | null;
    while ((m = entity.exec(seg)) !== null) {
      for (; i < lo + m.index; i++) {
        from.push(i);
        to.push(i + 1);
      }
      const decoded = ENTITIES[m[0]] ?? m[0];
      for (let k = 0; k < decoded.length; k++) {
        from.push(lo + m.index);
        to.push(lo + m.index + m[0].length);
      }
      i = lo + m.index + m[0].length;
    }
    for (; i < hi; i++) {
      from.push(i);
      to.push(i + 1);
    }
    parts.push(seg.replace(ENTITY, (e) => ENTITIES[e] ?? e));
  };
  const tag = new RegExp(TAG);
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(text)) !== null) {
    plain(last, m.index);
    parts.push(' ');
    from.push(m.index);
    to.push(m.index + m[0].length);
    last = m.index + m[0].length;
  }
  plain(last, text.length);
  return { clean: parts.join(''), from, to };
}
