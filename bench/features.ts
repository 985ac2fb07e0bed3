/**
 * npm run bench:features [-- --data PATH] [--seed 1] [--mi-columns 3000] [--repeats 20] [--C 0.1] [--no-sklearn] [--json FILE]
 *
 * Issue #16's figures, one run on IMDb train (25,000 labeled reviews):
 *  1. the ranking of uni+bi+trigrams (min df 5) by χ², ANOVA F and mutual
 *     information with BH-corrected p-values, timed from the archive to the
 *     ranked columns, and `sentivec features` end to end;
 *  2. scikit-learn's chi2 / f_classif / mutual_info_classif on the same
 *     binarized matrix (written to a temporary folder, /usr/bin/python3, the
 *     same run): largest relative difference of the statistics and the time
 *     ratio (MI on --mi-columns seeded random columns: sklearn computes one
 *     contingency table per column, hours for all of them);
 *  3. BH and Bonferroni against statsmodels' multipletests (if installed);
 *  4. the null check: labels shuffled at random, features significant at
 *     FDR 0.05 per test; and a logistic regression fitted on a seeded 80%
 *     with shuffled labels, whose permutation importance on the other 20%
 *     (every feature with a weight, --repeats repeats) should be within its
 *     interval of zero; the same with the real labels for contrast.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { corpusSource } from '../src/corpus/formats.js';
import type { CsrMatrix } from '../src/features/csr.js';
import { takeRows } from '../src/features/matrix.js';
import { NgramVocabulary } from '../src/features/ngram-vocabulary.js';
import { rankFeatures } from '../src/features/selection/ranking.js';
import { benjaminiHochberg, bonferroni } from '../src/features/selection/corrections.js';
import { normalQuantile } from '../src/features/selection/distributions.js';
import { permutationImportance } from '../src/eval/permutation-importance.js';
import { LogisticRegression } from '../src/models/classifiers/logistic.js';
import { stratifiedKFold } from '../src/models/classifiers/model-selection.js';
import { DocumentBuilder } from '../src/text/documents.js';
import { NgramTokenIds } from '../src/text/ngram-tokenizer.js';
import { Rng } from '../src/util/rng.js';
import { CLI, REPO, arg, dataFile, flag, numberArg } from './common.js';

const PYTHON = '/usr/bin/python3';
const archive = dataFile();
const seed = numberArg('seed', 1);
const miColumns = numberArg('mi-columns', 3000);
const repeats = numberArg('repeats', 20);
const C = numberArg('C', 0.1);
const log = (m: string): void => void process.stderr.write(`bench:features: ${m}\n`);
const seconds = (t0: number): number => (performance.now() - t0) / 1000;

/** Largest |a − b| / |b| over the indices where both are finite and |b| > floor; and how many were compared. */
function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>, floor = 0): { max: number; compared: number } {
  let max = 0;
  let compared = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i]) || (floor > 0 && !(Math.abs(b[i]) > floor))) continue;
    compared++;
    const d = b[i] === 0 ? Math.abs(a[i]) : Math.abs(a[i] - b[i]) / Math.abs(b[i]);
    if (d > max) max = d;
  }
  return { max, compared };
}

