/**
 * One sentivec row of `npm run bench:peers`, in its own process so its peak
 * memory is its own: bow-bnc or full-unlabeled-bow exactly as
 * `sentivec reproduce` builds them with its default options (vocabulary from
 * train + unsup, the word vectors' λ and sentiment weight, C by k-fold CV on
 * train over the same grid, LinearSVC), timed in stages.
 *
 *   node dist/bench/peers/sentivec-row.js --data ARCHIVE --row bow-bnc|full-unlabeled-bow
 *     --out DIR [--quick N] [--seed 1]
 *
 * Train = tokenize the reviews the row learns from + vocabulary + (word
 * vectors) + features + the final SVM fit; the C search is reported apart.
 * Predict = tokenize the 25k test texts + features + decision values. Reading
 * the archive is excluded. Writes DIR/ROW.train.svm, ROW.test.svm (LIBSVM),
 * ROW.pred and ROW.json (C, SVM fit and predict seconds) for the liblinear rows.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPRODUCE_DEFAULTS } from '../../src/cli/reproduce.js';
import type { CsrMatrix } from '../../src/features/csr.js';
import { countMatrix, hstackDense } from '../../src/features/matrix.js';
import { bnc, bnn } from '../../src/features/smart.js';
import { projectDocuments } from '../../src/features/projection.js';
import type { WordMatrix } from '../../src/features/word-matrix.js';
import { ExperimentRun, type ModelOptions } from '../../src/eval/experiment.js';
import { imdbExperiment } from '../../src/eval/imdb.js';
import { selectSvmC } from '../../src/eval/reproduce.js';
import { LinearSVC } from '../../src/models/classifiers/svm.js';
import { accuracy, fixedFeatures } from '../../src/models/classifiers/model-selection.js';
import { writeLibsvm } from '../../src/models/classifiers/libsvm-format.js';
import { SentimentModel } from '../../src/models/product/sentiment-model.js';
import type { ModelInfo } from '../../src/models/product/model-info.js';
import { DocumentBuilder, type TokenizedDocs } from '../../src/text/documents.js';
import { Tokenizer } from '../../src/text/tokenizer.js';
import { tokenizeCorpus } from '../../src/text/tokenized-corpus.js';
import type { Vocabulary } from '../../src/text/vocabulary.js';
import { readSplits } from './data.js';
import { emitResult, since } from './result.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    row: { type: 'string' },
    out: { type: 'string' },
    quick: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const row = values.row;
if (row !== 'bow-bnc' && row !== 'full-unlabeled-bow') throw new Error('--row must be bow-bnc or full-unlabeled-bow');
if (!values.data || !values.out) throw new Error('--data and --out are required');
const seed = Number(values.seed);
const quick = values.quick === undefined ? undefined : Number(values.quick);

/** `sentivec reproduce`'s configuration, so this row and the Table 2 rows cannot drift apart. */
const defaults = REPRODUCE_DEFAULTS;
const model: ModelOptions = { lambda: defaults.lambda, nu: defaults.nu, sentimentWeight: defaults.sentimentWeight, maxEpochs: defaults.epochs };

const splits = await readSplits(values.data, quick);
const testTexts = splits.test.map((r) => r.text);
const yTest = Uint8Array.from(splits.test, (r) => (r.label === 'pos' ? 1 : 0));
const learnFrom = [...splits.train, ...splits.unsup];
splits.train = [];
splits.unsup = [];

// ---- train
let t = performance.now();
const corpus = await tokenizeCorpus(learnFrom, { tokenizer: new Tokenizer({ mode: defaults.tokenizer }), size: defaults.vocabSize, skipTop: defaults.skipTop });
learnFrom.length = 0;
const tokenizeSeconds = since(t);
const V = corpus.vocabulary.size;
const opts = { seed, folds: defaults.folds, cGrid: defaults.cGrid, model };
const run = new ExperimentRun(imdbExperiment(corpus), opts);

t = performance.now();
const R: WordMatrix | undefined = row === 'full-unlabeled-bow' ? run.wordVectors('full-unlabeled') : undefined;
const vectorsSeconds = since(t);

const featurize = (docs: TokenizedDocs): CsrMatrix => {
  const counts = countMatrix(docs, V);
  return R ? hstackDense(projectDocuments(bnn(counts), R), R.dim, bnc(counts)) : bnc(counts);
};
t = performance.now();
const yTrain = corpus.train.labels;
const xTrain = featurize(corpus.train.docs);
const featureSeconds = since(t);

t = performance.now();
const selection = selectSvmC(fixedFeatures(xTrain), yTrain, opts);
const cvSeconds = since(t);

t = performance.now();
const svm = new LinearSVC({ C: selection.C, seed }).fit(xTrain, yTrain);
const fitSeconds = since(t);
const trainSeconds = tokenizeSeconds + vectorsSeconds + featureSeconds + fitSeconds;

