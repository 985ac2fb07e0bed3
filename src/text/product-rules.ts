/**
 * The product tokenizer's rules over an already cleaned (HTML), normalized
 * and lowercased string: one regex alternation, tried left to right at each
 * position as a regex does, then a little post-processing per match
 * (placeholders, elongation, segmentation, negation scope).
 *
 * Precedence (first alternative that matches at a position wins):
 *   URL · emoji sequence · @mention · #hashtag · emoticon · no-space-script run · word · !+ · ?+ · clause punctuation
 * An alternative that is switched off is left out of the regex.
 *
 * token-scanner.ts restates the rules for the default switches over char
 * codes (prediction's hot path); its tests compare the two.
 */
import { isNegator, NEGATED_PREFIX, NUMBER_TOKEN, URL_TOKEN, type ProductOptions } from './product-options.js';

/**
 * Scripts written without spaces between words: a run of their letters is
 * one "word" to a space-based rule, so it is segmented instead.
 */
export const NO_SPACE_SCRIPT = String.raw`[\p{scx=Hani}\p{scx=Hira}\p{scx=Kana}\p{scx=Thai}\p{scx=Laoo}\p{scx=Khmr}\p{scx=Mymr}]`;

const URL = String.raw`(?:https?:\/\/|www\.)[^\s<>"]*[^\s<>"'.,;:!?\)\]]`;
const EMOJI_PART = String.raw`\p{ExtPict}(?:\uFE0F|\p{EMod}|[\u{E0020}-\u{E007F}])*`;
const EMOJI = String.raw`\p{RI}\p{RI}|[#*0-9]\uFE0F?\u20E3|${EMOJI_PART}(?:\u200D${EMOJI_PART})*`;
const MENTION = String.raw`@[\p{L}\p{N}\p{M}_]+`;
const HASHTAG = String.raw`#[\p{L}\p{N}\p{M}_]+`;
const EMOTICON = String.raw`(?:[:;=][\-o*']?[\(\)\[\]dp\/\\\|3]|<3)(?![\p{L}\p{N}])`;
const NO_SPACE_RUN = String.raw`[[\p{L}\p{N}\p{M}]&&${NO_SPACE_SCRIPT}]+`;

/** A word: a letter or digit then letters, digits and marks, parts joined by internal apostrophes or hyphens (flat classes: faster). */
function wordPattern(segmented: boolean): string {
  const first = segmented ? String.raw`[[\p{L}\p{N}]--${NO_SPACE_SCRIPT}]` : String.raw`[\p{L}\p{N}]`;
  const rest = segmented ? String.raw`[[\p{L}\p{N}\p{M}]--${NO_SPACE_SCRIPT}]` : String.raw`[\p{L}\p{N}\p{M}]`;
  const part = `${first}${rest}*`;
  return String.raw`${part}(?:['\-]${part})*`;
}

type Kind = 'url' | 'emoji' | 'mention' | 'hashtag' | 'emoticon' | 'run' | 'word' | 'bang' | 'question' | 'punct';

/** Emoji presentation selectors, skin tones: dropped from an emoji token so 👍🏽 and 👍 are one token. */
const EMOJI_VARIANT = /[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu;
const DIGITS = /^\p{Nd}+$/u;

let segmenter: Intl.Segmenter | undefined;

/** Intl.Segmenter's word segments of a run of a no-space script (ICU's dictionaries for Chinese, Japanese, Thai, Lao, Khmer, Burmese). */
export function segmentWords(run: string, emit: (word: string, start: number, end: number) => void): void {
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
  for (const s of segmenter.segment(run)) emit(s.segment, s.index, s.index + s.segment.length);
}

/** Character unigrams and bigrams of a run (by code point). */
export function charNgrams(run: string, emit: (gram: string, start: number, end: number) => void): void {
  let prev = -1;
  for (let i = 0; i < run.length; ) {
    const width = (run.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    emit(run.slice(i, i + width), i, i + width);
    if (prev >= 0) emit(run.slice(prev, i + width), prev, i + width);
    prev = i;
    i += width;
  }
}

/** Cuts every run of three or more equal chars to two ("sooooo" → "soo", "!!!" is not a word). */
export function cutElongation(word: string): string {
  const n = word.length;
  if (n < 3) return word;
  for (let i = 2; i < n; i++) {
    const c = word.charCodeAt(i);
    if (c === word.charCodeAt(i - 1) && c === word.charCodeAt(i - 2)) {
      let out = word.slice(0, i);
      let run = 2;
      for (let j = i; j < n; j++) {
        const d = word.charCodeAt(j);
        run = d === word.charCodeAt(j - 1) ? run + 1 : 1;
        if (run <= 2) out += word[j];
      }
      return out;
    }
  }
  return word;
}

export class ProductRules {
  private readonly re: RegExp;
  private readonly kinds: Kind[];

  constructor(readonly options: Readonly<ProductOptions>) {
    const segmented = options.segment !== 'none';
    const parts: [Kind, string][] = [];
    if (options.placeholders) parts.push(['url', URL]);
    if (options.emoji) parts.push(['emoji', EMOJI]);
    if (options.placeholders) parts.push(['mention', MENTION], ['hashtag', HASHTAG]);
    parts.push(['emoticon', EMOTICON]);
    if (segmented) parts.push(['run', NO_SPACE_RUN]);
    parts.push(['word', wordPattern(segmented)], ['bang', '!+'], ['question', String.raw`\?+`]);
    if (options.negation) parts.push(['punct', '[.,:;]']);
    this.kinds = parts.map(([k]) => k);
    this.re = new RegExp(parts.map(([, p]) => `(${p})`).join('|'), 'gv');
  }

  /**
   * Calls `emit` for every token of `s` (cleaned, normalized, lowercased) with
   * its offsets [start, end) in `s`.
   */
  tokens(s: string, emit: (token: string, start: number, end: number) => void): void {
    const { placeholders, normalize, negation, segment } = this.options;
    const kinds = this.kinds;
    const re = new RegExp(this.re);
    let negated = false;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      let g = 1;
      while (m[g] === undefined) g++;
      const kind = kinds[g - 1];
      const start = m.index;
      const end = start + m[0].length;
      switch (kind) {
        case 'word': {
          let w = m[0];
          if (placeholders && isDigitStart(w.charCodeAt(0)) && DIGITS.test(w)) {
            emit(NUMBER_TOKEN, start, end);
            break;
          }
          if (normalize) w = cutElongation(w);
          if (negation) {
            if (isNegator(w)) negated = true;
            else if (negated) w = NEGATED_PREFIX + w;
          }
          emit(w, start, end);
          break;
        }
        case 'run':
          if (segment === 'chars') charNgrams(m[0], (t, a, b) => emit(t, start + a, start + b));
          else segmentWords(m[0], (t, a, b) => emit(t, start + a, start + b));
          break;
        case 'url':
          emit(URL_TOKEN, start, end);
          break;
        case 'emoji':
          emit(m[0].replace(EMOJI_VARIANT, ''), start, end);
          break;
        case 'bang':
          negated = false;
          emit('!', start, end);
          break;
        case 'question':
          negated = false;
          emit('?', start, end);
          break;
        case 'punct':
          negated = false;
          break;
        default: // mention, hashtag, emoticon
          emit(m[0], start, end);
      }
    }
  }
}

function isDigitStart(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c >= 0x80;
}
