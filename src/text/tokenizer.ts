/**
 * Text cleaning and tokenization.
 *
 * Three modes. `product` (the default of `sentivec train`) is for text from
 * the real world: NFKC, one form of quotes, elongations cut, URLs / mentions /
 * numbers as placeholders, #hashtags, emoji sequences, segmentation of
 * scripts without spaces, optional negation scope (product-rules.ts, its
 * switches in product-options.ts). The other two are the research modes,
 * kept bit-for-bit for `reproduce`, because the paper and a later
 * reproduction disagree:
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

import { normalizeText, normalizeWithOffsets } from './normalize.js';
import { PRODUCT_DEFAULTS, PRODUCT_TOKENIZER_VERSION, SEGMENTATIONS, type ProductOptions } from './product-options.js';
import { ProductRules } from './product-rules.js';

export type TokenizerMode = 'paper' | 'strip' | 'product';

export const TOKENIZER_MODES: readonly TokenizerMode[] = ['paper', 'strip', 'product'];

export interface TokenizerOptions extends Partial<ProductOptions> {
  /** Default `paper` (the library's research default); `sentivec train` uses `product`. */
  mode?: TokenizerMode;
}

/** What a model file records: the mode, and for `product` its version and every switch. */
export type TokenizerSettings = { mode: 'paper' | 'strip' } | ({ mode: 'product'; version: number } & ProductOptions);

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
  /** The product switches (undefined in the research modes). */
  readonly product: Readonly<ProductOptions> | undefined;
  private readonly rules: ProductRules | undefined;

  constructor(options: TokenizerOptions = {}) {
    this.mode = options.mode ?? 'paper';
    if (!TOKENIZER_MODES.includes(this.mode)) {
      throw new Error(`unknown tokenizer mode ${String(this.mode)}`);
    }
    const switches = (Object.keys(PRODUCT_DEFAULTS) as (keyof ProductOptions)[]).filter((k) => options[k] !== undefined);
    if (this.mode !== 'product') {
      if (switches.length > 0) throw new Error(`tokenizer option ${switches[0]} applies to the product mode only`);
      return;
    }
    const product: ProductOptions = { ...PRODUCT_DEFAULTS };
    for (const k of switches) (product as unknown as Record<string, unknown>)[k] = options[k];
    for (const k of ['normalize', 'emoji', 'placeholders', 'negation'] as const) {
      if (typeof product[k] !== 'boolean') throw new Error(`tokenizer option ${k} must be true or false`);
    }
    if (!SEGMENTATIONS.includes(product.segment)) throw new Error(`tokenizer option segment must be one of ${SEGMENTATIONS.join(', ')}`);
    this.product = Object.freeze(product);
    this.rules = new ProductRules(this.product);
  }

  /** The settings a model file records (fromSettings reads them back). */
  get settings(): TokenizerSettings {
    if (this.mode !== 'product' || this.product === undefined) return { mode: this.mode as 'paper' | 'strip' };
    return { mode: 'product', version: PRODUCT_TOKENIZER_VERSION, ...this.product };
  }

  /** Whether the product switches are all at their defaults (the token scanner's fast path). */
  get isProductDefault(): boolean {
    const p = this.product;
    return p !== undefined && (Object.keys(PRODUCT_DEFAULTS) as (keyof ProductOptions)[]).every((k) => p[k] === PRODUCT_DEFAULTS[k]);
  }

  /** A tokenizer from a model file's settings; an Error says what is wrong with them. */
  static fromSettings(settings: unknown): Tokenizer {
    if (typeof settings !== 'object' || settings === null) throw new Error('missing tokenizer settings');
    const s = settings as Record<string, unknown>;
    const mode = s.mode;
    if (typeof mode !== 'string' || !(TOKENIZER_MODES as readonly string[]).includes(mode)) throw new Error(`unknown tokenizer mode ${JSON.stringify(mode)}`);
    if (mode !== 'product') return new Tokenizer({ mode: mode as TokenizerMode });
    if (s.version !== PRODUCT_TOKENIZER_VERSION) {
      throw new Error(`product tokenizer version ${JSON.stringify(s.version)}; this sentivec implements version ${PRODUCT_TOKENIZER_VERSION}${typeof s.version === 'number' && s.version > PRODUCT_TOKENIZER_VERSION ? ' (upgrade sentivec)' : ''}`);
    }
    const options: TokenizerOptions = { mode: 'product' };
    for (const k of Object.keys(PRODUCT_DEFAULTS) as (keyof ProductOptions)[]) {
      if (s[k] === undefined) throw new Error(`product tokenizer settings lack ${k}`);
      (options as Record<string, unknown>)[k] = s[k];
    }
    return new Tokenizer(options);
  }

  /** Calls `emit` for every token of `text`, in order, without building an array. */
  forEachToken(text: string, emit: (token: string) => void): void {
    if (this.rules !== undefined && this.product !== undefined) {
      const clean = cleanHtml(text);
      const s = this.product.normalize ? normalizeText(clean).toLowerCase() : clean.toLowerCase().replace(CURLY_APOSTROPHE, "'");
      this.rules.tokens(s, emit);
      return;
    }
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
    const cleaned = cleanWithOffsets(text);
    const normalized = this.product?.normalize === true ? normalizeWithOffsets(cleaned.clean, cleaned.from, cleaned.to) : { text: cleaned.clean, from: cleaned.from, to: cleaned.to };
    const { text: clean, from, to } = normalized;
    let s = clean.toLowerCase();
    let sFrom = from;
    let sTo = to;
    if (s.length !== clean.length) {
      // Rare: lowercasing changed the length (e.g. U+0130). Map each code point to as many chars as its own
      // lowercase has; the text stays the whole-string lowercase (what forEachToken tokenizes: Σ becomes ς
      // at the end of a word, which lowercasing Σ alone cannot know, and either way it is one char).
      sFrom = [];
      sTo = [];
      for (let i = 0; i < clean.length; ) {
        const cp = clean.codePointAt(i) ?? 0;
        const width = cp > 0xffff ? 2 : 1;
        const n = String.fromCodePoint(cp).toLowerCase().length;
        for (let k = 0; k < n; k++) {
          sFrom.push(from[i]);
          sTo.push(to[i + width - 1]);
        }
        i += width;
      }
    }
    if (this.rules !== undefined && this.product?.normalize === true) {
      this.rules.tokens(s, (token, a, b) => emit(token, sFrom[a], sTo[b - 1]));
      return;
    }
    s = s.replace(CURLY_APOSTROPHE, "'");
    if (this.rules !== undefined) {
      this.rules.tokens(s, (token, a, b) => emit(token, sFrom[a], sTo[b - 1]));
      return;
    }
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
