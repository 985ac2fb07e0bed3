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
 * add arrays without moving the others). Reading goes in four steps, each
 * one function: the preamble (magic, version), the header (parseHeader: JSON,
 * section table, the kind's own checks), the sizes, the checksum; only then
 * are the arrays copied out. Every problem is a SentivecError naming the file.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { SentivecError, errnoCode } from './errors.js';

export const PREAMBLE_BYTES = 16;
export const DIGEST_BYTES = 32;
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

/** Step 1: magic and version; returns the version and the header's byte length. */
export function readPreamble(kind: ContainerKind, bytes: Uint8Array, bad: Problem): { version: number; headerLength: number } {
  const starts = (magic: Uint8Array): boolean => bytes.length >= magic.length && magic.every((m, i) => bytes[i] === m);
  if (!starts(kind.magic)) {
    const other = (Object.keys(MAGIC) as (keyof typeof MAGIC)[]).find((k) => starts(MAGIC[k]));
    if (other) throw bad(`it is a ${NOUNS[other]}, not a ${kind.noun}; ${kind.hint}`);
    throw bad(`wrong magic bytes (not a ${kind.noun} made by sentivec)`);
  }
  if (bytes.length < PREAMBLE_BYTES) throw bad(`truncated (${bytes.length} bytes, shorter than the ${PREAMBLE_BYTES}-byte preamble)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > kind.version) throw bad(`format version ${version} is newer than this sentivec reads (up to ${kind.version}); upgrade sentivec`);
  if (version < 1) throw bad(`invalid format version ${version}`);
  const headerLength = view.getUint32(12, true);
  if (PREAMBLE_BYTES + headerLength + DIGEST_BYTES > bytes.length) {
    throw bad(`truncated (${bytes.length} bytes; the header alone needs ${PREAMBLE_BYTES + headerLength + DIGEST_BYTES})`);
  }
  return { version, headerLength };
}

/**
 * Step 2: the header's JSON, its section table (or the kind's legacy one),
 * then the kind's own checks. Returns the header without the table.
 */
export function parseHeader(kind: ContainerKind, json: Uint8Array, version: number, bad: Problem): { header: Header; table: SectionEntry[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw bad('corrupt header (not valid UTF-8 JSON)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('corrupt header (not a JSON object)');
  const { sections, ...header } = parsed as Header;
  const table = sections === undefined ? kind.legacySections?.(header, version) : sections;
  if (!Array.isArray(table) || !table.every(isSectionEntry)) throw bad('corrupt header (bad section table)');
  const names = new Set(table.map((t) => t.name));
  if (names.size !== table.length) throw bad('corrupt header (a section name repeats)');
  kind.validateHeader?.(header, table, version, bad);
  return { header, table };
}

/** Parses and checks a file's bytes; `file` only names it in errors. */
export function decodeContainer(kind: ContainerKind, bytes: Uint8Array, file: string): ContainerContents {
  const bad: Problem = (problem) => new SentivecError(`${file} is not a usable ${kind.noun}: ${problem}`);
  const { version, headerLength } = readPreamble(kind, bytes, bad);
  const { header, table } = parseHeader(kind, bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength), version, bad);
  // Step 3: sizes.
  const payload = table.reduce((s, t) => s + t.length * bytesOf(t.type), 0);
  const expected = PREAMBLE_BYTES + headerLength + payload + DIGEST_BYTES;
  if (bytes.length < expected) throw bad(`truncated (${bytes.length} bytes, expected ${expected})`);
  if (bytes.length > expected) throw bad(`${bytes.length - expected} unexpected bytes after the end (expected ${expected} bytes)`);
  // Step 4: checksum, before any array is used.
  const body = expected - DIGEST_BYTES;
  const digest = sha256(bytes.subarray(0, body));
  if (!digest.every((x, i) => bytes[body + i] === x)) throw bad('checksum mismatch (the file is corrupted)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sections = new Map<string, SectionArray>();
  let o = PREAMBLE_BYTES + headerLength;
  for (const t of table) {
    if (t.type === 'f32') {
      const a = new Float32Array(t.length);
      for (let i = 0; i < t.length; i++, o += 4) a[i] = view.getFloat32(o, true);
      sections.set(t.name, a);
    } else {
      const a = new Float64Array(t.length);
      for (let i = 0; i < t.length; i++, o += 8) a[i] = view.getFloat64(o, true);
      sections.set(t.name, a);
    }
  }
  return { version, header, sections };
}

/** Reads and decodes `file`; a missing, unreadable or directory path is a SentivecError naming it. */
export async function readContainer(kind: ContainerKind, file: string, what: string): Promise<ContainerContents> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') throw new SentivecError(`cannot read ${what}${file}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new SentivecError(`cannot read ${what}${file}: permission denied`);
    if (code === 'EISDIR') throw new SentivecError(`cannot read ${what}${file}: it is a directory`);
    throw e;
  }
  return decodeContainer(kind, bytes, file);
}

function isSectionEntry(x: unknown): x is SectionEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return typeof e.name === 'string' && (e.type === 'f32' || e.type === 'f64') && Number.isInteger(e.length) && (e.length as number) >= 0;
}

function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}
