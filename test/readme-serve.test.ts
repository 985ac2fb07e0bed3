/**
 * The README's serve tour, run exactly as written: the fenced block between
 * the `serve-tour` markers is handed to bash unchanged, in a scratch
 * directory holding a copy of examples/ and a local `sentivec` for npx (this
 * build). Real curl, real `&` and `kill %1` — so a race in the tour (the old
 * `sleep 1`) fails here as it would for a reader.
 *
 * The tour's fixed port 8080 would collide with other runs of this suite on
 * the same machine, so where the kernel allows it the block runs in a network
 * namespace of its own (`unshare -rn`: a private loopback); elsewhere runs
 * take turns through a lock file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './fixtures/tiny-imdb.js';
import { CLI } from './fixtures/tiny-model.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function tourBlock(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- serve-tour[^>]*-->\s*```sh\n([\s\S]*?)```\s*<!-- \/serve-tour -->/.exec(readme);
  assert.ok(m, 'README.md has the serve-tour block');
  return m[1];
}

function canUnshare(): boolean {
  const r = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
  return r.status === 0;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A lock shared by every run on this machine, then a free port 8080 (for hosts without namespaces). */
async function takeTurn(): Promise<() => Promise<void>> {
  const lock = path.join(os.tmpdir(), 'sentivec-readme-serve-8080.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await fs.mkdir(lock);
      break;
    } catch {
      const age = Date.now() - (await fs.stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 120_000) await fs.rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) assert.fail(`waited 2 minutes for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  while (!(await portFree(8080))) {
    if (Date.now() > deadline) assert.fail('port 8080 stayed in use');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return () => fs.rm(lock, { recursive: true, force: true });
}

/**
 * Runs the block in a process group of its own. 'close' comes after bash and
 * the background server it started have both let go of the pipes; a server
 * still holding them 20 s after bash ended would hang the suite, so the group
 * is killed then and the leftover reported (the test fails, it does not hang).
 */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string; leftover: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let leftover = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('exit', () => {
      timer = setTimeout(() => {
        leftover = true;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is already gone
        }
      }, 20_000);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, leftover });
    });
  });
}

test('the README serve tour runs as written, with bash and curl', { timeout: 180_000 }, async (t) => {
  for (const tool of ['bash', 'curl']) {
    if (spawnSync(tool, ['--version']).status !== 0) {
      if (process.env.CI) assert.fail(`${tool} is needed by the README serve tour`);
      t.skip(`${tool} is not installed`);
      return;
    }
  }
  const { dir, cleanup } = await tempDir('sentivec-readme-serve-');
  t.after(cleanup);
  await fs.cp(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  // `npx sentivec` finds this build as the project's own sentivec, never the network.
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'tour', private: true }));
  await fs.mkdir(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  const bin = path.join(dir, 'node_modules', '.bin', 'sentivec');
  await fs.writeFile(bin, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`, { mode: 0o755 });
  await fs.writeFile(path.join(dir, 'tour.sh'), tourBlock());

  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false', SENTIVEC_DEBUG: '' };
  let r: { status: number | null; stdout: string; stderr: string; leftover: boolean };
  if (canUnshare()) {
    r = await run('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec bash tour.sh'], dir, env);
  } else {
    const release = await takeTurn();
    try {
      r = await run('bash', ['tour.sh'], dir, env);
    } finally {
      await release();
    }
  }
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.leftover, false, `the server outlived the tour's kill %1:\n${r.stderr}`);

  const lines = r.stdout.split('\n');
  assert.ok(lines.some((l) => /^sentivec: serving reviews\.svec \(loaded in \d+ ms\) on http:\/\/127\.0\.0\.1:8080\//.test(l)), r.stdout);
  const answers = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(answers.length, 4, `four curl answers, one per line:\n${r.stdout}\n${r.stderr}`);
  const [health, predict, neighbours, unknown] = answers;
  assert.deepEqual(health, { status: 'ok' });
  assert.deepEqual((predict as { predictions: { label: string }[] }).predictions.map((p) => p.label), ['positive', 'negative']);
  assert.equal((neighbours as { neighbors: unknown[] }).neighbors.length, 3);
  assert.deepEqual(unknown, { error: { field: 'word', reason: '"zyzzyva" is not in the vocabulary' } });
  // kill %1 is SIGTERM: the server finishes and says so (a cut request would print an error instead).
  assert.match(r.stderr, /sentivec: SIGTERM: finishing requests in flight, then stopping\n/);
  assert.match(r.stderr, /sentivec: stopped\n/);
  assert.doesNotMatch(r.stderr, /before every request|internal error/);
});
