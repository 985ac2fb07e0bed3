/**
 * The IMDb reviews every peer sees, read once from the archive, and the
 * files the peers read them from. Both the orchestrator (which exports the
 * files) and the sentivec child (which reads the archive itself, like a
 * sentivec user would) call readSplits, so a --quick subsample is the same
 * reviews in every process.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { readAclImdb } from '../../src/corpus/aclimdb.js';
import { compareReviews, type Review } from '../../src/corpus/review.js';
import { cleanHtml } from '../../src/text/tokenizer.js';
import { Rng } from '../../src/util/rng.js';

export interface ImdbSplits {
  train: Review[];
  test: Review[];
  unsup: Review[];
}

/**
 * All of aclImdb in (bucket, label, id) order, or with `quick` = n: n train
 * and n test reviews (n/2 per class) and 2n unlabeled ones, evenly spaced
 * through each folder, so the subsample is deterministic and balanced.
 */
export async function readSplits(archive: string, quick?: number): Promise<ImdbSplits> {
  const all: Review[] = [];
  for await (const r of readAclImdb(archive)) all.push(r);
  all.sort(compareReviews);
  const folder = (bucket: Review['bucket'], label: Review['label'], n: number | undefined): Review[] => {
    const rows = all.filter((r) => r.bucket === bucket && r.label === label);
    if (n === undefined || n >= rows.length) return rows;
    return Array.from({ length: n }, (_, i) => rows[Math.floor((i * rows.length) / n)]);
  };
  const half = quick === undefined ? undefined : Math.max(1, Math.floor(quick / 2));
  return {
    train: [...folder('train', 'pos', half), ...folder('train', 'neg', half)],
    test: [...folder('test', 'pos', half), ...folder('test', 'neg', half)],
    unsup: folder('unsup', 'none', quick === undefined ? undefined : 2 * quick),
  };
}

/** What the text-based peers get: cleanHtml (tags out, entities decoded), whitespace runs as one space. */
export function peerText(raw: string): string {
  return cleanHtml(raw).replace(/\s+/g, ' ').trim();
}

/**
 * The normalize_text step of fastText's own IMDb-style tutorial script
 * (classification-example.sh): lowercase, punctuation split off as tokens,
 * double quotes, `;` and `:` dropped. fastText splits on whitespace only, so
 * without this "Great," and "great" are different words.
 */
export function fastTextNormalized(text: string): string {
  return text
    .toLowerCase()
    .replace(/'/g, " ' ")
    .replace(/"/g, '')
    .replace(/([.,()!?])/g, ' $1 ')
    .replace(/[;:]/g, ' ')
    .replace(/ +/g, ' ')
    .trim();
}

export interface ExportedFiles {
  /** `label<TAB>text` per line (label pos / neg / none). */
  trainTsv: string;
  testTsv: string;
  unsupTsv: string;
  /** fastText: `__label__pos text` per line, in a seeded random order (the others are sorted by label). */
  trainFastText: string;
  /** fastText predict input: text only. */
  testText: string;
  /** The same two through fastTextNormalized. */
  trainFastTextNormalized: string;
  testTextNormalized: string;
}

export async function exportSplits(splits: ImdbSplits, dir: string, seed: number): Promise<ExportedFiles> {
  const files: ExportedFiles = {
    trainTsv: path.join(dir, 'train.tsv'),
    testTsv: path.join(dir, 'test.tsv'),
    unsupTsv: path.join(dir, 'unsup.tsv'),
    trainFastText: path.join(dir, 'train.ft'),
    testText: path.join(dir, 'test.txt'),
    trainFastTextNormalized: path.join(dir, 'train-normalized.ft'),
    testTextNormalized: path.join(dir, 'test-normalized.txt'),
  };
  await writeLines(files.trainTsv, splits.train, (r, t) => `${r.label}\t${t}`);
  await writeLines(files.testTsv, splits.test, (r, t) => `${r.label}\t${t}`);
  await writeLines(files.unsupTsv, splits.unsup, (r, t) => `${r.label}\t${t}`);
  // fastText's SGD reads the file in order: 12,500 positive then 12,500
  // negative reviews would leave it leaning to the last class (its tutorial
  // shuffles too). Every other peer is order-free or shuffles itself.
  const order = new Rng(seed).shuffle(Int32Array.from(splits.train, (_, i) => i));
  const shuffled = Array.from(order, (i) => splits.train[i]);
  await writeLines(files.trainFastText, shuffled, (r, t) => `__label__${r.label} ${t}`);
  await writeLines(files.testText, splits.test, (_, t) => t);
  await writeLines(files.trainFastTextNormalized, shuffled, (r, t) => `__label__${r.label} ${fastTextNormalized(t)}`);
  await writeLines(files.testTextNormalized, splits.test, (_, t) => fastTextNormalized(t));
  return files;
}

async function writeLines(file: string, reviews: readonly Review[], line: (r: Review, text: string) => string): Promise<void> {
  const out = createWriteStream(file);
  for (const r of reviews) {
    if (!out.write(`${line(r, peerText(r.text))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
