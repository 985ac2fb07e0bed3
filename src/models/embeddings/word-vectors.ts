/**
 * Named word vectors for queries, in the spirit of gensim's KeyedVectors:
 * cosine similarity, nearest neighbours (Table 1 of the paper), and the
 * sentiment score ψᵀφ_w + b_c when the model had a sentiment component.
 */
import type { WordMatrix } from '../../features/word-matrix.js';
import { SentivecError } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { encodeVectors, readVectorFile, type OptionValue } from './format.js';

export interface WordVectorsExtras {
  /** ψ (β) and b_c of the sentiment component. */
  psi?: Float32Array;
  bc?: number;
  /** Training options, kept in saved files for provenance. */
  options?: Record<string, OptionValue>;
}

export interface Neighbor {
  word: string;
  similarity: number;
}

export class WordVectors {
  readonly words: readonly string[];
  readonly vectors: WordMatrix;
  readonly psi?: Float32Array;
  readonly bc: number;
  readonly options: Readonly<Record<string, OptionValue>>;
  private readonly index = new Map<string, number>();
  private readonly norms: Float64Array;

  constructor(words: readonly string[], vectors: WordMatrix, extras: WordVectorsExtras = {}) {
    if (words.length !== vectors.vocabSize) throw new SentivecError(`${words.length} words for ${vectors.vocabSize} vectors`);
    if (vectors.data.length !== vectors.vocabSize * vectors.dim) throw new SentivecError(`vector data has ${vectors.data.length} values, expected ${vectors.vocabSize} × ${vectors.dim}`);
    if (extras.psi && extras.psi.length !== vectors.dim) throw new SentivecError(`ψ has ${extras.psi.length} entries, expected ${vectors.dim}`);
    this.words = words;
    this.vectors = vectors;
    this.psi = extras.psi;
    this.bc = extras.bc ?? 0;
    this.options = extras.options ?? {};
    words.forEach((w, i) => {
      if (this.index.has(w)) throw new SentivecError(`word "${w}" appears twice in the vocabulary`);
      this.index.set(w, i);
    });
    const { dim, data } = vectors;
    this.norms = new Float64Array(words.length);
    for (let i = 0; i < words.length; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += data[i * dim + j] * data[i * dim + j];
      this.norms[i] = Math.sqrt(s);
    }
  }

  get dim(): number {
    return this.vectors.dim;
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** Row of `word`; throws a SentivecError naming it if it is not in the vocabulary. */
  indexOf(word: string): number {
    const i = this.index.get(word);
    if (i === undefined) throw new SentivecError(`word "${word}" is not in the vocabulary`);
    return i;
  }

  /** φ_w (a copy). */
  vector(word: string): Float32Array {
    const i = this.indexOf(word);
    return this.vectors.data.slice(i * this.dim, (i + 1) * this.dim);
  }

  /** Cosine similarity of two words' vectors (0 if either is the zero vector). */
  similarity(a: string, b: string): number {
    const i = this.indexOf(a);
    const j = this.indexOf(b);
    const { dim, data } = this.vectors;
    return cosine(data, i * dim, this.norms[i], data, j * dim, this.norms[j], dim);
  }

  /** The k words closest by cosine to `query` (a word, excluded from the answer, or a vector), best first. */
  mostSimilar(query: string | Float32Array, k = 10): Neighbor[] {
    const { dim, data } = this.vectors;
    let q: Float32Array;
    let exclude = -1;
    if (typeof query === 'string') {
      exclude = this.indexOf(query);
      q = data.subarray(exclude * dim, (exclude + 1) * dim);
    } else {
      if (query.length !== dim) throw new SentivecError(`query vector has ${query.length} dimensions, expected ${dim}`);
      q = query;
    }
    let qn = 0;
    for (let j = 0; j < dim; j++) qn += q[j] * q[j];
    qn = Math.sqrt(qn);
    const sims: Neighbor[] = [];
    for (let i = 0; i < this.words.length; i++) {
      if (i === exclude) continue;
      sims.push({ word: this.words[i], similarity: cosine(q, 0, qn, data, i * dim, this.norms[i], dim) });
    }
    // Stable sort: ties keep vocabulary order, so answers are deterministic.
    sims.sort((x, y) => y.similarity - x.similarity);
    return sims.slice(0, Math.max(0, k));
  }

  /** ψᵀφ_w + b_c: the log-odds that `word` appears in a positive document. */
  sentiment(word: string): number {
    if (!this.psi) throw new SentivecError('these word vectors have no sentiment component (semantic-only model)');
    const i = this.indexOf(word);
    const { dim, data } = this.vectors;
    let s = this.bc;
    for (let j = 0; j < dim; j++) s += this.psi[j] * data[i * dim + j];
    return s;
  }

  /** Writes the versioned binary format (format.ts) atomically. */
  async save(file: string): Promise<void> {
    const bytes = encodeVectors({ dim: this.dim, words: this.words, vectors: this.vectors.data, psi: this.psi, bc: this.bc, options: { ...this.options } });
    await writeFileAtomic(file, bytes);
  }

  static async load(file: string): Promise<WordVectors> {
    const c = await readVectorFile(file);
    return new WordVectors(c.words, { dim: c.dim, vocabSize: c.words.length, data: c.vectors }, { psi: c.psi, bc: c.bc, options: c.options });
  }
}

function cosine(a: Float32Array, ao: number, an: number, b: Float32Array, bo: number, bn: number, dim: number): number {
  if (an === 0 || bn === 0) return 0;
  let s = 0;
  for (let j = 0; j < dim; j++) s += a[ao + j] * b[bo + j];
  return s / (an * bn);
}
