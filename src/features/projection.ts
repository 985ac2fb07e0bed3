import type { CsrMatrix } from './csr.js';
import type { WordMatrix } from './word-matrix.js';
import { unitRowInto } from './unit-rows.js';

/**
 * Word-vector document features: z = R v for the bnn vector v of each
 * document, then cosine-normalized. Returns a rows × dim row-major block.
 */
export function projectDocuments(bnnDocs: CsrMatrix, r: WordMatrix): Float32Array {
  if (bnnDocs.cols !== r.vocabSize) {
    throw new RangeError(`documents have ${bnnDocs.cols} terms, word vectors ${r.vocabSize}`);
  }
  const dim = r.dim;
  const out = new Float32Array(bnnDocs.rows * dim);
  const acc = new Float64Array(dim);
  for (let i = 0; i < bnnDocs.rows; i++) {
    acc.fill(0);
    for (let p = bnnDocs.indptr[i]; p < bnnDocs.indptr[i + 1]; p++) {
      const v = bnnDocs.data[p];
      const base = bnnDocs.indices[p] * dim;
      for (let j = 0; j < dim; j++) acc[j] += v * r.data[base + j];
    }
    unitRowInto(acc, 0, out, i * dim, dim);
  }
  return out;
}
