/**
 * The product tokenizer's text normalization, applied after HTML cleaning and
 * before lowercasing: one form for quotes and apostrophes, then Unicode NFKC
 * (full-width letters, ligatures, compatibility digits and the like become
 * their plain forms; "…" becomes "...").
 *
 * Quotes are unified first because NFKC turns the acute accent used as an
 * apostrophe (´) into a space and a combining mark.
 */

/** Chars used as apostrophes: ‘ ’ ‚ ‛ ′ ʼ ` ´ ＇. */
export const APOSTROPHES = '\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4\uff07';
/** Chars used as double quotes: “ ” „ ‟ ″ « » ＂. */
export const DOUBLE_QUOTES = '\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02';

const QUOTE_MAP = new Map<string, string>([...[...APOSTROPHES].map((c) => [c, "'"] as const), ...[...DOUBLE_QUOTES].map((c) => [c, '"'] as const)]);
const QUOTE = new RegExp(`[${APOSTROPHES}${DOUBLE_QUOTES}]`, 'g');
/** Anything that normalization could change: a non-ASCII char or the backtick. */
const MAY_CHANGE = /[^\x00-\x5f\x61-\x7f]/;

/** One form for quotes and apostrophes (a char-for-char replacement: offsets are kept). */
export function unifyQuotes(text: string): string {
  return text.replace(QUOTE, (q) => QUOTE_MAP.get(q) ?? q);
}

/** unifyQuotes, then NFKC; plain ASCII (the common case) is returned as it is. */
export function normalizeText(text: string): string {
  if (!MAY_CHANGE.test(text)) return text;
  return unifyQuotes(text).normalize('NFKC');
}

/**
 * normalizeText, also mapping each char of the result to the range of the
 * input it came from (`from`/`to` give each input char's own range in the
 * original text). NFKC is applied per cluster (a code point and the marks
 * after it); when that differs from normalizing the whole text (rare: e.g.
 * Hangul jamo composing across clusters), the whole-text result is used and
 * every char maps to the whole input, so tokens always equal normalizeText's.
 */
export function normalizeWithOffsets(text: string, from: readonly number[], to: readonly number[]): { text: string; from: number[]; to: number[] } {
  const whole = normalizeText(text);
  if (whole === text) return { text, from: [...from], to: [...to] };
  const q = unifyQuotes(text);
  const parts: string[] = [];
  const outFrom: number[] = [];
  const outTo: number[] = [];
  const MARK = /\p{M}/u;
  for (let i = 0; i < q.length; ) {
    let j = i + ((q.codePointAt(i) ?? 0) > 0xffff ? 2 : 1);
    while (j < q.length) {
      const cp = q.codePointAt(j) ?? 0;
      if (!MARK.test(String.fromCodePoint(cp))) break;
      j += cp > 0xffff ? 2 : 1;
    }
    const n = q.slice(i, j).normalize('NFKC');
    parts.push(n);
    for (let k = 0; k < n.length; k++) {
      outFrom.push(from[i]);
      outTo.push(to[j - 1]);
    }
    i = j;
  }
  const joined = parts.join('');
  if (joined === whole) return { text: joined, from: outFrom, to: outTo };
  const lo = from.length > 0 ? from[0] : 0;
  const hi = to.length > 0 ? to[to.length - 1] : 0;
  return { text: whole, from: Array<number>(whole.length).fill(lo), to: Array<number>(whole.length).fill(hi) };
}
