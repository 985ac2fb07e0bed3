/**
 * Binary file format of word vectors, version 1 (all integers little-endian):
 *
 *   0   8 bytes  magic "\x89SVEC\r\n\x1a" (the high byte and the CR LF / ^Z
 *                catch 7-bit and text-mode transfers, as in PNG)
 *   8   u32      format version
 *   12  u32      header length H
 *   16  H bytes  header, UTF-8 JSON (space-padded to a multiple of 4):
 *                { dim, vocabSize, words, hasSentiment, bc, options }
 *   …   float32  payload: R word-major (vocabSize × dim), then ψ (dim) if hasSentiment
 *   …   32 bytes SHA-256 of everything before it
 *
 * Readers reject unknown magic, newer versions, wrong lengths and checksum
 * mismatches with a SentivecError that names the file and the problem.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { SentivecError, errnoCode } from '../../util/errors.js';

export const MAGIC = Uint8Array.from([0x89, 0x53, 0x56, 0x45, 0x43, 0x0d, 0x0a, 0x1a]);
export const FORMAT_VERSION = 1;
const PREAMBLE = 16;
const DIGEST = 32;

export type OptionValue = number | boolean | string;

export interface VectorFileContents {
  dim: number;
  words: readonly string[];
  /** vocabSize × dim, word-major. */
  vectors: Float32Array;
  psi?: Float32Array;
  bc: number;
  options: Record<string, OptionValue>;
}

interface Header {
  dim: number;
  vocabSize: number;
  words: string[];
  hasSentiment: boolean;
  bc: number;
  options: Record<string, OptionValue>;
}

export function encodeVectors(c: VectorFileContents): Uint8Array {
  const header: Header = {
    dim: c.dim,
    vocabSize: c.words.length,
    words: [...c.words],
    hasSentiment: c.psi !== undefined,
    bc: c.bc,
    options: c.options,
  };
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  let headerBytes = enc.encode(json);
  if (headerBytes.length % 4 !== 0) {
    json += ' '.repeat(4 - (headerBytes.length % 4));
    headerBytes = enc.encode(json);
  }
  const floats = c.vectors.length + (c.psi?.length ?? 0);
  const total = PREAMBLE + headerBytes.length + 4 * floats + DIGEST;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE);
  let o = PREAMBLE + headerBytes.length;
  for (const arr of c.psi ? [c.vectors, c.psi] : [c.vectors]) {
    for (let i = 0; i < arr.length; i++, o += 4) view.setFloat32(o, arr[i], true);
  }
  out.set(sha256(out.subarray(0, o)), o);
  return out;
}

/** Parses and validates a file's bytes; `file` only names it in errors. */
export function decodeVectors(bytes: Uint8Array, file: string): VectorFileContents {
  const bad = (problem: string): SentivecError => new SentivecError(`${file} is not a usable word-vector file: ${problem}`);
  if (bytes.length < MAGIC.length || !MAGIC.every((m, i) => bytes[i] === m)) throw bad('wrong magic bytes (not a sentivec word-vector file)');
  if (bytes.length < PREAMBLE) throw bad(`truncated (${bytes.length} bytes, shorter than the ${PREAMBLE}-byte preamble)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > FORMAT_VERSION) throw bad(`format version ${version} is newer than this sentivec reads (up to ${FORMAT_VERSION}); upgrade sentivec`);
  if (version < 1) throw bad(`invalid format version ${version}`);
  const headerLength = view.getUint32(12, true);
  if (PREAMBLE + headerLength + DIGEST > bytes.length) throw bad(`truncated (${bytes.length} bytes, header alone needs ${PREAMBLE + headerLength + DIGEST})`);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE, PREAMBLE + headerLength))) as Header;
  } catch {
    throw bad('corrupt header (not valid UTF-8 JSON)');
  }
  const { dim, vocabSize, words } = header;
  if (!Number.isInteger(dim) || dim < 1 || !Number.isInteger(vocabSize) || vocabSize < 0 || !Array.isArray(words) || words.length !== vocabSize || !words.every((w) => typeof w === 'string')) {
    throw bad('corrupt header (dimensions and word list disagree)');
  }
  const floats = vocabSize * dim + (header.hasSentiment ? dim : 0);
  const expected = PREAMBLE + headerLength + 4 * floats + DIGEST;
  if (bytes.length < expected) throw bad(`truncated (${bytes.length} bytes, expected ${expected})`);
  if (bytes.length > expected) throw bad(`${bytes.length - expected} unexpected bytes after the end (expected ${expected} bytes)`);
  const body = expected - DIGEST;
  const digest = sha256(bytes.subarray(0, body));
  if (!digest.every((x, i) => bytes[body + i] === x)) throw bad('checksum mismatch (the file is corrupted)');
  let o = PREAMBLE + headerLength;
  const read = (n: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++, o += 4) a[i] = view.getFloat32(o, true);
    return a;
  };
  const vectors = read(vocabSize * dim);
  const psi = header.hasSentiment ? read(dim) : undefined;
  return { dim, words, vectors, psi, bc: typeof header.bc === 'number' ? header.bc : 0, options: header.options ?? {} };
}

export async function readVectorFile(file: string): Promise<VectorFileContents> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') throw new SentivecError(`cannot read ${file}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new SentivecError(`cannot read ${file}: permission denied`);
    if (code === 'EISDIR') throw new SentivecError(`cannot read ${file}: it is a directory`);
    throw e;
  }
  return decodeVectors(bytes, file);
}

function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}
