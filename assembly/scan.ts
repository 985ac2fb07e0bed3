// TokenScanner.productScan (src/text/token-scanner.ts) in WebAssembly:
// predict's tokenize + vocabulary lookup stage. In TypeScript each char costs
// typed-array map checks, bounds checks and small-integer tagging; here a
// char is a load, a table load and a few register operations.
//
// It restates productScan's rules over the same tables (PRODUCT_ENTRY and
// PRODUCT_FLAGS, copied in by the loader whenever product-chars.ts has
// learned a char since) and the same vocabulary records (TokenScanner.slots),
// and returns -1 where productScan does (an unknown char, a `<` that opens
// no tag, an entity that may join a word, a word that may begin a URL, ...):
// the caller then takes productScan's own fallback. Where it answers, it
// answers what productScan does (test/scan-kernel.test.ts compares them on
// random texts, bench/predict.ts on the 25k IMDb test reviews).
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
let entries: usize = 0; // i32[0x10000]: PRODUCT_ENTRY, (mapped << 8) | flags, 0 for `<`, `&`, NUL and chars not mapped one by one
let flags: usize = 0; // u16[0x10000]: PRODUCT_FLAGS of a mapped char
let slots: usize = 0;
let mask: i32 = 0;
let wordStart: usize = 0; // i32[|V| + 1]
let chars: usize = 0; // u16
let numberId: i32 = -1;
// The bag of the last lookup scan (BinaryBag.fill's distinct ids, made here so predict needs no second pass):
// marks[id] == stamp when the scan has found word id; the distinct ids go to `distinct` in order of first
// occurrence and their count to out[0]. A stamp is a byte (a quarter of the cache lines of an i32), so the
// marks are cleared every 255 scans.
let marks: usize = 0; // u8[|V|]
let vocabSize: i32 = 0;
let distinct: usize = 0; // i32 out
let out: usize = 0; // i32[2] out
let stamp: i32 = 0;
// The tokens of the current scan, found before any is looked up (TOKEN_BYTES each: start, end, hash or the fixed
// id, home record's address): the lookups then start with a loop that only touches each token's home record,
// whose cache misses overlap, instead of one miss after another between tokenizing steps.
let tokens: usize = 0;
const TOKEN_BYTES: i32 = 16;

export function heapBase(): usize {
  return __heap_base;
}

