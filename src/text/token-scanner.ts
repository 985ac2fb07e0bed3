/**
 * The vocabulary ids of a text's tokens, found in one pass over its char codes
 * without building the cleaned string or any token string: prediction's hot
 * path. It yields exactly what Tokenizer.forEachToken followed by a Map lookup
 * yields (test/token-scanner.test.ts checks it on random texts with HTML,
 * entities and unicode; bench/predict.ts on the 25k IMDb test reviews).
 *
 * The same rules as tokenizer.ts, restated over char codes:
 * - a tag `<\/?[a-zA-Z][^<>]*>` becomes one space; then the seven entities
 *   decode (after tag removal, so an entity is never part of a tag);
 * - the text is lowercased and curly apostrophes become `'`. Lowercasing a
 *   string equals lowercasing each char except for a few chars (İ → "i̇", Σ's
 *   final form, anything outside the BMP); a text holding one of those takes
 *   the straightforward path instead, so the result never differs;
 * - tokens are matched left to right as the regex alternation does: emoticon,
 *   word, run of `!`, run of `?` (paper mode), or words only (strip mode).
 *
 * Product mode with its default switches (product-rules.ts) has its own
 * path: each char is mapped through NFKC and lowercase by a table
 * (product-chars.ts says which texts that is exact for; the rest, e.g. emoji
 * or Chinese, go to the tokenizer), then URL, @mention, #hashtag, emoticon,
 * word (elongations cut in place, all-digit words as <num>), `!`, `?`. Most
 * texts take it in one pass (productScan: each char mapped as it is read);
 * the few it cannot settle that way (an entity that may join a word, `<3`
 * after markup, a URL, a char not seen before) are cleaned into a buffer
 * first and tokenized from there (clean, productTokens).
 * Product mode with other switches always uses the tokenizer.
 */
import { CAPITAL_SIGMA, DEFER, LETTER_OR_DIGIT, learnProduct, P_DIGIT, P_STARTS, P_URL_STOP, P_URL_TRAIL, P_WORD, PRODUCT_COPY, PRODUCT_ENTRY, PRODUCT_FLAGS, PRODUCT_LOWER } from './product-chars.js';
import { Buffer } from 'node:buffer';
import { endsWord, ENTITIES, entityAt, skippedMarkup, tagEnd } from './markup.js';
import { NUMBER_TOKEN, URL_TOKEN } from './product-options.js';
import { ScanKernel } from './scan-kernel.js';
import { Tokenizer, type TokenizerMode } from './tokenizer.js';
import type { Vocabulary } from './vocabulary.js';

// Per UTF-16 code unit, filled lazily (a char's first sighting costs a toLowerCase and a regex test):
// LOWER[c] is 1 + c's lowercased, apostrophe-normalised form, DEFER when that is not a single BMP char,
// 0 while unknown; CLASS[l] tells whether a char of the cleaned text is a letter or digit. clean() fills
// CLASS for every char it writes, so tokens() reads it directly. SPECIAL marks the chars that can start
// a paper-mode punctuation token (! ? : ; = <), so the common case, a space or other punctuation, is
// one table lookup.
const LOWER = new Int32Array(0x10000);
// DEFER (product-chars.ts) marks a char that is not lowered char by char, in both modes' tables.
/** LOWER's mapping without the offset, for the chars clean() copies without a second look (else 0). */
const CLEAN = new Uint16Array(0x10000);
const CLASS = new Uint8Array(0x10000);
const PLAIN = 1;
const ALNUM = 2;
const SPECIAL = 3;
const CURLY_APOSTROPHES = new Set([0x2018, 0x2019, 0x02bc]);

