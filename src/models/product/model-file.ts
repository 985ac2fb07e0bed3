/**
 * The sentivec model file (.svec), version 1: the container of
 * src/util/container.ts with the model magic "\x89SVM\r\n\x1a\n". The header
 * holds the model's fields (sentiment-model.ts writes them), the sections its
 * arrays. Readers reject a wrong magic (naming a word-vector file as such), a
 * newer version, a short or long file, a checksum mismatch, a header that does
 * not fit the schema (model-header.ts) and a value that is not finite with a
 * SentivecError naming the file.
 */
import { NgramKernel } from '../../features/ngram-kernel.js';
import { MAGIC, decodeContainer, encodeContainer, readContainer, type ContainerKind, type SectionArray } from '../../util/container.js';
import { validateModelHeader } from './model-header.js';

export type { SectionArray, SectionType } from '../../util/container.js';

export const MODEL_MAGIC = MAGIC.model;
export const MODEL_FORMAT_VERSION = 1;

export const MODEL_FILE: ContainerKind = {
  magic: MODEL_MAGIC,
  version: MODEL_FORMAT_VERSION,
  noun: 'sentivec model',
  hint: 'make one with `sentivec train`',
  validateHeader: validateModelHeader,
  // The n-gram table's records go straight into the memory of the kernel that will look them up (one copy).
  placeSection: (s) => (s.name === 'ngramRecords' && s.type === 'f64' ? NgramKernel.place(s.length) : undefined),
};

export interface ModelFileContents {
  /** JSON-serialisable header fields. */
  header: Record<string, unknown>;
  sections: Map<string, SectionArray>;
}

export function encodeModelFile(header: Record<string, unknown>, sections: ReadonlyMap<string, SectionArray>, version = MODEL_FORMAT_VERSION): Uint8Array {
  return encodeContainer(MODEL_FILE, header, sections, version);
}

export function decodeModelFile(bytes: Uint8Array, file: string): ModelFileContents {
  const { header, sections } = decodeContainer(MODEL_FILE, bytes, file);
  return { header, sections };
}

export async function readModelFile(file: string): Promise<ModelFileContents> {
  const { header, sections } = await readContainer(MODEL_FILE, file, 'model ');
  return { header, sections };
}
