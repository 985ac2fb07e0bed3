/**
 * Loads the WebAssembly SIMD kernels (assembly/kernels.ts, built by
 * `npm run build` into kernels.wasm next to this file) and runs them.
 *
 * Every WasmKernels owns one instance with its own (unshared) memory, so
 * each thread makes its own. Arrays from `allocate` live inside that memory
 * and the kernels work on them in place; any other array is copied into a
 * second, scratch instance for the call and back out. Measured at the
 * training shapes (npm run bench:kernels, "wasm copied"), copying every
 * operand per call costs 9–29% of the throughput, so the training scratch
 * (scratch.ts) is allocated here and only R, which changes once per Adam
 * step, is copied in (as Rᵀ for the scores), when it changes. (A memory
 * shared by the threads would save that copy too, but needs the threads
 * feature and fixed memory sizes; the copy is ~0.3 ms per Adam step per
 * thread.)
 */
import type { BufferSpec, Buffers, Kernels, Vec } from './kernel-types.js';
import { WasmArena, loadWasm } from './wasm.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  gemmNN(m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number, lda: number): void;
  gemmNT(m: number, n: number, k: number, a: number, b: number, c: number): void;
  gemmTNAdd(m: number, n: number, k: number, a: number, b: number, c: number): void;
  softmaxRows(m: number, n: number, s: number, bias: number, lse: number, scale: number): void;
  logSumExpRows(m: number, n: number, s: number, bias: number, lse: number): void;
  colSumsAdd(m: number, n: number, a: number, out: number): void;
  expArray(n: number, x: number, y: number): void;
  csrTimes(m: number, n: number, ptr: number, idx: number, val: number, b: number, out: number): void;
}

/**
 * `fma`: the same kernels built with relaxed SIMD, whose multiply-add is one
 * fused instruction where the CPU has one (x86 FMA3, ARM NEON): the bare
 * 4 × 8 tile runs ~20% faster here. Results differ from `plain` within
 * float32 rounding and are deterministic on a given machine. Node 20 ships
 * relaxed SIMD behind a V8 flag, which is switched on for this process when
 * the module does not validate without it.
 */
export type WasmVariant = 'fma' | 'plain';
const WASM_URLS: Record<WasmVariant, URL> = {
  fma: new URL('./kernels-fma.wasm', import.meta.url),
  plain: new URL('./kernels.wasm', import.meta.url),
};

/** null if the kernels can run here, else the reason they cannot (missing file, no SIMD in this runtime). */
export function wasmKernelsUnavailable(variant: WasmVariant = 'plain'): string | null {
  const m = loadWasm(WASM_URLS[variant], variant === 'fma');
  return typeof m === 'string' ? m : null;
}

/** A kernel argument and the element type it must have: f32 storage, f64 (lse, column sums, scale) or i32 (CSR). */
type Arg = { a: Vec | Int32Array; type: typeof Float32Array | typeof Float64Array | typeof Int32Array; out: boolean };
const v = (a: Vec, out = false): Arg => ({ a, type: Float32Array, out });
const d = (a: Vec, out = false): Arg => ({ a, type: Float64Array, out });
const i32 = (a: Int32Array): Arg => ({ a, type: Int32Array, out: false });

export class WasmKernels implements Kernels {
  readonly kind: 'wasm' | 'wasm-fma';
  private readonly ex: Exports;
  private readonly arena: WasmArena;
  private allocated = false;

  constructor(readonly variant: WasmVariant = 'plain') {
    this.kind = variant === 'fma' ? 'wasm-fma' : 'wasm';
    const m = loadWasm(WASM_URLS[variant], variant === 'fma');
    if (typeof m === 'string') throw new Error(`WebAssembly kernels unavailable: ${m}`);
    this.ex = new WebAssembly.Instance(m, {}).exports as unknown as Exports;
    this.arena = new WasmArena(this.ex.memory, this.ex.heapBase());
  }

  /** Once per instance: growing the memory later would detach the arrays handed out. */
  allocate<S extends BufferSpec>(spec: S): Buffers<S> {
    if (this.allocated) throw new Error('WasmKernels.allocate may be called once');
    this.allocated = true;
    return this.place(spec);
  }

