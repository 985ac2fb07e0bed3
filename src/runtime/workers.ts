/**
 * What the three thread pools (word-vector shards, LDA shards, the (fold, C)
 * fits of C selection) share: starting workers on their own module, the
 * worker-side entry check, one shared slot for the first worker error, and
 * the main thread's blocking wait that surfaces that error or a stalled
 * worker. Each pool keeps its own control cells and protocol; the main
 * thread blocks on Atomics.wait, so training stays synchronous.
 */
import { Worker, isMainThread, workerData, type Transferable } from 'node:worker_threads';
import { SentivecError } from '../util/errors.js';

/** Every worker input carries its pool's tag, so a module started as a worker knows it is one of its own. */
export interface WorkerInput {
  readonly tag: string;
}

/**
 * Starts one worker per input on the module at `url` (the pool's own file,
 * `new URL(import.meta.url)`). Unref'd: an idle pool never keeps the
 * process alive.
 */
export function startWorkers<T extends WorkerInput>(url: URL, inputs: readonly T[], transfer: (input: T) => readonly Transferable[] = () => []): Worker[] {
  return inputs.map((input) => {
    const w = new Worker(url, { workerData: input, transferList: [...transfer(input)] });
    w.unref();
    return w;
  });
}

/** Runs `main` when this thread is a worker started with an input tagged `tag`. Call it last in the module, so every constant is initialised first. */
export function runIfWorker<T extends WorkerInput>(tag: T['tag'], main: (input: T) => void): void {
  if (isMainThread || typeof workerData !== 'object' || workerData === null) return;
  if ((workerData as { tag?: unknown }).tag === tag) main(workerData as T);
}

/** A shared buffer for the first error a worker hits. */
export function errorSlot(): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(4096));
}

/**
 * Records `e` in `slot` unless another worker got there first: `flags[cell]`
 * is −1 while writing and 1 once readable. A SentivecError keeps its name, so
 * the main thread rethrows it as the user error it is.
 */
export function reportWorkerError(slot: Uint8Array, flags: Int32Array, cell: number, e: unknown): void {
  const text = e instanceof Error ? `${e.name}\n${e.name === 'SentivecError' ? e.message : (e.stack ?? e.message)}` : `Error\n${String(e)}`;
  if (Atomics.compareExchange(flags, cell, 0, -1) === 0) {
    slot.set(new TextEncoder().encode(text).subarray(0, slot.length - 1));
    Atomics.store(flags, cell, 1);
  }
}

/** The error a worker recorded, as the main thread throws it. */
export function workerError(slot: Uint8Array, what: string): Error {
  const text = new TextDecoder().decode(slot.slice()).replace(/\0+$/, '');
  const nl = text.indexOf('\n');
  const name = nl < 0 ? 'Error' : text.slice(0, nl);
  const message = nl < 0 ? text : text.slice(nl + 1);
  // A user-caused error (e.g. bad labels) reads the same as on the one-thread path.
  return name === 'SentivecError' ? new SentivecError(message) : new Error(`${what} failed: ${message}`);
}

export interface WaitOptions {
  ctrl: Int32Array;
  /** The cell workers notify on when they make progress. */
  waitCell: number;
  /** The flag cell reportWorkerError sets, and its slot. */
  errorCell: number;
  error: Uint8Array;
  /** Names the pool in errors ("LDA worker"). */
  what: string;
  done(): boolean;
  /** A value that changes whenever any watched worker makes progress (a heartbeat or a finished count). */
  progress(): number;
  /** No progress for this long: a worker is presumed dead. */
  stallMs: number;
  pollMs: number;
  /** Extra checks between polls, given the time since the last progress (may throw). */
  check?(idleMs: number): void;
}

/** Blocks the calling thread until `done()`, throwing a worker's recorded error or a stall. */
export function waitForWorkers(o: WaitOptions): void {
  let beat = o.progress();
  let since = Date.now();
  for (;;) {
    if (Atomics.load(o.ctrl, o.errorCell) === 1) throw workerError(o.error, o.what);
    const seen = Atomics.load(o.ctrl, o.waitCell);
    if (o.done()) return;
    Atomics.wait(o.ctrl, o.waitCell, seen, o.pollMs);
    const now = o.progress();
    if (now !== beat) {
      beat = now;
      since = Date.now();
      continue;
    }
    const idle = Date.now() - since;
    o.check?.(idle);
    if (idle > o.stallMs) throw new Error(`${o.what} made no progress for ${Math.round(o.stallMs / 1000)} s`);
  }
}
