/**
 * The one binary container every sentivec file uses: trained models (.svec,
 * src/models/product/model-file.ts) and word vectors (WordVectors.save,
 * src/models/embeddings/format.ts). All integers little-endian:
 *
 *   0   8 bytes  magic, one per file kind (the high byte and the CR LF / ^Z
 *                catch 7-bit and text-mode transfers, as in PNG)
 *   8   u32      format version of that kind
 *   12  u32      header length H
 *   16  H bytes  header, UTF-8 JSON, space-padded to a multiple of 8:
 *                { the kind's fields…, sections: [{ name, type, length }] }
 *   …   arrays   each section in table order: `f32` or `f64` values, `length` of them
 *   …   32 bytes SHA-256 of everything before it
 *
 * Each kind maps its own fields and sections (named, so a later version can
 * add arrays without moving the others). Reading goes in steps, each one
 * function: the preamble (magic, version); the checksum of everything before
 * the last 32 bytes — so a header is parsed only when its bytes are the ones
 * written (a damaged file is then only examined to say whether it is
 * truncated or too long); the header (parseHeader: JSON no deeper than
 * MAX_HEADER_DEPTH, section table, the kind's own checks); the sizes; only
 * then are the arrays copied out, and every value must be finite. From disk
 * (readContainer) only a regular file is opened, the preamble and header are
 * read first and the rest only when the header's size matches the file's.
 * Every problem is a SentivecError naming the file.
 */
import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { fileKind } from './atomic-write.js';
import { SentivecError, errnoCode } from './errors.js';

export const PREAMBLE_BYTES = 16;
export const DIGEST_BYTES = 32;
/** Nesting of the header's JSON: the real headers are 4 deep; 100,000 `[` overflowed the stack. */
export const MAX_HEADER_DEPTH = 32;
/** Largest file read (a Node buffer's practical limit; a real model is a few MB). */
export const MAX_FILE_BYTES = 2 ** 31 - 1;
/** Header padding: every section then starts 8-byte aligned. */
const HEADER_ALIGN = 8;

export type SectionType = 'f32' | 'f64';
export type SectionArray = Float32Array | Float64Array;

export interface SectionEntry {
  name: string;
  type: SectionType;
  length: number;
}

export type Header = Record<string, unknown>;
export type Problem = (problem: string) => SentivecError;

export interface ContainerKind {
  /** 8 bytes. */
  readonly magic: Uint8Array;
  /** The version this sentivec writes, and the newest it reads. */
  readonly version: number;
  /** What a file of this kind is, for errors: "sentivec model", "word-vector file". */
  readonly noun: string;
  /** What to do when handed a file of another kind: "make one with `sentivec train`". */
  readonly hint: string;
  /**
   * The section table of a header written without one (files from before
   * this container; see format.ts), or undefined when the table is missing.
   */
  legacySections?(header: Header, version: number): SectionEntry[] | undefined;
  /** The kind's own header checks (field types, agreement with the sections); throw bad(...) on a problem. */
  validateHeader?(header: Header, sections: readonly SectionEntry[], version: number, bad: Problem): void;
  /**
   * Where a section's values are read to, when not into a fresh array: an array of the section's type and
   * length (e.g. in a WebAssembly kernel's memory, so a large section is copied once), or undefined.
   */
  placeSection?(section: SectionEntry): SectionArray | undefined;
}

export interface ContainerContents {
  version: number;
  /** The kind's header fields (without the section table). */
  header: Header;
  sections: Map<string, SectionArray>;
}

/** The magic of every file kind, so a reader can say "that is a <other kind>" instead of "wrong magic". */
export const MAGIC = {
  /** "\x89SVM\r\n\x1a\n" */
  model: Uint8Array.from([0x89, 0x53, 0x56, 0x4d, 0x0d, 0x0a, 0x1a, 0x0a]),
  /** "\x89SVEC\r\n\x1a" */
  vectors: Uint8Array.from([0x89, 0x53, 0x56, 0x45, 0x43, 0x0d, 0x0a, 0x1a]),
} as const;
const NOUNS: Record<keyof typeof MAGIC, string> = { model: 'sentivec model', vectors: 'word-vector file' };

