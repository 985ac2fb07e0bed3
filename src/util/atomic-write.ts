import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SentivecError, errnoCode } from './errors.js';

/**
 * Writes a file so readers see either the old content or the complete new
 * one: write a temp file in the same directory, fsync, then rename over.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    const code = errnoCode(e);
    if (code === 'ENOENT') throw new SentivecError(`cannot write ${file}: directory ${dir} does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new SentivecError(`cannot write ${file}: permission denied`);
    if (code === 'EISDIR') throw new SentivecError(`cannot write ${file}: it is a directory`);
    throw e;
  }
}
