/**
 * The n-gram part of a model file: the header's `ngrams` block and its
 * sections (model-header.ts checks their shapes).
 *
 * Version 2, written now: `{ version: 2, order, count, slots }` and one f64
 * section, `ngramRecords`, the table's records as they lie in memory
 * (NgramTable: per slot the key as two int32, then the n-gram's weights). A
 * load copies them and checks every key (NgramTable.fromRecords) instead of
 * rebuilding a 20 MB hash table from the n-gram list, the largest part of
 * loading an IMDb trigram model. The file holds the empty slots too (at the
 * table's load factor, 1.7 slots an n-gram): 16 bytes a slot for two labels.
 *
 * Version 1 (files written before): the n-grams as word-id triples (`ngrams`,
 * f32) and their weights (`weightsNgrams`, f64, heads × count, class-major);
 * still read, by building the table.
 */
import { NgramTable } from '../../features/ngram-table.js';
import type { SectionArray } from './model-file.js';
import { NGRAM_SECTION_VERSION } from './model-header.js';

/** The header's n-gram block, as model-header.ts let it through. */
export interface NgramHeader {
  version: number;
  order: number;
  count: number;
  slots?: number;
}

/**
 * The table a model file's n-gram block and sections describe, carrying the weights of `heads` heads in its
 * records; a problem with the ids or keys is a SentivecError (the caller names the file).
 */
export function readNgramTable(ng: NgramHeader, sections: ReadonlyMap<string, SectionArray>, vocabSize: number, heads: number): NgramTable {
  if (ng.version === 1) {
    const values = sections.get('weightsNgrams') as Float64Array;
    return NgramTable.fromSection(sections.get('ngrams') as Float32Array, ng.order, vocabSize, { values, heads });
  }
  return NgramTable.fromRecords(sections.get('ngramRecords') as Float64Array, ng.order, vocabSize, heads, ng.count);
}

/** The header block and the section that store `table` (weighted: its records carry the weights). */
export function ngramSection(table: NgramTable): { header: NgramHeader; name: string; section: Float64Array } {
  const slots = table.weights.length / table.recordFloats;
  return { header: { version: NGRAM_SECTION_VERSION, order: table.order, count: table.size, slots }, name: 'ngramRecords', section: table.weights };
}