/** Fills LOWER[c] (and CLASS of its lowered form); returns LOWER[c]. */
function learn(c: number): number {
  let l = DEFER;
  if ((c < 0xd800 || c > 0xdfff) && c !== CAPITAL_SIGMA) {
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length === 1) l = CURLY_APOSTROPHES.has(lower.charCodeAt(0)) ? 0x27 : lower.charCodeAt(0);
  }
  if (l !== DEFER) {
    if (CLASS[l] === 0) CLASS[l] = LETTER_OR_DIGIT.test(String.fromCharCode(l)) ? ALNUM : PLAIN;
    // < and & may open a tag or an entity, NUL would read as "unknown": those stay on clean()'s slow path.
    if (c !== 0x3c && c !== 0x26 && c !== 0) CLEAN[c] = l;
  }
  return (LOWER[c] = l === DEFER ? DEFER : l + 1);
}

for (let c = 0; c < 0x80; c++) learn(c);
for (const c of '!?:;=<') CLASS[c.charCodeAt(0)] = SPECIAL;

/**
 * What clean() maps chars by: `lower` (1 + the mapped char, DEFER, 0 while
 * unknown), `learn` filling it, and `copy`, the chars taken without a second
 * look (0: look again).
 */
interface CharMap {
  readonly lower: Int32Array;
  readonly learn: (c: number) => number;
  readonly copy: Uint16Array;
}
const PAPER_CHARS: CharMap = { lower: LOWER, learn, copy: CLEAN };
const PRODUCT_CHARS: CharMap = { lower: PRODUCT_LOWER, learn: learnProduct, copy: PRODUCT_COPY };

const EMOTICON_MIDDLE = new Set([..."-o*'"].map((c) => c.charCodeAt(0)));
const EMOTICON_END = new Set([...'()[]dp/\\|3'].map((c) => c.charCodeAt(0)));

export class TokenScanner {
  readonly mode: TokenizerMode;
  /** Whether scan() has a char-code path (else every text goes through the tokenizer). */
  readonly fast: boolean;
  // Vocabulary ids of the product placeholders (-1 when not in the vocabulary).
  private readonly urlId: number;
  private readonly numberId: number;
  /** Grows as needed; scan() returns a view of its first entries. */
  private ids = new Int32Array(256);
  private readonly tokenizer: Tokenizer;
  private readonly vocabulary: Vocabulary;
  // Open-addressing table over the words' char codes, one 32-byte record a slot: as int32s [word hash, word id]
  // (id -1: empty), then as uint16s at LENGTH_AT the word's length and at CHARS_AT its first INLINE_CHARS chars.
  // A lookup of a word up to INLINE_CHARS long (nearly every token) reads one record and nothing else; a longer
  // word's remaining chars are compared in `chars`.
  private readonly slots: Int32Array;
  /** The same records as uint16s. */
  private readonly slotChars: Uint16Array;
  private readonly mask: number;
  private readonly wordStart: Int32Array;
  private readonly chars: Uint16Array;
  /** The cleaned, lowercased text of the last scan (cleaned in place over a copy of the text's code units). */
  private buf = new Uint16Array(4096);
  /** buf's bytes, for Buffer.write (null where code units are not stored little-endian). */
  private bytes: Buffer | null = LITTLE_ENDIAN ? Buffer.from(this.buf.buffer) : null;
  /** productScan in WebAssembly for ASCII texts (scan-kernel.ts), tried first; null where it does not run. */
  private readonly kernel: ScanKernel | null;
  /** Whether the kernel answered the last scan() (and so found its distinct ids too). */
  private kernelAnswered = false;