  gemmNN(m: number, n: number, k: number, a: Vec, b: Vec, c: Vec, lda = k): void {
    this.run([v(a), v(b), v(c, true)], (ex, [pa, pb, pc]) => ex.gemmNN(m, n, k, pa, pb, pc, 0, lda));
  }

  gemmNT(m: number, n: number, k: number, a: Vec, b: Vec, c: Vec): void {
    this.run([v(a), v(b), v(c, true)], (ex, [pa, pb, pc]) => ex.gemmNT(m, n, k, pa, pb, pc));
  }

  gemmTNAdd(m: number, n: number, k: number, a: Vec, b: Vec, c: Vec): void {
    this.run([v(a), v(b), v(c, true)], (ex, [pa, pb, pc]) => ex.gemmTNAdd(m, n, k, pa, pb, pc));
  }

  softmaxRows(m: number, n: number, s: Vec, bias: Vec, lse: Float64Array, scale?: Float64Array): void {
    const args = [v(s, true), v(bias), d(lse, true)];
    if (scale) args.push(d(scale));
    this.run(args, (ex, [ps, pb, pl, pk]) => ex.softmaxRows(m, n, ps, pb, pl, scale ? pk : 0));
  }

  logSumExpRows(m: number, n: number, s: Vec, bias: Vec, lse: Float64Array): void {
    this.run([v(s, true), v(bias), d(lse, true)], (ex, [ps, pb, pl]) => ex.logSumExpRows(m, n, ps, pb, pl));
  }

  colSumsAdd(m: number, n: number, a: Vec, out: Float64Array): void {
    this.run([v(a), d(out, true)], (ex, [pa, po]) => ex.colSumsAdd(m, n, pa, po));
  }

  csrTimes(m: number, n: number, ptr: Int32Array, idx: Int32Array, val: Vec, b: Vec, out: Vec): void {
    this.run([i32(ptr), i32(idx), v(val), v(b), v(out, true)], (ex, [pp, pi, pv, pb, po]) => ex.csrTimes(m, n, pp, pi, pv, pb, po));
  }

  exp(n: number, x: Vec, y: Vec): void {
    this.run([v(x), v(y, true)], (ex, [px, py]) => ex.expArray(n, px, py));
  }

  /** Calls `f` with the byte addresses of `args`: in place if all live in this memory, else through copies. */
  private run(args: Arg[], f: (ex: Exports, ptrs: number[]) => void): void {
    const buf = this.ex.memory.buffer;
    for (const x of args) {
      if (!(x.a instanceof x.type)) throw new TypeError(`wasm kernels take ${x.type.name} here, got ${x.a.constructor.name}`);
    }
    if (args.every((x) => x.a.buffer === buf)) {
      f(this.ex, args.map((x) => x.a.byteOffset));
      return;
    }
    staging(this.variant).copyRun(args, f);
  }

  /** For the staging instance: copies args to the top of memory, runs, copies outputs back. */
  private copyRun(args: Arg[], f: (ex: Exports, ptrs: number[]) => void): void {
    const mark = this.arena.mark();
    const ptrs = args.map((x) => this.arena.place(x.a.byteLength));
    const mem = this.arena.commit();
    this.arena.release(mark);
    args.forEach((x, i) => new Uint8Array(mem, ptrs[i], x.a.byteLength).set(new Uint8Array(x.a.buffer, x.a.byteOffset, x.a.byteLength)));
    f(this.ex, ptrs);
    args.forEach((x, i) => {
      if (x.out) new Uint8Array(x.a.buffer, x.a.byteOffset, x.a.byteLength).set(new Uint8Array(mem, ptrs[i], x.a.byteLength));
    });
  }

  private place<S extends BufferSpec>(spec: S): Buffers<S> {
    const views = this.arena.views(Object.fromEntries(Object.entries(spec).map(([name, [type, n]]) => [name, [type === 'vec' ? 'f32' : type, n] as const])));
    for (const a of Object.values(views)) a.fill(0);
    return views as unknown as Buffers<S>;
  }
}

const stagingInstances: Partial<Record<WasmVariant, WasmKernels>> = {};
function staging(variant: WasmVariant): WasmKernels {
  return (stagingInstances[variant] ??= new WasmKernels(variant));
}

