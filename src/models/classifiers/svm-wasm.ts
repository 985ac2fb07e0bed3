/**
 * Loads the WebAssembly dual coordinate descent (assembly/svm.ts, built by
 * `npm run build` into svm.wasm next to this file) and runs one fit in it:
 * the training rows are copied into the instance's memory (one copy per fit,
 * ~4% of a bag-of-words fit), their per-row statistics are computed there
 * (svm.ts solverRows), the whole loop runs there, and w and α are copied
 * out. Same arithmetic, same random stream as the TypeScript loop in svm.ts,
 * so both give the same model to the last bit (test/svm-wasm.test.ts).
 */
import { WasmArena, loadWasm, usesWasm, type KernelChoice } from '../../runtime/wasm.js';
import type { CsrMatrix } from '../../features/csr.js';
import { SentivecError } from '../../util/errors.js';
import type { Rng } from '../../util/rng.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setRng(a: number, b: number, c: number, d: number): void;
  setRows(indptr: number, indices: number, data: number, split: number, tail: number, w: number): void;
  setDual(y: number, alpha: number, QD: number, index: number): void;
  prepare(l: number, cols: number, bias2: number, diagP: number, diagN: number): number;
  solve(l: number, bias: number, diagP: number, diagN: number, upperP: number, upperN: number, eps: number, maxIter: number, shrinking: number): number;
  biasWeight(): number;
  iterationsRun(): number;
}

const WASM_URL = new URL('./svm.wasm', import.meta.url);
/** One instance per thread, reused across fits: its memory only grows, to the largest training set seen. */
let instance: Exports | undefined;


/** Whether the WebAssembly solver loads in this runtime. */
export function svmWasmAvailable(): boolean {
  return typeof loadWasm(WASM_URL) !== 'string';
}

/** For LinearSVC's `kernels` option (src/runtime/wasm.ts). */
export function svmUsesWasm(choice: KernelChoice | undefined): boolean {
  return usesWasm(choice, WASM_URL, 'LinearSVC');
}

export interface DualProblem {
  X: CsrMatrix;
  y: Float64Array;
  bias: number;
  diagP: number;
  diagN: number;
  upperP: number;
  upperN: number;
  eps: number;
  maxIter: number;
  shrinking: boolean;
  rng: Rng;
}

export function solveDualWasm(p: DualProblem): { w: Float64Array; wb: number; alpha: Float64Array; iter: number; converged: boolean } {
  const m = loadWasm(WASM_URL);
  if (typeof m === 'string') throw new Error(`the WebAssembly SVM solver is unavailable: ${m}`);
  instance ??= new WebAssembly.Instance(m, {}).exports as unknown as Exports;
  const ex = instance;
  const { X } = p;
  const cols = X.cols;
  const l = X.rows;
  const nnz = X.indptr[l];
  const arena = new WasmArena(ex.memory, ex.heapBase());
  const place = (bytes: number): number => arena.place(bytes);
  const at = {
    indptr: place((l + 1) * 4),
    indices: place(nnz * 4),
    data: place(nnz * 8),
    split: place(l * 4),
    tail: place(l * 8),
    w: place(cols * 8),
    y: place(l * 8),
    alpha: place(l * 8),
    QD: place(l * 8),
    index: place(l * 4),
  };
  const buf = arena.commit();
  new Int32Array(buf, at.indptr, l + 1).set(X.indptr.subarray(0, l + 1));
  new Int32Array(buf, at.indices, nnz).set(X.indices.subarray(0, nnz));
  new Float64Array(buf, at.data, nnz).set(X.data.subarray(0, nnz));
  new Float64Array(buf, at.w, cols).fill(0);
  new Float64Array(buf, at.y, l).set(p.y);
  new Float64Array(buf, at.alpha, l).fill(0);
  const index = new Int32Array(buf, at.index, l);
  for (let i = 0; i < l; i++) index[i] = i;
  ex.setRows(at.indptr, at.indices, at.data, at.split, at.tail, at.w);
  ex.setDual(at.y, at.alpha, at.QD, at.index);
  if (ex.prepare(l, cols, p.bias * p.bias, p.diagP, p.diagN) !== 1) throw new SentivecError(`column indices must lie in [0, ${cols})`);
  const [a, b, c, d] = p.rng.state();
  ex.setRng(a, b, c, d);
  const converged = ex.solve(l, p.bias, p.diagP, p.diagN, p.upperP, p.upperN, p.eps, p.maxIter, p.shrinking ? 1 : 0) === 1;
  return {
    w: new Float64Array(buf, at.w, cols).slice(),
    wb: ex.biasWeight(),
    alpha: new Float64Array(buf, at.alpha, l).slice(),
    iter: ex.iterationsRun(),
    converged,
  };
}
