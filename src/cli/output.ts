/** Small helpers the product commands share: output files and streamed stdout. */
import { writeFileAtomic } from '../util/atomic-write.js';
import { assertWritableDir } from './options.js';

/**
 * The one `--json` convention of every command: `--json` alone prints JSON
 * on stdout in place of the text; `--json FILE` (the report commands
 * reproduce, cv and features, which take no positional arguments that a
 * value could be mistaken for) writes it to FILE, atomically, and keeps the
 * text report.
 */
export type JsonFlag = boolean | string | undefined;

/** Whether the text report gives way to JSON on stdout. */
export function jsonOnStdout(flag: JsonFlag): boolean {
  return flag === true;
}

export async function emitJson(flag: JsonFlag, value: unknown): Promise<void> {
  if (flag === undefined || flag === false) return;
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (flag === true) process.stdout.write(text);
  else await writeFileAtomic(flag, text);
}

/** Fails before minutes of training, not after, when `file` cannot be written. */
export async function assertWritableTarget(file: string, flag: string): Promise<void> {
  await assertWritableDir(file, flag);
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