  /** `tokenizer`: a mode (default switches) or the tokenizer itself. */
  constructor(vocabulary: Vocabulary, tokenizer: TokenizerMode | Tokenizer) {
    const words = vocabulary.words;
    this.tokenizer = typeof tokenizer === 'string' ? new Tokenizer({ mode: tokenizer }) : tokenizer;
    this.mode = this.tokenizer.mode;
    this.fast = this.mode !== 'product' || this.tokenizer.isProductDefault;
    this.vocabulary = vocabulary;
    this.urlId = vocabulary.id(URL_TOKEN);
    this.numberId = vocabulary.id(NUMBER_TOKEN);
    let size = 16;
    while (size < 1.5 * words.length) size *= 2;
    const table = new ArrayBuffer(RECORD_BYTES * size);
    this.slots = new Int32Array(table);
    this.slotChars = new Uint16Array(table);
    for (let s = 0; s < size; s++) this.slots[s * RECORD_INTS + 1] = -1;
    this.mask = size - 1;
    this.wordStart = new Int32Array(words.length + 1);
    let total = 0;
    for (const w of words) total += w.length;
    this.chars = new Uint16Array(total);
    let at = 0;
    words.forEach((w, id) => {
      this.wordStart[id] = at;
      let h = HASH_SEED;
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        this.chars[at++] = c;
        h = hashStep(h, c);
      }
      this.wordStart[id + 1] = at;
      let slot = mix(h) & this.mask;
      while (this.slots[slot * RECORD_INTS + 1] >= 0) slot = (slot + 1) & this.mask;
      this.slots[slot * RECORD_INTS] = h;
      this.slots[slot * RECORD_INTS + 1] = id;
      this.slotChars[slot * RECORD_CHARS + LENGTH_AT] = Math.min(w.length, 0xffff);
      for (let i = 0; i < Math.min(w.length, INLINE_CHARS); i++) this.slotChars[slot * RECORD_CHARS + CHARS_AT + i] = w.charCodeAt(i);
    });
    this.kernel = this.mode === 'product' && this.fast ? ScanKernel.create({ slots: this.slots, mask: this.mask, wordStart: this.wordStart, chars: this.chars, numberId: this.numberId }) : null;
  }

  /** The vocabulary ids of `text`'s tokens, in text order: a view into a buffer that the next scan reuses. */
  scan(text: string): Int32Array {
    if (this.mode === 'product') {
      const kept = this.kernel ? this.kernel.scan(text, true) : -1;
      this.kernelAnswered = kept >= 0;
      if (kept >= 0) return (this.kernel as ScanKernel).ids.subarray(0, kept);
      const fused = this.fast ? this.productScan(text, true) : -1;
      if (fused >= 0) return this.ids.subarray(0, fused); // read ids after: the scan may replace it
      const n = this.fast ? this.clean(text, PRODUCT_CHARS) : -1;
      if (n < 0) return this.scanWithTokenizer(text);
      const count = this.productTokens(n, true); // may replace this.ids: read it after
      return this.ids.subarray(0, count);
    }
    const n = this.clean(text, PAPER_CHARS);
    if (n < 0) return this.scanWithTokenizer(text);
    const count = this.tokens(n, true); // may replace this.ids
    return this.ids.subarray(0, count);
  }

  /**
   * The distinct ids of the last scan()'s result in order of first occurrence (what BinaryBag.fill finds) when
   * the scan kernel found them as it scanned, else null (the caller finds them itself). A view that the next
   * scan reuses.
   */
  distinctIds(): Int32Array | null {
    const kernel = this.kernel;
    return kernel !== null && this.kernelAnswered ? kernel.distinct.subarray(0, kernel.distinctCount()) : null;
  }

  /** Tokens counted without looking them up (for timing the stages separately); -1 for a text scan() defers. */
  countTokens(text: string): number {
    this.kernelAnswered = false; // a count finds no ids
    if (this.mode === 'product') {
      const counted = this.kernel ? this.kernel.scan(text, false) : -1;
      if (counted >= 0) return counted;
      const fused = this.fast ? this.productScan(text, false) : -1;
      if (fused >= 0) return fused;
      const n = this.fast ? this.clean(text, PRODUCT_CHARS) : -1;
      return n >= 0 ? this.productTokens(n, false) : -1;
    }
    const n = this.clean(text, PAPER_CHARS);
    return n >= 0 ? this.tokens(n, false) : -1;
  }

  /**
   * productTokens(clean(text)) in one pass over the text's code units, for the texts where that is simple:
   * each char is mapped through PRODUCT_COPY as it is read (no cleaned copy of the text is written and read
   * again), tags are skipped as the space they clean to, and entities where they can only end a token.
   * Returns the count as productTokens does, or -1 for a text the two passes must handle: a char that maps
   * to 0 (not seen yet, NUL) where the token depends on it, `&lt;` or a non-tag `<` between tokens (`<3`),
   * an entity that may join a word (`&#39;`) or follow an emoticon's first char, and a word that may be a URL.
   * A token's mapped chars are written over its own code units (in place: a word only shrinks), so find()
   * compares them as it compares clean()'s.
   */
  private productScan(text: string, lookup: boolean): number {
    const len = text.length;
    if (this.bytes === null) return -1;
    if (this.buf.length < len) {
      this.buf = new Uint16Array(Math.max(len, 2 * this.buf.length));
      this.bytes = Buffer.from(this.buf.buffer);
    }
    const buf = this.buf;
    this.bytes.write(text, 0, 'utf16le');
    // A token takes at least one char: ids has room for all of them, so counted() checks nothing.
    if (this.ids.length < len) this.ids = new Int32Array(Math.max(len, 2 * this.ids.length));
    const M = PRODUCT_COPY;
    const E = PRODUCT_ENTRY;
    const F = PRODUCT_FLAGS;
    // The flags and the hash seed as locals: an imported binding is re-read (and checked for the hole) at
    // every use inside the loops, a local is not (≈ 5% of the scan in a micro-benchmark).
    const WORD = P_WORD;
    const DIGIT = P_DIGIT;
    const STARTS = P_STARTS;
    const SEED = HASH_SEED;
    let count = 0;
    let p = 0;
    while (p < len) {
      let e = E[buf[p]];
      while ((e & STARTS) === 0) {
        if (e === 0) {
          // <, &, NUL or a char not seen yet, between tokens: a tag or an entity that starts no token is skipped.
          const last = skippedMarkup(text, buf[p], p);
          if (last < 0) return -1;
          p = last;
        }
        if (++p >= len) return count;
        e = E[buf[p]];
      }
      const c = e >>> 8;
      const first = e & 0xff; // c's flags
      let f = first;
      const start = p;
      let end = -1;
      let id = -2; // -2: look up buf[start, end); else the number placeholder's id
      let h = SEED;
      if (f & WORD) {
        if ((c === 0x68 || c === 0x77) && mayStartUrl(buf, p, len, c === 0x77 ? WWW : HTTP)) return -1;
        // A word, written back mapped and with elongations cut: `o` is where its next kept char goes.
        let o = p;
        let q = p;
        let last = -1;
        let before = -1;
        let d = c;
        for (;;) {
          let fd = f;
          while (fd & WORD) {
            if (d !== last || d !== before) {
              buf[o++] = d;
              h = hashStep(h, d);
              before = last;
              last = d;
            }
            if (++q === len) break;
            const x = E[buf[q]];
            d = x >>> 8;
            fd = x;
          }
          if (q === len) break;
          if (d === 0) {
            // A tag or entity ends the word (none cleans to a word char); `&#39;` or `&apos;` may join it.
            if (!endsWord(text, buf[q], q)) return -1;
            break;
          }
          if ((d !== 0x27 && d !== 0x2d) || q + 1 === len) break;
          const next = M[buf[q + 1]];
          if (next === 0 && unseen(buf[q + 1])) return -1;
          f = F[next];
          if ((f & WORD) === 0) break;
          buf[o++] = d;
          h = hashStep(h, d);
          before = last;
          last = d;
          q++;
          d = next;
        }
        // All digits → <num> (see productTokens: the kept chars are all digits just when the word's are).
        let digits = (first & DIGIT) !== 0;
        for (let k = p; digits && k < o; k++) digits = (F[buf[k]] & DIGIT) !== 0;
        if (digits) id = this.numberId;
        else end = o;
        p = q;
      } else if (c === 0x40 || c === 0x23) {
        // @mention, #hashtag: [#@][\p{L}\p{N}_]+
        buf[p] = c;
        let q = p + 1;
        for (; q < len; q++) {
          const d = M[buf[q]];
          if (d === 0 && unseen(buf[q])) return -1;
          if ((F[d] & WORD) === 0 && d !== 0x5f) break;
          buf[q] = d;
        }
        if (q === p + 1) {
          p++;
          continue;
        }
        end = p = q;
        h = hashRange(buf, start, end);
      } else if (c === 0x21 || c === 0x3f) {
        buf[p] = c;
        h = hashStep(h, c);
        end = p + 1;
        p++;
        for (; p < len; p++) {
          const d = M[buf[p]];
          if (d === 0 && unseen(buf[p])) return -1;
          if (d !== c) break;
        }
      } else {
        // : ; = < (STARTS leaves no other char): the emoticon's chars are mapped first, -2 from a char that may clean to one.
        end = mappedEmoticonEnd(buf, p, len);
        if (end < 0) {
          if (end === -2) return -1;
          p++;
          continue;
        }
        p = end;
        h = hashRange(buf, start, end);
      }
      count = this.counted(count, lookup, id, h, start, end);
    }
    return count;
  }

  /**
   * A product-mode token found: counts it (without `lookup`) or appends its id to ids (sized for the text),
   * `id` itself unless −2, else the id of the word buf[start, end) with hash `h` (none out of vocabulary).
   */
  private counted(count: number, lookup: boolean, id: number, h: number, start: number, end: number): number {
    if (!lookup) return count + 1;
    const found = id === -2 ? this.find(h, start, end) : id;
    if (found >= 0) this.ids[count++] = found;
    return count;
  }

  /** product-rules.ts's alternation for the default switches over buf[0, n); see tokens(). */
  private productTokens(n: number, lookup: boolean): number {
    const buf = this.buf;
    const F = PRODUCT_FLAGS;
    // A token takes at least one char: ids has room for all of them, so counted() checks nothing.
    if (this.ids.length < n) this.ids = new Int32Array(Math.max(n, 2 * this.ids.length));
    let count = 0;
    let p = 0;
    while (p < n) {
      let c = buf[p];
      let f = F[c];
      // Spaces and punctuation that start no token: one flag test each.
      while ((f & P_STARTS) === 0) {
        if (++p === n) return count;
        c = buf[p];
        f = F[c];
      }
      const start = p;
      let end = -1;
      let id = -2; // -2: look up buf[start, end); else a placeholder's id
      let h = HASH_SEED;
      if (f & P_WORD) {
        const url = c === 0x68 || c === 0x77 ? urlEnd(buf, p, n) : -1;
        if (url > 0) {
          id = this.urlId;
          p = url;
        } else {
          // A word, elongations cut in place: nothing is written until a char repeats a third time (`w`, −1
          // until then, is where the next kept char goes), so a word without elongation costs no stores. `last`
          // and `before` are the last two kept chars (−1 before the word's first two): the test reads registers.
          let w = -1;
          let q = p;
          let last = -1;
          let before = -1;
          for (;;) {
            let d = buf[q];
            let fd = F[d];
            while (fd & P_WORD) {
              if (d !== last || d !== before) {
                if (w >= 0) buf[w++] = d;
                h = hashStep(h, d);
                before = last;
                last = d;
              } else if (w < 0) w = q;
              if (++q === n) break;
              d = buf[q];
              fd = F[d];
            }
            if (q + 1 < n && (buf[q] === 0x27 || buf[q] === 0x2d) && F[buf[q + 1]] & P_WORD) {
              d = buf[q++];
              h = hashStep(h, d);
              if (w >= 0) buf[w++] = d;
              before = last;
              last = d;
            } else break;
          }
          // All digits → <num>: only a word starting with a digit can be one (' and - are not digits).
          let digits = (f & P_DIGIT) !== 0;
          for (let k = p; digits && k < q; k++) digits = (F[buf[k]] & P_DIGIT) !== 0;
          if (digits) id = this.numberId;
          else end = w < 0 ? q : w;
          p = q;
        }
      } else if (c === 0x40 || c === 0x23) {
        // @mention, #hashtag: one token each, [#@][\p{L}\p{N}_]+
        let q = p + 1;
        while (q < n && (F[buf[q]] & P_WORD || buf[q] === 0x5f)) q++;
        if (q === p + 1) {
          p++;
          continue;
        }
        h = hashRange(buf, p, q);
        end = q;
        p = q;
      } else if (c === 0x21 || c === 0x3f) {
        h = hashStep(h, c);
        end = p + 1;
        p++;
        while (p < n && buf[p] === c) p++;
      } else {
        // : ; = < (P_STARTS leaves no other char)
        end = emoticonEnd(buf, p, n, true);
        if (end < 0) {
          p++;
          continue;
        }
        h = hashRange(buf, p, end);
        p = end;
      }
      count = this.counted(count, lookup, id, h, start, end);
    }
    return count;
  }

  /**
   * At a `<` or `&` of `text[i]`: a tag becomes one space, an entity its char,
   * written to buf[n]; returns the index of the markup's last char, or -1
   * when none starts there (both clean paths share this rule).
   */
  private markup(text: string, i: number, n: number): number {
    if (text.charCodeAt(i) === 0x3c) {
      const end = tagEnd(text, i);
      if (end > 0) this.buf[n] = 0x20;
      return end > 0 ? end : -1;
    }
    const e = entityAt(text, i);
    if (e < 0) return -1;
    this.buf[n] = ENTITIES[e][1];
    return i + ENTITIES[e][0].length;
  }

  /**
   * Cleans and lowercases `text` into buf by `chars` (the paper's map or the
   * product's); returns its length, or -1 when a char is not mapped char by char.
   */
  private clean(text: string, chars: CharMap): number {
    const len = text.length;
    if (this.buf.length < len) {
      this.buf = new Uint16Array(Math.max(len, 2 * this.buf.length));
      this.bytes = LITTLE_ENDIAN ? Buffer.from(this.buf.buffer) : null;
    }
    const buf = this.buf;
    // The text's UTF-16 code units copied into buf by one native call (lone surrogates too), then cleaned in
    // place (n ≤ i: markup only shrinks): reading a typed array is about twice as fast as charCodeAt per char.
    const raw = this.bytes !== null;
    if (raw) this.bytes?.write(text, 0, 'utf16le');
    const { lower, copy } = chars;
    let n = 0;
    for (let i = 0; i < len; i++) {
      const c = raw ? buf[i] : text.charCodeAt(i);
      const fast = copy[c];
      if (fast !== 0) {
        buf[n++] = fast;
        continue;
      }
      if (c === 0x3c || c === 0x26) {
        const end = this.markup(text, i, n);
        if (end >= 0) {
          n++;
          i = end;
          continue;
        }
      }
      let l = lower[c];
      if (l === 0) l = chars.learn(c);
      if (l === DEFER) return -1;
      buf[n++] = l - 1;
    }
    return n;
  }


  /** The regex alternation over buf[0, n), left to right; with `lookup`, fills ids and returns their count, else counts tokens. */
  private tokens(n: number, lookup: boolean): number {
    const buf = this.buf;
    const paper = this.mode === 'paper';
    let count = 0;
    let p = 0;
    while (p < n) {
      const c = buf[p];
      const k = CLASS[c];
      const start = p;
      let end = -1;
      let h = HASH_SEED;
      if (k === ALNUM) {
        // [\p{L}\p{N}]+(?:['\-][\p{L}\p{N}]+)*
        let q = p;
        for (;;) {
          while (q < n && CLASS[buf[q]] === ALNUM) h = hashStep(h, buf[q++]);
          if (q + 1 < n && (buf[q] === 0x27 || buf[q] === 0x2d) && CLASS[buf[q + 1]] === ALNUM) h = hashStep(h, buf[q++]);
          else break;
        }
        end = q;
        p = q;
      } else if (k === PLAIN || !paper) {
        p++;
        continue;
      } else if (c === 0x21 || c === 0x3f) {
        // A run of ! or ? is the single token "!" / "?".
        h = hashStep(h, c);
        end = p + 1;
        p++;
        while (p < n && buf[p] === c) p++;
      } else {
        end = emoticonEnd(buf, p, n, false);
        if (end < 0) {
          p++;
          continue;
        }
        for (let q = p; q < end; q++) h = hashStep(h, buf[q]);
        p = end;
      }
      if (!lookup) {
        count++;
        continue;
      }
      count = this.emit(count, this.find(h, start, end));
    }
    return count;
  }

  private find(h: number, start: number, end: number): number {
    const buf = this.buf;
    const len = end - start;
    const capped = len < 0xffff ? len : 0xffff; // as the record stores it
    const slots = this.slots;
    const sc = this.slotChars;
    for (let slot = mix(h) & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = slots[slot * RECORD_INTS + 1];
      if (id < 0) return -1;
      if (slots[slot * RECORD_INTS] !== h || sc[slot * RECORD_CHARS + LENGTH_AT] !== capped) continue;
      const inline = len < INLINE_CHARS ? len : INLINE_CHARS;
      const r = slot * RECORD_CHARS + CHARS_AT;
      let k = 0;
      while (k < inline && sc[r + k] === buf[start + k]) k++;
      if (k < inline) continue;
      if (len <= INLINE_CHARS) return id;
      // A long word: its exact length (the record's is capped at 0xffff) and its other chars.
      const at = this.wordStart[id];
      if (this.wordStart[id + 1] - at !== len) continue;
      while (k < len && this.chars[at + k] === buf[start + k]) k++;
      if (k === len) return id;
    }
  }

  /** Appends `id` (when ≥ 0: a vocabulary word) as ids[count]; returns the new count. */
  private emit(count: number, id: number): number {
    if (id < 0) return count;
    if (count === this.ids.length) {
      const bigger = new Int32Array(2 * this.ids.length);
      bigger.set(this.ids);
      this.ids = bigger;
    }
    this.ids[count] = id;
    return count + 1;
  }

  /**
   * What scan() computes, the straightforward way: Tokenizer.forEachToken and
   * a Map lookup per token. scan() uses it for texts whose lowercasing is not
   * char by char; tests and bench:predict compare the two.
   */
  scanWithTokenizer(text: string): Int32Array {
    let count = 0;
    this.tokenizer.forEachToken(text, (token) => {
      count = this.emit(count, this.vocabulary.id(token));
    });
    return this.ids.subarray(0, count);
  }
}

