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
  /** occurrences[id]: how many times word id occurs; valid for the ids in `words`. */
  readonly occurrences: Int32Array;
  size = 0;
  // stamp[id] === stampValue marks the ids already in the bag, so clearing is O(1).
  private readonly stamp: Int32Array;
  private stampValue = 0;

  constructor(vocabSize: number) {
    this.words = new Int32Array(vocabSize);
    this.occurrences = new Int32Array(vocabSize);
    this.stamp = new Int32Array(vocabSize);
  }

  clear(): void {
    this.size = 0;
    this.stampValue++;
    if (this.stampValue === 0x7fffffff) {
      this.stamp.fill(0);
      this.stampValue = 1;
    }
  }

  add(id: number): void {
    if (this.stamp[id] !== this.stampValue) {
      this.stamp[id] = this.stampValue;
      this.occurrences[id] = 1;
      this.words[this.size++] = id;
    } else {
      this.occurrences[id]++;
    }
  }

  /** The bag of `ids`; returns its number of distinct words. */
  fill(ids: Int32Array): number {
    this.clear();
    for (let i = 0; i < ids.length; i++) this.add(ids[i]);
    return this.size;
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
