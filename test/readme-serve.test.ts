/**
 * The README's serve tour, run as written: the fenced block between the
 * `serve-tour` markers is read from README.md and each line executed —
 * `npx sentivec …` through the built CLI, `curl` as the HTTP request it
 * describes, `&` / `sleep` / `kill %1` as a shell would — in a scratch
 * directory holding a copy of examples/. Any other command fails the test,
 * so the README cannot drift from what is tested.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './fixtures/tiny-imdb.js';
import { CLI, runCli } from './fixtures/tiny-model.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function tourCommands(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- serve-tour[^>]*-->\s*```sh\n([\s\S]*?)```\s*<!-- \/serve-tour -->/.exec(readme);
  assert.ok(m, 'README.md has the serve-tour block');
  return m[1].split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** POSIX-shell words: whitespace-separated, with '…' and "…" quoting. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]));
  return out;
}

interface Curl { method: string; url: string; headers: Record<string, string>; body?: string }

function parseCurl(args: string[]): Curl {
  const c: Curl = { method: 'GET', url: '', headers: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-s') continue;
    else if (a === '-X') c.method = args[++i];
    else if (a === '-H') {
      const [k, ...v] = args[++i].split(':');
      c.headers[k.trim()] = v.join(':').trim();
    } else if (a === '-d') {
      c.body = args[++i];
      if (c.method === 'GET') c.method = 'POST';
    } else if (!a.startsWith('-') && c.url === '') c.url = a;
    else assert.fail(`curl option ${a} is not understood by this test`);
  }
  return c;
}

test('the README serve tour runs as written', { timeout: 60_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-readme-serve-');
  t.after(cleanup);
  await fs.cp(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  let job: ChildProcess | undefined;
  t.after(() => {
    if (job && job.exitCode === null) job.kill('SIGKILL');
  });
  const answers: { curl: Curl; status: number; body: string }[] = [];
  let jobExit: number | null = null;

  for (const line of tourCommands()) {
    const w = words(line);
    if (w[0] === 'npx' && w[1] === 'sentivec') {
      const background = w[w.length - 1] === '&';
      const args = background ? w.slice(2, -1) : w.slice(2);
      if (!background) {
        const r = await runCli(args, dir);
        assert.equal(r.status, 0, `${line}\n${r.stderr}`);
        continue;
      }
      assert.equal(job, undefined, 'one background job');
      const started = await startJob(args, dir);
      job = started.child;
      const out = started.firstLine;
      assert.match(out, /^sentivec: serving reviews\.svec \(loaded in \d+ ms\) on http:\/\/127\.0\.0\.1:8080\//);
    } else if (w[0] === 'sleep') {
      await new Promise((resolve) => setTimeout(resolve, Number(w[1]) * 1000));
    } else if (w[0] === 'curl') {
      const curl = parseCurl(w.slice(1));
      const res = await fetch(curl.url, { method: curl.method, headers: curl.headers, body: curl.body });
      answers.push({ curl, status: res.status, body: await res.text() });
    } else if (w[0] === 'kill' && w[1] === '%1') {
      assert.ok(job, 'kill %1 needs a background job');
      const exited = once(job, 'exit') as Promise<[number | null]>;
      job.kill('SIGTERM');
      [jobExit] = await exited;
    } else {
      assert.fail(`the README serve tour has a command this test cannot run: ${line}`);
    }
  }

  assert.equal(jobExit, 0, 'serve exits 0 on SIGTERM');
  const byPath = (p: string) => answers.find((a) => new URL(a.curl.url).pathname.startsWith(p));
  assert.deepEqual(JSON.parse(byPath('/healthz')?.body ?? 'null'), { status: 'ok' });
  const predict = byPath('/v1/predict');
  assert.equal(predict?.status, 200, predict?.body);
  const labels = (JSON.parse(predict?.body ?? '{}') as { predictions: { label: string }[] }).predictions.map((p) => p.label);
  assert.deepEqual(labels, ['positive', 'negative']);
  const neighbours = byPath('/v1/neighbors');
  assert.equal(neighbours?.status, 200, neighbours?.body);
  assert.equal((JSON.parse(neighbours?.body ?? '{}') as { neighbors: unknown[] }).neighbors.length, 3);
  const unknown = byPath('/v1/words/');
  assert.equal(unknown?.status, 404);
  assert.deepEqual(JSON.parse(unknown?.body ?? '{}'), { error: { field: 'word', reason: '"zyzzyva" is not in the vocabulary' } });
});

/**
 * Starts a background `sentivec …` and resolves with its first stdout line.
 * The tour's fixed port may be held briefly by another run of this same test
 * (parallel test runs on one machine), so "already in use" is retried for a while.
 */
async function startJob(args: string[], cwd: string): Promise<{ child: ChildProcess; firstLine: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
    const outcome = await new Promise<{ line: string } | { code: number | null }>((resolve) => {
      child.stdout?.on('data', (c: string) => {
        out += c;
        if (out.includes('\n')) resolve({ line: out });
      });
      child.on('exit', (code) => resolve({ code }));
    });
    if ('line' in outcome) return { child, firstLine: outcome.line };
    if (!/already in use/.test(err) || Date.now() > deadline) assert.fail(`sentivec ${args.join(' ')} exited with ${outcome.code}: ${err}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
