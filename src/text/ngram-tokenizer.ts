/**
 * The tokenizer of the n-gram rows: the `paper` tokenizer's words and
 * emoticons, plus every other symbol as a token of its own (a run of the
 * same symbol counts once: "!!!" → "!", "..." → "."). Punctuation inside
 * n-grams carries sentiment the bag of words cannot see ("great ." vs
 * "great ?", "not bad ,"); Wang & Manning (2012) and Mesnil et al. (2015)
 * keep it. The paper's rows keep their own tokenizer and vocabulary.
 */
import type { DocumentBuilder } from './documents.js';
import { cleanHtml } from './tokenizer.js';

const EMOTICON = String.raw`(?:[:;=][\-o*']?[()\[\]dp/\\|3]|<3)(?![\p{L}\p{N}])`;
const WORD = String.raw`[\p{L}\p{N}]+(?:['\-][\p{L}\p{N}]+)*`;
const NGRAM_RE = new RegExp(`(${EMOTICON})|(${WORD})|([^\\s\\p{L}\\p{N}])\\3*`, 'gu');
const CURLY_APOSTROPHE = /[\u2018\u2019\u02bc]/g;

export function forEachNgramToken(text: string, emit: (token: string) => void): void {
  const s = cleanHtml(text).toLowerCase().replace(CURLY_APOSTROPHE, "'");
  const re = new RegExp(NGRAM_RE);
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) emit(m[3] !== undefined ? m[3] : m[0]);
}

export function ngramTokens(text: string): string[] {
  const out: string[] = [];
  forEachNgramToken(text, (t) => out.push(t));
  return out;
}

/** Ids for n-gram tokens in the order they are first seen: `strings[id]` is the token. */
export class NgramTokenIds {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  /** Adds the text's tokens, as ids, to the builder's current document. */
  addText(text: string, builder: DocumentBuilder): void {
    forEachNgramToken(text, (t) => {
      let id = this.ids.get(t);
      if (id === undefined) {
        id = this.strings.length;
        this.ids.set(t, id);
        this.strings.push(t);
      }
      builder.token(id);
    });
  }
}
