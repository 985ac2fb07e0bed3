/**
 * The WebAssembly product scan (scan-kernel.ts, assembly/scan.ts) against the
 * TypeScript one (SENTIVEC_KERNELS=js) and the tokenizer + a Map: the same
 * ids and token counts on random texts built from every rule's edge cases
 * (markup, entities, accented and other non-ASCII letters), with the kernel
 * answering for most of them (so a kernel that declines everything fails),
 * and declining the texts productScan leaves to its fallbacks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScanKernel } from '../src/text/scan-kernel.js';
import { TokenScanner } from '../src/text/token-scanner.js';
import { BinaryBag } from '../src/features/binary-bag.js';
import { Tokenizer } from '../src/text/tokenizer.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { Rng } from '../src/util/rng.js';

const PIECES = [
  'film', 'Great', 'MOVIE', "don't", 'well-made', 'a--b', "rock'n'roll", "'quoted'", '-dash-', '1950s', '3', '42', '007', '1-0', "90's", 'x', 'abcdefghijkl',
  ' ', ' ', ' ', '  ', '\n', '\t', ',', '.', '...', ';', ':', '=', '-', "'", '*', '(', ')', '[', ']', '/', '\\', '|', '_',
  '!', '!!!', '?', '???', '?!?', ':-)', ':)', ';p', ':P', ':D', '=]', ":'(", ':o)', ':-(', ':pa', ':op', ':-x', '=3', ';-d', ':/',
  '<br />', '<br/>', '<BR>', '<i>', '</i>', '<a href="x">', '</ b>',
  'soooo', 'SOOOO', 'nooo!!!', 'aaa', 'zzzzz', 'aAa', "''", "x'''y", '@united', '@', '@_x', 'a@b', '#fail', '#', '#1', '#_', 'x#y',
  'abcdefg', 'abcdefgh', 'abcdefgx', 'abcdefghi', 'abcdefghx', 'abcdefghij', 'abcdefghix', 'abcdefghijk', 'abcdefghijx', 'Abcdefghijklmnop',
  'h', 'ht', 'htt', 'http', 'hTTp', 'httpx', 'w', 'ww', 'www', 'wwwx', 'what', 'how',
  'café', 'CAFÉ', 'naïve', 'Straße', 'ｆｕｌｌ', 'Москва', '²', '‘quote’', '“', '´', '–', '\u00a0', '＜３',
  '&amp;', '&quot;', '&nbsp;', '&gt;', '&', '&am', '&AMP;', '&#40;', ' &#39;', 'x&amp;y',
];

/** Pieces the kernel leaves to TypeScript's fallbacks, as productScan does: an entity that may join a word, `&lt;`, `<` that opens no tag, URLs, NUL, chars not mapped one by one. */
const DECLINED = ['film&#39;s', "don&apos;t", '&lt;3', '<3', 'a < b', '<', 'http://t.co/abc', 'www.imdb.com', 'HTTP://A.B', '\u0000', 'ΣΟΦΟΣ', '😍', '东京', 'ﬁlm', '½', '…', ':&quot;'];

function randomText(rng: Rng, pieces: readonly string[]): string {
  const n = rng.int(40);
  let s = '';
  for (let i = 0; i < n; i++) s += pieces[rng.int(pieces.length)];
  return s;
}

/** A scanner made with SENTIVEC_KERNELS=js: every text scanned in TypeScript. */
function typeScriptScanner(vocabulary: Vocabulary, tokenizer: Tokenizer): TokenScanner {
  const saved = process.env.SENTIVEC_KERNELS;
  process.env.SENTIVEC_KERNELS = 'js';
  try {
    return new TokenScanner(vocabulary, tokenizer);
  } finally {
    if (saved === undefined) delete process.env.SENTIVEC_KERNELS;
    else process.env.SENTIVEC_KERNELS = saved;
  }
}

function kernelOf(scanner: TokenScanner): ScanKernel | null {
  return (scanner as unknown as { kernel: ScanKernel | null }).kernel;
}

