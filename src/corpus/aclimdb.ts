/**
 * Reads the Large Movie Review Dataset (aclImdb) straight from
 * `aclImdb_v1.tar.gz` (gunzip + tar, streamed, nothing unpacked to disk) or
 * from an unpacked `aclImdb` directory.
 */
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import tar, { type ExtractEvents } from 'tar-stream';
import { SentivecError, errnoCode, isSentivecError } from '../util/errors.js';
import type { Bucket, Label, Review } from './review.js';
import { fileError, isDir } from './input.js';
import { readFilesAhead } from './read-ahead.js';

/** tar-stream's entry stream (a streamx Readable); its type is not exported by name. */
type Entry = ExtractEvents['entry'][1];

export interface ReadAclImdbOptions {
  /** Buckets to yield (default all three). */
  buckets?: readonly Bucket[];
  /**
   * Progress. For an archive `done`/`total` are compressed bytes read; for a
   * directory they count review files (summing 100k file sizes would cost a
   * stat per file just for a progress bar).
   */
  onBytes?: (done: number, total: number) => void;
  /**
   * Attach each review's movie URL (`url`). The archive stores the URL lists
   * after the reviews, so an archive is first scanned for them once (cached
   * per file for the process: training reads the corpus twice).
   */
  urls?: boolean;
}

export type AclImdbExtra = 'imdbEr.txt' | 'imdb.vocab';

interface Folder {
  split: 'train' | 'test';
  dir: 'pos' | 'neg' | 'unsup';
  bucket: Bucket;
  label: Label;
  minStars: number;
  maxStars: number;
}

/** In compareReviews order, so a directory read comes out already sorted. */
const FOLDERS: readonly Folder[] = [
  { split: 'train', dir: 'pos', bucket: 'train', label: 'pos', minStars: 7, maxStars: 10 },
  { split: 'train', dir: 'neg', bucket: 'train', label: 'neg', minStars: 1, maxStars: 4 },
  { split: 'test', dir: 'pos', bucket: 'test', label: 'pos', minStars: 7, maxStars: 10 },
  { split: 'test', dir: 'neg', bucket: 'test', label: 'neg', minStars: 1, maxStars: 4 },
  { split: 'train', dir: 'unsup', bucket: 'unsup', label: 'none', minStars: 0, maxStars: 0 },
];

const ALL_BUCKETS: readonly Bucket[] = ['train', 'test', 'unsup'];
const REVIEW_NAME = /^(\d+)_(\d+)\.txt$/;

function folderOf(split: string, dir: string): Folder | undefined {
  return FOLDERS.find((f) => f.split === split && f.dir === dir);
}

/** Validates `id_stars.txt` against its folder; `where` names the file for the error. */
function parseReviewName(folder: Folder, name: string, where: string): { id: number; stars: number } {
  const m = REVIEW_NAME.exec(name);
  if (!m) throw new SentivecError(`${where}: review file name must look like <id>_<stars>.txt`);
  const id = Number(m[1]);
  const stars = Number(m[2]);
  if (!Number.isSafeInteger(id)) throw new SentivecError(`${where}: review id is too large`);
  if (stars < folder.minStars || stars > folder.maxStars) {
    const range = folder.minStars === folder.maxStars ? `${folder.minStars}` : `${folder.minStars}–${folder.maxStars}`;
    throw new SentivecError(`${where}: ${stars} stars is out of range for ${folder.split}/${folder.dir} (expected ${range})`);
  }
  return { id, stars };
}

/** Maps errno failures to a SentivecError naming `file`; anything else passes through. */
function ioError(file: string, e: unknown): unknown {
  const code = errnoCode(e);
  return code === 'ENOENT' || code === 'ENOTDIR' ? new SentivecError(`aclImdb data not found: ${file}`) : fileError(file, e);
}

async function statPath(p: string): Promise<Stats> {
  try {
    return await fs.stat(p);
  } catch (e) {
    throw ioError(p, e);
  }
}

/** Yields the reviews of `path` (archive or directory) in storage order. */
export async function* readAclImdb(p: string, opts: ReadAclImdbOptions = {}): AsyncGenerator<Review> {
  const want = new Set(opts.buckets ?? ALL_BUCKETS);
  const st = await statPath(p);
  const urls = opts.urls ? await movieUrls(p, st) : undefined;
  const withUrl = (r: Review): Review => {
    const url = urls?.get(`${r.bucket === 'unsup' ? 'train' : r.bucket}/${r.bucket === 'unsup' ? 'unsup' : r.label}`)?.[r.id];
    return url === undefined ? r : { ...r, url };
  };
  const reviews = st.isDirectory() ? readDirectory(await findRoot(p), want, opts.onBytes) : readArchive(p, want, opts.onBytes);
  for await (const r of reviews) yield urls ? withUrl(r) : r;
}

