/**
 * One document's binary bag of words v, built from its token ids into
 * reusable typed arrays, and the norm of its projection R v: the per-text
 * side of the [cosine-normalised R v ; bnc v] features, for scoring one text
 * at a time without allocating anything |V|-sized per text.
 */
import type { WordMatrix } from './word-matrix.js';

export class BinaryBag {
  /** The distinct word ids, in order of first occurrence (the first `size` entries). */
  readonly words: Int32Array;
  size = 0;
  // For word id: marks[2 id] === stampValue marks it as in the bag (so clearing is O(1)), and marks[2 id + 1]
  // counts its occurrences. The two sit side by side so adding a word touches one cache line, not two arrays'.
  private readonly marks: Int32Array;
  private stampValue = 0;

  constructor(vocabSize: number) {
    // One spare entry: fill() writes every word at words[size], new or not (see there).
    this.words = new Int32Array(vocabSize + 1);
    this.marks = new Int32Array(2 * vocabSize);
  }

  clear(): void {
    this.size = 0;
    this.stampValue++;
    if (this.stampValue === 0x7fffffff) {
      this.marks.fill(0);
      this.stampValue = 1;
    }
  }

  add(id: number): void {
    const at = 2 * id;
    if (this.marks[at] !== this.stampValue) {
      this.marks[at] = this.stampValue;
      this.marks[at + 1] = 1;
      this.words[this.size++] = id;
    } else {
      this.marks[at + 1]++;
    }
  }

  /** How many times word id occurs in the bag (0 when it is not in it). */
  occurrences(id: number): number {
    return this.marks[2 * id] === this.stampValue ? this.marks[2 * id + 1] : 0;
  }

  /**
   * The bag whose distinct ids, in order of first occurrence, are `distinct` (found elsewhere: the scan
   * kernel finds them as it scans). It does not count occurrences: occurrences() answers 0 until the next
   * fill() or add() (explain() builds its bag with add()).
   */
  adopt(distinct: Int32Array): void {
    this.clear();
    this.words.set(distinct);
    this.size = distinct.length;
  }

  /** The bag of `ids`; returns its number of distinct words. */
  fill(ids: Int32Array): number {
    this.clear();
    // add() without its branch: whether a word is new is about a coin flip in a text, so a branch on it
    // mispredicts often; here it is a 0 or 1 in arithmetic. A word is always written at words[size], which
    // only counts when it was new.
    const marks = this.marks;
    const words = this.words;
    const stamp = this.stampValue;
    let size = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const at = 2 * id;
      const other = marks[at] ^ stamp;
      const fresh = (other | -other) >>> 31; // 1: not yet in the bag
      marks[at] = stamp;
      marks[at + 1] = ((marks[at + 1] + 1) & (fresh - 1)) + fresh; // fresh ? 1 : count + 1
      words[size] = id;
      size += fresh;
    }
    this.size = size;
    return size;
  }
}

/**
 * R with its float32 entries widened to float64 (exactly): what
 * inverseProjectionNorm reads, so its hot loop converts nothing (about
 * 1.5× faster than reading the float32 matrix, for twice the memory).
 */
export interface WideWordMatrix {
  readonly dim: number;
  readonly data: Float64Array;
}

export function widenWordMatrix(r: WordMatrix): WideWordMatrix {
  return { dim: r.dim, data: Float64Array.from(r.data) };
}

/**
 * 1/‖R v‖ (0 when R v = 0), with R v summed in float64 word by word in the
 * bag's order. Four words go through each pass over the dimensions: the same
 * additions in the same order as one word per pass, so the same bits, in
 * about half the time. `acc` is scratch of length r.dim.
 */
export function inverseProjectionNorm(bag: BinaryBag, r: WideWordMatrix, acc: Float64Array): number {
  const { dim, data } = r;
  const words = bag.words;
  const m = bag.size;
  acc.fill(0);
  let q = 0;
  for (; q + 3 < m; q += 4) {
    const a = words[q] * dim;
    const b = words[q + 1] * dim;
    const c = words[q + 2] * dim;
    const d = words[q + 3] * dim;
    for (let j = 0; j < dim; j++) acc[j] = acc[j] + data[a + j] + data[b + j] + data[c + j] + data[d + j];
  }
  for (; q < m; q++) {
    const a = words[q] * dim;
    for (let j = 0; j < dim; j++) acc[j] += data[a + j];
  }
  let s = 0;
  for (let j = 0; j < dim; j++) s += acc[j] * acc[j];
  return s > 0 ? 1 / Math.sqrt(s) : 0;
}
