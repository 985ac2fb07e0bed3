/**
 * What every corpus reader yields: one document at a time, with where it came
 * from so that any later complaint can name the file and line. Readers never
 * hold more than the current record (and a bounded read-ahead) in memory.
 */
import { isUtf8 } from 'node:buffer';
import { SentivecError } from '../util/errors.js';

export interface SourceLocation {
  readonly file: string;
  /** 1-based line where the record starts (1 for a whole-file document). */
  readonly line: number;
}

export interface CorpusRecord {
  readonly text: string;
  /** The label as written in the data (trimmed); absent for unlabeled text. */
  readonly label?: string;
  /** A numeric rating (any scale; the caller maps it); absent when not asked for. */
  readonly rating?: number;
  /**
   * The group the document belongs to (e.g. the movie a review is about):
   * cross-validation keeps a group in one fold. Absent when not asked for,
   * or when the record has none (it is then a group of its own).
   */
  readonly group?: string;
  readonly source: SourceLocation;
}

export const CORPUS_FORMATS = ['csv', 'tsv', 'jsonl', 'text', 'dir', 'aclimdb'] as const;
export type CorpusFormat = (typeof CORPUS_FORMATS)[number];

export interface ReadCorpusOptions {
  /** Default: detected from the path (extension, or the folder's shape). */
  format?: CorpusFormat;
  /** Column / JSON field holding the text (csv, tsv, jsonl). Default `text`. */
  text?: string;
  /**
   * Column / field holding the label; every record must have one. For `dir`
   * and `aclimdb` any value asks for the folder labels. Omit for unlabeled text.
   */
  label?: string;
  /** Column / field holding a numeric rating; every record must have one. For `aclimdb`: the stars. */
  rating?: string;
  /**
   * Column / field holding a group id (csv, tsv, jsonl; an empty value: a
   * group of its own). For `aclimdb` any value asks for the movie of each
   * review (`urls_*.txt`); aclimdb reads them anyway when they are there.
   */
  group?: string;
  /**
   * An empty label or rating value (csv, tsv, jsonl; in jsonl also an absent or null field): `error`
   * (default) stops with the line, `unlabeled` reads the record as text without a label (train --target:
   * a row without one target's value still trains the other targets, and is that target's unlabeled text).
   */
  missing?: 'error' | 'unlabeled';
  /** aclimdb only: `train` (train/pos, train/neg, and train/unsup as unlabeled text) or `test`. Default `train`. */
  split?: 'train' | 'test';
  /** Bytes (or files, for folders) done out of total. */
  onProgress?: (done: number, total: number) => void;
}

/** A corpus that can be read more than once (training makes two passes). */
export interface CorpusSource {
  /** For messages: the path, or a description. */
  readonly name: string;
  open(onProgress?: (done: number, total: number) => void): AsyncIterable<CorpusRecord>;
}

/** `file line N` for messages. */
export function at(source: SourceLocation): string {
  return `${source.file} line ${source.line}`;
}

/** Line (1-based) of the first byte that is not valid UTF-8, scanning line by line. */
export function firstBadUtf8Line(bytes: Uint8Array, firstLine = 1): number {
  let line = firstLine;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (!isUtf8(bytes.subarray(start, i))) return line;
      line++;
      start = i + 1;
    }
  }
  return firstLine;
}

/**
 * Strict UTF-8 decoding: invalid bytes are an error naming the line, never
 * silently replaced by U+FFFD (which would train on garbage).
 */
export function decodeUtf8(bytes: Uint8Array, source: SourceLocation, what = 'text'): string {
  // NUL is valid UTF-8 but never part of a text: it means a binary, UTF-16 or damaged file
  // (checked first, so a UTF-16 file is named as such rather than as "not UTF-8").
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    let line = source.line;
    for (let i = 0; i < nul; i++) if (bytes[i] === 0x0a) line++;
    throw new SentivecError(`${at({ file: source.file, line })}: ${what} contains a NUL byte (0x00); text must be UTF-8 without NUL bytes (is this a binary or UTF-16 file?)`);
  }
  if (!isUtf8(bytes)) {
    throw new SentivecError(`${at({ file: source.file, line: firstBadUtf8Line(bytes, source.line) })}: ${what} is not valid UTF-8 (convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8)`);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Parses a rating cell; `what` names the column for the error. */
export function parseRating(raw: string, source: SourceLocation, what: string): number {
  const s = raw.trim();
  const n = Number(s);
  if (s === '' || !Number.isFinite(n)) throw new SentivecError(`${at(source)}: ${what} is ${JSON.stringify(raw)}, not a number`);
  return n;
}

/** In-memory records (tests, library users with arrays); `name` stands for the file in messages. */
export function arraySource(records: readonly { text: string; label?: string; rating?: number; group?: string }[], name = '<records>'): CorpusSource {
  return {
    name,
    async *open(onProgress) {
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        if (typeof r.text !== 'string') throw new SentivecError(`${name} record ${i + 1}: text is not a string`);
        yield { text: r.text, label: r.label, rating: r.rating, ...(r.group === undefined ? {} : { group: r.group }), source: { file: name, line: i + 1 } };
        onProgress?.(i + 1, records.length);
      }
    },
  };
}