/** `split/dir` (e.g. `train/pos`) → its URL list, line i the movie of review i. Folders without a list are absent. */
type MovieUrls = ReadonlyMap<string, readonly string[]>;
const urlCache = new Map<string, Promise<MovieUrls>>();

/** The movie URL lists of an archive or directory, read once per (path, size, mtime). */
function movieUrls(p: string, st: Stats): Promise<MovieUrls> {
  const key = `${path.resolve(p)}:${st.size}:${st.mtimeMs}`;
  let urls = urlCache.get(key);
  if (!urls) {
    urls = st.isDirectory() ? directoryUrls(p) : archiveUrls(p);
    urlCache.set(key, urls);
    // A failed read is not cached: the next call reports it again.
    urls.catch(() => urlCache.delete(key));
  }
  return urls;
}

const URLS_NAME = /^urls_(pos|neg|unsup)\.txt$/;
const urlLines = (text: string): string[] => text.split('\n').map((l) => l.trim());

async function directoryUrls(dir: string): Promise<MovieUrls> {
  const root = await findRoot(dir);
  const out = new Map<string, string[]>();
  for (const f of FOLDERS) {
    const file = path.join(root, f.split, `urls_${f.dir}.txt`);
    try {
      out.set(`${f.split}/${f.dir}`, urlLines(await fs.readFile(file, 'utf8')));
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw ioError(file, e);
    }
  }
  return out;
}

async function archiveUrls(file: string): Promise<MovieUrls> {
  const out = new Map<string, string[]>();
  const archive = await openArchive(file);
  try {
    for await (const entry of archive.entries) {
      const parts = entryParts(entry.header.name);
      const m = parts.length >= 2 ? URLS_NAME.exec(parts[parts.length - 1]) : null;
      if (entry.header.type === 'file' && m && (parts[parts.length - 2] === 'train' || parts[parts.length - 2] === 'test')) {
        out.set(`${parts[parts.length - 2]}/${m[1]}`, urlLines((await readEntry(entry)).toString('utf8')));
      } else entry.resume();
    }
  } catch (e) {
    throw archive.error(e);
  } finally {
    archive.close();
  }
  return out;
}

/** Reads a side file (`imdbEr.txt`, `imdb.vocab`) that sits next to train/ and test/. */
export async function readAclImdbExtra(p: string, name: AclImdbExtra): Promise<string> {
  const st = await statPath(p);
  if (st.isDirectory()) {
    const file = path.join(await findRoot(p), name);
    try {
      return await fs.readFile(file, 'utf8');
    } catch (e) {
      throw errnoCode(e) === 'ENOENT' ? new SentivecError(`${p}: aclImdb directory has no ${name}`) : ioError(file, e);
    }
  }
  const archive = await openArchive(p);
  try {
    for await (const entry of archive.entries) {
      const parts = entryParts(entry.header.name);
      if (entry.header.type === 'file' && parts.length <= 2 && parts[parts.length - 1] === name) {
        return (await readEntry(entry)).toString('utf8');
      }
      entry.resume();
    }
  } catch (e) {
    throw archive.error(e);
  } finally {
    archive.close();
  }
  throw new SentivecError(`${p}: archive has no aclImdb/${name}`);
}

/**
 * Streams the whole archive and checks it is a complete aclImdb archive:
 * gzip and tar parse to the end, and reviews under both train/ and test/ exist.
 */
export async function checkAclImdbArchive(p: string): Promise<void> {
  const seen = new Set<string>();
  const archive = await openArchive(p);
  try {
    for await (const entry of archive.entries) {
      const folder = entry.header.type === 'file' ? folderOfEntry(entry.header.name) : undefined;
      if (folder) seen.add(folder.split);
      entry.resume();
    }
  } catch (e) {
    throw archive.error(e);
  } finally {
    archive.close();
  }
  for (const split of ['train', 'test']) {
    if (!seen.has(split)) throw new SentivecError(`${p}: archive has no reviews under aclImdb/${split}/`);
  }
}

// ---- archive ----------------------------------------------------------------

interface OpenArchive {
  entries: AsyncIterable<Entry>;
  /** Maps whatever the iteration threw to the most precise SentivecError. */
  error(e: unknown): unknown;
  close(): void;
}

