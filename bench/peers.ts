/**
 * npm run bench:peers — sentivec against the tools its users would otherwise
 * pick, on IMDb 25k train / 25k test, in one run: accuracy, train seconds,
 * predict seconds, peak memory, and each row's train time as a ratio to
 * sentivec bow-bnc's (measured in the same run: the machine is shared).
 *
 *   node dist/bench/peers.js [--data PATH] [--only id,id] [--quick N] [--seed 1]
 *     [--prefix DIR] [--timeout MINUTES] [--keep]
 *
 * Every row is its own child process under GNU time (bench/peers/rows.ts);
 * the text-based peers read the same exported text (bench/peers/data.ts).
 * Installs what the chosen rows need: Debian packages with apt-get, npm
 * packages into a scratch prefix (default ~/.cache/sentivec-peers), never into
 * this repository. A row that cannot be installed or run prints why and the
 * run goes on. --quick N uses N train / N test / 2N unlabeled reviews, for
 * development; recorded figures use the full data.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GNU_TIME } from './peers/child.js';
import { exportSplits, readSplits } from './peers/data.js';
import { PEER_ROWS, type PeerContext, type PeerRow, type RowOutcome } from './peers/rows.js';
import { dataDir } from './common.js';

const USAGE = `usage: node dist/bench/peers.js [--data PATH] [--only ids] [--quick N] [--seed N] [--prefix DIR] [--timeout MINUTES] [--keep]
rows: ${PEER_ROWS.map((r) => r.id).join(', ')}`;

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(dataDir(), 'aclImdb_v1.tar.gz') },
    only: { type: 'string' },
    quick: { type: 'string' },
    seed: { type: 'string', default: '1' },
    prefix: { type: 'string', default: path.join(os.homedir(), '.cache', 'sentivec-peers') },
    timeout: { type: 'string', default: '60' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const data = path.resolve(values.data);
if (!existsSync(data)) {
  console.error(`bench:peers: dataset not found at ${data} (pass --data PATH)`);
  process.exit(2);
}
const quick = values.quick === undefined ? undefined : Number(values.quick);
if (quick !== undefined && !(Number.isInteger(quick) && quick >= 2)) {
  console.error('bench:peers: --quick needs an integer >= 2');
  process.exit(2);
}
const rows = chooseRows(values.only);

const PYTHON = '/usr/bin/python3';
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

function chooseRows(only: string | undefined): PeerRow[] {
  if (only === undefined) return [...PEER_ROWS];
  const wanted = new Set(only.split(',').map((s) => s.trim()).filter((s) => s.length > 0));
  for (const id of wanted) {
    if (!PEER_ROWS.some((r) => r.id === id)) {
      console.error(`bench:peers: unknown row '${id}'\n${USAGE}`);
      process.exit(2);
    }
  }
  // A row reading another row's output brings that row along.
  for (const r of PEER_ROWS) if (wanted.has(r.id) && r.after) wanted.add(r.after);
  return PEER_ROWS.filter((r) => wanted.has(r.id));
}

// ---------------------------------------------------------------- installing

const onPath = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const pyImports = (module: string): boolean => spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
const APT_CHECKS: Record<string, () => boolean> = {
  time: () => existsSync(GNU_TIME),
  'liblinear-tools': () => onPath('liblinear-train') && onPath('liblinear-predict'),
  fasttext: () => onPath('fasttext'),
  'python3-numpy': () => pyImports('numpy'),
  'python3-sklearn': () => pyImports('sklearn'),
  'python3-gensim': () => pyImports('gensim'),
};

/** Installs the missing Debian packages; returns package → why it is still missing. */
function ensureApt(packages: readonly string[]): Map<string, string> {
  const missing = packages.filter((p) => !APT_CHECKS[p]());
  const failures = new Map<string, string>();
  if (missing.length === 0) return failures;
  console.log(`installing ${missing.join(' ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  const how = install.error ? install.error.message : `exit ${install.status}`;
  for (const p of missing) if (!APT_CHECKS[p]()) failures.set(p, `apt-get install ${p} failed (${how})`);
  return failures;
}

const npmInstalled = (pkg: string): boolean => existsSync(path.join(values.prefix, 'node_modules', pkg, 'package.json'));

/** Installs the missing npm packages into the scratch prefix; returns package → why it is still missing. */
function ensureNpm(packages: readonly string[]): Map<string, string> {
  const missing = packages.filter((p) => !npmInstalled(p));
  const failures = new Map<string, string>();
  if (missing.length === 0) return failures;
  console.log(`installing ${missing.join(' ')} into ${values.prefix} (npm)…`);
  try {
    mkdirSync(values.prefix, { recursive: true });
  } catch (e) {
    for (const p of missing) failures.set(p, `cannot create ${values.prefix}: ${e instanceof Error ? e.message : String(e)}`);
    return failures;
  }
  // Without the npm_* variables of `npm run`, so nothing of this repo's npm context leaks in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  const install = spawnSync('npm', ['install', '--prefix', values.prefix, '--no-audit', '--no-fund', ...missing], { cwd: values.prefix, stdio: 'inherit', env });
  const how = install.error ? install.error.message : `exit ${install.status}`;
  for (const p of missing) if (!npmInstalled(p)) failures.set(p, `npm install ${p} failed (${how})`);
  return failures;
}

function versions(): string {
  const out: string[] = [`node ${process.version}`];
  const dpkg = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', 'liblinear-tools', 'fasttext'], { encoding: 'utf8' });
  if (dpkg.stdout) out.push(...dpkg.stdout.trim().split('\n').filter((l) => l.length > 0));
  const py = spawnSync(PYTHON, ['-c', 'import importlib\nfor m in ("sklearn","gensim","numpy"):\n  try: print(m, importlib.import_module(m).__version__)\n  except Exception: pass'], { encoding: 'utf8' });
  if (py.stdout) out.push(...py.stdout.trim().split('\n').filter((l) => l.length > 0));
  for (const pkg of ['natural', 'wink-naive-bayes-text-classifier', 'sentiment', 'vader-sentiment']) {
    if (npmInstalled(pkg)) {
      const { version } = JSON.parse(readFileSync(path.join(values.prefix, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string };
      out.push(`${pkg} ${version}`);
    }
  }
  return out.join(', ');
}

// ---------------------------------------------------------------- running

console.log(`bench:peers — ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}`);
console.log(`rows: ${rows.map((r) => r.id).join(', ')}${quick === undefined ? '' : `; --quick ${quick}`}`);

const missing = new Map([...ensureApt(['time', ...new Set(rows.flatMap((r) => r.apt))]), ...ensureNpm([...new Set(rows.flatMap((r) => r.npm))])]);
if (missing.has('time')) {
  console.error(`bench:peers: ${missing.get('time')}; GNU time measures every row's peak memory`);
  process.exit(1);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'sentivec-peers-'));