const HASH_SEED = 0x811c9dc5 | 0;
/** Buffer's utf16le bytes read as a Uint16Array are the code units only on a little-endian machine. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
// The vocabulary table's records (see TokenScanner.slots): 32 bytes, two to a cache line.
const RECORD_BYTES = 32;
const RECORD_INTS = RECORD_BYTES / 4;
const RECORD_CHARS = RECORD_BYTES / 2;
const LENGTH_AT = 4;
const CHARS_AT = 6;
const INLINE_CHARS = RECORD_CHARS - CHARS_AT;

/** FNV-1a over UTF-16 code units. */
function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** hashStep over buf[start, end) from HASH_SEED. */
function hashRange(buf: Uint16Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let q = start; q < end; q++) h = hashStep(h, buf[q]);
  return h;
}

function mix(h: number): number {
  return h ^ (h >>> 15);
}

/** A code unit that PRODUCT_COPY maps to 0 for want of a first look (not `<`, `&` or NUL, which it never copies). */
function unseen(raw: number): boolean {
  return raw !== 0x3c && raw !== 0x26 && raw !== 0;
}

const WWW = Uint16Array.of(0x77, 0x77, 0x77, 0x2e);
const HTTP = Uint16Array.of(0x68, 0x74, 0x74, 0x70);

