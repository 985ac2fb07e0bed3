/**
 * Our LinearSVC / LogisticRegression against LIBLINEAR on the same data, in
 * one run: accuracy of both, prediction agreement, objective values and
 * training time.
 *
 *   npm run build && node dist/bench/svm-vs-liblinear.js [--loss l2|l1|lr] [--C 1] [--tol 0.1]
 *     [--rows 25000] [--cols 5000] [--nnz 130] [--values binary|idf] [--dense 0]
 *     [--repeats 3] [--rounds 3] [--seed 1]
 *
 * --values idf gives rows with unequal values (like bΔt'c); --dense 50 prepends
 * a dense 50-value block to every row (like the [z | bnc] "+ BoW" features).
 * --imdb path/to/aclImdb_v1.tar.gz [--features bnc|bdc] uses the real data
 * instead (25k train / 25k test, V = 5,000).
 *
 * Accuracy, agreement, iterations and objective come from the real
 * liblinear-train / liblinear-predict binaries. Their wall time is mostly
 * parsing the text file, which our in-process fit() never pays, so the time
 * we compare against is liblinear's train() call alone: a small C harness
 * (compiled on the fly with gcc against the same liblinear.so, needs
 * liblinear-dev) loads the file, then times train() only. Without gcc or
 * the header we fall back to (CLI wall − CLI wall with -e 1e9), a rougher
 * estimate. Timings are medians over rounds × repeats of CPU seconds (the
 * ratio) and of wall seconds, with ours and
 * liblinear's runs interleaved round by round so background load hits both;
 * the load average is printed with every case.
 *
 * --suite (with --imdb) runs the cases issue #5 tracks, one ratio each:
 * bow-bnc (l2, l1), bow-dtc, [z | bnc] with z from LSA (the layout of the
 * "+ BoW" rows; LSA stands in for the sentiment model's R, which takes
 * minutes to fit), and dense 50-d LDA features (a short LDA run,
 * --lda-sweeps, default 40) at C = 1 and at C = 10, the C the lda row picks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CsrMatrix } from '../src/features/csr.js';
import { LinearSVC } from '../src/models/classifiers/svm.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { writeLibsvm } from '../src/models/classifiers/libsvm-format.js';
import { accuracy } from '../src/models/classifiers/model-selection.js';
import { Rng } from '../src/util/rng.js';
import { loadImdb } from '../src/eval/imdb.js';
import { countMatrix, denseToCsr, hstackDense } from '../src/features/matrix.js';
import { bdc, bnc, bnn, deltaIdf } from '../src/features/smart.js';
import { projectDocuments } from '../src/features/projection.js';
import type { WordMatrix } from '../src/features/word-matrix.js';
import { concatDocs } from '../src/text/documents.js';
import type { TokenizedCorpus } from '../src/text/tokenized-corpus.js';
import { Lsa } from '../src/models/baselines/lsa.js';
import { Lda } from '../src/models/baselines/lda.js';
import { arg, median } from './common.js';

export interface Labeled {
  X: CsrMatrix;
  y: ArrayLike<number>;
}

export interface CompareOptions {
  C: number;
  loss: 'l2' | 'l1' | 'lr';
  tol: number;
  bias?: number;
  seed?: number;
  /** Timed fits per round, for each side. */
  repeats?: number;
  rounds?: number;
  /** LinearSVC's kernel option (wasm or TypeScript loop). */
  kernel?: 'auto' | 'wasm' | 'js';
  log?: (line: string) => void;
}

export interface CompareResult {
  /**
   * trainSeconds: median CPU seconds of a fit over rounds × repeats (both
   * sides; on a shared machine wall time is mostly waiting for a core);
   * wallSeconds: median wall seconds.
   */
  ours: { accuracy: number; trainSeconds: number; wallSeconds: number; iter: number; objective: number };
  liblinear: {
    accuracy: number;
    /** train() alone (harness) or the fallback estimate (wall only); see `timing`. */
    trainSeconds: number;
    wallSeconds: number;
    /** liblinear-train process wall time, parsing included. */
    cliSeconds: number;
    timing: 'harness' | 'estimate';
    iter: number;
    objective: number;
  };
  agreement: number;
  /** ours / liblinear train CPU seconds: the project's target is <= 1. */
  ratio: number;
  wallRatio: number;
}

const SOLVER = { l2: '1', l1: '3', lr: '7' } as const;