/** Where the tables and buffers are (addresses in this memory), the record table's slot mask, the <num> id and |V|. */
export function init(textAt: usize, idsAt: usize, entriesAt: usize, flagsAt: usize, slotsAt: usize, slotMask: i32, wordStartAt: usize, charsAt: usize, num: i32, marksAt: usize, words: i32, distinctAt: usize, outAt: usize, tokensAt: usize): void {
  tokens = tokensAt;
  marks = marksAt;
  vocabSize = words;
  distinct = distinctAt;
  out = outAt;
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

// The memory helpers take the address of their table: scan() passes its locals, the other functions the globals.
@inline function unitAt(T: usize, i: i32): i32 {
  return <i32>load<u16>(T + ((<usize>i) << 1));
}

@inline function setUnitAt(T: usize, i: i32, c: i32): void {
  store<u16>(T + ((<usize>i) << 1), <u16>c);
}

@inline function entryAt(E: usize, raw: i32): i32 {
  return load<i32>(E + ((<usize>raw) << 2));
}

@inline function flagsAt(F: usize, mapped: i32): i32 {
  return <i32>load<u16>(F + ((<usize>mapped) << 1));
}

/** A code unit whose entry is 0 for want of a first look (not `<`, `&` or NUL): productScan's unseen(). */
@inline function unseen(raw: i32): bool {
  return raw != 0x3c && raw != 0x26 && raw != 0;
}

// cleanHtml's entities (src/text/markup.ts ENTITIES), in its order: the chars after `&`, first char lowest.
const ENTITY_NAMES: StaticArray<u64> = [0x3b706d61, 0x3b746c, 0x3b7467, 0x3b746f7571, 0x3b393323, 0x3b736f7061, 0x3b7073626e];
const ENTITY_LENGTHS: StaticArray<i32> = [4, 3, 3, 5, 4, 5, 5];
/** What each decodes to. */
const ENTITY_CHARS: StaticArray<i32> = [0x26, 0x3c, 0x3e, 0x22, 0x27, 0x27, 0x20];
const ENTITY_COUNT = 7;

/** Which entity starts at the `&` at i (markup.ts entityAt), or -1. */
function entityAt(i: i32, len: i32): i32 {
  for (let e = 0; e < ENTITY_COUNT; e++) {
    const name = unchecked(ENTITY_NAMES[e]);
    const n = unchecked(ENTITY_LENGTHS[e]);
    if (i + 1 + n > len) continue;
    let k = 0;
    while (k < n && <u64>unitAt(text, i + 1 + k) == ((name >> (<u64>k << 3)) & 0xff)) k++;
    if (k == n) return e;
  }
  return -1;
}

@inline function hashStep(h: i32, c: i32): i32 {
  return (h ^ c) * FNV_PRIME;
}

/** The index of the `>` closing a tag opened by the `<` at i (markup.ts tagEnd), or -1. */
function tagEnd(i: i32, len: i32): i32 {
  let j = i + 1;
  if (j < len && unitAt(text, j) == 0x2f) j++;
  if (j >= len) return -1;
  const first = unitAt(text, j) | 0x20;
  if (first < 0x61 || first > 0x7a) return -1;
  for (j++; j < len; j++) {
    const c = unitAt(text, j);
    if (c == 0x3e) return j;
    if (c == 0x3c) return -1;
  }
  return -1;
}

/** The slot where the probe for hash h starts. */
@inline function home(h: i32): i32 {
  return (h ^ (<i32>(<u32>h >> 15))) & mask;
}

/**
 * The vocabulary id of text[start, end) with hash h (TokenScanner.find), or -1. A record's inline chars are
 * compared eight at a time (SIMD) and two more as a u32, not char by char: a loop whose length is the word's
 * mispredicts its exit at nearly every token. Both loads may read past the word (the text buffer has room and
 * memory follows it); the masks keep only its chars.
 */
function find(h: i32, start: i32, end: i32): i32 {
  const len = end - start;
  const capped = len < 0xffff ? len : 0xffff;
  const inline = len < INLINE_CHARS ? len : INLINE_CHARS;
  const word = text + ((<usize>start) << 1);
  const head = v128.load(word);
  // The bits of the first eight chars that must match, and of chars 8 and 9 (one u32).
  const first: i32 = inline < 8 ? (1 << inline) - 1 : 0xff;
  const rest: u32 = inline == 10 ? 0xffffffff : inline == 9 ? 0xffff : 0;
  const tail = load<u32>(word, 16);
  for (let slot = home(h); ; slot = (slot + 1) & mask) {
    const r = slots + ((<usize>slot) << RECORD_SHIFT);
    const id = load<i32>(r, 4);
    if (id < 0) return -1;
    if (load<i32>(r) != h || <i32>load<u16>(r, LENGTH_AT) != capped) continue;
    const same = i16x8.bitmask(i16x8.eq(v128.load(r, CHARS_AT), head));
    if ((~same & first) != 0 || ((load<u32>(r, CHARS_AT + 16) ^ tail) & rest) != 0) continue;
    if (len <= INLINE_CHARS) return id;
    const at = load<i32>(wordStart + ((<usize>id) << 2));
    if (load<i32>(wordStart + ((<usize>id + 1) << 2)) - at != len) continue;
    let k = INLINE_CHARS;
    while (k < len && load<u16>(chars + ((<usize>(at + k)) << 1)) == load<u16>(word + ((<usize>k) << 1))) k++;
    if (k == len) return id;
  }
  return -1; // not reached: the table always has an empty slot
}

/** Whether the mapped chars from p may begin `http` (c = h) or `www.` (c = w), or a char that maps to 0 comes first: mayStartUrl. */
function mayStartUrl(p: i32, len: i32, c: i32): bool {
  // "http" and "www." as one u32 each, first char lowest.
  const prefix: u32 = c == 0x77 ? 0x2e777777 : 0x70747468;
  for (let k = 0; k < 4; k++) {
    if (p + k >= len) return false;
    const m = entryAt(entries, unitAt(text, p + k)) >>> 8;
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

/** mappedEmoticonEnd: the end of the emoticon at p, -1 for none, -2 where a char in reach maps to 0 and is not `<` or NUL. */
function emoticonAt(p: i32, len: i32): i32 {
  const last = p + 4 < len ? p + 4 : len;
  for (let q = p + 1; q < last; q++) {
    const r = unitAt(text, q);
    if (entryAt(entries, r) >>> 8 == 0 && r != 0x3c && r != 0) return -2;
  }
  const c = entryAt(entries, unitAt(text, p)) >>> 8;
  setUnitAt(text, p, c);
  let q = p + 1;
  if (c == 0x3c) {
    if (q >= len || entryAt(entries, unitAt(text, q)) >>> 8 != 0x33) return -1;
  } else {
    if (q < len && emoticonMiddle(entryAt(entries, unitAt(text, q)) >>> 8)) q++;
    if (q >= len || !emoticonEnd(entryAt(entries, unitAt(text, q)) >>> 8)) return -1;
  }
  for (let k = p + 1; k <= q; k++) setUnitAt(text, k, entryAt(entries, unitAt(text, k)) >>> 8);
  q++;
  if (q >= len) return q;
  return flagsAt(flags, entryAt(entries, unitAt(text, q)) >>> 8) & WORD ? -1 : q;
}

/**
 * productScan over text[0, len): with `lookup`, the count of vocabulary ids written to ids, else the count of
 * tokens; -1 where productScan returns -1.
 */
export function scan(len: i32, lookup: bool): i32 {
  const n = tokenize(len, lookup);
  return lookup && n >= 0 ? lookUp(n) : n;
}

/**
 * The ids of the n tokens tokenize() recorded, into ids (their count returned) and the distinct ones into
 * distinct (their count into out[0]).
 */
function lookUp(n: i32): i32 {
  const end = tokens + <usize>(n * TOKEN_BYTES);
  // Touch every home record first: these loads do not depend on one another, so their misses overlap.
  let touched = 0;
  for (let t = tokens; t < end; t += TOKEN_BYTES) touched |= load<i32>(<usize>load<i32>(t, 12));
  let count = 0;
  for (let t = tokens; t < end; t += TOKEN_BYTES) {
    const last = load<i32>(t, 4);
    const found = last < 0 ? load<i32>(t, 8) : find(load<i32>(t, 8), load<i32>(t), last);
    // Every id is written at ids[count], which only counts when it is one (≥ 0).
    store<i32>(ids + ((<usize>count) << 2), found);
    count += <i32>(found >= 0);
  }
  store<i32>(out, touched, 4); // kept, so that no optimiser drops the touching loop
  // The bag: BinaryBag.fill without its branch (whether a word is new is about a coin flip), in a pass of its
  // own so the marks' misses overlap too. Every id is written at distinct[fresh], which only counts when new.
  if (++stamp == 0x100) {
    memory.fill(marks, 0, <usize>vocabSize);
    stamp = 1;
  }
  const s = <u8>stamp;
  let fresh = 0;
  for (let i = 0; i < count; i++) {
    const id = load<i32>(ids + ((<usize>i) << 2));
    const mark = marks + <usize>id;
    const seen = load<u8>(mark) == s;
    store<u8>(mark, s);
    store<i32>(distinct + ((<usize>fresh) << 2), id);
    fresh += <i32>!seen;
  }
  store<i32>(out, fresh);
  return count;
}

/** productScan's tokens of text[0, len): their count (recorded in `tokens` with `lookup`), or -1 where productScan returns -1. */
function tokenize(len: i32, lookup: bool): i32 {
  // The tables' addresses as locals: a global is re-read from the instance at every use, a local stays in a register.
  const T = text;
  const E = entries;
  const F = flags;
  const S = slots;
  let count = 0;
  let p = 0;
  while (p < len) {
    let raw = unitAt(T, p);
    let e = entryAt(E, raw);
    while ((e & STARTS) == 0) {
      if (e == 0) {
        // Between tokens (markup.ts skippedMarkup): a tag or an entity is skipped, a lone `&` too; `&lt;`, a `<`
        // that opens no tag, NUL and an unknown char end the scan.
        let last = -1;
        if (raw == 0x3c) last = tagEnd(p, len);
        else if (raw == 0x26) {
          const ent = entityAt(p, len);
          last = ent < 0 ? p : unchecked(ENTITY_CHARS[ent]) == 0x3c ? -1 : p + unchecked(ENTITY_LENGTHS[ent]);
        }
        if (last < 0) return -1;
        p = last;
      }
      if (++p >= len) return count;
      raw = unitAt(T, p);
      e = entryAt(E, raw);
    }
    const c = e >>> 8;
    const first = e & 0xff;
    let f = first;
    const start = p;
    let end = -1;
    let id = -2;
    let h = HASH_SEED;
    if (f & WORD) {
      if (c == 0x68 || c == 0x77) {
        // Most such words (he, his, have, was, with, what) show by their second char that they begin no URL: a
        // lowercase ASCII letter, which maps to itself, other than the `t` of http or the `w` of www.
        const next = p + 1 < len ? unitAt(T, p + 1) : 0;
        const plain = <u32>(next - 0x61) < 26 && next != (c == 0x68 ? 0x74 : 0x77);
        if (!plain && mayStartUrl(p, len, c)) return -1;
      }
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
            setUnitAt(T, o++, d);
            h = hashStep(h, d);
            before = last;
            last = d;
          }
          if (++q == len) break;
          const x = entryAt(E, unitAt(T, q));
          d = x >>> 8;
          fd = x;
        }
        if (q == len) break;
        if (d == 0) {
          // markup.ts endsWord: a tag or an entity ends the word unless it is `&#39;` or `&apos;` (which may join it).
          const r = unitAt(T, q);
          if (r == 0x26) {
            const ent = entityAt(q, len);
            if (ent >= 0 && unchecked(ENTITY_CHARS[ent]) == 0x27) return -1;
          } else if (r != 0x3c) return -1;
          break;
        }
        if ((d != 0x27 && d != 0x2d) || q + 1 == len) break;
        const raw1 = unitAt(T, q + 1);
        const next = entryAt(E, raw1) >>> 8;
        if (next == 0 && unseen(raw1)) return -1;
        f = flagsAt(F, next);
        if ((f & WORD) == 0) break;
        setUnitAt(T, o++, d);
        h = hashStep(h, d);
        before = last;
        last = d;
        q++;
        d = next;
      }
      let digits = (first & DIGIT) != 0;
      for (let k = p; digits && k < o; k++) digits = (flagsAt(F, unitAt(T, k)) & DIGIT) != 0;
      if (digits) id = numberId;
      else end = o;
      p = q;
    } else if (c == 0x40 || c == 0x23) {
      // @mention, #hashtag: [#@][\p{L}\p{N}_]+
      setUnitAt(T, p, c);
      let q = p + 1;
      for (; q < len; q++) {
        const r = unitAt(T, q);
        const d = entryAt(E, r) >>> 8;
        if (d == 0 && unseen(r)) return -1;
        if ((flagsAt(F, d) & WORD) == 0 && d != 0x5f) break;
        setUnitAt(T, q, d);
      }
      if (q == p + 1) {
        p++;
        continue;
      }
      end = p = q;
      for (let k = start; k < end; k++) h = hashStep(h, unitAt(T, k));
    } else if (c == 0x21 || c == 0x3f) {
      // A run of ! or ? is one token.
      setUnitAt(T, p, c);
      h = hashStep(h, c);
      end = p + 1;
      p++;
      for (; p < len; p++) {
        const r = unitAt(T, p);
        const d = entryAt(E, r) >>> 8;
        if (d == 0 && unseen(r)) return -1;
        if (d != c) break;
      }
    } else {
      // : ; = and a char that maps to < (a `<` itself maps to 0)
      end = emoticonAt(p, len);
      if (end < 0) {
        if (end == -2) return -1;
        p++;
        continue;
      }
      p = end;
      for (let k = start; k < end; k++) h = hashStep(h, unitAt(T, k));
    }
    if (lookup) {
      // A fixed id (<num>) is recorded with end -1 in place of the hash; its home record is any record.
      const t = tokens + <usize>(count * TOKEN_BYTES);
      store<i32>(t, start);
      store<i32>(t, id == -2 ? end : -1, 4);
      store<i32>(t, id == -2 ? h : id, 8);
      store<i32>(t, <i32>(S + ((<usize>home(h)) << RECORD_SHIFT)), 12);
    }
    count++;
  }
  return count;
}
