/**
 * Reads many small files in order with `depth` reads in flight, enough to
 * hide per-file latency without piling up memory (a folder per label, an
 * unpacked aclImdb). The callback readFile: about 3× faster than
 * fs.promises.readFile on small files. Reads resolve to a Buffer or an Error
 * and never reject, so a failure behind the one awaited is not an unhandled
 * rejection; it is thrown when its turn comes.
 */
import { readFile } from 'node:fs';

export const READ_AHEAD = 64;

export async function* readFilesAhead(files: readonly string[], mapError: (file: string, e: unknown) => unknown, depth = READ_AHEAD): AsyncGenerator<Buffer> {
  const read = (file: string): Promise<Buffer | Error> =>
    new Promise((resolve) =>
      readFile(file, (e, data) => {
        if (!e) return resolve(data);
        const mapped = mapError(file, e);
        resolve(mapped instanceof Error ? mapped : e);
      }),
    );
  const inFlight: Promise<Buffer | Error>[] = [];
  for (let i = 0; i < Math.min(depth, files.length); i++) inFlight.push(read(files[i]));
  for (let i = 0; i < files.length; i++) {
    const data = await inFlight[i % depth];
    if (i + depth < files.length) inFlight[i % depth] = read(files[i + depth]);
    if (data instanceof Error) throw data;
    yield data;
  }
}
