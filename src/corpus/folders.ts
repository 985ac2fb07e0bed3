/**
 * One folder per label: `root/<label>/*.txt`, the folder name being the label
 * (or, when a rating is asked for, a number: `root/4/*.txt`). Read as
 * unlabeled text, `.txt` files directly in the root count too. Files come in
 * (folder, name) order, read a few at a time ahead of the consumer.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SentivecError } from '../util/errors.js';
import { fileError, statInput } from './input.js';
import { readFilesAhead } from './read-ahead.js';
import { decodeUtf8, parseRating, type CorpusRecord, type ReadCorpusOptions } from './record.js';

const READ_AHEAD = 32;

interface Planned {
  file: string;
  folder: string | undefined;
}

async function list(dir: string): Promise<{ files: string[]; dirs: string[] }> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw fileError(dir, e);
  }
  const visible = entries.filter((d) => !d.name.startsWith('.'));
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    files: visible.filter((d) => d.isFile() && /\.txt$/i.test(d.name)).map((d) => d.name).sort(byName),
    dirs: visible.filter((d) => d.isDirectory()).map((d) => d.name).sort(byName),
  };
}

export async function* readFolders(root: string, opts: ReadCorpusOptions): AsyncGenerator<CorpusRecord> {
  if (!(await statInput(root)).isDirectory()) throw new SentivecError(`${root}: not a directory (the dir format expects one sub-folder of .txt files per label)`);
  const labeled = opts.label !== undefined || opts.rating !== undefined;
  const top = await list(root);
  const plan: Planned[] = labeled ? [] : top.files.map((f) => ({ file: path.join(root, f), folder: undefined }));
  for (const d of top.dirs) {
    const inner = await list(path.join(root, d));
    for (const f of inner.files) plan.push({ file: path.join(root, d, f), folder: d });
  }
  if (plan.length === 0) {
    throw new SentivecError(
      labeled
        ? `${root}: no .txt files in sub-folders (expected one folder per label, e.g. ${root}/pos/1.txt and ${root}/neg/2.txt)`
        : `${root}: no .txt files`,
    );
  }
  let i = 0;
  for await (const data of readFilesAhead(plan.map((p) => p.file), fileError, READ_AHEAD)) {
    const { file, folder } = plan[i++];
    const source = { file, line: 1 };
    const text = decodeUtf8(data, source);
    let label: string | undefined;
    let rating: number | undefined;
    if (labeled && folder !== undefined) {
      if (opts.label !== undefined) label = folder;
      if (opts.rating !== undefined) rating = parseRating(folder, source, `the folder name '${folder}' (used as the rating)`);
    }
    yield { text, label, rating, source };
    opts.onProgress?.(i, plan.length);
  }
}
