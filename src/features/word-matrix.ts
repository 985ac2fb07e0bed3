/**
 * Word vectors R (the paper's β × |V| matrix), stored word-major so that each
 * word's vector φ_w is contiguous: data[w * dim + j] = R[j][w]. Any method that
 * yields R (ours, LSA, LDA) hands documents to the classifier through the same
 * bnn → R v → cosine path, so this type lives in the features layer.
 */
export interface WordMatrix {
  /** β, the number of dimensions. */
  readonly dim: number;
  /** |V|. */
  readonly vocabSize: number;
  readonly data: Float32Array;
}
