/**
 * The training kernels against numpy/OpenBLAS float32 on the same shapes, in
 * one run: S = Θ·Rᵀ, G = E·R, ∇R += Eᵀ·Θ and the row softmax over |V|, at
 * 64 (a training chunk) and 512 documents × |V| 5,000 × β 50. Ours: the
 * kernels training uses here (wasm-fma where relaxed SIMD loads, else wasm) on
 * one thread and on two (rows split between the main thread and a worker,
 * as OpenBLAS splits one product), the TypeScript fallback on one, and wasm
 * with operands outside the instance memory (copied in and out per call),
 * and the plain wasm build (no fused multiply-add) on one thread.
 * Our kernels run as training calls them: the scores as gemmNN on Rᵀ
 * (β × |V|) with k = β, E·R and Eᵀ·Θ at the padded width (β 50 → 52);
 * GFLOP/s count the 2·m·|V|·50 useful flops for everyone.
 *
 * Each figure comes from repeated calls over ~1 s, for numpy too: the best
 * time (the one least disturbed on a shared machine) and the median, in two
 * tables. One-thread figures time each call by the CPU time of the process
 * (process.cpuUsage; numpy: time.process_time), so that time spent preempted
 * by other jobs does not count; two-thread figures are wall time. The first
 * lines give the ceiling of our products on this machine: the 4 × 8
 * multiply-add tile on L1-resident data, nothing else.
 *
 *   npm run bench:kernels [-- --seconds 1]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { createKernels, resolveKernels, type KernelKind, type Kernels, type Vec } from '../src/runtime/kernels.js';
import { numberArg } from './common.js';

const V = 5000;
const DIM = 50;
const P = 52;
const ROWS = [64, 512];
const KERNELS = ['scores', 'grad', 'gradR', 'softmax'] as const;
type Kernel = (typeof KERNELS)[number];
const LABEL: Record<Kernel, string> = {
  scores: 'S = Θ·Rᵀ (gemmNN on Rᵀ)',
  grad: 'G = E·R (gemmNN)',
  gradR: '∇R += Eᵀ·Θ (gemmTNAdd)',
  softmax: 'softmax rows of S + b',
};

/** Operands for `rows` documents, in the kernels' own memory (or plain arrays with `foreign`). */
function operands(k: Kernels, rows: number, foreign = false) {
  const spec = { theta: ['vec', rows * P], r: ['vec', V * P], rT: ['vec', DIM * V], s: ['vec', rows * V], g: ['vec', rows * P], gw: ['vec', V * P], bias: ['vec', V], lse: ['f64', rows] } as const;
  const buf = foreign
    ? { theta: new Float32Array(rows * P), r: new Float32Array(V * P), rT: new Float32Array(DIM * V), s: new Float32Array(rows * V), g: new Float32Array(rows * P), gw: new Float32Array(V * P), bias: new Float32Array(V), lse: new Float64Array(rows) }
    : k.allocate(spec);
  let x = 12345;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.2;
  for (const a of [buf.theta, buf.r, buf.s, buf.bias]) for (let i = 0; i < a.length; i++) a[i] = i % P < DIM || a === buf.s || a === buf.bias ? rnd() : 0;
  for (let j = 0; j < DIM; j++) for (let v = 0; v < V; v++) buf.rT[j * V + v] = buf.r[v * P + j];
  return buf;
}

type Ops = ReturnType<typeof operands>;

/**
 * One call of `kernel` on documents [lo, hi). ∇R: the documents' share of
 * Eᵀ·Θ into this thread's own ∇R, as training shards do (their sum, O(|V| β)
 * per step, is not timed).
 */
function call(k: Kernels, o: Ops, kernel: Kernel, lo: number, hi: number): void {
  const n = hi - lo;
  const rowsOf = (a: Vec, width: number): Vec => a.subarray(lo * width, hi * width);
  if (kernel === 'scores') k.gemmNN(n, V, DIM, rowsOf(o.theta, P), o.rT, rowsOf(o.s, V), P);
  else if (kernel === 'grad') k.gemmNN(n, P, V, rowsOf(o.s, V), o.r, rowsOf(o.g, P));
  else if (kernel === 'softmax') k.softmaxRows(n, V, rowsOf(o.s, V), o.bias, o.lse.subarray(lo, hi));
  else k.gemmTNAdd(V, P, n, rowsOf(o.s, V), rowsOf(o.theta, P), o.gw);
}

