/**
 * The rows of `npm run bench:peers`: what each one installs, which process
 * it runs, and how its figures are read back. Rows whose work happens in a
 * script of ours report their own timings (result.ts); for the command-line
 * tools (liblinear, fastText) train and predict seconds are the wall times
 * of their two processes.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { accuracy } from '../../src/models/classifiers/model-selection.js';
import { logTail, runTimed, type ChildRun } from './child.js';
import type { ExportedFiles } from './data.js';
import { parseResult, type PeerResult } from './result.js';

export interface PeerContext {
  /** The aclImdb archive (the sentivec rows read it themselves). */
  data: string;
  /** Scratch directory: exported text files, LIBSVM features, logs, models. */
  dir: string;
  files: ExportedFiles;
  yTest: Uint8Array;
  quick?: number;
  seed: number;
  /** npm prefix holding the npm peers. */
  prefix: string;
  timeoutMs: number;
  /** dist/bench/peers (compiled children). */
  childDir: string;
  /** bench/peers in the source tree (the Python helper). */
  scriptDir: string;
}

export interface RowOutcome {
  result?: PeerResult;
  /** Why there is no result. */
  failure?: string;
  peakMB: number;
  /** Wall seconds of the row's process(es), start-up and data loading included. */
  wallSeconds: number;
}

export interface PeerRow {
  id: string;
  name: string;
  /** Debian packages the row needs. */
  apt: readonly string[];
  /** npm packages the row needs (in the scratch prefix). */
  npm: readonly string[];
  /** A row whose output files (features, C) this one reads. */
  after?: string;
  run(ctx: PeerContext): Promise<RowOutcome>;
}

const PYTHON = '/usr/bin/python3';
const PYTHON_APT = ['python3-sklearn', 'python3-numpy'];

/** A failure outcome for a process that did not finish well. */
function failed(ctx: PeerContext, run: ChildRun, log: string): string | undefined {
  if (run.timedOut) return `stopped at the --timeout limit of ${ctx.timeoutMs / 60000} min`;
  if (run.code !== 0) return `exit ${run.code}: ${logTail(log)}`;
  return undefined;
}

/** A child that prints its own PEER_RESULT line. */
async function resultChild(ctx: PeerContext, id: string, command: string, args: readonly string[]): Promise<RowOutcome> {
  const log = path.join(ctx.dir, `${id}.log`);
  const run = await runTimed(command, args, { cwd: ctx.dir, logFile: log, timeoutMs: ctx.timeoutMs });
  const base = { peakMB: run.peakMB, wallSeconds: run.wallSeconds };
  const failure = failed(ctx, run, log);
  if (failure) return { ...base, failure };
  const result = parseResult(run.stdout);
  return result ? { ...base, result } : { ...base, failure: `printed no result: ${logTail(log)}` };
}

/** Two command-line processes (fit, then predict to a file); `score` turns the file into labels. */
async function trainThenPredict(
  ctx: PeerContext,
  id: string,
  train: [string, string[]],
  predict: [string, string[]],
  predictions: string,
  stdoutIsPredictions: boolean,
  score: (file: string, trainSeconds: number) => { pred: Uint8Array; notes: string[] },
): Promise<RowOutcome> {
  const log = path.join(ctx.dir, `${id}.log`);
  const fit = await runTimed(train[0], train[1], { cwd: ctx.dir, logFile: log, timeoutMs: ctx.timeoutMs });
  let failure = failed(ctx, fit, log);
  if (failure) return { failure, peakMB: fit.peakMB, wallSeconds: fit.wallSeconds };
  const run = await runTimed(predict[0], predict[1], {
    cwd: ctx.dir,
    logFile: log,
    timeoutMs: ctx.timeoutMs,
    stdoutFile: stdoutIsPredictions ? predictions : undefined,
  });
  const peakMB = Math.max(fit.peakMB, run.peakMB);
  const wallSeconds = fit.wallSeconds + run.wallSeconds;
  failure = failed(ctx, run, log);
  if (failure) return { failure, peakMB, wallSeconds };
  const { pred, notes } = score(predictions, fit.wallSeconds);
  if (pred.length !== ctx.yTest.length) return { failure: `${pred.length} predictions for ${ctx.yTest.length} test reviews`, peakMB, wallSeconds };
  return {
    result: { accuracy: accuracy(ctx.yTest, pred), trainSeconds: fit.wallSeconds, predictSeconds: run.wallSeconds, notes },
    peakMB,
    wallSeconds,
  };
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
}

