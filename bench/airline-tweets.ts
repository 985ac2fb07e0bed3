/**
 * The airline tweets as the k-class benchmarks (bench:classes, bench:multi-target;
 * issue #14) use them: the rows of twitter-airline-sentiment.csv with the
 * fields asked for, one seeded 80/20 split, and the peer both compare with on
 * that split, scikit-learn's TF-IDF uni+bigram LinearSVC (one-vs-rest), C by
 * 5-fold CV on the 80% (bench/classes_sklearn.py, /usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCorpus } from '../src/corpus/formats.js';
import { Rng } from '../src/util/rng.js';
import { REPO, arg, dataDir } from './common.js';

const PYTHON = '/usr/bin/python3';

/** A tweet's text and its value of each field read. */
export type Tweet = { text: string; values: Record<string, string> };

/** --data, else twitter-airline-sentiment.csv in the data folder. */
export function tweetsFile(): string {
  return path.resolve(arg('data') ?? path.join(dataDir(), 'twitter-airline-sentiment.csv'));
}

/** Every row with a value in each field (one read per field: the rows come in file order, so they line up). */
export async function readTweets(file: string, fields: readonly string[]): Promise<Tweet[]> {
  const columns = await Promise.all(
    fields.map(async (field) => {
      const rows: { text: string; label: string | undefined }[] = [];
      for await (const r of readCorpus(file, { format: 'csv', text: 'text', label: field })) rows.push({ text: r.text, label: r.label });
      return rows;
    }),
  );
  const tweets: Tweet[] = [];
  columns[0].forEach((r, i) => {
    const values = Object.fromEntries(fields.map((f, k) => [f, columns[k][i].label]));
    if (Object.values(values).every((v) => v !== undefined)) tweets.push({ text: r.text, values: values as Record<string, string> });
  });
  return tweets;
}

/** A seeded shuffle cut 80/20. */
export function seededSplit<T>(docs: readonly T[], seed: number): { train: T[]; test: T[] } {
  const shuffled = Array.from(new Rng(seed).shuffle(Int32Array.from(docs.keys())), (i) => docs[i]);
  const cut = Math.round(0.8 * shuffled.length);
  return { train: shuffled.slice(0, cut), test: shuffled.slice(cut) };
}

export interface PeerResult {
  accuracy: number;
  macroF1: number;
  C: number;
  features: number;
  /** Wall seconds of the peer's process (its grid search, fit and scoring). */
  seconds: number;
}

/** scikit-learn on `field` (class indices by `labels`' order); undefined (with a line saying why) when it fails. */
export function sklearnPeer(train: readonly Tweet[], test: readonly Tweet[], field: string, labels: readonly string[], seed: number): PeerResult | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sentivec-tweets-'));
  try {
    const write = (file: string, docs: readonly Tweet[]): void => writeFileSync(path.join(dir, file), docs.map((d) => JSON.stringify({ text: d.text, y: labels.indexOf(d.values[field]) })).join('\n'));
    write('train.jsonl', train);
    write('test.jsonl', test);
    const t = performance.now();
    const r = spawnSync(PYTHON, [path.join(REPO, 'bench/classes_sklearn.py'), dir, String(seed)], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`sklearn failed: ${r.stderr.trim().split('\n').slice(-1)[0] ?? r.status}`);
      return undefined;
    }
    const out = JSON.parse(r.stdout) as Omit<PeerResult, 'seconds'>;
    return { ...out, seconds: (performance.now() - t) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
