/**
 * Finds the aclImdb archive: an explicit `--data` path, else `$SENTIVEC_DATA`
 * (a machine that already holds the archive), else a verified copy in the
 * cache, else a fresh download that is verified before it is cached.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { SentivecError, errnoCode, isSentivecError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { checkAclImdbArchive } from './aclimdb.js';

export const ACLIMDB_URL = 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz';
/** SHA-256 of the official aclImdb_v1.tar.gz (84,125,825 bytes). */
export const ACLIMDB_SHA256 = 'c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe';
export const ACLIMDB_FILE = 'aclImdb_v1.tar.gz';

export type ProgressCallback = (done: number, total: number) => void;

export interface ResolveDatasetOptions {
  /** Use this archive or directory as is (only its existence is checked); default `$SENTIVEC_DATA` when set. */
  data?: string;
  /** Ignore `$SENTIVEC_DATA` (`sentivec download` always fetches). */
  ignoreDataEnv?: boolean;
  /** Default `$SENTIVEC_CACHE`, else `~/.cache/sentivec`. */
  cacheDir?: string;
  url?: string;
  /** Expected SHA-256 (hex); default the official archive's; `null` skips the check. */
  sha256?: string | null;
  /** `true`: a progress bar on stderr when it is a TTY; a function: called with bytes so far. */
  progress?: boolean | ProgressCallback;
  /** Give up when no bytes arrive for this long (default 60 s). */
  fetchTimeoutMs?: number;
}

export function defaultCacheDir(): string {
  const env = process.env.SENTIVEC_CACHE;
  return env !== undefined && env !== '' ? env : path.join(os.homedir(), '.cache', 'sentivec');
}

/** Returns a path to aclImdb (archive or directory) that readAclImdb can read. */
export async function resolveDataset(opts: ResolveDatasetOptions = {}): Promise<string> {
  const env = opts.ignoreDataEnv ? undefined : process.env.SENTIVEC_DATA;
  const data = opts.data ?? (env !== undefined && env !== '' ? env : undefined);
  if (data !== undefined) {
    const from = opts.data !== undefined ? '--data' : 'SENTIVEC_DATA';
    try {
      await fs.stat(data);
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new SentivecError(`${from} path not found: ${data}`);
      if (code === 'EACCES' || code === 'EPERM') throw new SentivecError(`cannot read ${from} path ${data}: permission denied`);
      throw e;
    }
    return data;
  }
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const file = path.join(cacheDir, ACLIMDB_FILE);
  const expected = opts.sha256 === undefined ? ACLIMDB_SHA256 : opts.sha256 === null ? null : opts.sha256.toLowerCase();
  if (await cachedCopyIsValid(file, expected)) return file;
  await mkdirCache(cacheDir);
  await download(opts.url ?? ACLIMDB_URL, file, expected, opts);
  return file;
}

const stampOf = (file: string): string => `${file}.sha256`;

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The stamp is written only after a verified download. Re-hashing the file
 * (a fraction of a second) also catches a copy damaged or replaced since.
 */
async function cachedCopyIsValid(file: string, expected: string | null): Promise<boolean> {
  let stamp: string;
  try {
    stamp = (await fs.readFile(stampOf(file), 'utf8')).trim().split(/\s+/)[0].toLowerCase();
  } catch {
    return false;
  }
  if (expected !== null && stamp !== expected) return false;
  try {
    return (await sha256File(file)) === stamp;
  } catch {
    return false;
  }
}

async function mkdirCache(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'EACCES' || code === 'EPERM') throw new SentivecError(`cannot create cache directory ${dir}: permission denied`);
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new SentivecError(`cannot create cache directory ${dir}: a file is in the way`);
    throw e;
  }
}

function reason(e: unknown): string {
  if (isSentivecError(e)) return e.message;
  const cause = e instanceof Error ? e.cause : undefined;
  const code = errnoCode(cause) ?? errnoCode(e);
  const msg = e instanceof Error ? e.message : String(e);
  const causeMsg = cause instanceof Error ? cause.message : undefined;
  // fetch says only "fetch failed" / "terminated"; the cause has the useful part.
  const detail = causeMsg || code;
  return detail && detail !== msg ? `${msg}: ${detail}` : msg;
}

function progressSink(progress: ResolveDatasetOptions['progress'], url: string): { update: ProgressCallback; stop(): void } {
  if (typeof progress === 'function') return { update: progress, stop() {} };
  if (progress !== true || process.stderr.isTTY !== true) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total) {
      if (total <= 0) return; // no Content-Length: nothing meaningful to draw
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: `download ${path.posix.basename(url)} [{bar}] {percentage}% | {mb}/{totalMb} MB | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { mb: '0.0', totalMb: (total / 1e6).toFixed(1) });
      }
      bar.update(done, { mb: (done / 1e6).toFixed(1) });
    },
    stop() {
      bar?.stop();
    },
  };
}

async function download(url: string, file: string, expected: string | null, opts: ResolveDatasetOptions): Promise<void> {
  const part = `${file}.part`;
  const fail = (why: string): SentivecError => new SentivecError(`download of ${url} failed: ${why}`);
  await fs.rm(stampOf(file), { force: true });
  const sink = progressSink(opts.progress, url);
  // An inactivity timeout, not a total one: a slow but steady link must not fail.
  const idleMs = opts.fetchTimeoutMs ?? 60_000;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no data for ${idleMs / 1000} s`)), idleMs);
  };
  let out: fs.FileHandle | undefined;
  let renamed = false;
  try {
    touch();
    let res: Response;
    try {
      // identity: a server that gzips the .tar.gz again must not have fetch undo it behind our back.
      res = await fetch(url, { signal: controller.signal, headers: { 'accept-encoding': 'identity' } });
    } catch (e) {
      throw fail(controller.signal.aborted ? reason(controller.signal.reason) : reason(e));
    }
    if (res.status !== 200 || res.body === null) {
      await res.body?.cancel().catch(() => undefined);
      throw fail(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    const lengthHeader = res.headers.get('content-length');
    const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : -1;
    out = await fs.open(part, 'w');
    const hash = createHash('sha256');
    let done = 0;
    try {
      for await (const chunk of res.body) {
        touch();
        hash.update(chunk);
        await out.write(chunk);
        done += chunk.byteLength;
        sink.update(done, total);
      }
    } catch (e) {
      const why = controller.signal.aborted ? reason(controller.signal.reason) : reason(e);
      throw fail(`connection lost after ${done} of ${total >= 0 ? total : '?'} bytes (${why})`);
    }
    clearTimeout(timer);
    await out.sync();
    await out.close();
    out = undefined;
    if (total >= 0 && done !== total) throw fail(`truncated: got ${done} of ${total} bytes`);
    const actual = hash.digest('hex');
    if (expected !== null && actual !== expected) throw fail(`SHA-256 mismatch: expected ${expected}, got ${actual}`);
    try {
      await checkAclImdbArchive(part);
    } catch (e) {
      // The .part path in the message is about to vanish; the URL is what the user knows.
      throw fail(`not a complete aclImdb archive (${reason(e).replace(`${part}: `, '')})`);
    }
    await fs.rename(part, file);
    renamed = true;
    await writeFileAtomic(stampOf(file), `${actual}  ${ACLIMDB_FILE}\n`);
  } catch (e) {
    await out?.close().catch(() => undefined);
    await fs.rm(part, { force: true });
    if (renamed) await fs.rm(file, { force: true });
    throw e;
  } finally {
    clearTimeout(timer);
    sink.stop();
  }
}
