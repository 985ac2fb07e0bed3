/** Small helpers the product commands share: output files and streamed stdout. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SentivecError, errnoCode } from '../util/errors.js';

/** Fails before minutes of training, not after, when `file` cannot be written. */
export async function assertWritableTarget(file: string, flag: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  try {
    await fs.access(dir, fs.constants.W_OK);
  } catch {
    throw new SentivecError(`${flag} ${file}: directory ${dir} does not exist or is not writable`);
  }
  try {
    if ((await fs.stat(file)).isDirectory()) throw new SentivecError(`${flag} ${file}: it is a directory`);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw e;
  }
}

/**
 * Writes lines to stdout with backpressure, so streaming a large input keeps
 * memory flat; a closed pipe (`| head`) ends the output quietly.
 */
export class LineWriter {
  private closed = false;
  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {
    // A reader that went away (EPIPE) or a broken stdout: stop writing, nothing else to tell.
    out.on('error', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async line(s: string): Promise<void> {
    if (this.closed) return;
    if (!this.out.write(`${s}\n`)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.out.off('error', done);
          resolve();
        };
        this.out.once('drain', done);
        this.out.once('error', done);
      });
    }
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