test('the WebAssembly scan gives the TypeScript scan\'s ids and counts on random texts with markup, entities and non-ASCII letters, and answers for most of them', (t) => {
  const rng = new Rng(5);
  const texts = ['', ' ', 'a', '<br />', ...Array.from({ length: 4000 }, () => randomText(rng, PIECES))];
  const tokenizer = new Tokenizer({ mode: 'product' });
  const all = [...new Set(texts.flatMap((x) => tokenizer.tokenize(x)))].sort();
  // Some tokens left out, so out-of-vocabulary tokens are skipped too (<num> stays in).
  const vocabulary = new Vocabulary(all.filter((w, i) => w === '<num>' || i % 5 !== 0));
  const scanner = new TokenScanner(vocabulary, tokenizer);
  const kernel = kernelOf(scanner);
  if (!kernel) {
    t.skip('the scan kernel does not run here (SENTIVEC_KERNELS=js, or no WebAssembly SIMD)');
    return;
  }
  const plain = typeScriptScanner(vocabulary, tokenizer);
  assert.equal(kernelOf(plain), null);
  let answered = 0;
  for (const text of texts) {
    const label = JSON.stringify(text);
    const want = tokenizer.tokenize(text).map((w) => vocabulary.id(w)).filter((id) => id >= 0);
    assert.deepEqual(Array.from(plain.scan(text)), want, label);
    const n = kernel.scan(text, true);
    if (n >= 0) {
      answered++;
      assert.deepEqual(Array.from(kernel.ids.subarray(0, n)), want, label);
      assert.equal(kernel.scan(text, false), tokenizer.tokenize(text).length, label);
    }
    assert.deepEqual(Array.from(scanner.scan(text)), want, label);
  }
  assert.ok(answered > 0.5 * texts.length, `the kernel answered for only ${answered} of ${texts.length} texts`);
});

// Over 3,000 scans, so the kernel's byte stamps wrap (every 255 scans) several times.
test('the WebAssembly scan finds the distinct ids BinaryBag.fill finds, in the same order, and says so only when it answered', (t) => {
  const rng = new Rng(13);
  const texts = ['', 'film', 'film film', ...Array.from({ length: 3000 }, () => randomText(rng, PIECES)), ...Array.from({ length: 300 }, () => randomText(rng, [...PIECES, ...DECLINED]))];
  const tokenizer = new Tokenizer({ mode: 'product' });
  const all = [...new Set(texts.flatMap((x) => tokenizer.tokenize(x)))].sort();
  const vocabulary = new Vocabulary(all.filter((_, i) => i % 4 !== 1));
  const scanner = new TokenScanner(vocabulary, tokenizer);
  if (!kernelOf(scanner)) {
    t.skip('the scan kernel does not run here (SENTIVEC_KERNELS=js, or no WebAssembly SIMD)');
    return;
  }
  const bag = new BinaryBag(vocabulary.size);
  let found = 0;
  for (const text of texts) {
    const ids = scanner.scan(text);
    const distinct = scanner.distinctIds();
    bag.fill(ids);
    const want = Array.from(bag.words.subarray(0, bag.size));
    if (distinct) {
      found++;
      assert.deepEqual(Array.from(distinct), want, JSON.stringify(text));
      bag.adopt(distinct);
      assert.deepEqual(Array.from(bag.words.subarray(0, bag.size)), want);
    }
    // A count in between finds no ids, so it leaves none to take.
    scanner.countTokens(text);
    assert.equal(scanner.distinctIds(), null);
  }
  assert.ok(found > 0.5 * texts.length, `the kernel found the distinct ids of only ${found} of ${texts.length} texts`);
  const plain = typeScriptScanner(vocabulary, tokenizer);
  plain.scan('film film');
  assert.equal(plain.distinctIds(), null);
});

test('the WebAssembly scan leaves what productScan cannot settle in one pass to TypeScript, which gets it right', (t) => {
  const rng = new Rng(9);
  const texts = [...DECLINED.map((d) => `Great film ${d} :-) soooo good`), ...Array.from({ length: 1500 }, () => randomText(rng, [...PIECES, ...DECLINED]))];
  const tokenizer = new Tokenizer({ mode: 'product' });
  const vocabulary = new Vocabulary([...new Set(texts.flatMap((x) => tokenizer.tokenize(x)))].sort());
  const scanner = new TokenScanner(vocabulary, tokenizer);
  const kernel = kernelOf(scanner);
  if (!kernel) {
    t.skip('the scan kernel does not run here (SENTIVEC_KERNELS=js, or no WebAssembly SIMD)');
    return;
  }
  for (const d of DECLINED) assert.equal(kernel.scan(`Great film ${d} :-) soooo good`, true), -1, JSON.stringify(d));
  for (const text of texts) {
    const want = tokenizer.tokenize(text).map((w) => vocabulary.id(w)).filter((id) => id >= 0);
    const n = kernel.scan(text, true);
    if (n >= 0) assert.deepEqual(Array.from(kernel.ids.subarray(0, n)), want, JSON.stringify(text));
    assert.deepEqual(Array.from(scanner.scan(text)), want, JSON.stringify(text));
  }
});
