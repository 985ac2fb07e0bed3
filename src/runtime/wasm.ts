/**
 * The runtime switch and loader shared by every loop that has both a
 * WebAssembly and a TypeScript version (the dense kernels of the word
 * vectors, LinearSVC's coordinate descent, LDA's Gibbs sweep):
 *
 * - one option name, `kernels`, with one set of values (KernelChoice);
 * - one reading of SENTIVEC_KERNELS (kernelsFromEnv): an unknown value is the
 *   same SentivecError everywhere, so the CLI exits 2 with one line;
 * - one loader (loadWasm) for the modules `npm run build` compiles next to
 *   their TypeScript loaders (assembly/*.ts → a .wasm beside each loader in dist/src/).
 *
 * Loops with a single WebAssembly build (LinearSVC, LDA) read `wasm-fma` and
 * `wasm` as "WebAssembly" and `js`, `js64` as "TypeScript": their arithmetic
 * is float64 either way.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { SentivecError } from '../util/errors.js';

export type KernelKind = 'wasm-fma' | 'wasm' | 'js' | 'js64';
export const KERNEL_KINDS: readonly KernelKind[] = ['wasm-fma', 'wasm', 'js', 'js64'];
/** `auto` (the fastest that runs here) or one of KERNEL_KINDS. */
export type KernelChoice = KernelKind | 'auto';

function isKernelChoice(v: unknown): v is KernelChoice {
  return v === 'auto' || KERNEL_KINDS.includes(v as KernelKind);
}

/** Checks a `kernels` option (undefined passes: it means "SENTIVEC_KERNELS, else auto"). */
export function checkKernelChoice(value: unknown, what = 'kernels'): KernelChoice | undefined {
  if (value === undefined) return undefined;
  if (!isKernelChoice(value)) throw new SentivecError(`${what} must be one of auto, ${KERNEL_KINDS.join(', ')}; got "${String(value)}"`);
  return value;
}

/** The one reading of SENTIVEC_KERNELS: `auto` when unset or empty; an unknown value is a SentivecError. */
export function kernelsFromEnv(): KernelChoice {
  const env = process.env.SENTIVEC_KERNELS?.trim() ?? '';
  return env === '' ? 'auto' : (checkKernelChoice(env, 'SENTIVEC_KERNELS') as KernelChoice);
}

/** A `kernels` option as asked for: the option when given (`auto` then means auto-detect), else SENTIVEC_KERNELS. */
export function kernelChoice(requested?: KernelChoice): KernelChoice {
  return checkKernelChoice(requested) ?? kernelsFromEnv();
}

const modules = new Map<string, WebAssembly.Module | string>();

/**
 * The compiled module at `url`, or why there is none (missing file, a
 * runtime without the features it needs). Cached per thread. With
 * `relaxedSimd`, Node 20's V8 flag for relaxed SIMD is switched on for this
 * process when the module does not validate without it.
 */
export function loadWasm(url: URL, relaxedSimd = false): WebAssembly.Module | string {
  const cached = modules.get(url.href);
  if (cached !== undefined) return cached;
  let m: WebAssembly.Module | string;
  try {
    const bytes = readFileSync(url);
    let valid = WebAssembly.validate(bytes);
    if (!valid && relaxedSimd) {
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
      valid = WebAssembly.validate(bytes);
    }
    m = valid ? new WebAssembly.Module(bytes) : `this runtime does not support ${relaxedSimd ? 'WebAssembly relaxed SIMD' : 'WebAssembly SIMD'}`;
  } catch {
    m = `${url.pathname} is missing (npm run build compiles it)`;
  }
  modules.set(url.href, m);
  return m;
}

/** null if the module at `url` loads here, else the reason it does not. */
export function wasmUnavailable(url: URL, relaxedSimd = false): string | null {
  const m = loadWasm(url, relaxedSimd);
  return typeof m === 'string' ? m : null;
}

/**
 * For a loop with one WebAssembly build (`name` says which, for the error):
 * whether it runs in WebAssembly. Asking for wasm where it cannot load is an error.
 */
export function usesWasm(requested: KernelChoice | undefined, url: URL, name: string): boolean {
  const choice = kernelChoice(requested);
  if (choice === 'js' || choice === 'js64') return false;
  const why = wasmUnavailable(url);
  if (choice === 'auto') return why === null;
  if (why !== null) throw new SentivecError(`${name}: kernels "${choice}" requested, but ${why}; set SENTIVEC_KERNELS=js to use TypeScript`);
  return true;
}

/** 16-byte alignment: SIMD loads of float32x4 and float64x2 stay aligned. */
export const align16 = (n: number): number => (n + 15) & ~15;

/** Typed arrays an arena lays out: name → [element type, length]. */
export type ArraySpec = Record<string, readonly ['i32' | 'u16' | 'f32' | 'f64', number]>;
export type ArrayViews<S extends ArraySpec> = {
  [K in keyof S]: S[K][0] extends 'i32' ? Int32Array : S[K][0] extends 'u16' ? Uint16Array : S[K][0] extends 'f32' ? Float32Array : Float64Array;
};
const ARRAY_TYPES = { i32: Int32Array, u16: Uint16Array, f32: Float32Array, f64: Float64Array } as const;

/**
 * A bump allocator over one instance's linear memory: the loaders place
 * their arrays at addresses from here, then grow the memory once (commit)
 * and make views. Views made before a later grow are detached, so callers
 * place everything first.
 */
export class WasmArena {
  private top: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = align16(base);
  }

  /** The next free address; `release(mark())` later frees everything placed in between. */
  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** Reserves `bytes` and returns their address. */
  place(bytes: number): number {
    const at = this.top;
    this.top = align16(at + bytes);
    return at;
  }

  /** Places every array of `spec` in order, grows the memory once, and returns views (their byteOffset is the address). */
  views<S extends ArraySpec>(spec: S): ArrayViews<S> {
    const at = Object.entries(spec).map(([name, [type, n]]) => [name, type, n, this.place(n * ARRAY_TYPES[type].BYTES_PER_ELEMENT)] as const);
    const buf = this.commit();
    const out: Record<string, Int32Array | Uint16Array | Float32Array | Float64Array> = {};
    for (const [name, type, n, offset] of at) out[name] = new ARRAY_TYPES[type](buf, offset, n);
    return out as ArrayViews<S>;
  }

  /** Grows the memory to cover every placed byte and returns its buffer. */
  commit(): ArrayBuffer {
    const have = this.memory.buffer.byteLength;
    if (this.top > have) this.memory.grow(Math.ceil((this.top - have) / 65536));
    return this.memory.buffer;
  }
}
