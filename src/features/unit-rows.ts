/**
 * Scaling rows to unit Euclidean length: what cosine-based code (the paper's
 * document features, word neighbours, PCA of word directions, DV-ngrams'
 * cosine-trained document vectors) does before comparing rows, written once.
 */

/** dst[to .. to+dim) = src[from .. from+dim) / its Euclidean norm; a zero row stays zero. */
export function unitRowInto(src: ArrayLike<number>, from: number, dst: Float32Array | Float64Array, to: number, dim: number): void {
  let s = 0;
  for (let j = 0; j < dim; j++) s += src[from + j] * src[from + j];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let j = 0; j < dim; j++) dst[to + j] = src[from + j] * inv;
}

/** Every row of a row-major block scaled to unit length (a new array). */
export function unitRows(z: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length; i += dim) unitRowInto(z, i, out, i, dim);
  return out;
}