export function compareWithLiblinear(train: Labeled, test: Labeled, opts: CompareOptions): CompareResult {
  const log = opts.log ?? ((s: string) => console.log(s));
  const bias = opts.bias ?? 1;
  const repeats = opts.repeats ?? 3;
  const rounds = opts.rounds ?? 3;
  const dir = mkdtempSync(path.join(tmpdir(), 'sentivec-liblinear-'));
  try {
    const trFile = path.join(dir, 'train.txt');
    const teFile = path.join(dir, 'test.txt');
    const modelFile = path.join(dir, 'model');
    const outFile = path.join(dir, 'pred.txt');
    writeLibsvm(trFile, train.X, train.y);
    writeLibsvm(teFile, test.X, test.y);
    const biasArg = String(bias > 0 ? bias : -1);
    const args = ['-s', SOLVER[opts.loss], '-c', String(opts.C), '-e', String(opts.tol), '-B', biasArg];
    let llOut = '';
    const cliSeconds = timeOnce(() => {
      llOut = execFileSync('liblinear-train', [...args, trFile, modelFile], { encoding: 'utf8' });
    }).wall;
    execFileSync('liblinear-predict', [teFile, modelFile, outFile], { encoding: 'utf8' });
    const llPred = Uint8Array.from(readFileSync(outFile, 'utf8').trim().split('\n'), (s) => (Number(s) > 0 ? 1 : 0));

    const harness = compileHarness(dir);
    const timing = harness ? 'harness' : 'estimate';
    const llTrain = (): Timing[] => {
      if (harness) {
        const out = execFileSync(harness, [trFile, String(train.X.cols), SOLVER[opts.loss], String(opts.C), String(opts.tol), biasArg, String(repeats)], { encoding: 'utf8' });
        const times = out.trim().split('\n').map((line) => {
          const [wall, cpu] = line.split(' ').map(Number);
          return { wall, cpu };
        });
        if (times.length !== repeats || !times.every((t) => t.wall > 0 && t.cpu > 0)) throw new Error(`liblinear timing harness printed ${JSON.stringify(out)}`);
        return times;
      }
      const times: Timing[] = [];
      for (let r = 0; r < repeats; r++) {
        const wall = timeOnce(() => execFileSync('liblinear-train', [...args, '-q', trFile, path.join(dir, 'm')])).wall;
        const onePass = timeOnce(() => execFileSync('liblinear-train', [...args.slice(0, 4), '-e', '1e9', '-B', biasArg, '-q', trFile, path.join(dir, 'm1')])).wall;
        times.push({ wall: wall - onePass, cpu: wall - onePass });
      }
      return times;
    };

    let model: LinearSVC | LogisticRegression | undefined;
    const fitOurs = (): void => {
      model = opts.loss === 'lr'
        ? new LogisticRegression({ C: opts.C, tol: opts.tol, bias, seed: opts.seed ?? 1 }).fit(train.X, train.y)
        : new LinearSVC({ C: opts.C, loss: opts.loss, tol: opts.tol, bias, seed: opts.seed ?? 1, kernels: opts.kernel }).fit(train.X, train.y);
    };
    const ourTimes: Timing[] = [];
    const llTimes: Timing[] = [];
    for (let round = 0; round < rounds; round++) {
      llTimes.push(...llTrain());
      for (let r = 0; r < repeats; r++) ourTimes.push(timeOnce(fitOurs));
    }
    const ourSeconds = median(ourTimes.map((t) => t.cpu));
    const llSeconds = median(llTimes.map((t) => t.cpu));
    const ourWall = median(ourTimes.map((t) => t.wall));
    const llWall = median(llTimes.map((t) => t.wall));
    if (!model) throw new Error('unreachable: no model trained');
    const trained: LinearSVC | LogisticRegression = model;
    const ourPred = trained.predict(test.X);
    const result: CompareResult = {
      ours: {
        accuracy: accuracy(test.y, ourPred),
        trainSeconds: ourSeconds,
        wallSeconds: ourWall,
        iter: trained.nIter,
        objective: trained.dualObjective,
      },
      liblinear: {
        accuracy: accuracy(test.y, llPred),
        trainSeconds: llSeconds,
        wallSeconds: llWall,
        cliSeconds,
        timing,
        iter: Number(/#iter = (\d+)/.exec(llOut)?.[1] ?? Number.NaN),
        objective: Number(/Objective value = (-?[\d.eE+-]+)/.exec(llOut)?.[1] ?? Number.NaN),
      },
      agreement: accuracy(llPred, ourPred),
      ratio: ourSeconds / llSeconds,
      wallRatio: ourWall / llWall,
    };
    log(formatResult(result, opts, train.X));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


export function loadAverage(): string {
  return os.loadavg().map((v) => v.toFixed(2)).join(' ');
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall and process CPU seconds (all threads, like the harness's CLOCK_PROCESS_CPUTIME_ID). */
function timeOnce(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

/** Loads a LIBSVM file like liblinear-train would, then prints wall and CPU seconds of each of `repeats` train() calls. */
const HARNESS_C = `
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <linear.h>
static void quiet(const char *s) { (void)s; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
int main(int argc, char **argv) {
  if (argc != 8) { fprintf(stderr, "usage: file cols solver C eps bias repeats\\n"); return 2; }
  int cols = atoi(argv[2]), solver = atoi(argv[3]), repeats = atoi(argv[7]);
  double C = atof(argv[4]), eps = atof(argv[5]), bias = atof(argv[6]);
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  fseek(f, 0, SEEK_END); long n = ftell(f); rewind(f);
  char *buf = malloc(n + 1);
  if (fread(buf, 1, n, f) != (size_t)n) return 1;
  buf[n] = 0; fclose(f);
  long l = 0, elems = 0;
  for (long i = 0; i < n; i++) { if (buf[i] == '\\n') l++; else if (buf[i] == ':') elems++; }
  struct problem prob;
  prob.l = (int)l; prob.bias = bias; prob.n = bias >= 0 ? cols + 1 : cols;
  prob.y = malloc(sizeof(double) * l);
  prob.x = malloc(sizeof(struct feature_node *) * l);
  struct feature_node *space = malloc(sizeof(struct feature_node) * (elems + 2 * l));
  char *p = buf; long j = 0;
  for (long i = 0; i < l; i++) {
    prob.x[i] = &space[j];
    prob.y[i] = strtod(p, &p);
    for (;;) {
      while (*p == ' ') p++;
      if (*p == '\\n') break;
      space[j].index = (int)strtol(p, &p, 10);
      space[j].value = strtod(p + 1, &p);
      j++;
    }
    p++;
    if (bias >= 0) { space[j].index = cols + 1; space[j].value = bias; j++; }
    space[j++].index = -1;
  }
  struct parameter param = {0};
  param.solver_type = solver; param.C = C; param.eps = eps; param.p = 0.1;
  set_print_string_function(quiet);
  for (int r = 0; r < repeats; r++) {
    double t0 = now(), c0 = cpu();
    struct model *m = train(&prob, &param);
    printf("%.6f %.6f\\n", now() - t0, cpu() - c0);
    free_and_destroy_model(&m);
  }
  return 0;
}
`;

function compileHarness(dir: string): string | undefined {
  const src = path.join(dir, 'harness.c');
  const bin = path.join(dir, 'harness');
  writeFileSync(src, HARNESS_C);
  try {
    execFileSync('gcc', ['-O2', '-o', bin, src, '-llinear'], { stdio: 'pipe' });
    return bin;
  } catch {
    return undefined;
  }
}

function formatResult(r: CompareResult, o: CompareOptions, X: CsrMatrix): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const sec = (v: number) => `${v.toFixed(3)} s`;
  const how = r.liblinear.timing === 'harness' ? 'train() call' : 'estimate: CLI wall − one-pass CLI wall';
  return [
    `train ${X.rows} x ${X.cols}, nnz ${X.indptr[X.rows]}; loss=${o.loss} (liblinear -s ${SOLVER[o.loss]}) C=${o.C} tol=${o.tol}`,
    `  accuracy     ours ${pct(r.ours.accuracy)}   liblinear ${pct(r.liblinear.accuracy)}   diff ${(100 * (r.ours.accuracy - r.liblinear.accuracy)).toFixed(2)} pp`,
    `  agreement    ${pct(r.agreement)} of test predictions`,
    `  objective    ours ${r.ours.objective.toFixed(4)}   liblinear ${r.liblinear.objective.toFixed(4)}`,
    `  iterations   ours ${r.ours.iter}   liblinear ${r.liblinear.iter}`,
    `  train CPU    ours ${sec(r.ours.trainSeconds)}   liblinear ${sec(r.liblinear.trainSeconds)} (medians; ${how}; CLI wall incl. parsing ${sec(r.liblinear.cliSeconds)})`,
    `  train wall   ours ${sec(r.ours.wallSeconds)}   liblinear ${sec(r.liblinear.wallSeconds)} (medians)`,
    `  ratio        ours/liblinear CPU ${r.ratio.toFixed(2)}, wall ${r.wallRatio.toFixed(2)}   (load average ${loadAverage()})`,
  ].join('\n');
}

/**
 * Text-shaped synthetic data: Zipf-like column popularity, a log-normal
 * number of distinct terms per row (mean ≈ nnz), binary values L2-normalized
 * (bnc), labels from a sparse random hyperplane plus Gaussian noise,
 * thresholded at the median so classes are balanced. Rows are split in half
 * into train and test.
 */
export function syntheticTextProblem(opts: {
  rows: number;
  cols: number;
  nnz: number;
  noise?: number;
  /** 'idf': binary × log(N/df), then L2-normalized, so rows are not uniform (like bΔt'c). */
  values?: 'binary' | 'idf';
  seed: number;
}): { train: Labeled; test: Labeled } {
  const { rows, cols, nnz } = opts;
  const rng = new Rng(opts.seed);
  const cdf = new Float64Array(cols);
  let acc = 0;
  for (let j = 0; j < cols; j++) cdf[j] = acc += 1 / (j + 20);
  for (let j = 0; j < cols; j++) cdf[j] /= acc;
  // Column ids are a permutation of popularity ranks, like a real vocabulary.
  const colOf = rng.shuffle(Int32Array.from({ length: cols }, (_, j) => j));
  const wStar = new Float64Array(cols);
  for (let j = 0; j < cols; j++) if (rng.next() < 0.2) wStar[j] = rng.normal();

  const total = 2 * rows;
  const lens = new Int32Array(total);
  const indptr = new Int32Array(total + 1);
  for (let i = 0; i < total; i++) {
    lens[i] = Math.max(5, Math.min(Math.floor(cols / 4), Math.round(nnz * Math.exp(0.5 * rng.normal() - 0.125))));
    indptr[i + 1] = indptr[i] + lens[i];
  }
  const indices = new Int32Array(indptr[total]);
  const data = new Float64Array(indptr[total]);
  const seen = new Int32Array(cols).fill(-1);
  const score = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    const start = indptr[i];
    let k = start;
    while (k < indptr[i + 1]) {
      const u = rng.next();
      let lo = 0;
      let hi = cols - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      const c = colOf[lo];
      if (seen[c] === i) continue;
      seen[c] = i;
      indices[k++] = c;
    }
    indices.subarray(start, k).sort();
  }
  const idf = new Float64Array(cols).fill(1);
  if (opts.values === 'idf') {
    const df = new Float64Array(cols);
    for (const c of indices) df[c]++;
    for (let j = 0; j < cols; j++) idf[j] = Math.log((total + 1) / (df[j] + 1)) + 1;
  }
  for (let i = 0; i < total; i++) {
    let norm = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) norm += idf[indices[p]] ** 2;
    norm = Math.sqrt(norm);
    let s = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      data[p] = idf[indices[p]] / norm;
      s += wStar[indices[p]] * data[p];
    }
    score[i] = s;
  }
  let mean = 0;
  for (const s of score) mean += s / total;
  let sd = 0;
  for (const s of score) sd += (s - mean) ** 2 / total;
  sd = Math.sqrt(sd);
  const noise = opts.noise ?? 0.4;
  for (let i = 0; i < total; i++) score[i] += noise * sd * rng.normal();
  const median = Float64Array.from(score).sort()[rows];
  const y = Uint8Array.from(score, (s) => (s >= median ? 1 : 0));
  const half = (from: number, to: number): Labeled => {
    const ip = indptr.slice(from, to + 1).map((v) => v - indptr[from]);
    return {
      X: { rows: to - from, cols, indptr: ip, indices: indices.slice(indptr[from], indptr[to]), data: data.slice(indptr[from], indptr[to]) },
      y: y.slice(from, to),
    };
  };
  return { train: half(0, rows), test: half(rows, total) };
}

/**
 * Prepends a dense, L2-normalized block of `dim` values per row that carries
 * a weak label signal along a direction fixed by `seed` (so train and test
 * share it; `part` varies the noise): the layout of the "+ BoW" features
 * [z | bnc].
 */
export function withDenseBlock(p: Labeled, dim: number, seed: number, part: number): Labeled {
  const dir = new Rng(seed);
  const u = Array.from({ length: dim }, () => dir.normal());
  const rng = new Rng(seed + 7919 * (part + 1));
  const { rows, cols, indptr, indices, data } = p.X;
  const ip = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) ip[i + 1] = ip[i] + dim + indptr[i + 1] - indptr[i];
  const idx = new Int32Array(ip[rows]);
  const val = new Float64Array(ip[rows]);
  for (let i = 0; i < rows; i++) {
    const z = u.map((uj) => rng.normal() + 0.1 * (p.y[i] ? 1 : -1) * uj);
    const norm = Math.hypot(...z);
    let k = ip[i];
    for (let j = 0; j < dim; j++) {
      idx[k] = j;
      val[k++] = z[j] / norm;
    }
    for (let q = indptr[i]; q < indptr[i + 1]; q++) {
      idx[k] = dim + indices[q];
      val[k++] = data[q];
    }
  }
  return { X: { rows, cols: cols + dim, indptr: ip, indices: idx, data: val }, y: p.y };
}

const USAGE = `npm run bench:svm -- [--loss l2|l1|lr] [--C 1] [--tol 0.1] [--repeats 3] [--rounds 3] [--seed 1]
  synthetic data: [--rows 25000] [--cols 5000] [--nnz 130] [--values binary|idf] [--dense 0]
  real data:      --imdb path/to/aclImdb_v1.tar.gz [--features bnc|bdc]
  all tracked cases on real data: --imdb PATH --suite [--lda-sweeps 40]
  our solver's loop: [--kernel auto|wasm|js]`;

function kernelArg(): 'auto' | 'wasm' | 'js' {
  const k = arg('kernel', 'auto');
  if (k !== 'auto' && k !== 'wasm' && k !== 'js') throw new Error('--kernel must be auto, wasm or js');
  return k;
}


/** Real aclImdb train/test as bnc or bΔt'c features (vocabulary and Δidf from training data only). */
async function imdbProblem(archive: string, features: string): Promise<{ train: Labeled; test: Labeled }> {
  const corpus = await loadImdb(archive);
  const V = corpus.vocabulary.size;
  const cTr = countMatrix(corpus.train.docs, V);
  const cTe = countMatrix(corpus.test.docs, V);
  if (features === 'bnc') return { train: { X: bnc(cTr), y: corpus.train.labels }, test: { X: bnc(cTe), y: corpus.test.labels } };
  if (features !== 'bdc') throw new Error('--features must be bnc or bdc');
  const idf = deltaIdf(cTr, corpus.train.labels);
  return { train: { X: bdc(cTr, idf), y: corpus.train.labels }, test: { X: bdc(cTe, idf), y: corpus.test.labels } };
}

export interface SuiteRow {
  name: string;
  loss: 'l2' | 'l1';
  C: number;
  result: CompareResult;
}

/**
 * The SVM cases issue #5 tracks, on the real IMDb features (see the file
 * comment). Word vectors are fitted on the 75k training documents, as
 * reproduce does.
 */
export function imdbSuite(
  corpus: TokenizedCorpus,
  opts: { ldaSweeps?: number; repeats?: number; rounds?: number; seed?: number; kernel?: 'auto' | 'wasm' | 'js'; log?: (line: string) => void },
): SuiteRow[] {
  const log = opts.log ?? ((line: string) => console.log(line));
  const seed = opts.seed ?? 1;
  const sweeps = opts.ldaSweeps ?? 40;
  const V = corpus.vocabulary.size;
  const cTr = countMatrix(corpus.train.docs, V);
  const cTe = countMatrix(corpus.test.docs, V);
  const yTr = corpus.train.labels;
  const yTe = corpus.test.labels;
  const idf = deltaIdf(cTr, yTr);
  const all = countMatrix(concatDocs(corpus.train.docs, corpus.unsup.docs), V);
  let t0 = performance.now();
  const lsa = new Lsa({ seed }).fit(all).wordVectors;
  log(`LSA (${lsa.dim}-d) fitted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  const lda = new Lda({ seed, maxIterations: sweeps, minIterations: sweeps }).fit(all).wordVectors;
  log(`LDA (${lda.dim}-d, ${sweeps} sweeps) fitted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const withBow = (r: WordMatrix, c: CsrMatrix): CsrMatrix => hstackDense(projectDocuments(bnn(c), r), r.dim, bnc(c));
  const dense = (r: WordMatrix, c: CsrMatrix): CsrMatrix => denseToCsr(projectDocuments(bnn(c), r), r.dim);
  const features: Record<string, () => [CsrMatrix, CsrMatrix]> = {
    'bow-bnc': () => [bnc(cTr), bnc(cTe)],
    'bow-dtc': () => [bdc(cTr, idf), bdc(cTe, idf)],
    'lsa-bow': () => [withBow(lsa, cTr), withBow(lsa, cTe)],
    'lda': () => [dense(lda, cTr), dense(lda, cTe)],
  };
  const cases = [
    ['bow-bnc', 'l2', 0.1],
    ['bow-bnc', 'l1', 0.1],
    ['bow-dtc', 'l2', 0.1],
    ['lsa-bow', 'l2', 0.1],
    ['lda', 'l2', 1],
    ['lda', 'l2', 10],
  ] as const;
  const out: SuiteRow[] = [];
  for (const [name, loss, C] of cases) {
    log(`\n== ${name} ==`);
    const [xTr, xTe] = features[name]();
    const result = compareWithLiblinear({ X: xTr, y: yTr }, { X: xTe, y: yTe }, { C, loss, tol: 0.1, repeats: opts.repeats, rounds: opts.rounds, seed, kernel: opts.kernel, log });
    out.push({ name, loss, C, result });
  }
  return out;
}

/** One markdown table row per case. */
export function suiteTable(rows: SuiteRow[]): string {
  const lines = [
    '| features | loss, C | train CPU s ours / LIBLINEAR | ratio | wall ratio | iterations ours / LIBLINEAR | accuracy ours / LIBLINEAR | same predictions |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const { name, loss, C, result: r } of rows) {
    lines.push(
      `| ${name} | ${loss}, ${C} | ${r.ours.trainSeconds.toFixed(3)} / ${r.liblinear.trainSeconds.toFixed(3)} | **${r.ratio.toFixed(2)}** | ${r.wallRatio.toFixed(2)} | ` +
        `${r.ours.iter} / ${r.liblinear.iter} | ${(100 * r.ours.accuracy).toFixed(2)}% / ${(100 * r.liblinear.accuracy).toFixed(2)}% | ${(100 * r.agreement).toFixed(2)}% |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const loss = arg('loss', 'l2');
  if (loss !== 'l2' && loss !== 'l1' && loss !== 'lr') throw new Error(`--loss must be l2, l1 or lr`);
  const t0 = performance.now();
  const imdb = arg('imdb', '');
  if (process.argv.includes('--suite')) {
    if (!imdb) throw new Error('--suite needs --imdb path/to/aclImdb_v1.tar.gz');
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${loadAverage()}`);
    const rows = imdbSuite(await loadImdb(imdb), {
      ldaSweeps: Number(arg('lda-sweeps', '40')),
      repeats: Number(arg('repeats', '3')),
      rounds: Number(arg('rounds', '3')),
      seed: Number(arg('seed', '1')),
      kernel: kernelArg(),
    });
    console.log(`\n${suiteTable(rows)}\nload average at the end: ${loadAverage()}`);
    process.exit(0);
  }
  let { train, test } = imdb
    ? await imdbProblem(imdb, arg('features', 'bnc'))
    : syntheticTextProblem({
      rows: Number(arg('rows', '25000')),
      cols: Number(arg('cols', '5000')),
      nnz: Number(arg('nnz', '130')),
      values: arg('values', 'binary') === 'idf' ? 'idf' : 'binary',
      seed: Number(arg('seed', '1')),
    });
  const dense = Number(arg('dense', '0'));
  if (dense > 0) {
    train = withDenseBlock(train, dense, 101, 0);
    test = withDenseBlock(test, dense, 101, 1);
  }
  console.log(`${imdb ? 'IMDb features' : 'synthetic data'} ready in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  compareWithLiblinear(train, test, {
    C: Number(arg('C', '1')),
    loss,
    tol: Number(arg('tol', '0.1')),
    repeats: Number(arg('repeats', '3')),
    rounds: Number(arg('rounds', '3')),
    seed: Number(arg('seed', '1')),
    kernel: kernelArg(),
  });
}