function sentivecRow(row: 'bow-bnc' | 'full-unlabeled-bow'): PeerRow {
  return {
    id: row,
    name: `sentivec ${row}`,
    apt: [],
    npm: [],
    run: (ctx) =>
      resultChild(ctx, row, process.execPath, [
        path.join(ctx.childDir, 'sentivec-row.js'),
        ...['--data', ctx.data, '--row', row, '--out', ctx.dir, '--seed', String(ctx.seed)],
        ...(ctx.quick === undefined ? [] : ['--quick', String(ctx.quick)]),
      ]),
  };
}

/** sentivec's nbsvm-tri row (bench/peers/nbsvm-row.ts): it also writes its NB features for liblinear. */
const nbsvmRow: PeerRow = {
  id: 'nbsvm-tri',
  name: 'sentivec nbsvm-tri',
  apt: [],
  npm: [],
  run: (ctx) =>
    resultChild(ctx, 'nbsvm-tri', process.execPath, [
      path.join(ctx.childDir, 'nbsvm-row.js'),
      ...['--data', ctx.data, '--out', ctx.dir, '--seed', String(ctx.seed)],
      ...(ctx.quick === undefined ? [] : ['--quick', String(ctx.quick)]),
    ]),
};

/** liblinear-train on the features the sentivec row wrote, with the C its CV chose. */
function liblinearRow(row: 'bow-bnc' | 'full-unlabeled-bow' | 'nbsvm-tri'): PeerRow {
  const id = `liblinear-${row === 'bow-bnc' ? 'bnc' : row}`;
  return {
    id,
    name: `liblinear-train, ${row === 'nbsvm-tri' ? "sentivec's NB features (x̂ ∘ r, uni+bi+trigrams)" : `${row} features`}`,
    apt: ['liblinear-tools'],
    npm: [],
    after: row,
    run: async (ctx) => {
      const base = path.join(ctx.dir, row);
      const ours = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { C: number; fitSeconds: number };
      const C = ours.C;
      const model = path.join(ctx.dir, `${id}.model`);
      const out = path.join(ctx.dir, `${id}.pred`);
      const outcome = await trainThenPredict(
        ctx,
        id,
        ['liblinear-train', ['-s', '1', '-c', String(C), '-e', '0.1', '-B', '1', '-q', `${base}.train.svm`, model]],
        ['liblinear-predict', [`${base}.test.svm`, model, out]],
        out,
        false,
        (file, trainSeconds) => {
          const pred = Uint8Array.from(readLines(file), (s) => (Number(s) > 0 ? 1 : 0));
          const ourPred = Uint8Array.from(readLines(`${base}.pred`), Number);
          const same = ourPred.length === pred.length ? `${(100 * accuracy(ourPred, pred)).toFixed(2)}% same labels as sentivec's SVM` : 'label count differs from sentivec';
          return {
            pred,
            notes: [
              `-s 1 (L2-loss dual, as LinearSVC) -e 0.1 -B 1, C = ${C} (sentivec's CV); ${same}`,
              `train/predict s = process wall, parsing the LIBSVM text included (sentivec's ${row === 'nbsvm-tri' ? 'NB features + SVM fit' : 'SVM fit on the same features'}: ${ours.fitSeconds.toFixed(3)} s, ratio sentivec ÷ liblinear-train ${(ours.fitSeconds / trainSeconds).toFixed(2)}; \`npm run bench:baselines\` times liblinear's train() alone)`,
            ],
          };
        },
      );
      rmSync(model, { force: true });
      return outcome;
    },
  };
}

