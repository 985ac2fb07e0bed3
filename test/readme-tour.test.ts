/**
 * The README's five-minute tour, run as written: every line of the fenced
 * block between the `tour` markers must be an `npx sentivec …` command and is
 * run through the built CLI, then the `tour-js` block runs as an ES module
 * with `'sentivec'` resolved to this build — all in a scratch directory
 * holding a copy of examples/. So the README cannot drift from what works.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDir } from './fixtures/tiny-imdb.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const CLI = path.resolve(HERE, '../src/cli/main.js');
const INDEX = path.resolve(HERE, '../src/index.js');

function block(marker: string, lang: string): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- ${marker}[:\\s][^>]*-->\\s*\`\`\`${lang}\\n([\\s\\S]*?)\`\`\`\\s*<!-- /${marker} -->`).exec(readme);
  assert.ok(m, `README.md has the ${marker} block`);
  return m[1];
}

/** Shell words: whitespace-separated, with '…' and "…" quoting. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]));
}

test('the README five-minute tour runs as written', { timeout: 300_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-readme-tour-');
  t.after(cleanup);
  await fs.cp(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  const outputs = new Map<string, string>();
  const lines = block('tour', 'sh').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  assert.ok(lines.length >= 5);
  for (const line of lines) {
    const [npx, sentivec, ...args] = words(line);
    assert.deepEqual([npx, sentivec], ['npx', 'sentivec'], `only sentivec commands belong in the tour: ${line}`);
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, SENTIVEC_DEBUG: '' } });
    assert.equal(r.status, 0, `${line}\n${r.stderr}`);
    outputs.set(args[0], r.stdout);
  }
  assert.match(outputs.get('train') ?? '', /positive = 'positive'/);
  const predictions = (outputs.get('predict') ?? '').trim().split('\n');
  assert.deepEqual(predictions.map((l) => l.split(' ')[0]), ['positive', 'negative']);
  assert.equal((outputs.get('neighbors') ?? '').trim().split('\n').length, 5);
  assert.ok(Number.isFinite(Number(outputs.get('similarity'))));
  assert.match(outputs.get('sentiment-of') ?? '', /^wonderful\s+\+[\d.]+/m);
  assert.match(outputs.get('evaluate') ?? '', /^accuracy\s+\d+\.\d+%/m);

  const script = path.join(dir, 'tour.mjs');
  const code = block('tour-js', 'js');
  assert.match(code, /from 'sentivec'/);
  await fs.writeFile(script, code.replace(/from 'sentivec'/g, `from ${JSON.stringify(pathToFileURL(INDEX).href)}`));
  const r = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ')[0]), ['positive', 'negative']);
});