/** Whether buf[p…] (raw code units) may begin with `prefix` once mapped: it does, or a char maps to 0 (unknown yet) before a mismatch. */
function mayStartUrl(buf: Uint16Array, p: number, len: number, prefix: Uint16Array): boolean {
  for (let k = 0; k < prefix.length; k++) {
    if (p + k >= len) return false;
    const m = PRODUCT_COPY[buf[p + k]];
    if (m === 0) return true;
    if (m !== prefix[k]) return false;
  }
  return true;
}

/**
 * emoticonEnd over raw code units mapped as they are read (the emoticon's are written back mapped): its end,
 * -1 for none, or -2 when a char it depends on maps to 0 and is not `<` or NUL (an entity may clean to `'`).
 */
function mappedEmoticonEnd(buf: Uint16Array, p: number, len: number): number {
  const last = Math.min(p + 4, len);
  for (let q = p + 1; q < last; q++) {
    const m = PRODUCT_COPY[buf[q]];
    if (m === 0 && buf[q] !== 0x3c && buf[q] !== 0) return -2;
  }
  const c = PRODUCT_COPY[buf[p]];
  buf[p] = c;
  let q = p + 1;
  const at = (k: number): number => (k < len ? PRODUCT_COPY[buf[k]] : -1);
  if (c === 0x3c) {
    if (at(q) !== 0x33) return -1;
  } else {
    if (EMOTICON_MIDDLE.has(at(q))) q++;
    if (!EMOTICON_END.has(at(q))) return -1;
  }
  for (let k = p + 1; k <= q; k++) buf[k] = PRODUCT_COPY[buf[k]];
  q++;
  if (q >= len) return q;
  return PRODUCT_FLAGS[at(q)] & P_WORD ? -1 : q;
}

