/**
 * npm run bench:reproduce — runs `sentivec reproduce` (all ten rows unless
 * --rows is given) as a child process with JSON-lines logging, and prints
 * where the wall time went: reading + tokenizing, each fit of word vectors,
 * and each row's SVM work (C by CV on train, final fit, test scoring), plus
 * peak memory. Run it twice with the same seed to check determinism: the
 * accuracies are printed to all digits.
 *
 * Usage: node dist/bench/reproduce.js [--data PATH] [--rows ids] [--seed N] [--json FILE]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CLI, arg, dataFile } from './common.js';

const data = dataFile();
const cli = CLI;
const tmp = await mkdtemp(path.join(os.tmpdir(), 'sentivec-bench-'));
const jsonOut = arg('json') ?? path.join(tmp, 'results.json');
const childArgs = [cli, 'reproduce', '--data', data, '--json', jsonOut, '--log-format', 'json'];
for (const name of ['rows', 'seed']) {
  const v = arg(name);
  if (v !== undefined) childArgs.push(`--${name}`, v);
}

interface LogLine {
  event: string;
  task?: string;
  seconds?: number;
  id?: string;
  accuracy?: number;
}

const events: LogLine[] = [];
const started = performance.now();
const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, childArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let buf = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        const e = JSON.parse(line) as LogLine;
        events.push(e);
        if (e.event === 'end' || e.event === 'row') process.stderr.write(`${line}\n`);
      } catch {
        process.stderr.write(`${line}\n`);
      }
    }
  });
  child.on('close', (c) => resolve(c ?? 1));
});
const wall = (performance.now() - started) / 1000;
if (code !== 0) {
  process.stderr.write(`bench:reproduce: sentivec reproduce exited with ${code}\n`);
  process.exit(1);
}

const result = JSON.parse(await readFile(jsonOut, 'utf8')) as { config: { peakRssMB: number }; seconds: number };
// A row's seconds include the fits it triggered; the rest is its SVM work.
const stages: [string, number][] = [];
let fitsInRow = 0;
for (const e of events) {
  if (e.event === 'end' && e.task !== undefined && e.seconds !== undefined) {
    stages.push([e.task, e.seconds]);
    if (e.task.startsWith('fit ')) fitsInRow += e.seconds;
  } else if (e.event === 'row' && e.seconds !== undefined) {
    stages.push([`svm ${e.id} (C by CV, fit, score)`, e.seconds - fitsInRow]);
    fitsInRow = 0;
  }
}
const accounted = stages.reduce((s, [, t]) => s + t, 0);
stages.push(['other (word report, startup)', wall - accounted]);

console.log('| stage | seconds | share |');
console.log('|---|---|---|');
for (const [name, t] of stages) console.log(`| ${name} | ${t.toFixed(1)} | ${((100 * t) / wall).toFixed(1)}% |`);
console.log(`| **total wall** | **${wall.toFixed(1)}** | |`);
console.log(`\npeak RSS ${result.config.peakRssMB.toFixed(0)} MB`);
console.log('\n| row | accuracy (all digits) |');
console.log('|---|---|');
for (const e of events) if (e.event === 'row') console.log(`| ${e.id} | ${e.accuracy} |`);
if (arg('json') === undefined) await rm(tmp, { recursive: true, force: true });
