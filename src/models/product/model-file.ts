/**
 * The sentivec model file (.svec), version 1. All integers little-endian:
 *
 *   0   8 bytes  magic "\x89SVM\r\n\x1a\n" (a word-vector file from
 *                src/models/embeddings/format.ts starts "\x89SVEC" instead)
 *   8   u32      format version
 *   12  u32      header length H (the JSON is space-padded to a multiple of 8)
 *   16  H bytes  header, UTF-8 JSON: { header fields…, sections: [{ name, type, length }] }
 *   …   arrays   each section in order: `f32` or `f64` values, `length` of them
 *   …   32 bytes SHA-256 of everything before it
 *
 * Named sections let a later version add arrays without moving the others;
 * a reader checks the ones it needs. Readers reject a wrong magic, a newer
 * version, a short or long file and a checksum mismatch with a SentivecError
 * naming the file.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { SentivecError, errnoCode } from '../../util/errors.js';
import { MAGIC as VECTOR_MAGIC } from '../embeddings/format.js';

export const MODEL_MAGIC = Uint8Array.from([0x89, 0x53, 0x56, 0x4d, 0x0d, 0x0a, 0x1a, 0x0a]);
export const MODEL_FORMAT_VERSION = 1;
const PREAMBLE = 16;
const DIGEST = 32;

export type SectionType = 'f32' | 'f64';
export type SectionArray = Float32Array | Float64Array;

interface SectionEntry {
  name: string;
  type: SectionType;
  length: number;
}

export interface ModelFileContents {
  /** JSON-serialisable header fields. */
  header: Record<string, unknown>;
  sections: Map<string, SectionArray>;
}

export function encodeModelFile(header: Record<string, unknown>, sections: ReadonlyMap<string, SectionArray>, version = MODEL_FORMAT_VERSION): Uint8Array {
  const table: SectionEntry[] = [...sections].map(([name, a]) => ({ name, type: a instanceof Float32Array ? 'f32' : 'f64', length: a.length }));
  let json = JSON.stringify({ ...header, sections: table });
  const enc = new TextEncoder();
  let headerBytes = enc.encode(json);
  if (headerBytes.length % 8 !== 0) {
    json += ' '.repeat(8 - (headerBytes.length % 8));
    headerBytes = enc.encode(json);
  }
  const payload = table.reduce((s, t) => s + t.length * (t.type === 'f32' ? 4 : 8), 0);
  const out = new Uint8Array(PREAMBLE + headerBytes.length + payload + DIGEST);
  const view = new DataView(out.buffer);
  out.set(MODEL_MAGIC, 0);
  view.setUint32(8, version, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE);
  let o = PREAMBLE + headerBytes.length;
  for (const a of sections.values()) {
    if (a instanceof Float32Array) for (let i = 0; i < a.length; i++, o += 4) view.setFloat32(o, a[i], true);
    else for (let i = 0; i < a.length; i++, o += 8) view.setFloat64(o, a[i], true);
  }
  out.set(sha256(out.subarray(0, o)), o);
  return out;
}

export function decodeModelFile(bytes: Uint8Array, file: string): ModelFileContents {
  const bad = (problem: string): SentivecError => new SentivecError(`${file} is not a usable sentivec model: ${problem}`);
  const starts = (magic: Uint8Array): boolean => bytes.length >= magic.length && magic.every((m, i) => bytes[i] === m);
  if (starts(VECTOR_MAGIC)) throw bad('it is a word-vector file (WordVectors.save), not a trained model; make one with `sentivec train`');
  if (!starts(MODEL_MAGIC)) throw bad('wrong magic bytes (not a model file made by sentivec train)');
  if (bytes.length < PREAMBLE) throw bad(`truncated (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > MODEL_FORMAT_VERSION) throw bad(`format version ${version} is newer than this sentivec reads (up to ${MODEL_FORMAT_VERSION}); upgrade sentivec`);
  if (version < 1) throw bad(`invalid format version ${version}`);
  const headerLength = view.getUint32(12, true);
  if (PREAMBLE + headerLength + DIGEST > bytes.length) throw bad(`truncated (${bytes.length} bytes; the header alone needs ${PREAMBLE + headerLength + DIGEST})`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE, PREAMBLE + headerLength))) as Record<string, unknown>;
  } catch {
    throw bad('corrupt header (not valid UTF-8 JSON)');
  }
  const table = header.sections;
  if (!Array.isArray(table) || !table.every(isSectionEntry)) throw bad('corrupt header (bad section table)');
  const payload = table.reduce((s, t) => s + t.length * (t.type === 'f32' ? 4 : 8), 0);
  const expected = PREAMBLE + headerLength + payload + DIGEST;
  if (bytes.length < expected) throw bad(`truncated (${bytes.length} bytes, expected ${expected})`);
  if (bytes.length > expected) throw bad(`${bytes.length - expected} unexpected bytes after the end (expected ${expected} bytes)`);
  const body = expected - DIGEST;
  const digest = sha256(bytes.subarray(0, body));
  if (!digest.every((x, i) => bytes[body + i] === x)) throw bad('checksum mismatch (the file is corrupted)');
  const sections = new Map<string, SectionArray>();
  let o = PREAMBLE + headerLength;
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
  delete header.sections;
  return { header, sections };
}

function isSectionEntry(x: unknown): x is SectionEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return typeof e.name === 'string' && (e.type === 'f32' || e.type === 'f64') && Number.isInteger(e.length) && (e.length as number) >= 0;
}

export async function readModelFile(file: string): Promise<ModelFileContents> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') throw new SentivecError(`cannot read model ${file}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new SentivecError(`cannot read model ${file}: permission denied`);
    if (code === 'EISDIR') throw new SentivecError(`cannot read model ${file}: it is a directory`);
    throw e;
  }
  return decodeModelFile(bytes, file);
}

function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}