const bytesOf = (t: SectionType): number => (t === 'f32' ? 4 : 8);

export function encodeContainer(kind: ContainerKind, header: Header, sections: ReadonlyMap<string, SectionArray>, version = kind.version): Uint8Array {
  const table: SectionEntry[] = [...sections].map(([name, a]) => ({ name, type: a instanceof Float32Array ? 'f32' : 'f64', length: a.length }));
  let json = JSON.stringify({ ...header, sections: table });
  const enc = new TextEncoder();
  let headerBytes = enc.encode(json);
  if (headerBytes.length % HEADER_ALIGN !== 0) {
    json += ' '.repeat(HEADER_ALIGN - (headerBytes.length % HEADER_ALIGN));
    headerBytes = enc.encode(json);
  }
  const payload = table.reduce((s, t) => s + t.length * bytesOf(t.type), 0);
  const out = new Uint8Array(PREAMBLE_BYTES + headerBytes.length + payload + DIGEST_BYTES);
  const view = new DataView(out.buffer);
  out.set(kind.magic, 0);
  view.setUint32(8, version, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE_BYTES);
  let o = PREAMBLE_BYTES + headerBytes.length;
  for (const a of sections.values()) {
    if (a instanceof Float32Array) for (let i = 0; i < a.length; i++, o += 4) view.setFloat32(o, a[i], true);
    else for (let i = 0; i < a.length; i++, o += 8) view.setFloat64(o, a[i], true);
  }
  out.set(sha256(out.subarray(0, o)), o);
  return out;
}