/** What training runs here: wasm-fma where relaxed SIMD loads, else wasm. The plain build is timed too. */
const OURS: KernelKind = resolveKernels('auto');

/** Kernels with operands for `rows` documents in their memory (one wasm instance per operand set). */
function instance(rows: number, kind: KernelKind = OURS): { k: Kernels; o: Ops } {
  const k = createKernels(kind);
  return { k, o: operands(k, rows) };
}

/**
 * Best and median seconds per call of f over ~`seconds` (at least 5 calls):
 * CPU seconds of this process with `cpu` (one thread working; the worker
 * waits), else wall seconds.
 */
interface Timing {
  best: number;
  median: number;
}
function time(f: () => void, seconds: number, cpu = true): Timing {
  for (let i = 0; i < 3; i++) f();
  const ts: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || ts.length < 5) {
    if (cpu) {
      const c = process.cpuUsage();
      f();
      const d = process.cpuUsage(c);
      ts.push((d.user + d.system) / 1e6);
    } else {
      const t = performance.now();
      f();
      ts.push((performance.now() - t) / 1000);
    }
  }
  ts.sort((a, b) => a - b);
  return { best: ts[0], median: ts[ts.length >> 1] };
}

/** GFLOP/s of the bare 4 × 8 multiply-add tile (assembly/kernels.ts mulAddPeak): best and median. */
function mulAddPeak(seconds: number, kind: KernelKind): Timing {
  createKernels(kind); // loads the module (and, for wasm-fma on Node 20, enables relaxed SIMD)
  const file = kind === 'wasm-fma' ? 'kernels-fma.wasm' : 'kernels.wasm';
  const bytes = readFileSync(new URL(`../src/runtime/${file}`, import.meta.url));
  const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as { memory: WebAssembly.Memory; heapBase(): number; mulAddPeak(iters: number, p: number): void };
  const at = (ex.heapBase() + 63) & ~63;
  ex.memory.grow(1);
  new Float32Array(ex.memory.buffer, at, 3072).fill(1e-3);
  const iters = 2000;
  const t = time(() => ex.mulAddPeak(iters, at), seconds);
  const fl = iters * 256 * 64;
  return { best: fl / t.best / 1e9, median: fl / t.median / 1e9 };
}

interface WorkerInput {
  tag: 'sentivec-kernel-bench';
  ctrl: Int32Array;
}
const GO = 0;
const DONE = 1;
const KIND = 2;
const ROWS_AT = 3;

/** The worker half of a two-thread call: waits for GO, runs documents [m/2, m), signals DONE. */
function workerLoop(ctrl: Int32Array): void {
  const byRows = new Map(ROWS.map((m) => [m, instance(m)]));
  let gen = 0;
  for (;;) {
    Atomics.wait(ctrl, GO, gen);
    gen = Atomics.load(ctrl, GO);
    if (gen < 0) return;
    const m = Atomics.load(ctrl, ROWS_AT);
    const { k, o } = byRows.get(m)!;
    call(k, o, KERNELS[Atomics.load(ctrl, KIND)], m / 2, m);
    Atomics.store(ctrl, DONE, gen);
    Atomics.notify(ctrl, DONE);
  }
}

interface NumpyRun {
  /** Best and median seconds per call, keyed kernel + rows. */
  times: Record<string, [number, number]>;
  blas: string;
  version: string;
}

const PY = '/usr/bin/python3';

/**
 * numpy with OpenBLAS, installed with apt-get when missing (python3-numpy
 * alone brings Debian's reference BLAS, ~25× slower at these shapes).
 */