/** `normalized`: the text through fastText's tutorial normalization (data.ts) instead of the shared cleaned text. */
function fastTextRow(bigrams: boolean, normalized: boolean): PeerRow {
  const id = `fasttext${bigrams ? '-bigrams' : ''}${normalized ? '-normalized' : ''}`;
  return {
    id,
    name: `fastText supervised${bigrams ? ' -wordNgrams 2' : ''}${normalized ? ', tutorial-normalized text' : ''}`,
    apt: ['fasttext'],
    npm: [],
    run: async (ctx) => {
      const model = path.join(ctx.dir, id);
      const extra = bigrams ? ['-wordNgrams', '2'] : [];
      const outcome = await trainThenPredict(
        ctx,
        id,
        ['fasttext', ['supervised', '-input', normalized ? ctx.files.trainFastTextNormalized : ctx.files.trainFastText, '-output', model, '-thread', '2', ...extra]],
        ['fasttext', ['predict', `${model}.bin`, normalized ? ctx.files.testTextNormalized : ctx.files.testText]],
        `${model}.pred`,
        true,
        (file) => ({
          pred: Uint8Array.from(readLines(file), (l) => (l === '__label__pos' ? 1 : 0)),
          notes: [
            `defaults${bigrams ? ' + -wordNgrams 2' : ''} (5 epochs, dim 100, lr 0.1), -thread 2; ` +
              (normalized ? "text lowercased, punctuation split off (fastText's tutorial normalize_text)" : 'its tokenizer splits on whitespace only'),
            'train s = process wall incl. writing model.bin/.vec; predict s incl. loading model.bin',
          ],
        }),
      );
      for (const ext of ['bin', 'vec', 'pred']) rmSync(`${model}.${ext}`, { force: true });
      return outcome;
    },
  };
}

/** scikit-learn's NB-weighted logistic regression on binary uni+bi+trigrams (python_peers.py nb-logistic). */
const sklearnNbRow: PeerRow = {
  id: 'sklearn-nb-logistic',
  name: 'scikit-learn NB-weighted LogisticRegression, uni+bi+trigrams',
  apt: PYTHON_APT,
  npm: [],
  run: (ctx) =>
    resultChild(ctx, 'sklearn-nb-logistic', PYTHON, [
      path.join(ctx.scriptDir, 'python_peers.py'),
      ...['nb-logistic', '--ngrams', '3', '--train', ctx.files.trainTsv, '--test', ctx.files.testTsv, '--seed', String(ctx.seed)],
    ]),
};

function sklearnRow(ngrams: 1 | 2): PeerRow {
  const id = ngrams === 1 ? 'sklearn' : 'sklearn-bigrams';
  return {
    id,
    name: `scikit-learn TF-IDF ${ngrams === 1 ? 'unigrams' : 'uni+bigrams'} + LinearSVC`,
    apt: PYTHON_APT,
    npm: [],
    run: (ctx) =>
      resultChild(ctx, id, PYTHON, [
        path.join(ctx.scriptDir, 'python_peers.py'),
        ...['tfidf-svc', '--ngrams', String(ngrams), '--train', ctx.files.trainTsv, '--test', ctx.files.testTsv, '--seed', String(ctx.seed)],
      ]),
  };
}

const doc2vecRow: PeerRow = {
  id: 'doc2vec',
  name: 'gensim Doc2Vec (PV-DBOW) + LogisticRegression',
  apt: [...PYTHON_APT, 'python3-gensim'],
  npm: [],
  run: (ctx) =>
    resultChild(ctx, 'doc2vec', PYTHON, [
      path.join(ctx.scriptDir, 'python_peers.py'),
      ...['doc2vec', '--train', ctx.files.trainTsv, '--unsup', ctx.files.unsupTsv, '--test', ctx.files.testTsv, '--epochs', '20', '--seed', String(ctx.seed)],
    ]),
};

function npmRow(id: string, name: string, packages: readonly string[]): PeerRow {
  return {
    id,
    name,
    apt: [],
    npm: packages,
    run: (ctx) =>
      resultChild(ctx, id, process.execPath, [
        path.join(ctx.childDir, 'npm-peer.js'),
        ...['--peer', id, '--train', ctx.files.trainTsv, '--test', ctx.files.testTsv, '--prefix', ctx.prefix],
      ]),
  };
}

export const PEER_ROWS: readonly PeerRow[] = [
  sentivecRow('bow-bnc'),
  sentivecRow('full-unlabeled-bow'),
  liblinearRow('bow-bnc'),
  liblinearRow('full-unlabeled-bow'),
  nbsvmRow,
  liblinearRow('nbsvm-tri'),
  sklearnNbRow,
  fastTextRow(false, false),
  fastTextRow(true, false),
  fastTextRow(false, true),
  fastTextRow(true, true),
  sklearnRow(1),
  sklearnRow(2),
  doc2vecRow,
  npmRow('natural', 'natural BayesClassifier', ['natural']),
  npmRow('wink', 'wink-naive-bayes-text-classifier', ['wink-naive-bayes-text-classifier']),
  npmRow('sentiment', 'sentiment (AFINN lexicon)', ['sentiment']),
  npmRow('vader', 'vader-sentiment', ['vader-sentiment']),
];
