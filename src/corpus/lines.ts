/**
 * Line-oriented formats: JSON Lines (one object per line, fields named by the
 * options) and plain text (one unlabeled document per line). Lines are split
 * on bytes and decoded strictly, one at a time.
 */
import { SentivecError } from '../util/errors.js';
import { openInput } from './input.js';
import { at, decodeUtf8, parseRating, type CorpusRecord, type ReadCorpusOptions, type SourceLocation } from './record.js';

/** Longest line kept while looking for its end (a binary file has none). */
const MAX_LINE_BYTES = 32 << 20;

/** Non-blank lines with their 1-based numbers, `\r\n` or `\n` endings, a leading BOM dropped. */
async function* byteLines(file: string, onProgress?: (done: number, total: number) => void): AsyncGenerator<{ bytes: Buffer; line: number }> {
  const input = await openInput(file);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  const emit = (chunk: Buffer): { bytes: Buffer; line: number } | undefined => {
    let b = chunk;
    if (line === 1 && b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    if (b.length > 0 && b[b.length - 1] === 0x0d) b = b.subarray(0, b.length - 1);
    const out = isBlank(b) ? undefined : { bytes: b, line };
    line++;
    return out;
  };
  try {
    for await (const chunk of input.stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, start)) {
        const piece = chunk.subarray(start, i);
        const whole = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        start = i + 1;
        const l = emit(whole);
        if (l) yield l;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_LINE_BYTES) throw new SentivecError(`${file} line ${line}: a line longer than ${MAX_LINE_BYTES >> 20} MiB (is this a text file?)`);
      }
      onProgress?.(input.bytesRead(), input.size);
    }
    if (pending.length > 0) {
      const l = emit(Buffer.concat(pending));
      if (l) yield l;
    }
  } catch (e) {
    throw input.error(e);
  } finally {
    input.close();
  }
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

export async function* readJsonLines(file: string, opts: ReadCorpusOptions): AsyncGenerator<CorpusRecord> {
  const textField = opts.text ?? 'text';
  const skipMissing = opts.missing === 'unlabeled';
  let count = 0;
  for await (const { bytes, line } of byteLines(file, opts.onProgress)) {
    const source: SourceLocation = { file, line };
    const json = decodeUtf8(bytes, source, 'the line');
    let obj: unknown;
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new SentivecError(`${at(source)}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new SentivecError(`${at(source)}: expected a JSON object per line, got ${Array.isArray(obj) ? 'an array' : typeof obj}`);
    const rec = obj as Record<string, unknown>;
    const text = rec[textField];
    if (text === undefined || text === null) throw new SentivecError(`${at(source)}: no field '${textField}' (fields: ${fieldList(rec)}); name the text field with --text`);
    if (typeof text !== 'string') throw new SentivecError(`${at(source)}: field '${textField}' is a ${typeof text}, expected a string`);
    let label: string | undefined;
    let rating: number | undefined;
    if (opts.label !== undefined) {
      const v = rec[opts.label];
      if (v === undefined || v === null) {
        if (!skipMissing) throw new SentivecError(`${at(source)}: no field '${opts.label}' (fields: ${fieldList(rec)}); name the label field with --label`);
      } else {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new SentivecError(`${at(source)}: field '${opts.label}' is a ${typeof v}, expected a string, number or boolean`);
        label = String(v).trim();
        if (label === '' && !skipMissing) throw new SentivecError(`${at(source)}: empty value in label field '${opts.label}'`);
        if (label === '') label = undefined;
      }
    }
    if (opts.rating !== undefined) {
      const v = rec[opts.rating];
      if (v === undefined || v === null || (skipMissing && typeof v === 'string' && v.trim() === '')) {
        if (!skipMissing) throw new SentivecError(`${at(source)}: no field '${opts.rating}' (fields: ${fieldList(rec)}); name the rating field with --rating`);
      } else if (typeof v === 'number') rating = v;
      else if (typeof v === 'string') rating = parseRating(v, source, `field '${opts.rating}'`);
      else throw new SentivecError(`${at(source)}: field '${opts.rating}' is a ${typeof v}, expected a number`);
    }
    let group: string | undefined;
    if (opts.group !== undefined) {
      const v = rec[opts.group];
      if (v === undefined) throw new SentivecError(`${at(source)}: no field '${opts.group}' (fields: ${fieldList(rec)}); name the group field with --group-column`);
      if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw new SentivecError(`${at(source)}: field '${opts.group}' is a ${typeof v}, expected a string or number`);
      // null or empty: a group of its own.
      if (v !== null && String(v).trim() !== '') group = String(v).trim();
    }
    count++;
    yield { text, label, rating, ...(group === undefined ? {} : { group }), source };
  }
  if (count === 0) throw new SentivecError(`${file}: no records (the file is empty)`);
}

function fieldList(rec: Record<string, unknown>): string {
  const keys = Object.keys(rec);
  return keys.length === 0 ? 'none' : keys.map((k) => `'${k}'`).join(', ');
}

/** One unlabeled document per non-blank line. */
export async function* readTextLines(file: string, opts: ReadCorpusOptions): AsyncGenerator<CorpusRecord> {
  if (opts.label !== undefined || opts.rating !== undefined) {
    throw new SentivecError(`${file}: the text format (one document per line) has no labels; use csv, tsv, jsonl or dir for labeled data`);
  }
  let count = 0;
  for await (const { bytes, line } of byteLines(file, opts.onProgress)) {
    const source = { file, line };
    count++;
    yield { text: decodeUtf8(bytes, source), source };
  }
  if (count === 0) throw new SentivecError(`${file}: no records (the file is empty)`);
}