function maxAbsolute(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Columns whose interval mean ± z·se excludes zero. */
function excludingZero(r: { mean: Float64Array; se: Float64Array }, z: number): number {
  let k = 0;
  for (let c = 0; c < r.mean.length; c++) if (Math.abs(r.mean[c]) > z * r.se[c]) k++;
  return k;
}

async function main(): Promise<void> {
  const load = os.loadavg();
  // 1. Ranking, timed from the archive.
  const t0 = performance.now();
  const tokenIds = new NgramTokenIds();
  const builder = new DocumentBuilder();
  const labels: string[] = [];
  for await (const r of corpusSource(archive, { split: 'train', label: 'label' }).open()) {
    if (r.label === undefined) continue;
    builder.begin();
    tokenIds.addText(r.text, builder);
    labels.push(r.label);
  }
  const docs = builder.finish();
  const readSeconds = seconds(t0);
  const t1 = performance.now();
  const vocab = NgramVocabulary.fit(docs, tokenIds.strings, { minOrder: 1, maxOrder: 3, minDf: 5 });
  const X = vocab.transform(docs);
  const vocabSeconds = seconds(t1);
  const names = [...new Set(labels)].sort();
  const y = Int32Array.from(labels, (l) => names.indexOf(l));
  const t2 = performance.now();
  const ranking = rankFeatures(X, y, 2, { minDf: 5 });
  const testSeconds = seconds(t2);
  const totalSeconds = seconds(t0);
  log(`${X.rows} documents, ${X.cols} n-grams (${vocab.counts.kept.join(' / ')}), ranked in ${totalSeconds.toFixed(1)} s`);
  const [chi, anova, mi] = ranking.tests;
  const tested = ranking.tested;

  // 1b. The command end to end (report, examples, redundancy included).
  const out = mkdtempSync(path.join(os.tmpdir(), 'sentivec-bench-features-'));
  const tc = performance.now();
  const cli = spawnSync(process.execPath, [CLI, 'features', '--input', archive, '--ngrams', '1..3', '--json', path.join(out, 'report.json'), '--html', path.join(out, 'report.html'), '--log-format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const cliSeconds = seconds(tc);
  if (cli.status !== 0) throw new Error(`sentivec features failed: ${cli.stderr}`);

  // 2–3. scikit-learn and statsmodels on the same matrix.
  let peer: Record<string, unknown> | null = null;
  if (!flag('no-sklearn')) {
    const rng = new Rng(seed);
    const sample = rng.shuffle(Int32Array.from(tested)).subarray(0, Math.min(miColumns, tested.length)).sort();
    writeFileSync(path.join(out, 'shape.json'), JSON.stringify({ rows: X.rows, cols: X.cols }));
    writeFileSync(path.join(out, 'indptr.i32'), X.indptr);
    writeFileSync(path.join(out, 'indices.i32'), X.indices);
    writeFileSync(path.join(out, 'y.i32'), y);
    writeFileSync(path.join(out, 'mi_columns.i32'), sample);
    writeFileSync(path.join(out, 'p_chi2.f64'), chi.p);
    const py = spawnSync(PYTHON, [path.join(REPO, 'bench/features_sklearn.py'), out], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (py.status !== 0) throw new Error(`features_sklearn.py failed: ${py.stderr}`);
    const timing = JSON.parse(py.stdout) as { chi2_seconds: number; f_seconds: number; mi_seconds: number; statsmodels: string | null; sklearn: string };
    const f64 = (name: string): Float64Array => {
      const b = readFileSync(path.join(out, name));
      return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
    };
    const pick = (a: Float64Array, cols: ArrayLike<number>): Float64Array => Float64Array.from(cols, (j) => a[j]);
    const skChi = pick(f64('chi2.f64'), tested);
    const skChiP = pick(f64('chi2_p.f64'), tested);
    const skF = pick(f64('f.f64'), tested);
    const skMi = f64('mi.f64');
    const position = new Map(Array.from(tested, (j, i) => [j, i]));
    const ourMi = Float64Array.from(sample, (j) => mi.result.statistic[position.get(j)!]);
    let identicalChi = 0;
    let identicalF = 0;
    for (let i = 0; i < tested.length; i++) {
      if (Object.is(skChi[i], chi.result.statistic[i])) identicalChi++;
      if (Object.is(skF[i], anova.result.statistic[i])) identicalF++;
    }
    // p-values: compared where SciPy's do not underflow (ours keep ln p below that).
    const pOurs: number[] = [];
    const pSk: number[] = [];
    for (let i = 0; i < tested.length; i++) if (skChiP[i] > 1e-300) (pOurs.push(chi.p[i]), pSk.push(skChiP[i]));
    const corrections = timing.statsmodels
      ? { statsmodels: timing.statsmodels, bhMaxAbs: maxAbsolute(benjaminiHochberg(chi.p), f64('bh.f64')), bonferroniMaxAbs: maxAbsolute(bonferroni(chi.p), f64('bonferroni.f64')), tested: chi.p.length }
      : { statsmodels: null };
    const oursChi = testSeconds; // all three tests share one counting pass; the per-test share is below
    peer = {
      sklearn: timing.sklearn,
      chi2: { ...maxRelative(chi.result.statistic, skChi), identical: identicalChi, sklearnSeconds: timing.chi2_seconds },
      chi2P: { ...maxRelative(pOurs, pSk) },
      f: { ...maxRelative(anova.result.statistic, skF), identical: identicalF, sklearnSeconds: timing.f_seconds },
      // MI of an independent column is 0 up to rounding (we clamp −1e-18 to 0; sklearn may keep +1e-18), so relative differences are taken above 1e-12 nats.
      mi: { ...maxRelative(ourMi, skMi, 1e-12), maxAbsolute: maxAbsolute(ourMi, skMi), columns: sample.length, sklearnSeconds: timing.mi_seconds, sklearnSecondsPerColumn: timing.mi_seconds / sample.length },
      corrections,
      // sklearn's three on all columns (MI extrapolated from its sample) over our three tests on all columns.
      timeRatio: (timing.chi2_seconds + timing.f_seconds + (timing.mi_seconds / sample.length) * tested.length) / oursChi,
      timeRatioChi2F: (timing.chi2_seconds + timing.f_seconds) / oursChi,
    };
    log(`sklearn: χ² max rel ${(peer.chi2 as { max: number }).max}, F max rel ${(peer.f as { max: number }).max}, MI max rel ${(peer.mi as { max: number }).max}`);
  }

  // 4. Null checks: shuffled labels.
  const shuffled = new Rng(seed + 1).shuffle(Int32Array.from(y));
  const nullRanking = rankFeatures(X, shuffled, 2, { minDf: 5 });
  const nullTests = nullRanking.tests.map((t) => ({ test: t.result.test, significant: t.significant, tested: t.p.length, fraction: t.significant / t.p.length }));
  const fold = stratifiedKFold(y, 5, seed);
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let i = 0; i < y.length; i++) (fold[i] === 0 ? testRows : trainRows).push(i);
  const importance = (labelsOf: Int32Array, what: string) => {
    const tf = performance.now();
    const Xtr: CsrMatrix = takeRows(X, trainRows);
    const lr = new LogisticRegression({ C, seed }).fit(Xtr, Uint8Array.from(trainRows, (i) => labelsOf[i]));
    const pi = permutationImportance({ X: takeRows(X, testRows), y: Int32Array.from(testRows, (i) => labelsOf[i]), coef: lr.coef, intercept: lr.intercept, repeats, seed });
    const order = Array.from(pi.columns.keys()).sort((a, b) => pi.mean[b] - pi.mean[a]);
    const top = order.slice(0, 10).map((c) => ({ ngram: vocab.names[pi.columns[c]], mean: pi.mean[c], low: pi.low[c], high: pi.high[c] }));
    // Per-feature 95% intervals (about 5% exclude zero by chance alone) and simultaneous ones (Bonferroni over the features assessed).
    const single = excludingZero(pi, normalQuantile(0.975));
    const simultaneous = excludingZero(pi, normalQuantile(1 - 0.025 / Math.max(1, pi.columns.length)));
    log(`${what}: held-out accuracy ${pi.baseline.toFixed(4)}, ${pi.columns.length} features assessed, ${single} (95%) / ${simultaneous} (simultaneous 95%) with an interval excluding zero`);
    return { baseline: pi.baseline, assessed: pi.columns.length, excludingZero95: single, excludingZeroSimultaneous: simultaneous, top, seconds: seconds(tf) };
  };
  const permutationNull = importance(Int32Array.from(shuffled), 'shuffled labels');
  const permutationReal = importance(y, 'real labels');
  rmSync(out, { recursive: true, force: true });

  const result = {
    data: archive,
    documents: X.rows,
    ngrams: { counted: vocab.counts.counted, kept: vocab.counts.kept, columns: X.cols, nnz: X.indptr[X.rows], tested: tested.length },
    seconds: { read: readSeconds, ngrams: vocabSeconds, tests: testSeconds, total: totalSeconds, cli: cliSeconds },
    significant: ranking.tests.map((t) => ({ test: t.result.test, significant: t.significant })),
    top: ranking.tests.map((t) => ({ test: t.result.test, features: Array.from(t.order.subarray(0, 10), (i) => vocab.names[tested[i]]) })),
    peer,
    null: { tests: nullTests, permutation: permutationNull },
    permutation: permutationReal,
    config: { seed, repeats, C, miColumns, minDf: 5, ngrams: '1..3', split: '80/20 stratified, seed' },
    load: { before: load, after: os.loadavg() },
  };
  const json = arg('json');
  if (json) writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