// ---- predict
t = performance.now();
const xTest = featurize(tokenizeWith(testTexts, corpus.tokenizer, corpus.vocabulary));
const pred = svm.predict(xTest);
const predictSeconds = since(t);

const trainDocs = corpus.train.docs.count;
const learned = trainDocs + corpus.unsup.docs.count;
const notes = [
  `C = ${selection.C} by ${opts.folds}-fold CV (${selection.scores.length} values)` +
    (R ? `; vectors λ = ${model.lambda ?? 'default'}, sentiment weight ${model.sentimentWeight ?? 'default'} (reproduce's defaults)` : ''),
  `train = tokenize ${learned} train + unsup reviews (the vocabulary counts both, as in reproduce) ${tokenizeSeconds.toFixed(1)} s` +
    (R ? ` + word vectors (${learned} docs, 2 threads) ${vectorsSeconds.toFixed(1)} s` : '') +
    ` + features ${featureSeconds.toFixed(2)} s + SVM fit ${fitSeconds.toFixed(3)} s`,
];

// The product path from raw text: a SentimentModel holding this row's
// vectors and SVM weights (its decision value is the same linear function).
if (R) {
  const model = new SentimentModel({
    words: corpus.vocabulary.words,
    vectors: R,
    bc: 0,
    tokenizer: { mode: 'paper' },
    labels: ['neg', 'pos'],
    weightsVectors: svm.coef.slice(0, R.dim),
    weightsWords: svm.coef.slice(R.dim),
    intercept: svm.intercept,
    frequencies: new Float64Array(V),
    info: benchInfo(R.dim, V, selection.C, trainDocs, learned - trainDocs),
  });
  t = performance.now();
  const predictions = model.predict(testTexts);
  const modelSeconds = since(t);
  const viaModel = Uint8Array.from(predictions, (p) => (p.label === 'pos' ? 1 : 0));
  notes.push(
    `SentimentModel.predict(texts) on the same weights: ${modelSeconds.toFixed(2)} s, ${(100 * accuracy(yTest, viaModel)).toFixed(2)}% ` +
      `(${(100 * accuracy(pred, viaModel)).toFixed(2)}% same labels; it also ranks each text's top words)`,
  );
}

const base = path.join(values.out, row);
writeLibsvm(`${base}.train.svm`, xTrain, yTrain);
writeLibsvm(`${base}.test.svm`, xTest, yTest);
writeFileSync(`${base}.pred`, `${Array.from(pred).join('\n')}\n`);
writeFileSync(`${base}.json`, JSON.stringify({ C: selection.C, fitSeconds, predictSeconds }));

emitResult({ accuracy: accuracy(yTest, pred), trainSeconds, cvSeconds, predictSeconds, notes });

/** Test texts through the training tokenizer and vocabulary (out-of-vocabulary tokens dropped). */
function tokenizeWith(texts: readonly string[], tokenizer: Tokenizer, vocabulary: Vocabulary): TokenizedDocs {
  const b = new DocumentBuilder();
  for (const text of texts) {
    b.begin();
    tokenizer.forEachToken(text, (token) => {
      const id = vocabulary.id(token);
      if (id >= 0) b.token(id);
    });
  }
  return b.finish();
}

/** Placeholder self-description: the model lives only in this process (never saved), and its classifier is the row's SVM. */
function benchInfo(dim: number, vocabularySize: number, C: number, labeled: number, unlabeled: number): ModelInfo {
  return {
    formatVersion: 0,
    sentivecVersion: 'bench',
    created: new Date().toISOString(),
    target: { kind: 'label', labels: ['neg', 'pos'], positiveRule: 'option' },
    input: { path: 'aclImdb (bench:peers)', unlabeled: ['aclImdb unsup'] },
    options: {
      tokenizer: defaults.tokenizer, vocabSize: defaults.vocabSize, skipTop: defaults.skipTop, skipTopClamped: false, minCount: 1, dim,
      epochs: model.maxEpochs ?? 10, lambda: model.lambda ?? NaN, nu: model.nu ?? 1, sentimentWeight: model.sentimentWeight ?? NaN,
      C, cGrid: [...opts.cGrid], folds: opts.folds, seed, threads: 2, blueprint: null, budgetSeconds: null,
    },
    data: {
      documents: labeled + unlabeled, labeled, unlabeled, perClass: {}, middleRatings: 0, tokens: 0, distinctTokens: 0,
      vocabularySize, skipTop: defaults.skipTop, emptyDocuments: 0,
    },
    estimate: null,
    blueprint: { id: 'bench', description: 'a reproduce row (bench:peers)' },
    calibration: null,
    leaderboard: null,
    learningCurve: null,
    vectors: { epochs: 10, converged: false, objective: [], seconds: 0 },
    classifier: { kind: 'linear-svm', C, crossValidation: null, trainingAccuracy: Number.NaN, seconds: 0 },
    seconds: 0,
  };
}
