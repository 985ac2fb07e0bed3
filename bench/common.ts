/**
 * What every benchmark shares: `--name value` arguments, the median, and
 * where the data is ($SENTIVEC_DATA, else ../shared/data next to the
 * repository, the layout of the brief).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusRecord, CorpusSource } from '../src/corpus/record.js';
import { Rng } from '../src/util/rng.js';

/** The repository root (dist/bench/common.js is two folders below it). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built command line. */
export const CLI = path.join(REPO, 'dist/src/cli/main.js');

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name: string): string | undefined;
export function arg(name: string, fallback: string): string;
export function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** A numeric `--name value`; anything but a finite number stops the benchmark. */
export function numberArg(name: string, fallback: number): number {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) usage(`--${name} must be a number, got "${v}"`);
  return n;
}

/** Whether the switch `--name` is on the command line. */
export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The shared data folder: $SENTIVEC_DATA's folder when it names the archive (as
 * the CLI reads it), the folder itself when it names one, else ../shared/data
 * beside the repository.
 */
export function dataDir(): string {
  const env = process.env.SENTIVEC_DATA;
  if (env === undefined || env === '') return path.resolve(REPO, '../shared/data');
  const p = path.resolve(env);
  return existsSync(p) && statSync(p).isFile() ? path.dirname(p) : p;
}

/** `--data`, else `file` in the data folder; a missing file stops the benchmark with exit 2. */
export function dataFile(file = 'aclImdb_v1.tar.gz'): string {
  const p = path.resolve(arg('data') ?? path.join(dataDir(), file));
  if (!existsSync(p)) usage(`dataset not found at ${p} (pass --data PATH or set SENTIVEC_DATA)`);
  return p;
}

export function usage(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

/** A seeded Fisher–Yates shuffle of a copy of `xs` (the same order for the same seed, as every split here needs). */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rng = new Rng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Documents held in memory as a corpus source (an empty label: unlabeled text; a group: cross-validation keeps it in one fold). */
export function memorySource(name: string, docs: readonly { text: string; label: string; group?: string }[]): CorpusSource {
  return {
    name,
    async *open(): AsyncGenerator<CorpusRecord> {
      for (const [i, d] of docs.entries()) yield { text: d.text, ...(d.label !== '' ? { label: d.label } : {}), ...(d.group !== undefined ? { group: d.group } : {}), source: { file: name, line: i + 1 } };
    },
  };
}