/** Step 1: magic and version; returns the version and the header's byte length. `fileBytes`: the whole file's size when `bytes` is only its start. */
export function readPreamble(kind: ContainerKind, bytes: Uint8Array, bad: Problem, fileBytes = bytes.length): { version: number; headerLength: number } {
  const starts = (magic: Uint8Array): boolean => bytes.length >= magic.length && magic.every((m, i) => bytes[i] === m);
  if (!starts(kind.magic)) {
    const other = (Object.keys(MAGIC) as (keyof typeof MAGIC)[]).find((k) => starts(MAGIC[k]));
    if (other) throw bad(`it is a ${NOUNS[other]}, not a ${kind.noun}; ${kind.hint}`);
    throw bad(`wrong magic bytes (not a ${kind.noun} made by sentivec)`);
  }
  if (fileBytes < PREAMBLE_BYTES) throw bad(`truncated (${fileBytes} bytes, shorter than the ${PREAMBLE_BYTES}-byte preamble)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > kind.version) throw bad(`format version ${version} is newer than this sentivec reads (up to ${kind.version}); upgrade sentivec`);
  if (version < 1) throw bad(`invalid format version ${version}`);
  const headerLength = view.getUint32(12, true);
  if (PREAMBLE_BYTES + headerLength + DIGEST_BYTES > fileBytes) {
    throw bad(`truncated (${fileBytes} bytes; the header alone needs ${PREAMBLE_BYTES + headerLength + DIGEST_BYTES})`);
  }
  return { version, headerLength };
}

/**
 * Step 2: the header's JSON, its section table (or the kind's legacy one),
 * then the kind's own checks. Returns the header without the table.
 */
export function parseHeader(kind: ContainerKind, json: Uint8Array, version: number, bad: Problem): { header: Header; table: SectionEntry[] } {
  const { header, table } = parseTable(kind, json, version, bad);
  kind.validateHeader?.(header, table, version, bad);
  return { header, table };
}

/** The header's JSON and its section table, without the kind's checks. */
function parseTable(kind: ContainerKind, json: Uint8Array, version: number, bad: Problem): { header: Header; table: SectionEntry[] } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    throw bad('corrupt header (not valid UTF-8 JSON)');
  }
  if (jsonDepth(text) > MAX_HEADER_DEPTH) throw bad(`corrupt header (nested deeper than ${MAX_HEADER_DEPTH} levels)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad('corrupt header (not valid UTF-8 JSON)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('corrupt header (not a JSON object)');
  const { sections, ...header } = parsed as Header;
  const table = sections === undefined ? kind.legacySections?.(header, version) : sections;
  if (!Array.isArray(table) || !table.every(isSectionEntry)) throw bad('corrupt header (bad section table)');
  const names = new Set(table.map((t) => t.name));
  if (names.size !== table.length) throw bad('corrupt header (a section name repeats)');
  return { header, table };
}

/** Deepest nesting of `[` / `{` outside strings: checked before JSON.parse, which recurses. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Bytes of the whole file the table describes. */
function expectedBytes(headerLength: number, table: readonly SectionEntry[]): number {
  return PREAMBLE_BYTES + headerLength + table.reduce((s, t) => s + t.length * bytesOf(t.type), 0) + DIGEST_BYTES;
}

function sizeProblem(actual: number, expected: number, bad: Problem): SentivecError | undefined {
  if (actual < expected) return bad(`truncated (${actual} bytes, expected ${expected})`);
  if (actual > expected) return bad(`${actual - expected} unexpected bytes after the end (expected ${expected} bytes)`);
  return undefined;
}

/** Parses and checks a file's bytes; `file` only names it in errors. */
export function decodeContainer(kind: ContainerKind, bytes: Uint8Array, file: string): ContainerContents {
  const bad: Problem = (problem) => new SentivecError(`${file} is not a usable ${kind.noun}: ${problem}`);
  const { version, headerLength } = readPreamble(kind, bytes, bad);
  const json = bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength);
  // Checksum first: the digest is the last 32 bytes whatever the header says.
  const body = bytes.length - DIGEST_BYTES;
  const digest = sha256(bytes.subarray(0, body));
  if (!digest.every((x, i) => bytes[body + i] === x)) {
    // Damaged: say "truncated" or "too long" when the header (if it still parses) tells, else "corrupted".
    let sized: SentivecError | undefined;
    try {
      sized = sizeProblem(bytes.length, expectedBytes(headerLength, parseTable(kind, json, version, bad).table), bad);
    } catch {
      sized = undefined;
    }
    throw sized ?? bad('checksum mismatch (the file is corrupted)');
  }
  const { header, table } = parseHeader(kind, json, version, bad);
  const sized = sizeProblem(bytes.length, expectedBytes(headerLength, table), bad);
  if (sized) throw sized;
  const sections = new Map<string, SectionArray>();
  let o = PREAMBLE_BYTES + headerLength;
  for (const t of table) {
    const end = o + t.length * bytesOf(t.type);
    const a = sectionArray(t.type, bytes, o, end, kind.placeSection?.(t));
    // NaN or ±Infinity in a weight makes every prediction NaN ("negative NaN"): refuse the file.
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw bad(`section '${t.name}' holds ${a[i]} at index ${i} (every value must be finite)`);
    sections.set(t.name, a);
    o = end;
  }
  return { version, header, sections };
}

/** Is this machine little-endian (the file's byte order)? Then a section is one copy of its bytes, not a read per value. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The values of bytes[start, end) as an array of the section's type: `placed` when it is one of that type and length, else a fresh one. */
function sectionArray(type: SectionType, bytes: Uint8Array, start: number, end: number, placed?: SectionArray): SectionArray {
  const step = bytesOf(type);
  const fits = placed !== undefined && placed instanceof (type === 'f32' ? Float32Array : Float64Array) && placed.length === (end - start) / step;
  if (LITTLE_ENDIAN) {
    if (fits) {
      new Uint8Array(placed.buffer, placed.byteOffset, placed.byteLength).set(bytes.subarray(start, end));
      return placed;
    }
    // Not bytes.slice: on a Node Buffer that is a view of the whole buffer, not a copy.
    const copy = new ArrayBuffer(end - start);
    new Uint8Array(copy).set(bytes.subarray(start, end));
    return type === 'f32' ? new Float32Array(copy) : new Float64Array(copy);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, end - start);
  const a = fits ? placed : type === 'f32' ? new Float32Array((end - start) / step) : new Float64Array((end - start) / step);
  for (let i = 0; i < a.length; i++) a[i] = type === 'f32' ? view.getFloat32(i * step, true) : view.getFloat64(i * step, true);
  return a;
}

/**
 * Reads and decodes `file`. Only a regular file is opened (a FIFO would block,
 * /dev/zero never end); the preamble is read first, so a file that is not
 * this kind is refused after 16 bytes; the header next, and the rest only when
 * the header's size agrees with the file's. A missing, unreadable or
 * directory path is a SentivecError naming it.
 */
export async function readContainer(kind: ContainerKind, file: string, what: string): Promise<ContainerContents> {
  const cannot = (why: string): SentivecError => new SentivecError(`cannot read ${what}${file}: ${why}`);
  const bad: Problem = (problem) => new SentivecError(`${file} is not a usable ${kind.noun}: ${problem}`);
  let fh: fs.FileHandle;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw cannot(`it is ${fileKind(st)}, not a regular file`);
    // O_NONBLOCK: should the path turn into a FIFO after the stat, open must not wait for a writer.
    fh = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (e instanceof SentivecError) throw e;
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw cannot('no such file');
    if (code === 'EACCES' || code === 'EPERM') throw cannot('permission denied');
    if (code === 'EISDIR') throw cannot('it is a directory');
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw cannot(`it is ${fileKind(st)}, not a regular file`);
    const size = st.size;
    const head = await readAt(fh, 0, Math.min(size, PREAMBLE_BYTES));
    const { version, headerLength } = readPreamble(kind, head, bad, size);
    const json = await readAt(fh, PREAMBLE_BYTES, headerLength);
    // The header is read (and parsed, guarded) before the sections, so a size it does not explain is refused unread.
    let expected: number | undefined;
    try {
      expected = expectedBytes(headerLength, parseTable(kind, json, version, bad).table);
    } catch {
      expected = undefined; // decodeContainer gives the precise message after the checksum
    }
    if (expected !== undefined && expected !== size) throw sizeProblem(size, expected, bad) as SentivecError;
    if (size > MAX_FILE_BYTES) throw bad(`${(size / 2 ** 30).toFixed(1)} GiB is larger than sentivec reads (up to 2 GiB)`);
    const bytes = new Uint8Array(size);
    bytes.set(head, 0);
    bytes.set(json, PREAMBLE_BYTES);
    // The sections straight into place: no second buffer of the file's size to copy (and to collect).
    // (A file that shrank since the stat leaves zeros there, which the checksum refuses.)
    await readAt(fh, PREAMBLE_BYTES + headerLength, size - PREAMBLE_BYTES - headerLength, bytes.subarray(PREAMBLE_BYTES + headerLength));
    return decodeContainer(kind, bytes, file);
  } finally {
    await fh.close();
  }
}

/** Exactly `length` bytes at `position` (fewer only at the end of the file), into `out` when given. */
async function readAt(fh: fs.FileHandle, position: number, length: number, out = new Uint8Array(length)): Promise<Uint8Array> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(out, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? out : out.subarray(0, done);
}

function isSectionEntry(x: unknown): x is SectionEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return typeof e.name === 'string' && (e.type === 'f32' || e.type === 'f64') && Number.isInteger(e.length) && (e.length as number) >= 0;
}

function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}