let t0 = performance.now();
const splits = await readSplits(data, quick);
const files = await exportSplits(splits, dir, Number(values.seed));
const yTest = Uint8Array.from(splits.test, (r) => (r.label === 'pos' ? 1 : 0));
console.log(`exported ${splits.train.length} train / ${splits.test.length} test / ${splits.unsup.length} unlabeled reviews to ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
splits.train = splits.test = splits.unsup = [];

const ctx: PeerContext = {
  data,
  dir,
  files,
  yTest,
  quick,
  seed: Number(values.seed),
  prefix: values.prefix,
  timeoutMs: Number(values.timeout) * 60_000,
  childDir: path.join(here, 'peers'),
  scriptDir: path.join(repo, 'bench', 'peers'),
};

const outcomes = new Map<string, RowOutcome>();
t0 = performance.now();
for (const row of rows) {
  const notInstalled = [...row.apt, ...row.npm].map((p) => missing.get(p)).filter((m) => m !== undefined);
  const before = row.after === undefined ? undefined : outcomes.get(row.after);
  let outcome: RowOutcome;
  if (notInstalled.length > 0) outcome = { failure: `not installed: ${notInstalled.join('; ')}`, peakMB: NaN, wallSeconds: NaN };
  else if (before !== undefined && before.result === undefined) outcome = { failure: `needs row ${row.after}, which failed`, peakMB: NaN, wallSeconds: NaN };
  else {
    console.log(`\n${row.name} …`);
    try {
      outcome = await row.run(ctx);
    } catch (e) {
      outcome = { failure: e instanceof Error ? e.message : String(e), peakMB: NaN, wallSeconds: NaN };
    }
  }
  outcomes.set(row.id, outcome);
  const r = outcome.result;
  console.log(
    r
      ? `${row.id}: ${(100 * r.accuracy).toFixed(2)}%, train ${r.trainSeconds.toFixed(2)} s, predict ${r.predictSeconds.toFixed(2)} s, peak ${outcome.peakMB.toFixed(0)} MB — ${r.notes.join('; ')}`
      : `${row.id}: FAILED — ${outcome.failure}`,
  );
}
const totalSeconds = (performance.now() - t0) / 1000;

// ---------------------------------------------------------------- table

const fmt = (v: number | undefined, digits: number): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const reference = outcomes.get('bow-bnc')?.result?.trainSeconds;
console.log(`\n## Peers on IMDb (${quick === undefined ? '25k train / 25k test' : `--quick ${quick}`}), ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| peer | accuracy % | train s | C search s | predict s | peak MB | wall s | train ÷ sentivec bow-bnc | notes |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  const o = outcomes.get(row.id);
  if (!o) continue;
  const r = o.result;
  if (!r) {
    console.log(`| ${row.name} | – | – | – | – | ${fmt(o.peakMB, 0)} | ${fmt(o.wallSeconds, 1)} | – | no result: ${o.failure?.replace(/\|/g, '/')} |`);
    continue;
  }
  const trains = r.trainSeconds > 0;
  const ratio = trains && reference !== undefined && reference > 0 ? r.trainSeconds / reference : undefined;
  console.log(
    `| ${row.name} | ${(100 * r.accuracy).toFixed(2)} | ${trains ? fmt(r.trainSeconds, r.trainSeconds < 10 ? 2 : 1) : 'no training'} | ${fmt(r.cvSeconds, 1)} | ` +
      `${fmt(r.predictSeconds, r.predictSeconds < 10 ? 2 : 1)} | ${fmt(o.peakMB, 0)} | ${fmt(o.wallSeconds, 1)} | ${fmt(ratio, 2)} | ${r.notes.join('; ').replace(/\|/g, '/')} |`,
  );
}
console.log(`\nversions: ${versions()}`);
console.log(`total ${(totalSeconds / 60).toFixed(1)} min; train s and predict s are timed inside each process around fit and predict (data loading excluded) unless the notes say otherwise; peak MB = max RSS of the row's process(es) (GNU time).`);

if (values.keep) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
