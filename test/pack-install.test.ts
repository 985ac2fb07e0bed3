/**
 * Installing sentivec without the npm registry, as the README says (it is
 * not published there): `npm pack` the built package, install the tarball
 * into a scratch project (its dependencies come from the registry or the npm
 * cache), then run the installed `sentivec` command and the README's library
 * snippet there — exactly as written, with `'sentivec'` resolved by Node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './fixtures/tiny-imdb.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function block(marker: string, lang: string): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- ${marker}[:\\s][^>]*-->\\s*\`\`\`${lang}\\n([\\s\\S]*?)\`\`\`\\s*<!-- /${marker} -->`).exec(readme);
  assert.ok(m, `README.md has the ${marker} block`);
  return m[1];
}

function npm(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  // The npm that runs this suite (npm test), else the one on PATH.
  const cli = process.env.npm_execpath;
  const r = cli && cli.endsWith('.js')
    ? spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' })
    : spawnSync('npm', args, { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

test('npm pack → install the tarball in a scratch project → the CLI and the README library snippet work there', { timeout: 300_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('sentivec-pack-');
  t.after(cleanup);
  // The suite has just built dist/ (npm test runs the build first), so the pack skips `prepare`.
  const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
  assert.equal(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const files = new Set(info.files.map((f) => f.path));
  for (const f of ['package.json', 'README.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'web/index.html', 'web/app.js', 'web/style.css']) {
    assert.ok(files.has(f), `the tarball holds ${f}`);
  }
  assert.ok([...files].filter((f) => f.endsWith('.wasm')).length >= 3, 'the WebAssembly kernels are in the tarball');
  assert.ok(![...files].some((f) => f.startsWith('dist/test/') || f.startsWith('src/') || f.startsWith('test/')), 'no sources or tests in the tarball');

  const project = path.join(dir, 'project');
  await fs.mkdir(project);
  await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true, type: 'module' }));
  const install = npm(['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, info.filename)], project);
  assert.equal(install.status, 0, install.stderr);
  assert.doesNotMatch(install.stderr, /EBADENGINE/, 'every dependency supports the Node versions sentivec states');

  await fs.copyFile(path.join(ROOT, 'examples', 'reviews.csv'), path.join(project, 'reviews.csv'));
  const bin = path.join(project, 'node_modules', '.bin', 'sentivec');
  const train = spawnSync(bin, ['train', '--input', 'reviews.csv', '--out', 'reviews.svec', '--log-format', 'quiet'], { cwd: project, encoding: 'utf8' });
  assert.equal(train.status, 0, train.stderr);
  assert.match(train.stdout, /wrote reviews\.svec/);

  const code = block('tour-js', 'js');
  assert.match(code, /from 'sentivec'/);
  await fs.writeFile(path.join(project, 'snippet.mjs'), code);
  const r = spawnSync(process.execPath, ['snippet.mjs'], { cwd: project, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ')[0]), ['positive', 'negative']);
});
