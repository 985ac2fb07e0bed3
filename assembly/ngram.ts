// NgramTable.distinctSlots (src/features/ngram-table.ts) in WebAssembly:
// predict's n-gram lookup stage. The same table records (the key as two i32,
// then the weights), the same home slot (the same f64 product, so the same
// slot to the bit), the same linear probing and the same phases, so the same
// slots in the same order: only the cost per lookup differs. In TypeScript a
// lookup with its record in L1 cost ~27 ns (bounds and small-integer checks,
// a float floor through a call); here it is a few register operations, and
// what is left is the wait for the records.
//
// Memory layout is the caller's (src/features/ngram-kernel.ts).

/** A key's `next` is a word id below 2^24; the bits above it are flags (ngram-table.ts). */
const WORD: i32 = 0xffffff;
const TRIGRAMS: i32 = 1 << 30;
const PREFIX: i32 = 1 << 29;
/** The smallest per-text set (ngram-table.ts IdSet): 8 KB, in L1. */
const MIN_SET_BITS: i32 = 10;

let records: usize = 0; // capacity records of `stride` bytes
let capacity: i32 = 0;
let scale: f64 = 0; // capacity / 2^32
let stride: usize = 0;
let vocab: i32 = 0; // V: a trigram node's first is V + its bigram node's slot
let ids: usize = 0; // i32 in: the text's word ids
let bigramAt: usize = 0; // i32 scratch, one a position
let trigramAt: usize = 0;
let found: usize = 0; // i32 out: the distinct slots
let setKeys: usize = 0; // i32[2^maxSetBits]: the slots already found in this text
let setStamps: usize = 0; // i32, same length: the text's stamp marks a slot used
let maxSetBits: i32 = 0;
let stamp: i32 = 0;
/** The OR of the records' first words that the touch loops read: kept so the loads cannot be dropped. */
let sink: i32 = 0;

export function heapBase(): usize {
  return __heap_base;
}

/** Where the table and the buffers are (addresses in this memory), and the table's shape. */
export function init(recordsAt: usize, slots: i32, recordBytes: i32, vocabSize: i32, idsAt: usize, bigramAtAt: usize, trigramAtAt: usize, foundAt: usize, setKeysAt: usize, setStampsAt: usize, setBits: i32): void {
  records = recordsAt;
  capacity = slots;
  scale = <f64>slots / 4294967296.0;
  stride = <usize>recordBytes;
  vocab = vocabSize;
  ids = idsAt;
  bigramAt = bigramAtAt;
  trigramAt = trigramAtAt;
  found = foundAt;
  setKeys = setKeysAt;
  setStamps = setStampsAt;
  maxSetBits = setBits;
  stamp = 0;
}

/** ngram-table.ts homeSlot: murmur3's finalizer steps over (first, next), scaled by the same f64 product. */
@inline function home(first: i32, next: i32): i32 {
  let h = (first * <i32>0x9e3779b1) ^ next;
  h = (h ^ (h >>> 15)) * <i32>0x85ebca6b;
  h = (h ^ (h >>> 13)) * <i32>0xc2b2ae35;
  h ^= h >>> 16;
  return <i32>Math.floor(<f64>(<u32>h) * scale);
}

@inline function first(s: i32): i32 {
  return load<i32>(records + (<usize>s) * stride);
}

@inline function next(s: i32): i32 {
  return load<i32>(records + (<usize>s) * stride, 4);
}

@inline function word(i: i32): i32 {
  return load<i32>(ids + ((<usize>i) << 2));
}

@inline function at(array: usize, i: i32): usize {
  return array + ((<usize>i) << 2);
}

/** ngram-table.ts probe: the slot of node (f, n) searched from slot s, -1 when absent. */
function probe(s: i32, f: i32, n: i32): i32 {
  const stored = f + 1;
  for (;;) {
    const k = first(s);
    if (k == stored && (next(s) & WORD) == n) return s;
    if (k == 0) return -1;
    if (++s == capacity) s = 0;
  }
  return -1; // not reached: a table keeps empty slots
}

/** The set's bits for up to 2n slots, at most half full (ngram-table.ts IdSet.reset). */
function setBitsFor(n: i32): i32 {
  let bits = MIN_SET_BITS;
  while ((1 << bits) < 4 * n) bits++;
  return bits;
}

/** distinctSlots over ids[0, count): writes the slots to `found` and returns how many. */
export function distinct(count: i32): i32 {
  const n = count - 1;
  if (n < 1) return 0;
  // Phase 1: every position's bigram home, then one read of each (independent loads: their misses overlap).
  for (let i = 0; i < n; i++) store<i32>(at(bigramAt, i), home(word(i), word(i + 1)));
  let touched = 0;
  for (let i = 0; i < n; i++) touched |= first(load<i32>(at(bigramAt, i)));
  // Phase 2: the bigram probes on cached lines; where trigrams follow, the trigram's home, read the same way.
  for (let i = 0; i < n; i++) {
    const s = probe(load<i32>(at(bigramAt, i)), word(i), word(i + 1));
    store<i32>(at(bigramAt, i), s);
    const t = s >= 0 && (next(s) & TRIGRAMS) != 0 && i + 1 < n ? home(vocab + s, word(i + 2)) : -1;
    store<i32>(at(trigramAt, i), t);
  }
  for (let i = 0; i < n; i++) {
    const t = load<i32>(at(trigramAt, i));
    if (t >= 0) touched |= first(t);
  }
  sink |= touched;
  // Phase 3: the slots, at each position the bigram's then the trigram's, each the first time it occurs.
  const bits = setBitsFor(n);
  const mask = (1 << bits) - 1;
  const shift = 32 - bits;
  if (++stamp == 0x7fffffff) {
    memory.fill(setStamps, 0, (<usize>1 << maxSetBits) << 2);
    stamp = 1;
  }
  let m = 0;
  for (let i = 0; i < n; i++) {
    const s = load<i32>(at(bigramAt, i));
    if (s < 0) continue;
    if ((next(s) & PREFIX) == 0 && add(s, mask, shift)) store<i32>(at(found, m++), s);
    const t0 = load<i32>(at(trigramAt, i));
    if (t0 < 0) continue;
    const t = probe(t0, vocab + s, word(i + 2));
    if (t >= 0 && add(t, mask, shift)) store<i32>(at(found, m++), t);
  }
  return m;
}

/** Adds slot s to this text's set; true when it was not there. */
@inline function add(s: i32, mask: i32, shift: i32): bool {
  let q = <i32>(<u32>(s * <i32>0x9e3779b1) >> shift);
  for (;;) {
    const st = at(setStamps, q);
    if (load<i32>(st) != stamp) {
      store<i32>(st, stamp);
      store<i32>(at(setKeys, q), s);
      return true;
    }
    if (load<i32>(at(setKeys, q)) == s) return false;
    q = (q + 1) & mask;
  }
  return false; // not reached: the set is at most half full
}

