/**
 * The label-free part of the word vectors, fitted once for every fold of a
 * `sentivec cv`, and each fold's fit warm-started from it.
 *
 * The full-unlabeled vectors' sentiment term reads the fold's labels, so they
 * are fitted inside each fold; but most of their objective is the semantic
 * term over the unlabeled text (73,000 of 74,800 documents in issue #13's
 * run), the same in every fold and blind to labels. So that part is fitted
 * once, semantic only, on the unlabeled text alone (no labeled text, no
 * label: honest outside the folds, like LDA), and each fold starts from its
 * R, b and the unlabeled documents' θ and runs a few epochs of the full
 * objective on its own labeled training documents plus the unlabeled ones.
 * A cold fit spent 70 s a fold on those 74,800 documents (10 epochs from a
 * random R), most of it relearning the same semantic vectors.
 *
 * The full row is treated alike inside each fold: its fit warm-starts from
 * the fold's own semantic-only fit (the semantic row's vectors, on the same
 * labeled training text) instead of a random R.
 */
import type { TokenizedDocs } from '../text/documents.js';
import { SentimentVectors, type SentimentVectorsOptions, type WarmStart } from '../models/embeddings/index.js';
import { int, type OptionTable } from '../util/options.js';
import type { Reporter } from '../util/log.js';

export const SHARED_VECTORS_OPTIONS = {
  warmEpochs: int({
    min: 1,
    default: 3,
    description: "cv: epochs of each fold's full and full-unlabeled word vectors, warm-started from a semantic-only fit (the fold's own, and the one on the unlabeled text that all folds share; a cold fit runs --epochs from a random R)",
  }),
} satisfies OptionTable;

/** Options of the paper's model that the shared fit and the folds' warm fits have in common. */
export type SharedFitOptions = Omit<SentimentVectorsOptions, 'useSentiment' | 'onEpoch'>;

/** The semantic-only fit on `unlabeled` (no labels exist there to read), with the documents' θ kept for the folds' warm starts. */
export function fitUnlabeledStart(unlabeled: TokenizedDocs, vocabSize: number, opts: SharedFitOptions, reporter: Reporter): WarmStart {
  const task = reporter.task('fit shared semantic vectors (unlabeled text, no labels)', 1);
  const model = new SentimentVectors({
    ...opts,
    useSentiment: false,
    onEpoch: (e) => reporter.event('epoch', { model: 'shared-semantic', epoch: e.epoch, objective: e.objective, seconds: e.seconds }),
  }).fit(unlabeled, new Float64Array(unlabeled.count), vocabSize, { keepTheta: true });
  task.end();
  return model.warmStart();
}

/** A fold's warm start: the shared R and b; θ at 0 for its `labeled` documents (placed first), the shared θ for the unlabeled ones after them. */
export function foldStart(shared: WarmStart, labeled: number): WarmStart {
  const dim = shared.w.length / shared.b.length;
  const sharedTheta = shared.theta ?? new Float64Array(0);
  const theta = new Float64Array(labeled * dim + sharedTheta.length);
  theta.set(sharedTheta, labeled * dim);
  return { w: shared.w, b: shared.b, theta };
}
