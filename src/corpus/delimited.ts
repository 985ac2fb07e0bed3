/**
 * CSV and TSV with a header row, through csv-parse's streaming parser:
 * RFC 4180 quoting ("" inside quotes, separators and newlines inside quoted
 * fields), a UTF-8 byte-order mark is skipped, blank lines are ignored.
 * Fields come back as bytes and are decoded strictly, so a text that is not
 * UTF-8 is reported with its line instead of being garbled.
 */
import { Transform } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { SentivecError, isSentivecError } from '../util/errors.js';
import { openInput } from './input.js';
import { at, decodeUtf8, parseRating, type CorpusRecord, type ReadCorpusOptions, type SourceLocation } from './record.js';

/** A record longer than this is almost surely an unclosed quote swallowing the file. */
const MAX_RECORD_BYTES = 32 << 20;

interface ParsedRow {
  record: Buffer[];
  info: { lines: number; empty_lines: number; comment_lines: number };
}

export async function* readDelimited(file: string, delimiter: ',' | '\t', opts: ReadCorpusOptions): AsyncGenerator<CorpusRecord> {
  const skipMissing = opts.missing === 'unlabeled';
  const input = await openInput(file);
  const parser = parse({
    delimiter,
    encoding: null,
    info: true,
    // csv-parse's own BOM handling switches to decoded strings; stripBom keeps fields as bytes.
    bom: false,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  const bytes = input.stream.pipe(stripBom());
  bytes.pipe(parser);
  input.stream.on('error', (e) => parser.destroy(e));
  const columns = { text: opts.text ?? 'text', label: opts.label, rating: opts.rating, group: opts.group };
  let header: string[] | undefined;
  let index = { text: -1, label: -1, rating: -1, group: -1 };
  let lastLine = 0;
  let lastEmpty = 0;
  let count = 0;
  try {
    for await (const row of parser as AsyncIterable<ParsedRow>) {
      // csv-parse reports the line a record ends on; it starts after the previous one and any blank lines.
      const line = lastLine + 1 + (row.info.empty_lines - lastEmpty);
      lastLine = row.info.lines;
      lastEmpty = row.info.empty_lines;
      const source: SourceLocation = { file, line };
      if (!header) {
        header = row.record.map((b) => decodeUtf8(b, source, 'the header').trim());
        index = {
          text: findColumn(header, columns.text, 'text', source),
          label: columns.label === undefined ? -1 : findColumn(header, columns.label, 'label', source),
          rating: columns.rating === undefined ? -1 : findColumn(header, columns.rating, 'rating', source),
          group: columns.group === undefined ? -1 : findColumn(header, columns.group, 'group', source),
        };
        continue;
      }
      if (row.record.length !== header.length) {
        const missing = header.slice(row.record.length);
        const problem =
          row.record.length < header.length
            ? `no value for column ${missing.map((c) => `'${c}'`).join(', ')} (${row.record.length} fields, the header has ${header.length})`
            : `${row.record.length} fields but the header has ${header.length} (an unquoted ${delimiter === ',' ? 'comma' : 'tab'} in a text?)`;
        throw new SentivecError(`${at(source)}: ${problem}`);
      }
      const text = decodeUtf8(row.record[index.text], source, `column '${header[index.text]}'`);
      let label: string | undefined;
      let rating: number | undefined;
      if (index.label >= 0) {
        label = decodeUtf8(row.record[index.label], source, `column '${header[index.label]}'`).trim();
        if (label === '') {
          if (!skipMissing) throw new SentivecError(`${at(source)}: empty value in label column '${header[index.label]}'`);
          label = undefined;
        }
      }
      if (index.rating >= 0) {
        const raw = decodeUtf8(row.record[index.rating], source);
        if (!(skipMissing && raw.trim() === '')) rating = parseRating(raw, source, `column '${header[index.rating]}'`);
      }
      // An empty group cell: the record is a group of its own (no id to share).
      const group = index.group >= 0 ? decodeUtf8(row.record[index.group], source, `column '${header[index.group]}'`).trim() : '';
      count++;
      yield { text, label, rating, ...(group === '' ? {} : { group }), source };
      opts.onProgress?.(input.bytesRead(), input.size);
    }
  } catch (e) {
    throw csvError(file, input.error(e), lastLine + 1);
  } finally {
    input.close();
    parser.destroy();
  }
  if (!header) throw new SentivecError(`${file}: empty file (expected a header row naming the columns, e.g. text,label)`);
  if (count === 0) throw new SentivecError(`${file}: no records after the header`);
}

/** Drops a UTF-8 byte-order mark at the very start of the stream. */
function stripBom(): Transform {
  let head: Buffer | undefined = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (head === undefined) return done(null, chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < 3) return done();
      const out = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
      head = undefined;
      done(null, out);
    },
    flush(done) {
      done(null, head !== undefined && head.length > 0 ? head : undefined);
    },
  });
}

function findColumn(header: string[], name: string, role: string, source: SourceLocation): number {
  const i = header.indexOf(name);
  if (i < 0) {
    const flag = role === 'text' ? '--text' : role === 'label' ? '--label' : role === 'group' ? '--group-column' : '--rating';
    throw new SentivecError(`${at(source)}: no column '${name}' in the header (columns: ${header.map((c) => `'${c}'`).join(', ')}); name the ${role} column with ${flag}`);
  }
  return i;
}

function csvError(file: string, e: unknown, line: number): unknown {
  if (isSentivecError(e)) return e;
  if (e instanceof CsvError) {
    const lines = (e as unknown as { lines?: number }).lines ?? line;
    if (e.code === 'CSV_MAX_RECORD_SIZE') return new SentivecError(`${file} line ${lines}: a record longer than ${MAX_RECORD_BYTES >> 20} MiB (an unclosed quote?)`);
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') return new SentivecError(`${file}: a quote opened near line ${line} is never closed`);
    return new SentivecError(`${file} line ${lines}: ${e.message.replace(/ on line \d+$/, '')}`);
  }
  return e;
}
