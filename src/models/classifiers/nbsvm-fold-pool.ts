/**
 * selectNbSvm's folds on several threads: this thread and `threads − 1`
 * workers claim whole folds from a shared counter; each scores its fold with
 * scoreNbSvmFold from the same plain-data plan, on its own copy of the
 * fold's rows (taken from X, put in shared memory once), and writes the
 * decision values into one shared array (a row is held out in exactly one
 * fold, so no two folds write the same cell). A fold's values do not depend
 * on which thread scored it or when, so the selection is bit-identical for
 * any thread count. This thread blocks on Atomics.wait for the folds still
 * running when it runs out of folds, so selectNbSvm stays synchronous.
 *
 * Folds rather than fits are the tasks: a fold's fits share its NB inputs
 * and warm-start each other (nbsvm-fold.ts). With 5 folds on 2 threads the
 * last fold runs alone: ~3/5 of the one-thread time at best.
 *
 * Memory: X once more in shared memory (IMDb's train trigrams: 16.2 M
 * entries, 195 MB), and one fold's matrices and NB inputs per thread.
 */
import type { CsrMatrix } from '../../features/csr.js';
import { errorSlot, reportWorkerError, runIfWorker, startWorkers, waitForWorkers } from '../../runtime/workers.js';
import { gridFold, type FoldSplit } from './grid-cv.js';
import { scoreNbSvmFold, type NbSvmFoldPlan } from './nbsvm-fold.js';

const WORKER_TAG = 'sentivec-nbsvm-folds';
const C_NEXT = 0; // next fold to claim
const C_FOLDS = 1; // folds finished
const C_FITS = 2; // fits finished (progress)
const C_ERROR = 3;
/** Then one started flag per worker. */
const C_STARTED = 4;
const START_MS = 60_000;
/** No fit finished for this long: a worker is presumed dead (a fit on 20k reviews takes seconds). */
const STALL_MS = 30 * 60_000;

/** What every thread reads: X, labels and `out` in shared memory, the rest copied. */
interface FoldJob {
  tag: typeof WORKER_TAG;
  index: number;
  X: CsrMatrix;
  y: Uint8Array;
  splits: FoldSplit[];
  plan: NbSvmFoldPlan;
  points: number;
  /** out[k · rows + i]: row i's held-out decision value at grid point k. */
  out: Float64Array;
  ctrl: Int32Array;
  error: Uint8Array;
}

/**
 * Scores every fold of `splits` on `threads` threads; returns, per fold f,
 * its decision arrays (one per grid point, over split f's held-out rows) as
 * poolFolds takes them. `onProgress` gets the fits finished so far.
 */
export function scoreFoldsInParallel(X: CsrMatrix, y: ArrayLike<number>, splits: FoldSplit[], plan: NbSvmFoldPlan, points: number, threads: number, onProgress: (fits: number) => void): (f: number) => Float64Array[] {
  const workers = Math.min(threads, splits.length) - 1;
  const n = y.length;
  const job: FoldJob = {
    tag: WORKER_TAG,
    index: -1,
    X: sharedCsr(X),
    y: shared(Uint8Array, n).fill(0).map((_, i) => y[i]),
    splits,
    plan,
    points,
    out: shared(Float64Array, points * n),
    ctrl: shared(Int32Array, C_STARTED + workers),
    error: errorSlot(),
  };
  const { ctrl } = job;
  const started = startWorkers(new URL(import.meta.url), Array.from({ length: workers }, (_, w) => ({ ...job, index: w })));
  try {
    let shown = -1;
    const tick = (): void => {
      const fits = Atomics.load(ctrl, C_FITS);
      if (fits !== shown) onProgress((shown = fits));
    };
    claimFolds(job, tick);
    waitForWorkers({
      ctrl,
      waitCell: C_FITS,
      errorCell: C_ERROR,
      error: job.error,
      what: 'NBSVM fold worker',
      done: () => {
        tick();
        return Atomics.load(ctrl, C_FOLDS) === splits.length;
      },
      progress: () => Atomics.load(ctrl, C_FITS),
      stallMs: STALL_MS,
      pollMs: 500,
      check: (idle) => {
        for (let w = 0; w < workers; w++) if (Atomics.load(ctrl, C_STARTED + w) === 0 && idle > START_MS) throw new Error(`NBSVM fold worker ${w} did not start within ${START_MS / 1000} s`);
      },
    });
  } finally {
    for (const w of started) void w.terminate();
  }
  return (f) => Array.from({ length: points }, (_, k) => Float64Array.from(splits[f].eval, (i) => job.out[k * n + i]));
}

/** Scores folds until none is left to claim (or a thread has failed). */
function claimFolds(job: FoldJob, onFit: () => void): void {
  const { ctrl, splits, out, y } = job;
  const n = y.length;
  for (;;) {
    if (Atomics.load(ctrl, C_ERROR) !== 0) return;
    const f = Atomics.add(ctrl, C_NEXT, 1);
    if (f >= splits.length) return;
    const decisions = scoreNbSvmFold(gridFold(job.X, y, splits[f]), job.plan, () => {
      Atomics.add(ctrl, C_FITS, 1);
      Atomics.notify(ctrl, C_FITS);
      onFit();
    });
    const ev = splits[f].eval;
    decisions.forEach((d, k) => {
      for (let i = 0; i < ev.length; i++) out[k * n + ev[i]] = d[i];
    });
    Atomics.add(ctrl, C_FOLDS, 1);
    Atomics.notify(ctrl, C_FITS);
  }
}

function shared<T extends Int32Array | Uint8Array | Float64Array>(Type: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  return new Type(new SharedArrayBuffer(Type.BYTES_PER_ELEMENT * length));
}

/** X copied into shared memory (a worker's view of it is not a copy). */
function sharedCsr(X: CsrMatrix): CsrMatrix {
  const nnz = X.indptr[X.rows];
  const indptr = shared(Int32Array, X.rows + 1);
  const indices = shared(Int32Array, nnz);
  const data = shared(Float64Array, nnz);
  indptr.set(X.indptr.subarray(0, X.rows + 1));
  indices.set(X.indices.subarray(0, nnz));
  data.set(X.data.subarray(0, nnz));
  return { rows: X.rows, cols: X.cols, indptr, indices, data };
}

function runWorker(job: FoldJob): void {
  Atomics.store(job.ctrl, C_STARTED + job.index, 1);
  try {
    claimFolds(job, () => {});
  } catch (e) {
    reportWorkerError(job.error, job.ctrl, C_ERROR, e);
    Atomics.notify(job.ctrl, C_FITS);
  }
}

runIfWorker(WORKER_TAG, runWorker);
