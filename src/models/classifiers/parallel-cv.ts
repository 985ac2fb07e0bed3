/**
 * The (fold, C) fits of selectC on `threads` worker threads. The main thread
 * is the producer: it builds each fold's train/eval matrices (running the
 * split featurizer, which may be a closure and so cannot cross into a worker),
 * copies them into SharedArrayBuffers and posts them to the workers; fold f
 * is built only once fold f − 2 is finished, so at most two folds' matrices
 * are alive besides the one being built. Workers claim tasks (fold-major,
 * larger C first within a fold, so the cheap fits come last and the threads
 * finish together) from a shared counter, build the estimator from its
 * plain-data spec, and write one integer hit count per task. Each fit sees
 * exactly the matrix, labels and options the sequential loop gives it, so the
 * hit counts, and therefore the scores and the chosen C, are bit-identical
 * for any thread count. The main thread blocks on Atomics.wait, so selectC
 * stays synchronous.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { errorSlot, reportWorkerError, runIfWorker, startWorkers, waitForWorkers } from '../../runtime/workers.js';
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import { makeEstimator, type EstimatorSpec } from './estimators.js';


/**
 * Builds one CV split's train/eval matrices; or, for features that need no
 * fitting, the matrix whose rows the folds are (copied straight into shared
 * memory, with no intermediate matrix to collect).
 */
export type FoldFeatures = ((trainRows: Int32Array, evalRows: Int32Array) => { train: CsrMatrix; eval: CsrMatrix }) | CsrMatrix;

const C_NEXT = 0; // next task to claim
const C_READY = 1; // folds posted so far
const C_FINISHED = 2; // tasks finished
const C_STOP = 3;
const C_ERROR = 4;
const CTRL_CELLS = 5;
/** Folds built ahead of the oldest unfinished one. */
const WINDOW = 2;
const START_MS = 60_000;
/** No task finished by any worker for this long: one is presumed dead (a fit on 25k reviews takes seconds). */
const STALL_MS = 30 * 60_000;
const WORKER_TAG = 'sentivec-cv-fits';

/** Pool-wide cells: a job generation the idle workers wait on, and one started flag per worker. */
const P_GEN = 0;
const P_STARTED = 1;

interface WorkerInput {
  tag: typeof WORKER_TAG;
  index: number;
  pool: Int32Array;
  port: MessagePort;
}

interface JobMessage {
  type: 'job';
  spec: EstimatorSpec;
  grid: number[];
  order: Int32Array;
  folds: number;
  fold: Int32Array;
  y: Float64Array;
  ctrl: Int32Array;
  hits: Int32Array;
  error: Uint8Array;
}

interface FoldMessage {
  type: 'fold';
  f: number;
  train: CsrMatrix;
  eval: CsrMatrix;
}

/**
 * The workers of one parallelHits call. They are started per call rather
 * than kept for the process: an idle worker never collects garbage, so the
 * fold buffers it has seen (tens of MB) would stay allocated through the
 * word-vector fits that follow in `sentivec reproduce`; terminating it frees
 * them. Start-up and JIT warm-up cost ~0.1–0.2 s per call.
 */
class FitPool {
  private readonly members: { worker: Worker; port: MessagePort }[] = [];
  readonly pool = new Int32Array(new SharedArrayBuffer(4 * (P_STARTED + 64)));
  /**
   * WINDOW reusable fold buffers: fold f goes to slot f mod WINDOW once fold
   * f − WINDOW is finished, so a call holds two folds' matrices at most
   * (fresh buffers per fold would wait for garbage collection in every
   * isolate that saw them).
   */
  readonly slots = Array.from({ length: WINDOW }, () => ({ train: new SharedCsr(), eval: new SharedCsr() }));

  get size(): number {
    return this.members.length;
  }

  grow(n: number): void {
    while (this.members.length < Math.min(n, 64)) {
      const { port1, port2 } = new MessageChannel();
      const input: WorkerInput = { tag: WORKER_TAG, index: this.members.length, pool: this.pool, port: port2 };
      const [worker] = startWorkers(new URL(import.meta.url), [input], (i) => [i.port]);
      this.members.push({ worker, port: port1 });
    }
  }

  started(w: number): boolean {
    return Atomics.load(this.pool, P_STARTED + w) !== 0;
  }

  /** Posts a message to workers [0, n); a job message also wakes them. */
  post(n: number, msg: JobMessage | FoldMessage): void {
    for (let w = 0; w < n; w++) this.members[w].port.postMessage(msg);
    if (msg.type === 'job') {
      Atomics.add(this.pool, P_GEN, 1);
      Atomics.notify(this.pool, P_GEN);
    }
  }

