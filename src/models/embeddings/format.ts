/**
 * The word-vector file (WordVectors.save), version 1: the container of
 * src/util/container.ts with the magic "\x89SVEC\r\n\x1a". Header fields
 * { dim, vocabSize, words, hasSentiment, bc, options }; sections `R` (f32,
 * word-major vocabSize × dim) and, with hasSentiment, `psi` (f32, dim).
 *
 * Files written before the container have no section table (and a header
 * padded to 4 bytes); their table is implied by the header (legacySections),
 * with the same byte layout, so they still load, and sentivec releases that
 * predate the container read the files written now (they ignore the table).
 */
import { MAGIC as MAGICS, decodeContainer, encodeContainer, readContainer, type ContainerKind, type Header, type SectionEntry } from '../../util/container.js';

export const MAGIC = MAGICS.vectors;
export const FORMAT_VERSION = 1;

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

/** The sections a header describes: R, then ψ with hasSentiment. */
function impliedSections(h: Header): SectionEntry[] | undefined {
  const { dim, vocabSize } = h;
  if (!Number.isInteger(dim) || !Number.isInteger(vocabSize)) return undefined;
  const table: SectionEntry[] = [{ name: 'R', type: 'f32', length: (vocabSize as number) * (dim as number) }];
  if (h.hasSentiment === true) table.push({ name: 'psi', type: 'f32', length: dim as number });
  return table;
}

export const VECTOR_FILE: ContainerKind = {
  magic: MAGIC,
  version: FORMAT_VERSION,
  noun: 'word-vector file',
  hint: 'write one with WordVectors.save',
  legacySections: (h) => impliedSections(h),
  validateHeader(h, table, _version, bad) {
    const { dim, vocabSize, words } = h;
    if (!Number.isInteger(dim) || (dim as number) < 1 || !Number.isInteger(vocabSize) || (vocabSize as number) < 0 || !Array.isArray(words) || words.length !== vocabSize || !words.every((w) => typeof w === 'string')) {
      throw bad('corrupt header (dimensions and word list disagree)');
    }
    if (new Set(words as string[]).size !== words.length) throw bad('corrupt header (a word repeats)');
    if (h.bc !== undefined && !(typeof h.bc === 'number' && Number.isFinite(h.bc))) throw bad('corrupt header (bc must be a finite number)');
    const options = h.options;
    if (options !== undefined && !(typeof options === 'object' && options !== null && !Array.isArray(options) && Object.values(options).every((v) => ['number', 'boolean', 'string'].includes(typeof v)))) {
      throw bad('corrupt header (options must map names to numbers, booleans or strings)');
    }
    const want = impliedSections(h) ?? [];
    const same = want.length === table.length && want.every((w, i) => w.name === table[i].name && w.type === table[i].type && w.length === table[i].length);
    if (!same) throw bad('corrupt header (the sections disagree with dim, vocabSize and hasSentiment)');
  },
};

export function encodeVectors(c: VectorFileContents): Uint8Array {
  const header = { dim: c.dim, vocabSize: c.words.length, words: [...c.words], hasSentiment: c.psi !== undefined, bc: c.bc, options: c.options };
  const sections = new Map<string, Float32Array>([['R', c.vectors]]);
  if (c.psi) sections.set('psi', c.psi);
  return encodeContainer(VECTOR_FILE, header, sections);
}

/** validateHeader has checked the fields and that the sections are exactly R and ψ, both f32. */
function fromContainer(header: Header, sections: Map<string, Float32Array | Float64Array>): VectorFileContents {
  return {
    dim: header.dim as number,
    words: header.words as string[],
    vectors: sections.get('R') as Float32Array,
    psi: sections.get('psi') as Float32Array | undefined,
    bc: typeof header.bc === 'number' ? header.bc : 0,
    options: (header.options as Record<string, OptionValue> | undefined) ?? {},
  };
}

/** Parses and validates a file's bytes; `file` only names it in errors. */
export function decodeVectors(bytes: Uint8Array, file: string): VectorFileContents {
  const { header, sections } = decodeContainer(VECTOR_FILE, bytes, file);
  return fromContainer(header, sections);
}

export async function readVectorFile(file: string): Promise<VectorFileContents> {
  const { header, sections } = await readContainer(VECTOR_FILE, file, '');
  return fromContainer(header, sections);
}
