import { promises as fs, rmSync, type Stats } from 'node:fs';
import path from 'node:path';
import { SentivecError, errnoCode } from './errors.js';

/**
 * Writes a file so readers see either the old content or the complete new
 * one: write a temp file in the same directory, fsync, then rename over.
 *
 * A symlink is written through: the file it points to is replaced (atomically,
 * in that file's directory) and the link stays a link. Only regular files are
 * replaced: renaming over /dev/null or a FIFO would swap a device for a file.
 * Temp files are `.NAME.PID.TIME.tmp`; ones left by a process that no longer
 * runs (a SIGKILL mid-save) are removed by the next save of the same file, and
 * SIGINT/SIGTERM during a save remove ours before the process dies.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
  const target = await resolveTarget(file);
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  await removeStaleTemps(target);
  pending.add(tmp);
  watchSignals();
  try {
    const fh = await fs.open(tmp, 'wx', 0o666);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await fh.writeFile(data);
      else for await (const chunk of data) await fh.write(chunk);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await keepMode(target, tmp);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    const code = errnoCode(e);
    const named = target === path.resolve(file) ? file : `${file} (→ ${target})`;
    if (code === 'ENOENT') throw new SentivecError(`cannot write ${named}: directory ${dir} does not exist`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new SentivecError(`cannot write ${named}: permission denied`);
    if (code === 'EISDIR') throw new SentivecError(`cannot write ${named}: it is a directory`);
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new SentivecError(`cannot write ${named}: no space left on the device`);
    throw e;
  } finally {
    pending.delete(tmp);
    unwatchSignals();
  }
}

/** Names the kind of a non-regular file for messages ("a FIFO", "a character device"). */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'a regular file';
}

const MAX_LINKS = 40;

/**
 * The path a write to `file` should replace: symlinks followed (also a
 * dangling one, whose target is created), and a SentivecError when that path
 * exists but is not a regular file.
 */
export async function resolveTarget(file: string): Promise<string> {
  let p = path.resolve(file);
  for (let hops = 0; ; hops++) {
    let st: Stats;
    try {
      st = await fs.lstat(p);
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'ENOENT') return p;
      if (code === 'ENOTDIR') throw new SentivecError(`cannot write ${file}: a part of the path is not a directory`);
      if (code === 'EACCES' || code === 'EPERM') throw new SentivecError(`cannot write ${file}: permission denied`);
      throw e;
    }
    if (st.isSymbolicLink()) {
      if (hops >= MAX_LINKS) throw new SentivecError(`cannot write ${file}: too many levels of symbolic links`);
      p = path.resolve(path.dirname(p), await fs.readlink(p));
      continue;
    }
    if (!st.isFile()) {
      const via = p === path.resolve(file) ? '' : ` (it links to ${p})`;
      throw new SentivecError(`cannot write ${file}: it is ${fileKind(st)}${via}, not a regular file; give the path of a file to create or replace`);
    }
    return p;
  }
}

/** The new file keeps the permissions of the one it replaces. */
async function keepMode(target: string, tmp: string): Promise<void> {
  try {
    const { mode } = await fs.stat(target);
    await fs.chmod(tmp, mode & 0o7777);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw e;
  }
}

/** Removes `.NAME.PID.TIME.tmp` siblings of `target` whose process is gone. */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const dir = path.dirname(target);
  const base = path.basename(target);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.(\d+)$/.exec(name.slice(prefix.length, -'.tmp'.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid ? pending.has(path.join(dir, name)) : processExists(pid)) continue;
    try {
      await fs.rm(path.join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // Not ours to remove (permissions): leave it.
    }
  }
  return removed;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return errnoCode(e) === 'EPERM';
  }
}

// Temp files of saves in progress, removed if a signal ends the process.
const pending = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let watching = 0;

function onSignal(signal: NodeJS.Signals): void {
  for (const tmp of pending) rmSync(tmp, { force: true });
  pending.clear();
  // Others listening (serve's shutdown) decide what happens next; otherwise die of the signal as usual.
  const others = process.listenerCount(signal) > 1;
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  watching = 0;
  if (!others) process.kill(process.pid, signal);
}

function watchSignals(): void {
  if (watching++ === 0) for (const s of SIGNALS) process.on(s, onSignal);
}

function unwatchSignals(): void {
  if (watching === 0) return;
  if (--watching === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
}
