/**
 * One entry point for every corpus format: `readCorpus(path, options)` yields
 * CorpusRecords from CSV, TSV, JSON Lines, plain text (one document per line),
 * a folder per label, or aclImdb; `corpusSource` wraps it so the corpus can
 * be read again (training makes two passes instead of holding every text).
 */
import path from 'node:path';
import { SentivecError } from '../util/errors.js';
import { readAclImdb } from './aclimdb.js';
import { readDelimited } from './delimited.js';
import { readFolders } from './folders.js';
import { isDir, statInput } from './input.js';
import { readJsonLines, readTextLines } from './lines.js';
import { CORPUS_FORMATS, type CorpusFormat, type CorpusRecord, type CorpusSource, type ReadCorpusOptions } from './record.js';

const EXTENSIONS: readonly [RegExp, CorpusFormat][] = [
  [/\.(tar\.gz|tgz)$/i, 'aclimdb'],
  [/\.csv(\.gz)?$/i, 'csv'],
  [/\.(tsv|tab)(\.gz)?$/i, 'tsv'],
  [/\.(jsonl|ndjson)(\.gz)?$/i, 'jsonl'],
  [/\.txt(\.gz)?$/i, 'text'],
];

async function looksLikeAclImdb(dir: string): Promise<boolean> {
  for (const root of [dir, path.join(dir, 'aclImdb')]) {
    for (const split of ['train', 'test']) if (await isDir(path.join(root, split, 'pos'))) return true;
  }
  return false;
}

/** The format of `p`: a folder is `aclimdb` if shaped like it, else `dir`; a file goes by its extension. */
export async function detectFormat(p: string): Promise<CorpusFormat> {
  const st = await statInput(p);
  if (st.isDirectory()) return (await looksLikeAclImdb(p)) ? 'aclimdb' : 'dir';
  for (const [re, format] of EXTENSIONS) if (re.test(p)) return format;
  throw new SentivecError(`cannot tell the format of ${p} from its name; pass --format (${CORPUS_FORMATS.join(', ')})`);
}

export async function* readCorpus(p: string, opts: ReadCorpusOptions = {}): AsyncGenerator<CorpusRecord> {
  const format = opts.format ?? (await detectFormat(p));
  const read = Object.hasOwn(READERS, format) ? READERS[format] : undefined;
  if (!read) throw new SentivecError(`unknown corpus format '${String(format)}'; known: ${CORPUS_FORMATS.join(', ')}`);
  yield* read(p, opts);
}

/** The reader of each format: adding a format is one entry here (and its name in CORPUS_FORMATS). */
const READERS: Readonly<Record<CorpusFormat, (p: string, opts: ReadCorpusOptions) => AsyncIterable<CorpusRecord>>> = {
  csv: (p, opts) => readDelimited(p, ',', opts),
  tsv: (p, opts) => readDelimited(p, '\t', opts),
  jsonl: readJsonLines,
  text: readTextLines,
  dir: readFolders,
  aclimdb: readAclImdbRecords,
};

/**
 * aclImdb as records: `train` gives train/pos and train/neg labeled (label
 * pos/neg, rating = stars, group = the movie's URL) and train/unsup as
 * unlabeled text; `test` gives test/pos and test/neg.
 */
async function* readAclImdbRecords(p: string, opts: ReadCorpusOptions): AsyncGenerator<CorpusRecord> {
  const split = opts.split ?? 'train';
  const buckets = split === 'train' ? (['train', 'unsup'] as const) : (['test'] as const);
  const wantLabel = opts.label !== undefined;
  const wantRating = opts.rating !== undefined;
  // The movie of each review is its group: train and test are disjoint sets of movies, so an honest
  // cross-validation within train keeps a movie's reviews (up to 30) in one fold.
  for await (const r of readAclImdb(p, { buckets, onBytes: opts.onProgress, urls: true })) {
    const folder = r.bucket === 'unsup' ? 'train/unsup' : `${r.bucket}/${r.label}`;
    const source = { file: `${p}#${folder}/${r.id}_${r.stars}.txt`, line: 1 };
    if (r.bucket === 'unsup') yield { text: r.text, source };
    else yield { text: r.text, label: wantLabel ? r.label : undefined, rating: wantRating ? r.stars : undefined, ...(r.url === undefined ? {} : { group: r.url }), source };
  }
}

/** A re-readable corpus on disk. */
export function corpusSource(p: string, opts: Omit<ReadCorpusOptions, 'onProgress'> = {}): CorpusSource {
  return {
    name: p,
    open: (onProgress) => readCorpus(p, { ...opts, onProgress }),
  };
}
