/**
 * Document features from word vectors, as the paper builds them: z = R v for
 * each document's bnn vector v, cosine-normalized (features/projection.ts),
 * alone or followed by the bnc bag of words. Shared by the paper's vector
 * rows (reproduce.ts) and the rows beyond it that reuse the vectors
 * (beyond-rows.ts); built once per run and split.
 */
import type { CsrMatrix } from '../features/csr.js';
import { denseToCsr, hstackDense } from '../features/matrix.js';
import { projectDocuments } from '../features/projection.js';
import { bnc, bnn } from '../features/smart.js';
import type { ExperimentRun, VectorKind } from './experiment.js';

export type LabeledSplitName = 'labeled' | 'heldOut';

/** rows × dim, row-major: each document's normalized R v. */
export function documentVectors(run: ExperimentRun, kind: VectorKind, split: LabeledSplitName): { z: Float32Array; dim: number } {
  return run.memo(`z:${kind}:${split}`, () => {
    const r = run.wordVectors(kind);
    return { z: projectDocuments(bnn(run.counts(split)), r), dim: r.dim };
  });
}

/** The paper's document features: z, or [z | bnc] with the bag of words. */
export function vectorFeatures(run: ExperimentRun, kind: VectorKind, split: LabeledSplitName, withBow: boolean): CsrMatrix {
  const { z, dim } = documentVectors(run, kind, split);
  return withBow ? hstackDense(z, dim, bnc(run.counts(split))) : denseToCsr(z, dim);
}