async function openArchive(file: string, onBytes?: (done: number, total: number) => void): Promise<OpenArchive> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    throw ioError(file, e);
  }
  const { size } = await fh.stat();
  if (size === 0) {
    await fh.close();
    throw new SentivecError(`${file}: empty file (expected aclImdb_v1.tar.gz or an aclImdb directory)`);
  }
  const source = fh.createReadStream({ highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  const extract = tar.extract();
  // The first failure upstream is the real cause; tar's own complaint after a
  // destroyed input ("Unexpected end of data") would only hide it.
  let failure: unknown;
  const fail = (err: unknown): void => {
    failure ??= err;
    extract.destroy(failure instanceof Error ? failure : undefined);
  };
  source.on('error', (e) => fail(ioError(file, e)));
  gunzip.on('error', (e) => fail(gzipError(file, e)));
  if (onBytes) {
    let done = 0;
    source.on('data', (chunk: Buffer | string) => {
      done += chunk.length;
      onBytes(done, size);
    });
  }
  source.pipe(gunzip).pipe(extract);
  return {
    entries: extract,
    error(e) {
      if (failure !== undefined) return failure;
      if (isSentivecError(e)) return e;
      const msg = e instanceof Error ? e.message : String(e);
      return new SentivecError(`${file}: corrupt or truncated tar archive (${msg})`);
    },
    close() {
      source.destroy();
      gunzip.destroy();
      extract.destroy();
    },
  };
}

function gzipError(file: string, e: unknown): SentivecError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/incorrect header check/.test(msg)) return new SentivecError(`${file}: not a gzip file (expected aclImdb_v1.tar.gz or an aclImdb directory)`);
  if (/unexpected end of file/.test(msg)) return new SentivecError(`${file}: truncated gzip archive (unexpected end of file)`);
  return new SentivecError(`${file}: corrupt gzip archive (${msg})`);
}

function entryParts(name: string): string[] {
  return name.split('/').filter((s) => s !== '' && s !== '.');
}

/** `…/train/pos/12_9.txt` → its folder; anything else (README, urls_*.txt, *.feat) → undefined. */
function folderOfEntry(name: string): Folder | undefined {
  const parts = entryParts(name);
  if (parts.length < 3) return undefined;
  return folderOf(parts[parts.length - 3], parts[parts.length - 2]);
}

function readEntry(entry: Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    entry.on('data', (c: unknown) => chunks.push(c as Buffer)); // streamx types data as unknown
    entry.on('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    entry.on('error', reject);
    // A destroyed extract closes the entry without 'end'; don't hang on it.
    entry.on('close', () => {
      if (!ended) reject(new Error('entry closed before its end'));
    });
  });
}

async function* readArchive(file: string, want: ReadonlySet<Bucket>, onBytes?: (done: number, total: number) => void): AsyncGenerator<Review> {
  const archive = await openArchive(file, onBytes);
  let reviews = 0;
  try {
    for await (const entry of archive.entries) {
      const folder = entry.header.type === 'file' ? folderOfEntry(entry.header.name) : undefined;
      if (folder) reviews++;
      if (!folder || !want.has(folder.bucket)) {
        entry.resume();
        continue;
      }
      const { id, stars } = parseReviewName(folder, path.posix.basename(entry.header.name), `${file}: entry ${entry.header.name}`);
      const text = (await readEntry(entry)).toString('utf8');
      yield { id, text, stars, label: folder.label, bucket: folder.bucket };
    }
  } catch (e) {
    throw archive.error(e);
  } finally {
    archive.close();
  }
  if (reviews === 0) throw new SentivecError(`${file}: archive contains no aclImdb reviews (expected entries like aclImdb/train/pos/0_9.txt)`);
}

// ---- directory --------------------------------------------------------------

async function isAclImdbRoot(dir: string): Promise<boolean> {
  for (const split of ['train', 'test']) {
    if ((await isDir(path.join(dir, split, 'pos'))) && (await isDir(path.join(dir, split, 'neg')))) return true;
  }
  return false;
}

/** Accepts the `aclImdb` folder itself or its parent. */
async function findRoot(dir: string): Promise<string> {
  if (await isAclImdbRoot(dir)) return dir;
  const inner = path.join(dir, 'aclImdb');
  if (await isAclImdbRoot(inner)) return inner;
  throw new SentivecError(`${dir}: not an aclImdb directory (expected train/ or test/ folders with pos/ and neg/, here or in ${dir}/aclImdb)`);
}

interface PlannedFile {
  folder: Folder;
  file: string;
  id: number;
  stars: number;
}

async function listFolder(root: string, folder: Folder): Promise<PlannedFile[]> {
  const dir = path.join(root, folder.split, folder.dir);
  let names: string[];
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    names = entries.filter((d) => !d.isDirectory()).map((d) => d.name);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return []; // e.g. a copy without unsup/
    throw ioError(dir, e);
  }
  const files = names.map((name) => {
    const file = path.join(dir, name);
    return { folder, file, ...parseReviewName(folder, name, file) };
  });
  return files.sort((a, b) => a.id - b.id);
}

async function* readDirectory(root: string, want: ReadonlySet<Bucket>, onBytes?: (done: number, total: number) => void): AsyncGenerator<Review> {
  const plan: PlannedFile[] = [];
  for (const folder of FOLDERS) if (want.has(folder.bucket)) plan.push(...(await listFolder(root, folder)));
  let i = 0;
  for await (const data of readFilesAhead(plan.map((f) => f.file), ioError)) {
    const { folder, id, stars } = plan[i++];
    onBytes?.(i, plan.length);
    yield { id, text: data.toString('utf8'), stars, label: folder.label, bucket: folder.bucket };
  }
}