  close(): void {
    for (const { worker, port } of this.members) {
      port.close();
      void worker.terminate();
    }
    this.members.length = 0;
  }
}

/**
 * Held-out hit counts per grid value, summed over folds (what the sequential
 * loop of selectC counts). `fold` is each row's fold in [0, folds).
 */
export function parallelHits(
  spec: EstimatorSpec,
  features: FoldFeatures,
  y: ArrayLike<number>,
  fold: Int32Array,
  grid: readonly number[],
  folds: number,
  threads: number,
): Float64Array {
  const G = grid.length;
  const tasks = folds * G;
  const pool = new FitPool();
  pool.grow(Math.min(threads, tasks));
  const workers = Math.min(threads, tasks, pool.size);
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL_CELLS));
  const hits = new Int32Array(new SharedArrayBuffer(4 * tasks)).fill(-1);
  const error = errorSlot();
  // Larger C fits take more passes: start them first within each fold.
  const order = Int32Array.from(grid.keys()).sort((a, b) => grid[b] - grid[a] || a - b);
  let ok = false;
  try {
    pool.post(workers, { type: 'job', spec, grid: [...grid], order, folds, fold, y: Float64Array.from(y), ctrl, hits, error });
    const wait = new Waiter(ctrl, error, workers, pool);
    for (let f = 0; f < folds; f++) {
      // Fold f − WINDOW must be done before fold f is built: at most WINDOW folds live at once.
      if (f >= WINDOW) wait.until(() => foldFinished(hits, f - WINDOW, G));
      const tr: number[] = [];
      const ev: number[] = [];
      for (let i = 0; i < fold.length; i++) (fold[i] === f ? ev : tr).push(i);
      const slot = pool.slots[f % WINDOW];
      let msg: FoldMessage;
      if (typeof features === 'function') {
        const m = features(Int32Array.from(tr), Int32Array.from(ev));
        msg = { type: 'fold', f, train: slot.train.fill(m.train, allRows(m.train.rows)), eval: slot.eval.fill(m.eval, allRows(m.eval.rows)) };
      } else {
        msg = { type: 'fold', f, train: slot.train.fill(features, tr), eval: slot.eval.fill(features, ev) };
      }
      pool.post(workers, msg);
      Atomics.store(ctrl, C_READY, f + 1);
      Atomics.notify(ctrl, C_READY);
    }
    wait.until(() => Atomics.load(ctrl, C_FINISHED) === tasks);
    ok = true;
  } finally {
    if (!ok) {
      Atomics.store(ctrl, C_STOP, 1);
      Atomics.notify(ctrl, C_READY);
    }
    pool.close();
  }
  const correct = new Float64Array(G);
  for (let t = 0; t < tasks; t++) correct[order[t % G]] += hits[t];
  return correct;
}

/** Hit counts start at −1, so a finished fold has all its counts ≥ 0. */
function foldFinished(hits: Int32Array, f: number, G: number): boolean {
  for (let t = f * G; t < (f + 1) * G; t++) if (Atomics.load(hits, t) < 0) return false;
  return true;
}

/** Blocks the main thread until a condition holds, surfacing worker errors and dead workers. */
class Waiter {
  constructor(
    private readonly ctrl: Int32Array,
    private readonly error: Uint8Array,
    private readonly workers: number,
    private readonly pool: FitPool,
  ) {}

  until(done: () => boolean): void {
    const { ctrl } = this;
    waitForWorkers({
      ctrl,
      waitCell: C_FINISHED,
      errorCell: C_ERROR,
      error: this.error,
      what: 'cross-validation worker',
      done,
      progress: () => Atomics.load(ctrl, C_FINISHED),
      stallMs: STALL_MS,
      pollMs: 500,
      check: (idle) => {
        for (let w = 0; w < this.workers; w++) {
          if (!this.pool.started(w) && idle > START_MS) throw new Error(`cross-validation worker ${w} did not start within ${START_MS / 1000} s`);
        }
      },
    });
  }
}

const allRows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/** A CSR matrix in growable SharedArrayBuffers, refilled for each fold. */
class SharedCsr {
  private indptr = new Int32Array(new SharedArrayBuffer(0));
  private indices = new Int32Array(new SharedArrayBuffer(0));
  private data = new Float64Array(new SharedArrayBuffer(0));

