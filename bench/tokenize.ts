/**
 * npm run bench:tokenize [-- --data aclImdb_v1.tar.gz] [--passes N]
 *
 * Tokenizing speed on the 100k IMDb reviews, per tokenizer mode:
 * - read + tokenize + vocabulary (loadImdb: gunzip, untar, UTF-8, tokenize,
 *   intern, vocabulary cut), the figure BENCHMARKS.md has tracked since the
 *   first release (2.95 M tokens/s in paper mode);
 * - Tokenizer.forEachToken over the texts held in memory (median of N
 *   passes, CPU time of this process);
 * - for the product mode, TokenScanner.countTokens (prediction's path) and
 *   the share of reviews it handles without deferring to the tokenizer.
 */
import { performance } from 'node:perf_hooks';
import { readAclImdb } from '../src/corpus/aclimdb.js';
import { loadImdb } from '../src/eval/imdb.js';
import { TokenScanner } from '../src/text/token-scanner.js';
import { Tokenizer, type TokenizerMode } from '../src/text/tokenizer.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { arg, dataFile, median } from './common.js';



const data = dataFile();
const passes = Number(arg('passes', '3'));
const MODES: readonly TokenizerMode[] = ['paper', 'product'];


/** CPU seconds of one call of `run`. */
function cpuSeconds(run: () => void): number {
  const c = process.cpuUsage();
  run();
  const used = process.cpuUsage(c);
  return (used.user + used.system) / 1e6;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${new Date().toISOString()}; ${data}`);
  for (const mode of MODES) {
    const t = performance.now();
    const corpus = await loadImdb(data, { tokenizer: mode });
    const s = (performance.now() - t) / 1000;
    console.log(`read + tokenize + vocabulary, ${mode}: ${(corpus.tokenCount / 1e6).toFixed(1)} M tokens in ${s.toFixed(2)} s wall = ${(corpus.tokenCount / 1e6 / s).toFixed(2)} M tokens/s`);
  }

  const texts: string[] = [];
  for await (const r of readAclImdb(data)) texts.push(r.text);
  for (const mode of MODES) {
    const tokenizer = new Tokenizer({ mode });
    let tokens = 0;
    const times: number[] = [];
    for (let p = 0; p < passes; p++) {
      let n = 0;
      times.push(cpuSeconds(() => texts.forEach((x) => tokenizer.forEachToken(x, () => n++))));
      tokens = n;
    }
    console.log(`Tokenizer.forEachToken, ${mode}: ${(tokens / 1e6).toFixed(1)} M tokens, median ${median(times).toFixed(2)} s CPU = ${(tokens / 1e6 / median(times)).toFixed(2)} M tokens/s`);
  }

  const scanner = new TokenScanner(new Vocabulary([]), new Tokenizer({ mode: 'product' }));
  let fast = 0;
  let tokens = 0;
  for (const x of texts) {
    const n = scanner.countTokens(x);
    if (n >= 0) {
      fast++;
      tokens += n;
    }
  }
  const fastTexts = texts.filter((x) => scanner.countTokens(x) >= 0);
  const times: number[] = [];
  for (let p = 0; p < passes; p++) times.push(cpuSeconds(() => fastTexts.forEach((x) => scanner.countTokens(x))));
  console.log(
    `TokenScanner.countTokens, product: ${fast} of ${texts.length} reviews (${((100 * fast) / texts.length).toFixed(1)}%) on the char-code path, ${(tokens / 1e6).toFixed(1)} M tokens, median ${median(times).toFixed(2)} s CPU = ${(tokens / 1e6 / median(times)).toFixed(2)} M tokens/s`,
  );
}

await main();
