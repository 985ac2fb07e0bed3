/**
 * sentivec's nbsvm-tri row in its own `bench:peers` process: the n-grams,
 * NB ratios and SVM exactly as `sentivec reproduce --rows nbsvm-tri` builds
 * them (the n-gram tokenizer, hashed binary uni+bi+trigrams, α, C, β by
 * 5-fold CV on train), timed in stages.
 *
 *   node dist/bench/peers/nbsvm-row.js --data ARCHIVE --out DIR [--quick N] [--seed 1]
 *
 * Train = tokenize + n-grams + NB features (ratios, x̂ ∘ r) + SVM fit; the
 * (α, C, β) search is reported apart. Writes DIR/nbsvm-tri.train.svm and
 * .test.svm (the NB features x̂ ∘ r, LIBSVM format), .pred (the SVM's own
 * labels, β = 0, what liblinear fits too) and .json (C, NB + fit seconds)
 * for the `liblinear-nbsvm-tri` row.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPRODUCE_DEFAULTS } from '../../src/cli/reproduce.js';
import type { CsrMatrix } from '../../src/features/csr.js';
import { NbRatios, nbScale } from '../../src/features/nb-ratios.js';
import { NgramHasher, compactColumns } from '../../src/features/ngrams.js';
import { accuracy } from '../../src/models/classifiers/model-selection.js';
import { writeLibsvm } from '../../src/models/classifiers/libsvm-format.js';
import { DEFAULT_NBSVM_GRID, selectNbSvm } from '../../src/models/classifiers/nbsvm-selection.js';
import { NbSvm } from '../../src/models/classifiers/nbsvm.js';
import { LinearSVC } from '../../src/models/classifiers/svm.js';
import { DocumentBuilder, type TokenizedDocs } from '../../src/text/documents.js';
import { NgramTokenIds } from '../../src/text/ngram-tokenizer.js';
import { readSplits } from './data.js';
import { emitResult, since } from './result.js';

const { values } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string' }, quick: { type: 'string' }, seed: { type: 'string', default: '1' } } });
if (!values.data || !values.out) throw new Error('--data and --out are required');
const seed = Number(values.seed);
const folds = REPRODUCE_DEFAULTS.folds;

const splits = await readSplits(values.data, values.quick === undefined ? undefined : Number(values.quick));
const yTrain = Uint8Array.from(splits.train, (r) => (r.label === 'pos' ? 1 : 0));
const yTest = Uint8Array.from(splits.test, (r) => (r.label === 'pos' ? 1 : 0));
const tokenIds = new NgramTokenIds();
const tokenize = (texts: readonly string[]): TokenizedDocs => {
  const b = new DocumentBuilder();
  for (const text of texts) {
    b.begin();
    tokenIds.addText(text, b);
  }
  return b.finish();
};
const hasher = new NgramHasher({ order: 3, bits: 24 });

// ---- train
let t = performance.now();
const trainDocs = tokenize(splits.train.map((r) => r.text));
const tokenizeSeconds = since(t);
t = performance.now();
const compact = compactColumns(hasher.transform(trainDocs, NgramHasher.tokenHashes(tokenIds.strings)), []);
const ngramSeconds = since(t);

t = performance.now();
// The squared-hinge SVM on every column (the row's default grid is logistic regression since session f, with a document-frequency floor since g): this bench times the SVM against `liblinear-train -s 1` on the same features.
const GRID = { ...DEFAULT_NBSVM_GRID, minDfs: [1], losses: ['squared-hinge'] as const, biases: [1], Cs: [0.01, 0.03, 0.1] };
const sel = selectNbSvm(compact.train, yTrain, GRID, { folds, seed });
const cvSeconds = since(t);

t = performance.now();
const r = NbRatios.fit(compact.train, yTrain, { alpha: sel.alpha }).ratios(1);
const xTrain = nbScale(compact.train, r);
const nbSeconds = since(t);
t = performance.now();
const svm = new LinearSVC({ C: sel.C, seed }).fit(xTrain, yTrain);
const svmSeconds = since(t);
// The row's model (with β): the SVM above is NbSvm.fit's own, refitted here only to time its stages apart.
const model = new NbSvm({ alpha: sel.alpha, C: sel.C, beta: sel.beta, seed }).fit(compact.train, yTrain);
const trainSeconds = tokenizeSeconds + ngramSeconds + nbSeconds + svmSeconds;

// ---- predict
t = performance.now();
const testDocs = tokenize(splits.test.map((x) => x.text));
const xTestBinary = trainColumns(hasher.transform(testDocs, NgramHasher.tokenHashes(tokenIds.strings)), compact.buckets);
const pred = model.predict(xTestBinary);
const predictSeconds = since(t);

const base = path.join(values.out, 'nbsvm-tri');
writeLibsvm(`${base}.train.svm`, xTrain, yTrain);
writeLibsvm(`${base}.test.svm`, nbScale(xTestBinary, r), yTest);
writeFileSync(`${base}.pred`, `${Array.from(svm.predict(nbScale(xTestBinary, r))).join('\n')}\n`);
writeFileSync(`${base}.json`, JSON.stringify({ C: sel.C, fitSeconds: nbSeconds + svmSeconds, nbSeconds, svmSeconds }));

emitResult({
  accuracy: accuracy(yTest, pred),
  trainSeconds,
  cvSeconds,
  predictSeconds,
  notes: [
    `α = ${sel.alpha}, C = ${sel.C}, β = ${sel.beta} by ${folds}-fold CV over ${GRID.alphas.length}×${GRID.Cs.length}×${GRID.betas.length} points (squared-hinge SVM); ${compact.train.cols} n-gram columns (2^24 buckets)`,
    `train = tokenize ${tokenizeSeconds.toFixed(1)} s + n-grams ${ngramSeconds.toFixed(1)} s + NB features ${nbSeconds.toFixed(2)} s + SVM fit ${svmSeconds.toFixed(2)} s`,
  ],
});

/** A hashed matrix on the training rows' compact columns (buckets train never used dropped, as reproduce's compactColumns does). */
function trainColumns(x: CsrMatrix, buckets: Int32Array): CsrMatrix {
  const column = new Int32Array(x.cols).fill(-1);
  buckets.forEach((b, c) => (column[b] = c));
  const indptr = new Int32Array(x.rows + 1);
  const indices: number[] = [];
  for (let i = 0; i < x.rows; i++) {
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) if (column[x.indices[p]] >= 0) indices.push(column[x.indices[p]]);
    indptr[i + 1] = indices.length;
  }
  return { rows: x.rows, cols: buckets.length, indptr, indices: Int32Array.from(indices), data: new Float64Array(indices.length).fill(1) };
}
