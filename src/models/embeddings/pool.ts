/**
 * Runs the SHARDS shards of a phase (semantic.ts) on this thread and
 * `threads − 1` workers that share the Workspace's SharedArrayBuffers. Shard s
 * goes to thread s mod threads; every shard writes only its own documents and
 * its own accumulators, so the result is bit-identical for any thread count.
 * The main thread blocks on Atomics.wait for the workers, so training stays
 * synchronous (like the LDA sampler).
 */
import type { Worker } from 'node:worker_threads';
import { errorSlot, reportWorkerError, runIfWorker, startWorkers, waitForWorkers } from '../../runtime/workers.js';
import { Scratch } from './scratch.js';
import { runShard } from './semantic.js';
import { Phase, SHARDS, type Workspace } from './workspace.js';
import { updateSlice } from './update.js';

const CTRL_GEN = 0;
const CTRL_PHASE = 1;
const CTRL_LO = 2;
const CTRL_HI = 3;
const CTRL_ERROR = 4;
const CTRL_DONE = 5; // + thread index
const ctrlBeat = (threads: number, t: number): number => CTRL_DONE + threads + t;
/** A worker that finishes no shard for this long is presumed dead (a shard of a full pass takes seconds). */
const STALL_MS = 180_000;
const STOP = -1;
const WORKER_TAG = 'sentivec-vectors-shard';

interface WorkerInput {
  tag: typeof WORKER_TAG;
  thread: number;
  threads: number;
  ws: Workspace;
  ctrl: Int32Array;
  error: Uint8Array;
}

export class ShardPool {
  private readonly workers: Worker[] = [];
  private readonly ctrl: Int32Array;
  private readonly error: Uint8Array;
  private readonly scratch: Scratch;
  private gen = 0;
  /** Threads in use: the requested number, at most SHARDS (more would idle). */
  readonly threads: number;

  /** With threads > 1 every array of `ws` must live in a SharedArrayBuffer. */
  constructor(
    private readonly ws: Workspace,
    requestedThreads: number,
  ) {
    const threads = Math.max(1, Math.min(SHARDS, requestedThreads));
    this.threads = threads;
    if (threads > 1) {
      // A plain ArrayBuffer would be copied into the worker and its writes lost.
      for (const [name, v] of [...Object.entries(ws), ...Object.entries(ws.update ?? {})]) {
        if (ArrayBuffer.isView(v) && !(v.buffer instanceof SharedArrayBuffer)) throw new Error(`workspace array ${name} must be shared for ${threads} threads`);
      }
    }
    this.scratch = new Scratch(ws);
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * (CTRL_DONE + 2 * threads)));
    this.error = errorSlot();
    const inputs: WorkerInput[] = [];
    for (let t = 1; t < threads; t++) inputs.push({ tag: WORKER_TAG, thread: t, threads, ws, ctrl: this.ctrl, error: this.error });
    this.workers.push(...startWorkers(new URL(import.meta.url), inputs));
  }

  /** Runs `phase` over ws.order[lo..hi) on all shards and returns when every shard is done. */
  run(phase: Phase, lo: number, hi: number): void {
    const { ctrl } = this;
    const gen = ++this.gen;
    if (this.workers.length > 0) {
      Atomics.store(ctrl, CTRL_PHASE, phase);
      Atomics.store(ctrl, CTRL_LO, lo);
      Atomics.store(ctrl, CTRL_HI, hi);
      Atomics.store(ctrl, CTRL_GEN, gen);
      Atomics.notify(ctrl, CTRL_GEN);
    }
    for (let s = 0; s < SHARDS; s += this.threads) runPhase(this.ws, phase, s, lo, hi, this.scratch);
    for (let t = 1; t <= this.workers.length; t++) this.await(t, gen);
  }

  private await(t: number, gen: number): void {
    const { ctrl } = this;
    const hb = ctrlBeat(this.threads, t);
    waitForWorkers({
      ctrl,
      waitCell: CTRL_DONE + t,
      errorCell: CTRL_ERROR,
      error: this.error,
      what: `word-vector worker ${t}`,
      done: () => Atomics.load(ctrl, CTRL_DONE + t) === gen,
      progress: () => Atomics.load(ctrl, hb),
      stallMs: STALL_MS,
      pollMs: 1000,
    });
  }

  close(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.ctrl, CTRL_GEN, STOP);
    Atomics.notify(this.ctrl, CTRL_GEN);
    this.workers.length = 0;
  }
}

function runWorker(input: WorkerInput): void {
  const { ws, ctrl, thread, threads } = input;
  try {
    const scratch = new Scratch(ws);
    const hb = ctrlBeat(threads, thread);
    Atomics.add(ctrl, hb, 1);
    let gen = 0;
    for (;;) {
      Atomics.wait(ctrl, CTRL_GEN, gen);
      const cmd = Atomics.load(ctrl, CTRL_GEN);
      if (cmd === STOP) return;
      if (cmd === gen) continue;
      gen = cmd;
      const phase = Atomics.load(ctrl, CTRL_PHASE) as Phase;
      const lo = Atomics.load(ctrl, CTRL_LO);
      const hi = Atomics.load(ctrl, CTRL_HI);
      for (let s = thread; s < SHARDS; s += threads) {
        runPhase(ws, phase, s, lo, hi, scratch);
        Atomics.add(ctrl, hb, 1);
      }
      Atomics.store(ctrl, CTRL_DONE + thread, gen);
      Atomics.notify(ctrl, CTRL_DONE + thread);
    }
  } catch (e) {
    reportWorkerError(input.error, ctrl, CTRL_ERROR, e);
    Atomics.notify(ctrl, CTRL_DONE + thread);
  }
}

function runPhase(ws: Workspace, phase: Phase, s: number, lo: number, hi: number, sc: Scratch): void {
  if (phase === Phase.Update) updateSlice(ws, s);
  else runShard(ws, phase, s, lo, hi, sc);
}

runIfWorker(WORKER_TAG, runWorker);
