// TokenScanner.productScan (src/text/token-scanner.ts) for texts of ASCII
// code units, in WebAssembly: predict's tokenize + vocabulary lookup stage.
// In TypeScript each char costs typed-array map checks, bounds checks and
// small-integer tagging; here a char is a byte load, a table load and a few
// register operations.
//
// It restates productScan's rules over the same tables (the entries of
// PRODUCT_ENTRY and PRODUCT_FLAGS for chars below 0x80, copied in by the
// loader) and the same vocabulary records (TokenScanner.slots), and handles
// a subset of texts: any code unit of 0x80 or more, an `&`, a NUL, a `<`
// that opens no tag, or a word that may begin a URL makes it return -1, and
// the caller scans that text in TypeScript. Where it answers, it answers
// what productScan does (test/token-scanner.test.ts compares them on random
// texts, bench/predict.ts on the 25k IMDb test reviews).
//
// Memory layout is the caller's (src/text/scan-kernel.ts).

// Flags of a mapped char (src/text/product-chars.ts).
const WORD: i32 = 1;
const DIGIT: i32 = 2;
const STARTS: i32 = 16;
// TokenScanner's vocabulary records: 32 bytes, [hash i32, id i32, length u16 at byte 8, first 10 chars at byte 12].
const RECORD_SHIFT: i32 = 5;
const LENGTH_AT: usize = 8;
const CHARS_AT: usize = 12;
const INLINE_CHARS: i32 = 10;
const HASH_SEED: i32 = <i32>0x811c9dc5;
const FNV_PRIME: i32 = 0x01000193;

let text: usize = 0; // u16 code units, overwritten in place as productScan does
let ids: usize = 0; // i32 out
let entries: usize = 0; // i32[128]: (mapped << 8) | flags, 0 for `<`, `&`, NUL
let flags: usize = 0; // i32[128]: PRODUCT_FLAGS of a mapped char
let slots: usize = 0;
let mask: i32 = 0;
let wordStart: usize = 0; // i32[|V| + 1]
let chars: usize = 0; // u16
let numberId: i32 = -1;

export function heapBase(): usize {
  return __heap_base;
}

/** Where the tables and buffers are (addresses in this memory), the record table's slot mask and the <num> id. */
export function init(textAt: usize, idsAt: usize, entriesAt: usize, flagsAt: usize, slotsAt: usize, slotMask: i32, wordStartAt: usize, charsAt: usize, num: i32): void {
  text = textAt;
  ids = idsAt;
  entries = entriesAt;
  flags = flagsAt;
  slots = slotsAt;
  mask = slotMask;
  wordStart = wordStartAt;
  chars = charsAt;
  numberId = num;
}

@inline function unit(i: i32): i32 {
  return <i32>load<u16>(text + ((<usize>i) << 1));
}

@inline function setUnit(i: i32, c: i32): void {
  store<u16>(text + ((<usize>i) << 1), <u16>c);
}

@inline function entry(raw: i32): i32 {
  return load<i32>(entries + ((<usize>raw) << 2));
}

@inline function flagsOf(mapped: i32): i32 {
  return load<i32>(flags + ((<usize>mapped) << 2));
}

@inline function hashStep(h: i32, c: i32): i32 {
  return (h ^ c) * FNV_PRIME;
}

/** The index of the `>` closing a tag opened by the `<` at i (markup.ts tagEnd), or -1. */
function tagEnd(i: i32, len: i32): i32 {
  let j = i + 1;
  if (j < len && unit(j) == 0x2f) j++;
  if (j >= len) return -1;
  const first = unit(j) | 0x20;
  if (first < 0x61 || first > 0x7a) return -1;
  for (j++; j < len; j++) {
    const c = unit(j);
    if (c == 0x3e) return j;
    if (c == 0x3c) return -1;
  }
  return -1;
}

/** The vocabulary id of text[start, end) with hash h (TokenScanner.find), or -1. */
function find(h: i32, start: i32, end: i32): i32 {
  const len = end - start;
  const capped = len < 0xffff ? len : 0xffff;
  const inline = len < INLINE_CHARS ? len : INLINE_CHARS;
  const word = text + ((<usize>start) << 1);
  for (let slot = (h ^ (<i32>(<u32>h >> 15))) & mask; ; slot = (slot + 1) & mask) {
    const r = slots + ((<usize>slot) << RECORD_SHIFT);
    const id = load<i32>(r, 4);
    if (id < 0) return -1;
    if (load<i32>(r) != h || <i32>load<u16>(r, LENGTH_AT) != capped) continue;
    let k = 0;
    while (k < inline && load<u16>(r + CHARS_AT + ((<usize>k) << 1)) == load<u16>(word + ((<usize>k) << 1))) k++;
    if (k < inline) continue;
    if (len <= INLINE_CHARS) return id;
    const at = load<i32>(wordStart + ((<usize>id) << 2));
    if (load<i32>(wordStart + ((<usize>id + 1) << 2)) - at != len) continue;
    while (k < len && load<u16>(chars + ((<usize>(at + k)) << 1)) == load<u16>(word + ((<usize>k) << 1))) k++;
    if (k == len) return id;
  }
  return -1; // not reached: the table always has an empty slot
}

/** Whether the mapped chars from p may begin `http` (c = h) or `www.` (c = w): mayStartUrl, for ASCII. */
function mayStartUrl(p: i32, len: i32, c: i32): bool {
  // "http" and "www." as one u32 each, first char lowest.
  const prefix: u32 = c == 0x77 ? 0x2e777777 : 0x70747468;
  for (let k = 0; k < 4; k++) {
    if (p + k >= len) return false;
    const m = entry(unit(p + k)) >>> 8;
    if (m == 0) return true;
    if (<u32>m != ((prefix >>> (<u32>k << 3)) & 0xff)) return false;
  }
  return true;
}

