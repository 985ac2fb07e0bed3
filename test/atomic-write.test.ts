/**
 * writeFileAtomic on awkward targets (issue #15, items 1 and 7): symlinks are
 * written through, devices / FIFOs / sockets are refused before anything is
 * written, stale temp files of a killed save are removed by the next save,
 * and SIGTERM during a save leaves no temp file behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../src/util/atomic-write.js';
import { SentivecError } from '../src/util/errors.js';
import { tempDir } from './fixtures/tiny-imdb.js';
import { runCli, writeReviewsCsv } from './fixtures/tiny-model.js';

const ATOMIC = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/util/atomic-write.js')).href;

test('a symlinked target is written through: the link stays, the file it points to is replaced', async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-atomic-');
  t.after(cleanup);
  await fs.mkdir(path.join(dir, 'models'));
  await fs.writeFile(path.join(dir, 'models', 'v1.svec'), 'old');
  await fs.symlink('models/v1.svec', path.join(dir, 'current.svec'));
  await writeFileAtomic(path.join(dir, 'current.svec'), 'new');
  assert.ok((await fs.lstat(path.join(dir, 'current.svec'))).isSymbolicLink());
  assert.equal(await fs.readFile(path.join(dir, 'models', 'v1.svec'), 'utf8'), 'new');
  // A dangling link: its target is created.
  await fs.symlink('models/v2.svec', path.join(dir, 'next.svec'));
  await writeFileAtomic(path.join(dir, 'next.svec'), 'fresh');
  assert.equal(await fs.readFile(path.join(dir, 'models', 'v2.svec'), 'utf8'), 'fresh');
  assert.ok((await fs.lstat(path.join(dir, 'next.svec'))).isSymbolicLink());
  // The mode of the replaced file is kept.
  await fs.chmod(path.join(dir, 'models', 'v1.svec'), 0o640);
  await writeFileAtomic(path.join(dir, 'current.svec'), 'newer');
  assert.equal((await fs.stat(path.join(dir, 'models', 'v1.svec'))).mode & 0o777, 0o640);
  assert.deepEqual((await fs.readdir(path.join(dir, 'models'))).sort(), ['v1.svec', 'v2.svec']);
});

test('FIFOs, sockets, character devices and directories are refused, untouched', async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-atomic-');
  t.after(cleanup);
  const fifo = path.join(dir, 'pipe');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  const cases: [string, RegExp][] = [[fifo, /it is a FIFO/]];
  const sock = path.join(dir, 'sock');
  const server = net.createServer().listen(sock);
  await new Promise((resolve) => server.once('listening', resolve));
  t.after(() => server.close());
  cases.push([sock, /it is a socket/]);
  if (process.getuid?.() === 0) {
    // The reproduction: a copy of /dev/null made with mknod in a scratch folder.
    const dev = path.join(dir, 'null');
    assert.equal(spawnSync('mknod', [dev, 'c', '1', '3']).status, 0, 'mknod');
    cases.push([dev, /it is a character device/]);
  }
  await fs.mkdir(path.join(dir, 'folder'));
  cases.push([path.join(dir, 'folder'), /it is a directory/]);
  await fs.symlink('pipe', path.join(dir, 'link-to-pipe'));
  cases.push([path.join(dir, 'link-to-pipe'), /it is a FIFO.*links to/]);
  for (const [target, message] of cases) {
    await assert.rejects(writeFileAtomic(target, 'x'), (e: unknown) => e instanceof SentivecError && message.test(e.message), target);
  }
  assert.ok((await fs.lstat(fifo)).isFIFO());
  assert.ok((await fs.lstat(sock)).isSocket());
  assert.deepEqual((await fs.readdir(dir)).filter((n) => n.endsWith('.tmp')), []);
  // The CLI refuses before training, with exit status 2 and one line.
  const csv = await writeReviewsCsv(dir, 10);
  const r = await runCli(['train', '--input', csv, '--out', fifo, '--log-format', 'quiet']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^sentivec: --out .*pipe: it is a FIFO \(named pipe\), not a regular file/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('stale temp files of a dead process are removed by the next save of the same file', async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-atomic-');
  t.after(cleanup);
  // A PID that is not running (beyond the usual pid_max of 4194304 is impossible; probe downwards).
  let dead = 4_194_000;
  for (;; dead--) {
    try {
      process.kill(dead, 0);
    } catch {
      break;
    }
  }
  const stale = `.model.svec.${dead}.1700000000000.tmp`;
  const live = `.model.svec.${process.ppid}.1700000000000.tmp`;
  const other = `.other.svec.${dead}.1700000000000.tmp`;
  for (const n of [stale, live, other]) await fs.writeFile(path.join(dir, n), 'partial');
  await writeFileAtomic(path.join(dir, 'model.svec'), 'done');
  assert.deepEqual((await fs.readdir(dir)).sort(), [live, other, 'model.svec'].sort());
});

test('SIGTERM during a save removes the temp file and ends the process by the signal', { timeout: 30_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-atomic-');
  t.after(cleanup);
  const target = path.join(dir, 'model.svec');
  await fs.writeFile(target, 'old');
  // The data source yields one chunk and then never ends: the save is in progress until the signal.
  const script = `
    import { writeFileAtomic } from ${JSON.stringify(ATOMIC)};
    async function* slow() { yield new Uint8Array(1024); process.stdout.write('writing\\n'); await new Promise(() => setInterval(() => {}, 1000)); }
    await writeFileAtomic(${JSON.stringify(target)}, slow());
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => c.includes('writing') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${err}`)));
  });
  assert.equal((await fs.readdir(dir)).filter((n) => n.endsWith('.tmp')).length, 1, 'a temp file exists mid-save');
  const exited = new Promise<[number | null, string | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
  child.kill('SIGTERM');
  const [code, signal] = await exited;
  assert.deepEqual([code, signal], [null, 'SIGTERM']);
  assert.deepEqual(await fs.readdir(dir), ['model.svec']);
  assert.equal(await fs.readFile(target, 'utf8'), 'old');
});