function ensureNumpy(): string | null {
  const blas = (): string | null => {
    const r = spawnSync(PY, ['-c', 'import numpy as np; np.ones((64,64),np.float32)@np.ones((64,64),np.float32); print("openblas" in open("/proc/self/maps").read())'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  if (blas() === null) {
    console.log('numpy missing: apt-get install -y python3-numpy');
    spawnSync('apt-get', ['install', '-y', 'python3-numpy'], { stdio: 'inherit' });
  }
  if (blas() === 'False') {
    console.log('numpy runs on the reference BLAS: apt-get install -y libopenblas0-pthread');
    spawnSync('apt-get', ['install', '-y', 'libopenblas0-pthread'], { stdio: 'inherit' });
  }
  const now = blas();
  return now === null ? 'numpy could not be installed' : null;
}

function numpy(threads: number, seconds: number): NumpyRun | string {
  const script = `
import json, time, numpy as np
V, K, secs = ${V}, ${DIM}, ${seconds}
clock = time.process_time if ${threads} == 1 else time.perf_counter
def best(f):
    for _ in range(3): f()
    ts = []; end = time.perf_counter() + secs
    while time.perf_counter() < end or len(ts) < 5:
        t = clock(); f(); ts.append(clock() - t)
    ts.sort()
    return [ts[0], ts[len(ts) // 2]]
rng = np.random.default_rng(1)
times = {}
for rows in ${JSON.stringify(ROWS)}:
    T = rng.standard_normal((rows, K), dtype=np.float32); R = rng.standard_normal((V, K), dtype=np.float32)
    S = rng.standard_normal((rows, V), dtype=np.float32); G = np.empty((rows, K), np.float32); GW = np.zeros((V, K), np.float32)
    b = rng.standard_normal(V, dtype=np.float32)
    # The faster of R stored |V| × β (read through R.T) and Rᵀ stored β × |V|, as ours uses.
    RT = np.ascontiguousarray(R.T)
    a, b2 = best(lambda: np.matmul(T, R.T, out=S)), best(lambda: np.matmul(T, RT, out=S))
    times[f"scores{rows}"] = [min(a[0], b2[0]), min(a[1], b2[1])]
    times[f"scoresRview{rows}"] = a; times[f"scoresRT{rows}"] = b2
    times[f"grad{rows}"] = best(lambda: np.matmul(S, R, out=G))
    def gradR(): GW.__iadd__(S.T @ T)
    times[f"gradR{rows}"] = best(gradR)
    def softmax():
        X = S + b; X -= X.max(axis=1, keepdims=True); np.exp(X, out=X); X /= X.sum(axis=1, keepdims=True)
    times[f"softmax{rows}"] = best(softmax)
maps = open('/proc/self/maps').read()
blas = "OpenBLAS" if "openblas" in maps else ("reference BLAS" if "libblas" in maps else "unknown BLAS")
print(json.dumps({"times": times, "blas": blas, "version": np.__version__}))
`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  try {
    return JSON.parse(execFileSync(PY, ['-c', script], { env, encoding: 'utf8' })) as NumpyRun;
  } catch (e) {
    return `numpy run failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function flops(kernel: Kernel, rows: number): number {
  return kernel === 'softmax' ? rows * V : 2 * rows * V * DIM;
}

function main(): void {
  const seconds = numberArg('seconds', 1);
  console.log(`bench:kernels — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}, load average ${loadavg()[0].toFixed(2)} at start`);
  const missing = ensureNumpy();
  const np1 = missing ?? numpy(1, seconds);
  const np2 = missing ?? numpy(2, seconds);
  if (typeof np1 === 'string') console.log(np1);
  else {
    console.log(`numpy ${np1.version} with ${np1.blas}, 1 and 2 threads (OPENBLAS_NUM_THREADS)`);
    const g = (t: number, m: number): string => (flops('scores', m) / t / 1e9).toFixed(1);
    for (const m of ROWS) {
      const [view, stored] = [np1.times[`scoresRview${m}`], np1.times[`scoresRT${m}`]];
      console.log(`numpy 1T scores at ${m} documents, best/median GFLOP/s: T @ R.T (R stored |V| × β) ${g(view[0], m)}/${g(view[1], m)}, T @ RT (Rᵀ stored, as ours) ${g(stored[0], m)}/${g(stored[1], m)}; the tables use the faster`);
    }
  }

  const peak = mulAddPeak(seconds, OURS);
  const plainPeak = OURS === 'wasm' ? peak : mulAddPeak(seconds, 'wasm');
  console.log(`ours: ${OURS}; ceiling: the bare 4 × 8 f32x4 multiply-add tile runs at ${peak.best.toFixed(1)} GFLOP/s (median ${peak.median.toFixed(1)}) on one thread; without fused multiply-add (wasm) ${plainPeak.best.toFixed(1)} (median ${plainPeak.median.toFixed(1)})`);
  console.log('1T: CPU time per call; 2T: wall time per call');

  const ctrl = new Int32Array(new SharedArrayBuffer(16));
  const worker = new Worker(new URL(import.meta.url), { workerData: { tag: 'sentivec-kernel-bench', ctrl } satisfies WorkerInput });
  const jsk = createKernels('js');
  const copying = createKernels(OURS);
  let gen = 0;
  const tables: [string[][], string[][]] = [[], []];
  for (const m of ROWS) {
    const { k: wasm, o: ow } = instance(m);
    const { k: plain, o: op } = instance(m, 'wasm');
    const oj = operands(jsk, m, true);
    const of = operands(copying, m, true);
    for (const kernel of KERNELS) {
      const one = time(() => call(wasm, ow, kernel, 0, m), seconds);
      const two = time(() => {
        Atomics.store(ctrl, KIND, KERNELS.indexOf(kernel));
        Atomics.store(ctrl, ROWS_AT, m);
        Atomics.store(ctrl, GO, ++gen);
        Atomics.notify(ctrl, GO);
        call(wasm, ow, kernel, 0, m / 2);
        while (Atomics.load(ctrl, DONE) !== gen) Atomics.wait(ctrl, DONE, Atomics.load(ctrl, DONE), 1000);
      }, seconds, false);
      const copied = time(() => call(copying, of, kernel, 0, m), seconds);
      const noFma = time(() => call(plain, op, kernel, 0, m), seconds);
      const js = time(() => call(jsk, oj, kernel, 0, m), Math.min(seconds, 2));
      const rate = (sec: number): number => flops(kernel, m) / sec / (kernel === 'softmax' ? 1e6 : 1e9);
      const pct = (a: number, b: number): string => (Number.isFinite(b) ? `${((100 * b) / a).toFixed(0)}%` : '–');
      ([0, 1] as const).forEach((w) => {
        const pick = (t: Timing): number => (w === 0 ? t.best : t.median);
        const n1 = typeof np1 === 'string' ? NaN : np1.times[`${kernel}${m}`][w];
        const n2 = typeof np2 === 'string' ? NaN : np2.times[`${kernel}${m}`][w];
        const bound = kernel === 'softmax' ? '' : pct(1 / (w === 0 ? peak.best : peak.median), 1 / rate(n1));
        tables[w].push([
          `${LABEL[kernel]}, ${m}×${V}×${DIM}`,
          rate(pick(one)).toFixed(1),
          rate(pick(two)).toFixed(1),
          rate(pick(copied)).toFixed(1),
          rate(pick(noFma)).toFixed(1),
          rate(pick(js)).toFixed(1),
          rate(n1).toFixed(1),
          rate(n2).toFixed(1),
          pct(pick(one), n1),
          pct(pick(two), n2),
          bound,
        ]);
      });
    }
  }
  Atomics.store(ctrl, GO, -1);
  Atomics.notify(ctrl, GO);
  void worker.terminate();
  const head = ['kernel, shape (GFLOP/s; softmax: M elements/s)', `${OURS} 1T`, `${OURS} 2T`, `${OURS} copied 1T`, 'wasm (no FMA) 1T', 'js 1T', 'numpy 1T', 'numpy 2T', 'ours/numpy 1T', 'ours/numpy 2T', 'ceiling/numpy 1T'];
  ['Best of repeated calls', 'Median of repeated calls'].forEach((title, w) => {
    console.log(`\n${title}:\n\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
    for (const r of tables[w]) console.log(`| ${r.join(' | ')} |`);
  });
  console.log(`\nload average ${loadavg()[0].toFixed(2)} at the end`);
}

function isWorkerInput(v: unknown): v is WorkerInput {
  return typeof v === 'object' && v !== null && (v as { tag?: unknown }).tag === 'sentivec-kernel-bench';
}

if (isMainThread) main();
else if (isWorkerInput(workerData)) workerLoop(workerData.ctrl);
