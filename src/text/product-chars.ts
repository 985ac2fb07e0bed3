/**
 * Per-char tables for the token scanner's product-mode fast path, filled
 * lazily (a char's first sighting costs a few string operations).
 *
 * The fast path handles a text whose every char c maps on its own to one
 * char m = lowercase(NFKC(unifyQuotes(c))) and is none of: a combining mark,
 * a Hangul jamo, a char of a script written without spaces, an emoji
 * (Extended_Pictographic), Σ (its lowercase depends on context). For such
 * a text, normalizing and lowercasing the whole string (what the tokenizer
 * does) equals mapping char by char: NFKC composes only sequences that
 * involve marks or jamo, and the lowercase of every other char is context
 * free. Any other char sends the whole text to the tokenizer instead.
 */
import { unifyQuotes } from './normalize.js';
import { NO_SPACE_SCRIPT } from './product-rules.js';

/** 1 + m for a fast char, DEFER for a char that needs the tokenizer, 0 while unknown. */
export const PRODUCT_LOWER = new Int32Array(0x10000);
export const DEFER = -1;
/** Flags of a mapped char. */
export const P_WORD = 1; // [\p{L}\p{N}] (not of a no-space script)
export const P_DIGIT = 2; // \p{Nd}
export const P_URL_STOP = 4; // [\s<>"]: ends a URL
export const P_URL_TRAIL = 8; // ['.,;:!?)\]]: not the last char of a URL
/** A char that may start a token: a word char, or one of @ # ! ? : ; = < (the scanner skips the rest with one test). */
export const P_STARTS = 16;
export const PRODUCT_FLAGS = new Uint8Array(0x10000);
/**
 * The mapped char of a fast char that the scanner's clean pass may copy
 * without a second look (0: look again): every fast char but `<` and `&`
 * (they may open a tag or an entity) and NUL (0 reads as "look again").
 */
export const PRODUCT_COPY = new Uint16Array(0x10000);
/**
 * PRODUCT_COPY and the mapped char's flags in one entry, (mapped << 8) | flags, 0 where PRODUCT_COPY is 0:
 * the one-pass scanner reads a char's mapping and flags with one load instead of two dependent ones.
 */
export const PRODUCT_ENTRY = new Int32Array(0x10000);

const EXCLUDED = new RegExp(String.raw`^(?:\p{M}|\p{ExtPict}|${NO_SPACE_SCRIPT}|[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff])$`, 'v');
/** Σ lowercases to σ or, at the end of a word, ς: the one context-dependent mapping (both scanner paths defer it). */
export const CAPITAL_SIGMA = 0x03a3;
/** One char of \p{L} or \p{N}: what a word is made of. */
export const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function flagsOf(m: number): number {
  const ch = String.fromCharCode(m);
  let f = 0;
  if (LETTER_OR_DIGIT.test(ch)) f |= P_WORD;
  if (/^\p{Nd}$/u.test(ch)) f |= P_DIGIT;
  if (/^[\s<>"]$/u.test(ch)) f |= P_URL_STOP;
  if (/^['.,;:!?)\]]$/u.test(ch)) f |= P_URL_TRAIL;
  if (f & P_WORD || /^[@#!?:;=<]$/u.test(ch)) f |= P_STARTS;
  return f;
}

let learned = 0;

/** How many chars learnProduct has filled in so far: a copy of the tables is current while this stays the same. */
export function productCharsLearned(): number {
  return learned;
}

/** Fills PRODUCT_LOWER[c] (and the flags of its mapped char); returns PRODUCT_LOWER[c]. */
export function learnProduct(c: number): number {
  learned++;
  let l = DEFER;
  if (c < 0xd800 || c > 0xdfff) {
    const ch = String.fromCharCode(c);
    const n = unifyQuotes(ch).normalize('NFKC');
    if (n.length === 1 && n.charCodeAt(0) !== CAPITAL_SIGMA && !EXCLUDED.test(ch) && !EXCLUDED.test(n)) {
      const lower = n.toLowerCase();
      if (lower.length === 1 && !EXCLUDED.test(lower)) l = lower.charCodeAt(0);
    }
  }
  if (l !== DEFER) {
    PRODUCT_FLAGS[l] = flagsOf(l);
    if (c !== 0x3c && c !== 0x26 && c !== 0) {
      PRODUCT_COPY[c] = l;
      PRODUCT_ENTRY[c] = (l << 8) | PRODUCT_FLAGS[l];
    }
  }
  return (PRODUCT_LOWER[c] = l === DEFER ? DEFER : l + 1);
}

for (let c = 0; c < 0x80; c++) learnProduct(c);
