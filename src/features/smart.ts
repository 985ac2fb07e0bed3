/**
 * SMART weightings (Salton's three letters: term frequency / idf / normalization),
 * exactly as ../shared/PAPER.md defines the ones Table 2 uses:
 * - bnn: binary presence, no idf, no normalization (input to R v);
 * - bnc: binary presence, cosine (L2) normalized;
 * - bΔt'c: binary × smoothed delta-idf fitted on training labels, cosine normalized.
 */
import type { CsrMatrix } from './csr.js';
import { withData } from './matrix.js';

/** b: every stored term becomes 1. */
export function bnn(x: CsrMatrix): CsrMatrix {
  return withData(x, new Float64Array(x.data.length).fill(1));
}

/** c: each row scaled to unit L2 norm (empty rows stay zero). */
export function cosineNormalize(x: CsrMatrix): CsrMatrix {
  const data = Float64Array.from(x.data);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) s += data[p] * data[p];
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) data[p] *= inv;
    }
  }
  return withData(x, data);
}

export function bnc(x: CsrMatrix): CsrMatrix {
  return cosineNormalize(bnn(x));
}

/**
 * Smoothed delta-idf (Paltoglou & Thelwall 2010; Martineau & Finin 2009):
 * Δt'(j) = log2( (N_neg · df_pos(j) + 0.5) / (N_pos · df_neg(j) + 0.5) ),
 * with document frequencies from the training documents and labels only.
 */
export function deltaIdf(train: CsrMatrix, labels: ArrayLike<number>): Float64Array {
  if (labels.length !== train.rows) throw new RangeError(`${labels.length} labels for ${train.rows} documents`);
  const dfPos = new Float64Array(train.cols);
  const dfNeg = new Float64Array(train.cols);
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < train.rows; i++) {
    const pos = labels[i] === 1;
    if (pos) nPos++;
    else nNeg++;
    const df = pos ? dfPos : dfNeg;
    for (let p = train.indptr[i]; p < train.indptr[i + 1]; p++) if (train.data[p] !== 0) df[train.indices[p]] += 1;
  }
  const idf = new Float64Array(train.cols);
  for (let j = 0; j < train.cols; j++) idf[j] = Math.log2((nNeg * dfPos[j] + 0.5) / (nPos * dfNeg[j] + 0.5));
  return idf;
}

/** Multiplies column j by `weights[j]`. */
export function scaleColumns(x: CsrMatrix, weights: Float64Array): CsrMatrix {
  const data = new Float64Array(x.data.length);
  for (let p = 0; p < data.length; p++) data[p] = x.data[p] * weights[x.indices[p]];
  return withData(x, data);
}

/** bΔt'c with a delta-idf vector fitted beforehand (on training data). */
export function bdc(x: CsrMatrix, idf: Float64Array): CsrMatrix {
  return cosineNormalize(scaleColumns(bnn(x), idf));
}
