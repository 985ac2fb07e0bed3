/**
 * A DocVectors fit and the inference of the labeled documents on a worker
 * thread, and the inference of the held-out documents on the calling thread
 * beside it. The document vectors are the costliest member of the `ensemble`
 * row and read no label, so they can learn on the second core while the
 * main thread fits the n-gram models (beyond-rows.ts starts the job before
 * the first row). Once the fit is done the worker copies the output vectors
 * into shared memory; `wait()` rebuilds the frozen model from them
 * (DocVectors.restore) and infers the held-out documents while the worker
 * infers the labeled ones, instead of idling through both inferences.
 * Each inference seeds its own generator, and the worker makes exactly the
 * calls the main thread would with the same options and seed, so the
 * vectors are bit-identical to fit + infer + infer on one thread
 * (test/doc-vectors.test.ts). `wait()` blocks on Atomics.wait, so the rows
 * stay synchronous.
 */
import type { Worker } from 'node:worker_threads';
import type { TokenizedDocs } from '../../text/documents.js';
import { errorSlot, reportWorkerError, runIfWorker, startWorkers, waitForWorkers } from '../../runtime/workers.js';
import type { GivenOptions } from '../../util/options.js';
import { DocVectors, type DOC_VECTOR_OPTIONS, type DocVectorEpoch, type FittedOutputs } from './doc-vectors.js';

const WORKER_TAG = 'sentivec-doc-vectors';
const C_DONE = 0;
const C_ERROR = 1;
const C_BEAT = 2; // epochs finished: the heartbeat waitForWorkers watches
const C_FITTED = 3; // 1 once the output vectors are in `outputs`
const CTRL_CELLS = 4;
/** An epoch over 75k IMDb documents takes minutes on a loaded machine; no epoch in this long means a dead worker. */
const STALL_MS = 30 * 60_000;
const PHASES: readonly DocVectorEpoch['phase'][] = ['fit', 'infer'];

interface JobInput {
  tag: typeof WORKER_TAG;
  options: GivenOptions<typeof DOC_VECTOR_OPTIONS>;
  learn: TokenizedDocs;
  counts: Float64Array;
  labeled: TokenizedDocs;
  /**
   * Outputs, in shared memory: the fitted output vectors (untouched pages
   * until the fit ends, so they cost no memory before), the labeled
   * documents' vectors, and (phase, epoch, loss, seconds) per worker epoch.
   */
  outputs: FittedOutputs;
  labeledOut: Float32Array;
  epochs: Float64Array;
  ctrl: Int32Array;
  error: Uint8Array;
}

export interface DocVectorJobResult {
  /** labeled.count × dim and heldOut.count × dim, row-major. */
  labeled: Float32Array;
  heldOut: Float32Array;
  /** The fit's epochs, the labeled inference's, then the held-out inference's. */
  epochs: DocVectorEpoch[];
  /** Seconds the calling thread spent blocked on the worker (for the fit, then for the labeled inference). */
  idleSeconds: number;
}

