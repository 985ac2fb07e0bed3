/**
 * TokenScanner's one-pass product scan in WebAssembly (assembly/scan.ts,
 * built by `npm run build` into scan.wasm next to this file): the same ids
 * as the TypeScript scan, in about half the time. The kernel answers -1
 * where productScan does (an unknown char, a `<` that opens no tag, a word
 * that may begin a URL, ...) and for a text longer than its buffer; the
 * caller then scans the text in TypeScript. It reads copies of
 * product-chars.ts's tables, refreshed whenever a char has been learned since.
 * SENTIVEC_KERNELS=js, or a runtime without WebAssembly SIMD, scans every
 * text in TypeScript.
 */
import { Buffer } from 'node:buffer';
import { WasmArena, loadWasm, usesWasm } from '../runtime/wasm.js';
import { PRODUCT_ENTRY, PRODUCT_FLAGS, productCharsLearned } from './product-chars.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  init(text: number, ids: number, entries: number, flags: number, slots: number, mask: number, wordStart: number, chars: number, numberId: number, marks: number, words: number, distinct: number, out: number, tokens: number): void;
  scan(len: number, lookup: number): number;
}

/** TokenScanner's vocabulary table (see its `slots`), as the kernel reads it. */
export interface VocabularyTable {
  slots: Int32Array;
  mask: number;
  wordStart: Int32Array;
  chars: Uint16Array;
  /** The id of the <num> placeholder (-1 when not in the vocabulary). */
  numberId: number;
}

const WASM_URL = new URL('./scan.wasm', import.meta.url);
/** The longest text the kernel takes, in code units (its buffers' size); a longer one is scanned in TypeScript. */
const CAPACITY = 1 << 16;
/** One entry per UTF-16 code unit. */
const UNITS = 0x10000;
/** Buffer's utf16le bytes are the code units only on a little-endian machine. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export class ScanKernel {
  /** The ids of the last scan() (its first entries): the next scan() overwrites them. */
  readonly ids: Int32Array;
  /** The distinct ids of the last scan() with lookup, in order of first occurrence (the first distinctCount() entries). */
  readonly distinct: Int32Array;
  /** [distinct ids of the last scan() with lookup, scratch]. */
  private readonly out: Int32Array;
  private readonly scanText: (len: number, lookup: number) => number;
  private readonly bytes: Buffer;
  private readonly entries: Int32Array;
  private readonly flags: Uint16Array;
  /** productCharsLearned() when the tables were last copied in. */
  private learned = -1;

  private constructor(module: WebAssembly.Module, table: VocabularyTable) {
    const words = table.wordStart.length - 1;
    const ex = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    const v = new WasmArena(ex.memory, ex.heapBase()).views({
      text: ['u16', CAPACITY],
      ids: ['i32', CAPACITY],
      entries: ['i32', UNITS],
      flags: ['u16', UNITS],
      slots: ['i32', table.slots.length],
      wordStart: ['i32', table.wordStart.length],
      chars: ['u16', Math.max(1, table.chars.length)],
      marks: ['i32', Math.max(1, Math.ceil(words / 4))], // a byte a word
      distinct: ['i32', Math.max(1, words)],
      out: ['i32', 2],
      tokens: ['i32', 4 * CAPACITY],
    });
    v.slots.set(table.slots);
    v.wordStart.set(table.wordStart);
    v.chars.set(table.chars);
    ex.init(v.text.byteOffset, v.ids.byteOffset, v.entries.byteOffset, v.flags.byteOffset, v.slots.byteOffset, table.mask, v.wordStart.byteOffset, v.chars.byteOffset, table.numberId, v.marks.byteOffset, words, v.distinct.byteOffset, v.out.byteOffset, v.tokens.byteOffset);
    this.distinct = v.distinct;
    this.out = v.out;
    this.entries = v.entries;
    this.flags = v.flags;
    this.ids = v.ids;
    this.scanText = ex.scan;
    this.bytes = Buffer.from(v.text.buffer, v.text.byteOffset, 2 * CAPACITY);
  }

  /** A kernel over `table`, or null where it cannot run (SENTIVEC_KERNELS=js, no WebAssembly SIMD, big-endian). */
  static create(table: VocabularyTable): ScanKernel | null {
    if (!LITTLE_ENDIAN || !usesWasm(undefined, WASM_URL, 'the token scanner')) return null;
    const module = loadWasm(WASM_URL);
    return module instanceof WebAssembly.Module ? new ScanKernel(module, table) : null;
  }

  /** How many distinct ids the last scan() with lookup found (valid when it answered). */
  distinctCount(): number {
    return this.out[0];
  }

  /** With `lookup`, the count of ids written to `ids` (and of the distinct ones to `distinct`), else the count of tokens; -1 for a text left to TypeScript. */
  scan(text: string, lookup: boolean): number {
    const len = text.length;
    if (len > CAPACITY) return -1;
    if (this.learned !== productCharsLearned()) {
      // The TypeScript scan has met new chars since (about once per new char, then never).
      this.entries.set(PRODUCT_ENTRY);
      this.flags.set(PRODUCT_FLAGS);
      this.learned = productCharsLearned();
    }
    this.bytes.write(text, 0, 'utf16le');
    return this.scanText(len, lookup ? 1 : 0);
  }
}