  /** Copies rows `rows` of `m` in (like takeRows), growing the buffers when needed, and returns views of the copy. */
  fill(m: CsrMatrix, rows: ArrayLike<number>): CsrMatrix {
    const n = rows.length;
    // Folds differ by a row or so: a little headroom avoids a second buffer for the next fold.
    const grow = (k: number): number => Math.ceil(k * 1.02) + 64;
    if (this.indptr.length < n + 1) this.indptr = new Int32Array(new SharedArrayBuffer(4 * grow(n + 1)));
    const indptr = this.indptr.subarray(0, n + 1);
    indptr[0] = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      if (!Number.isInteger(r) || r < 0 || r >= m.rows) throw new SentivecError(`row ${r} out of range [0, ${m.rows})`);
      indptr[i + 1] = indptr[i] + m.indptr[r + 1] - m.indptr[r];
    }
    const nnz = indptr[n];
    if (this.indices.length < nnz) {
      this.indices = new Int32Array(new SharedArrayBuffer(4 * grow(nnz)));
      this.data = new Float64Array(new SharedArrayBuffer(8 * this.indices.length));
    }
    const indices = this.indices.subarray(0, nnz);
    const data = this.data.subarray(0, nnz);
    for (let i = 0; i < n; i++) {
      const a = m.indptr[rows[i]];
      const b = m.indptr[rows[i] + 1];
      indices.set(m.indices.subarray(a, b), indptr[i]);
      data.set(m.data.subarray(a, b), indptr[i]);
    }
    return { rows: n, cols: m.cols, indptr, indices, data };
  }
}

function runWorker(input: WorkerInput): void {
  const { pool, port, index } = input;
  Atomics.store(pool, P_STARTED + index, 1);
  let gen = 0;
  let inbox: (JobMessage | FoldMessage)[] = [];
  // Messages arrive in order: a job, then its folds, then the next job.
  const receive = (): JobMessage | FoldMessage | undefined => inbox.shift() ?? (receiveMessageOnPort(port)?.message as JobMessage | FoldMessage | undefined);
  for (;;) {
    Atomics.wait(pool, P_GEN, gen);
    gen = Atomics.load(pool, P_GEN);
    for (let m = receive(); m; m = receive()) {
      if (m.type === 'job') inbox = runJob(m, receive);
    }
  }
}

/** Runs one selectC call's tasks; returns messages read past its end (none expected). */
function runJob(job: JobMessage, receive: () => JobMessage | FoldMessage | undefined): (JobMessage | FoldMessage)[] {
  const { ctrl, hits, grid, order, fold, y, folds } = job;
  const G = grid.length;
  const tasks = folds * G;
  const later: (JobMessage | FoldMessage)[] = [];
  try {
    // Held-out/training labels per fold, in row order like the sequential loop.
    const labels = (f: number): { yTr: Float64Array; yEv: Float64Array } => {
      const tr: number[] = [];
      const ev: number[] = [];
      for (let i = 0; i < fold.length; i++) (fold[i] === f ? ev : tr).push(y[i]);
      return { yTr: Float64Array.from(tr), yEv: Float64Array.from(ev) };
    };
    let cur: (FoldMessage & { yTr: Float64Array; yEv: Float64Array }) | undefined;
    const pending = new Map<number, FoldMessage>();
    for (;;) {
      if (Atomics.load(ctrl, C_STOP) !== 0) return later;
      const t = Atomics.add(ctrl, C_NEXT, 1);
      if (t >= tasks) return later;
      const f = Math.floor(t / G);
      while (cur?.f !== f) {
        const m = pending.get(f);
        if (m) {
          pending.clear(); // earlier folds are never needed again: tasks are claimed in order
          cur = { ...m, ...labels(f) };
          break;
        }
        const got = receive();
        if (got?.type === 'fold') {
          if (got.f >= f) pending.set(got.f, got);
          continue;
        }
        if (got) {
          later.push(got);
          continue;
        }
        if (Atomics.load(ctrl, C_STOP) !== 0) return later;
        const ready = Atomics.load(ctrl, C_READY);
        // Posted (READY > f) but not yet received: poll again shortly.
        Atomics.wait(ctrl, C_READY, ready, ready > f ? 5 : 1000);
      }
      const C = grid[order[t % G]];
      const model = makeEstimator(job.spec, C);
      model.fit(cur.train, cur.yTr);
      const pred = model.predict(cur.eval);
      let hit = 0;
      for (let i = 0; i < cur.yEv.length; i++) if (pred[i] === cur.yEv[i]) hit++;
      Atomics.store(hits, t, hit);
      Atomics.add(ctrl, C_FINISHED, 1);
      Atomics.notify(ctrl, C_FINISHED);
    }
  } catch (e) {
    reportWorkerError(job.error, ctrl, C_ERROR, e);
    Atomics.notify(ctrl, C_FINISHED);
    return later;
  }
}

runIfWorker(WORKER_TAG, runWorker);