const shared = <T extends Float32Array | Float64Array | Int32Array>(ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T =>
  new ctor(new SharedArrayBuffer(n * ctor.BYTES_PER_ELEMENT));

export class DocVectorJob {
  /** Dropped once wait() has its result: the shared output vectors are large. */
  private input: JobInput | null;
  private readonly heldOut: TokenizedDocs;
  private readonly worker: Worker;
  private result: DocVectorJobResult | null = null;

  private constructor(input: JobInput, heldOut: TokenizedDocs, worker: Worker) {
    this.input = input;
    this.heldOut = heldOut;
    this.worker = worker;
  }

  /**
   * Starts learning on `learn` (target ids below counts.length, as
   * DocVectors.fit), then inferring `labeled`; `heldOut` is inferred on
   * this thread in wait(). The documents are copied to the worker; the
   * caller's arrays stay usable.
   */
  static start(learn: TokenizedDocs, counts: Float64Array, labeled: TokenizedDocs, heldOut: TokenizedDocs, options: GivenOptions<typeof DOC_VECTOR_OPTIONS>): DocVectorJob {
    // Checks the options here, where a SentivecError reaches the user directly.
    const o = new DocVectors(options).options;
    const input: JobInput = {
      tag: WORKER_TAG,
      options,
      learn,
      counts,
      labeled,
      outputs: { outVec: shared(Float32Array, counts.length * o.dim), outNorm: shared(Float32Array, counts.length) },
      labeledOut: shared(Float32Array, labeled.count * o.dim),
      epochs: shared(Float64Array, 4 * (o.epochs + o.inferEpochs)),
      ctrl: shared(Int32Array, CTRL_CELLS),
      error: errorSlot(),
    };
    const [worker] = startWorkers(new URL(import.meta.url), [input]);
    return new DocVectorJob(input, heldOut, worker);
  }

  /**
   * Blocks until the fit is done, infers the held-out vectors on this
   * thread while the worker infers the labeled ones, blocks until it has,
   * then returns both (at once on a second call); a worker error is rethrown
   * here. `onEpoch` hears each epoch of either thread as it ends (the
   * worker's within a second while this thread waits, else at this thread's
   * next epoch), for progress.
   */
  wait(onEpoch?: (e: DocVectorEpoch) => void): DocVectorJobResult {
    if (this.result) return this.result;
    const input = this.input;
    if (!input) throw new Error('document-vector job: no input and no result');
    const { ctrl, error } = input;
    const epochs: DocVectorEpoch[] = [];
    const collect = (): number => {
      const beat = Atomics.load(ctrl, C_BEAT);
      const e = input.epochs;
      for (let k = epochs.length; k < beat; k++) {
        epochs.push({ phase: PHASES[e[4 * k]], epoch: e[4 * k + 1], loss: e[4 * k + 2], seconds: e[4 * k + 3] });
        onEpoch?.(epochs[k]);
      }
      return beat;
    };
    let idle = 0;
    const block = (cell: number): void => {
      const t = performance.now();
      waitForWorkers({ ctrl, waitCell: C_BEAT, errorCell: C_ERROR, error, what: 'document-vector worker', done: () => Atomics.load(ctrl, cell) === 1, progress: collect, stallMs: STALL_MS, pollMs: 1000 });
      idle += performance.now() - t;
      collect();
    };
    try {
      block(C_FITTED);
      const own: DocVectorEpoch[] = [];
      const heldOut = DocVectors.restore(input.options, input.counts, input.outputs).infer(this.heldOut, (e) => {
        collect();
        own.push(e);
        onEpoch?.(e);
      });
      block(C_DONE);
      this.result = { labeled: input.labeledOut.slice(), heldOut, epochs: [...epochs, ...own], idleSeconds: idle / 1000 };
      this.input = null;
      return this.result;
    } finally {
      // Also on an error of this thread's inference: the worker must not spin on.
      void this.worker.terminate();
    }
  }
}

function runJob(input: JobInput): void {
  const { ctrl } = input;
  try {
    const onEpoch = (ep: DocVectorEpoch): void => {
      const k = Atomics.load(ctrl, C_BEAT);
      input.epochs.set([PHASES.indexOf(ep.phase), ep.epoch, ep.loss, ep.seconds], 4 * k);
      Atomics.store(ctrl, C_BEAT, k + 1);
      Atomics.notify(ctrl, C_BEAT);
    };
    const model = new DocVectors(input.options);
    model.fit(input.learn, input.counts, onEpoch);
    const fitted = model.outputs();
    input.outputs.outVec.set(fitted.outVec);
    input.outputs.outNorm.set(fitted.outNorm);
    Atomics.store(ctrl, C_FITTED, 1);
    Atomics.notify(ctrl, C_BEAT);
    input.labeledOut.set(model.infer(input.labeled, onEpoch));
    Atomics.store(ctrl, C_DONE, 1);
  } catch (e) {
    reportWorkerError(input.error, ctrl, C_ERROR, e);
  }
  Atomics.notify(ctrl, C_BEAT);
}

runIfWorker<JobInput>(WORKER_TAG, runJob);
