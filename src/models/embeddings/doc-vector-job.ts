/**
 * A DocVectors fit and its two inferences (the labeled documents, then the
 * held-out ones) on a worker thread. The document vectors are the costliest
 * member of the `ensemble` row and read no label, so they can learn on the
 * second core while the main thread fits the n-gram models (beyond-rows.ts
 * starts the job before the first row). The worker makes exactly the calls
 * the main thread would, in the same order with the same options and seed,
 * so the vectors are bit-identical to an in-thread fit (test/doc-vectors.test.ts).
 * `wait()` blocks on Atomics.wait, so the rows stay synchronous.
 */
import type { Worker } from 'node:worker_threads';
import type { TokenizedDocs } from '../../text/documents.js';
import { errorSlot, reportWorkerError, runIfWorker, startWorkers, waitForWorkers } from '../../runtime/workers.js';
import type { GivenOptions } from '../../util/options.js';
import { DocVectors, type DOC_VECTOR_OPTIONS, type DocVectorEpoch } from './doc-vectors.js';

const WORKER_TAG = 'sentivec-doc-vectors';
const C_DONE = 0;
const C_ERROR = 1;
const C_BEAT = 2; // epochs finished: the heartbeat waitForWorkers watches
const CTRL_CELLS = 3;
/** An epoch over 75k IMDb documents takes minutes on a loaded machine; no epoch in this long means a dead worker. */
const STALL_MS = 30 * 60_000;
const PHASES: readonly DocVectorEpoch['phase'][] = ['fit', 'infer'];

interface JobInput {
  tag: typeof WORKER_TAG;
  options: GivenOptions<typeof DOC_VECTOR_OPTIONS>;
  learn: TokenizedDocs;
  counts: Float64Array;
  labeled: TokenizedDocs;
  heldOut: TokenizedDocs;
  /** Outputs, in shared memory: the vectors, and (phase, epoch, loss, seconds) per epoch. */
  labeledOut: Float32Array;
  heldOutOut: Float32Array;
  epochs: Float64Array;
  ctrl: Int32Array;
  error: Uint8Array;
}

export interface DocVectorJobResult {
  /** labeled.count × dim and heldOut.count × dim, row-major. */
  labeled: Float32Array;
  heldOut: Float32Array;
  epochs: DocVectorEpoch[];
}

const shared = <T extends Float32Array | Float64Array | Int32Array>(ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T =>
  new ctor(new SharedArrayBuffer(n * ctor.BYTES_PER_ELEMENT));

export class DocVectorJob {
  private readonly input: JobInput;
  private readonly worker: Worker;
  private result: DocVectorJobResult | null = null;

  private constructor(input: JobInput, worker: Worker) {
    this.input = input;
    this.worker = worker;
  }

  /**
   * Starts learning on `learn` (target ids below counts.length, as
   * DocVectors.fit), then inferring `labeled` and `heldOut`. The documents
   * are copied to the worker; the caller's arrays stay usable.
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
      heldOut,
      labeledOut: shared(Float32Array, labeled.count * o.dim),
      heldOutOut: shared(Float32Array, heldOut.count * o.dim),
      epochs: shared(Float64Array, 4 * (o.epochs + 2 * o.inferEpochs)),
      ctrl: shared(Int32Array, CTRL_CELLS),
      error: errorSlot(),
    };
    const [worker] = startWorkers(new URL(import.meta.url), [input]);
    return new DocVectorJob(input, worker);
  }

  /**
   * Blocks until the worker has finished (at once if it has), then returns
   * its vectors; a worker error is rethrown here. `onEpoch` hears each epoch
   * as it ends (within a second), for progress, even while this thread waits.
   */
  wait(onEpoch?: (e: DocVectorEpoch) => void): DocVectorJobResult {
    if (this.result) return this.result;
    const { ctrl, error } = this.input;
    const epochs: DocVectorEpoch[] = [];
    const collect = (): number => {
      const beat = Atomics.load(ctrl, C_BEAT);
      const e = this.input.epochs;
      for (let k = epochs.length; k < beat; k++) {
        epochs.push({ phase: PHASES[e[4 * k]], epoch: e[4 * k + 1], loss: e[4 * k + 2], seconds: e[4 * k + 3] });
        onEpoch?.(epochs[k]);
      }
      return beat;
    };
    waitForWorkers({
      ctrl,
      waitCell: C_BEAT,
      errorCell: C_ERROR,
      error,
      what: 'document-vector worker',
      done: () => Atomics.load(ctrl, C_DONE) === 1,
      progress: collect,
      stallMs: STALL_MS,
      pollMs: 1000,
    });
    collect();
    void this.worker.terminate();
    this.result = { labeled: this.input.labeledOut.slice(), heldOut: this.input.heldOutOut.slice(), epochs };
    return this.result;
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
    input.labeledOut.set(model.infer(input.labeled, onEpoch));
    input.heldOutOut.set(model.infer(input.heldOut, onEpoch));
    Atomics.store(ctrl, C_DONE, 1);
  } catch (e) {
    reportWorkerError(input.error, ctrl, C_ERROR, e);
  }
  Atomics.notify(ctrl, C_BEAT);
}

runIfWorker<JobInput>(WORKER_TAG, runJob);