/** End of the URL `(?:https?:\/\/|www\.)[^\s<>"]*[^\s<>"'.,;:!?)\]]` starting at buf[p] (an `h` or a `w`), or -1. */
function urlEnd(buf: Uint16Array, p: number, n: number): number {
  let q = -1;
  if (buf[p] === 0x77) {
    if (p + 3 < n && buf[p + 1] === 0x77 && buf[p + 2] === 0x77 && buf[p + 3] === 0x2e) q = p + 4;
  } else if (p + 6 < n && buf[p + 1] === 0x74 && buf[p + 2] === 0x74 && buf[p + 3] === 0x70) {
    let k = p + 4;
    if (buf[k] === 0x73) k++;
    if (k + 2 < n && buf[k] === 0x3a && buf[k + 1] === 0x2f && buf[k + 2] === 0x2f) q = k + 3;
  }
  if (q < 0) return -1;
  let r = q;
  while (r < n && (PRODUCT_FLAGS[buf[r]] & P_URL_STOP) === 0) r++;
  while (r > q && PRODUCT_FLAGS[buf[r - 1]] & P_URL_TRAIL) r--;
  return r > q ? r : -1;
}

/** End of the emoticon starting at buf[p], or -1: `[:;=][\-o*']?[()\[\]dp/\\|3]` or `<3`, not followed by a letter or digit. */
function emoticonEnd(buf: Uint16Array, p: number, n: number, product: boolean): number {
  const c = buf[p];
  let q = p + 1;
  if (c === 0x3c) {
    if (q >= n || buf[q] !== 0x33) return -1;
  } else if (c === 0x3a || c === 0x3b || c === 0x3d) {
    if (q < n && EMOTICON_MIDDLE.has(buf[q])) q++;
    if (q >= n || !EMOTICON_END.has(buf[q])) return -1;
  } else {
    return -1;
  }
  q++;
  if (q >= n) return q;
  const next = buf[q];
  return (product ? (PRODUCT_FLAGS[next] & P_WORD) !== 0 : CLASS[next] === ALNUM) ? -1 : q;
}
