/**
 * npm run bench:fuzz [-- --cases N] [--seed S]
 *
 * The fuzz harness of test/fuzz.test.ts at benchmark size (default 120,000
 * cases, half model files, half word-vector files): seeded corruptions of a
 * small real model trained here with `sentivec train` (examples/reviews.csv,
 * blueprint vectors-bnc, dim 8) and of its word vectors. Prints the outcome
 * per file kind and mutation (accepted / refused with a SentivecError / any
 * other error), the slowest case and the RSS growth. Exit status 1 when any
 * case ended in an error that is not a SentivecError.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SentimentModel } from '../src/models/product/sentiment-model.js';
import { runFuzz } from '../test/fixtures/fuzz.js';
import { CLI, REPO, numberArg } from './common.js';


const cases = numberArg('cases', 120_000);
const seed = numberArg('seed', 15);
const dir = mkdtempSync(path.join(os.tmpdir(), 'sentivec-bench-fuzz-'));
try {
  const modelFile = path.join(dir, 'base.svec');
  const train = spawnSync(process.execPath, [CLI, 'train', '--input', path.join(REPO, 'examples', 'reviews.csv'), '--out', modelFile, '--blueprint', 'vectors-bnc', '--dim', '8', '--epochs', '5', '--log-format', 'quiet'], { encoding: 'utf8' });
  if (train.status !== 0) throw new Error(`sentivec train failed: ${train.stderr}`);
  const vectorFile = path.join(dir, 'base.vec');
  await (await SentimentModel.load(modelFile)).vectors.save(vectorFile);
  const bases = { model: new Uint8Array(readFileSync(modelFile)), vectors: new Uint8Array(readFileSync(vectorFile)) };
  console.log(`base files: model ${bases.model.length} bytes, word vectors ${bases.vectors.length} bytes; ${cases} cases, seed ${seed}`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = runFuzz(bases, cases, seed);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(`\n${'file / mutation'.padEnd(24)} ${'accepted'.padStart(9)} ${'refused'.padStart(9)} ${'other'.padStart(6)}`);
  for (const [k, v] of Object.entries(r.perStrategy).sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${k.padEnd(24)} ${String(v.accepted).padStart(9)} ${String(v.rejected).padStart(9)} ${String(v.other).padStart(6)}`);
  }
  console.log(`\ncases ${r.cases} (model ${r.byKind.model}, word vectors ${r.byKind.vectors}): accepted ${r.accepted}, refused with a SentivecError ${r.rejected}, other errors ${r.otherErrors}`);
  console.log(`slowest case ${r.slowestMs.toFixed(1)} ms; RSS growth ${r.rssGrowthMb.toFixed(1)} MB; ${wall.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
  for (const s of r.samples) console.log(`  ${s}`);
  process.exitCode = r.otherErrors === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
