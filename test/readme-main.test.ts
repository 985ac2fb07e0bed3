/**
 * The README's main command, as a new user on a fresh clone runs it:
 * `npm install && npx sentivec reproduce` with no path only they would have.
 * Here SENTIVEC_DATA points at a small aclImdb-shaped archive (no internet in
 * tests; the download itself is covered by download.test.ts against a local
 * server) and the cache is empty, so nothing but SENTIVEC_DATA can serve it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTinyImdb, tempDir } from './fixtures/tiny-imdb.js';
import { Rng } from '../src/util/rng.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const CLI = path.resolve(HERE, '../src/cli/main.js');

function mainCommand(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- main[:\s][^>]*-->\s*```sh\n([^\n]*)\n[\s\S]*?```\s*<!-- \/main -->/.exec(readme);
  assert.ok(m, 'README.md has the main block');
  return m[1].replace(/#.*$/, '').trim();
}

const MOOD = { pos: ['great', 'wonderful', 'brilliant', 'moving', 'superb', 'charming'], neg: ['awful', 'boring', 'terrible', 'dull', 'waste', 'clumsy'] };
const FILLER = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`);

test('the README main command runs on a fresh clone with SENTIVEC_DATA (all ten rows)', { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-readme-main-');
  t.after(cleanup);
  const command = mainCommand();
  const m = /^npm install && npx sentivec (.*)$/.exec(command);
  assert.ok(m, `the main command installs and runs sentivec: ${command}`);
  const args = m[1].split(/\s+/);
  assert.equal(args[0], 'reproduce');
  assert.ok(!args.includes('--data'), 'no path a new user would not have');
  // Enough distinct words that the default vocabulary cut (skip the 50 most frequent) leaves plenty.
  const tiny = await makeTinyImdb(path.join(dir, 'data'), {
    perFolder: 40,
    text: (r, i) => {
      const rng = new Rng(1 + r.id * 7 + i * 13 + r.stars + (r.bucket === 'test' ? 1000 : 0));
      const mood = r.label === 'pos' ? MOOD.pos : r.label === 'neg' ? MOOD.neg : [...MOOD.pos, ...MOOD.neg];
      return Array.from({ length: 40 }, (_, k) => (k % 4 === 0 ? mood[rng.int(mood.length)] : FILLER[Math.floor(rng.next() ** 2 * FILLER.length)])).join(' ');
    },
  });
  const env = { ...process.env, SENTIVEC_DATA: tiny.archive, SENTIVEC_CACHE: path.join(dir, 'empty-cache'), SENTIVEC_DEBUG: '' };
  const r = spawnSync(process.execPath, [CLI, ...args, '--log-format', 'quiet'], { cwd: dir, encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => /^(bow-bnc|bow-dtc|lda|lsa|semantic|full|full-unlabeled|semantic-bow|full-bow|full-unlabeled-bow)\s/.test(l));
  assert.equal(rows.length, 10, r.stdout);
  // A wrong SENTIVEC_DATA is named as such.
  const bad = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...env, SENTIVEC_DATA: path.join(dir, 'nope.tar.gz') } });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^sentivec: SENTIVEC_DATA path not found: .*nope\.tar\.gz\n$/);
});
