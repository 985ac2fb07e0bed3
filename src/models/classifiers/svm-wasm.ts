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
  const v = new WasmArena(ex.memory, ex.heapBase()).views({
    indptr: ['i32', l + 1],
    indices: ['i32', nnz],
    data: ['f64', nnz],
    split: ['i32', l],
    tail: ['f64', l],
    w: ['f64', cols],
    y: ['f64', l],
    alpha: ['f64', l],
    QD: ['f64', l],
    index: ['i32', l],
  });
  v.indptr.set(X.indptr.subarray(0, l + 1));
  v.indices.set(X.indices.subarray(0, nnz));
  v.data.set(X.data.subarray(0, nnz));
  v.w.fill(0);
  v.y.set(p.y);
  v.alpha.fill(0);
  for (let i = 0; i < l; i++) v.index[i] = i;
  ex.setRows(v.indptr.byteOffset, v.indices.byteOffset, v.data.byteOffset, v.split.byteOffset, v.tail.byteOffset, v.w.byteOffset);
  ex.setDual(v.y.byteOffset, v.alpha.byteOffset, v.QD.byteOffset, v.index.byteOffset);
  if (ex.prepare(l, cols, p.bias * p.bias, p.diagP, p.diagN) !== 1) throw new SentivecError(`column indices must lie in [0, ${cols})`);
  const [a, b, c, d] = p.rng.state();
  ex.setRng(a, b, c, d);
  const converged = ex.solve(l, p.bias, p.diagP, p.diagN, p.upperP, p.upperN, p.eps, p.maxIter, p.shrinking ? 1 : 0) === 1;
  return {
    w: v.w.slice(),
    wb: ex.biasWeight(),
    alpha: v.alpha.slice(),
    iter: ex.iterationsRun(),
    converged,
  };
}
