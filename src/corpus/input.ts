/**
 * Opening user files as byte streams: errno failures become SentivecErrors
 * naming the file, and `.gz` files are decompressed on the fly.
 */
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SentivecError, errnoCode } from '../util/errors.js';

export function fileError(file: string, e: unknown): unknown {
  switch (errnoCode(e)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new SentivecError(`cannot read ${file}: no such file or directory`);
    case 'EACCES':
    case 'EPERM':
      return new SentivecError(`cannot read ${file}: permission denied`);
    case 'EISDIR':
      return new SentivecError(`cannot read ${file}: it is a directory`);
    case 'EIO':
      return new SentivecError(`cannot read ${file}: I/O error`);
    default:
      return e;
  }
}

export async function statInput(file: string): Promise<Stats> {
  try {
    return await fs.stat(file);
  } catch (e) {
    throw fileError(file, e);
  }
}

export interface OpenedInput {
  /** Decompressed bytes. */
  stream: Readable;
  /** Bytes of the file read so far (progress), out of `size`. */
  bytesRead(): number;
  size: number;
  /** What to throw for an error seen while consuming `stream`: the file or gzip failure behind it, if any. */
  error(e: unknown): unknown;
  close(): void;
}

export async function openInput(file: string): Promise<OpenedInput> {
  const st = await statInput(file);
  if (st.isDirectory()) throw new SentivecError(`cannot read ${file}: it is a directory (use --format dir for one folder per label)`);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  let failure: unknown;
  let stream: Readable = raw;
  if (/\.gz$/i.test(file)) {
    const gunzip = createGunzip();
    raw.on('error', (e) => {
      failure ??= fileError(file, e);
      gunzip.destroy(failure instanceof Error ? failure : e);
    });
    gunzip.on('error', (e) => {
      failure ??= new SentivecError(`${file}: corrupt or truncated gzip data (${e.message})`);
    });
    stream = raw.pipe(gunzip);
  } else {
    raw.on('error', (e) => {
      failure ??= fileError(file, e);
    });
  }
  return {
    stream,
    bytesRead: () => raw.bytesRead,
    size: st.size,
    error: (e) => failure ?? e,
    close() {
      raw.destroy();
      stream.destroy();
    },
  };
}

/** Whether `p` is a directory (false when it does not exist or cannot be read). */
export async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}