@inline function emoticonMiddle(c: i32): bool {
  return c == 0x2d || c == 0x6f || c == 0x2a || c == 0x27; // - o * '
}

@inline function emoticonEnd(c: i32): bool {
  return c == 0x28 || c == 0x29 || c == 0x5b || c == 0x5d || c == 0x64 || c == 0x70 || c == 0x2f || c == 0x5c || c == 0x7c || c == 0x33; // ( ) [ ] d p / \ | 3
}

/** mappedEmoticonEnd for ASCII: the end of the emoticon at p (`:` `;` `=`), -1 for none, -2 for an `&` in reach. */
function emoticonAt(p: i32, len: i32): i32 {
  const last = p + 4 < len ? p + 4 : len;
  for (let q = p + 1; q < last; q++) if (unit(q) == 0x26) return -2;
  const c = entry(unit(p)) >>> 8;
  setUnit(p, c);
  let q = p + 1;
  if (q < len && emoticonMiddle(entry(unit(q)) >>> 8)) q++;
  if (q >= len || !emoticonEnd(entry(unit(q)) >>> 8)) return -1;
  for (let k = p + 1; k <= q; k++) setUnit(k, entry(unit(k)) >>> 8);
  q++;
  if (q >= len) return q;
  return flagsOf(entry(unit(q)) >>> 8) & WORD ? -1 : q;
}

/** Whether text[0, len) has no code unit of 0x80 or more (eight at a time). */
function ascii(len: i32): bool {
  let acc = i16x8.splat(0);
  let i = 0;
  for (; i + 8 <= len; i += 8) acc = v128.or(acc, v128.load(text + ((<usize>i) << 1)));
  let rest = 0;
  for (; i < len; i++) rest |= unit(i);
  return !v128.any_true(v128.and(acc, i16x8.splat(<i16>0xff80))) && (rest & 0xff80) == 0;
}

/**
 * productScan over text[0, len): with `lookup`, the count of vocabulary ids written to ids, else the count of
 * tokens; -1 for a text this kernel leaves to TypeScript (a code unit of 0x80 or more, and the cases above).
 */
export function scan(len: i32, lookup: bool): i32 {
  if (!ascii(len)) return -1;
  let count = 0;
  let p = 0;
  while (p < len) {
    let raw = unit(p);
    let e = entry(raw);
    while ((e & STARTS) == 0) {
      if (e == 0) {
        // `<`, `&` or NUL between tokens: a tag is skipped; the rest goes to TypeScript.
        if (raw != 0x3c) return -1;
        const last = tagEnd(p, len);
        if (last < 0) return -1;
        p = last;
      }
      if (++p >= len) return count;
      raw = unit(p);
      e = entry(raw);
    }
    const c = e >>> 8;
    const first = e & 0xff;
    let f = first;
    const start = p;
    let end = -1;
    let id = -2;
    let h = HASH_SEED;
    if (f & WORD) {
      if ((c == 0x68 || c == 0x77) && mayStartUrl(p, len, c)) return -1;
      // A word, written back mapped and with elongations cut (a char kept unless it equals the last two kept).
      let o = p;
      let q = p;
      let last = -1;
      let before = -1;
      let d = c;
      for (;;) {
        let fd = f;
        while (fd & WORD) {
          if (d != last || d != before) {
            setUnit(o++, d);
            h = hashStep(h, d);
            before = last;
            last = d;
          }
          if (++q == len) break;
          const x = entry(unit(q));
          d = x >>> 8;
          fd = x;
        }
        if (q == len) break;
        if (d == 0) {
          // A tag (`<`) ends the word; `&` (an entity may join it) and NUL go to TypeScript.
          if (unit(q) != 0x3c) return -1;
          break;
        }
        if ((d != 0x27 && d != 0x2d) || q + 1 == len) break;
        const next = entry(unit(q + 1)) >>> 8;
        f = next == 0 ? 0 : flagsOf(next);
        if ((f & WORD) == 0) break;
        setUnit(o++, d);
        h = hashStep(h, d);
        before = last;
        last = d;
        q++;
        d = next;
      }
      let digits = (first & DIGIT) != 0;
      for (let k = p; digits && k < o; k++) digits = (flagsOf(unit(k)) & DIGIT) != 0;
      if (digits) id = numberId;
      else end = o;
      p = q;
    } else if (c == 0x40 || c == 0x23) {
      // @mention, #hashtag: [#@][\p{L}\p{N}_]+
      setUnit(p, c);
      let q = p + 1;
      for (; q < len; q++) {
        const d = entry(unit(q)) >>> 8;
        if ((d == 0 || (flagsOf(d) & WORD) == 0) && d != 0x5f) break;
        setUnit(q, d);
      }
      if (q == p + 1) {
        p++;
        continue;
      }
      end = p = q;
      for (let k = start; k < end; k++) h = hashStep(h, unit(k));
    } else if (c == 0x21 || c == 0x3f) {
      // A run of ! or ? is one token.
      setUnit(p, c);
      h = hashStep(h, c);
      end = p + 1;
      p++;
      while (p < len && entry(unit(p)) >>> 8 == c) p++;
    } else {
      // : ; = (a `<` maps to 0 and never starts a token here)
      end = emoticonAt(p, len);
      if (end < 0) {
        if (end == -2) return -1;
        p++;
        continue;
      }
      p = end;
      for (let k = start; k < end; k++) h = hashStep(h, unit(k));
    }
    if (!lookup) {
      count++;
      continue;
    }
    const found = id == -2 ? find(h, start, end) : id;
    if (found >= 0) {
      store<i32>(ids + ((<usize>count) << 2), found);
      count++;
    }
  }
  return count;
}
