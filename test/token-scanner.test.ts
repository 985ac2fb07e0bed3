import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenScanner } from '../src/text/token-scanner.js';
import { Tokenizer, TOKENIZER_MODES, type TokenizerMode, type TokenizerOptions } from '../src/text/tokenizer.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { Rng } from '../src/util/rng.js';

/** Pieces that exercise every rule of the tokenizer and its edge cases, glued at random. */
const PIECES = [
  'film', 'Great', 'MOVIE', "don't", 'don’t', 'well-made', 'a--b', "rock'n'roll", "'quoted'", '-dash-', '1950s', '3', '42', 'x',
  ' ', ' ', ' ', '  ', '\n', '\t', ',', '.', '...', ';', ':', '=', '-', "'", '*', '(', ')', '[', ']', '/', '\\', '|',
  '!', '!!!', '?', '???', '?!?', ':-)', ':)', ';p', ':P', ':D', '=]', ":'(", ':o)', ':-(', ':pa', ':op', ':-x', '=3', ';-d',
  '<3', '<3a', '< 3', 'a < b', '<', '>', '<br />', '<br/>', '<BR>', '<i>', '</i>', '<a href="x">', '<b', '</ b>', '<1>', '<<b>>',
  '&amp;', '&lt;', '&gt;', '&quot;', '&#39;', '&apos;', '&nbsp;', '&AMP;', '&amp;lt;', '&lt;3', '&lt;br&gt;', '&', '&am', '&#40;',
  'café', 'CAFÉ', 'Straße', 'ẞ', 'Øre', 'naïve', 'ﬁlm', 'K', 'Ⅻ', '٣', '½', '²', 'É', 'ǅ', 'ΣΟΦΟΣ', 'σοφός', 'İstanbul',
  'Ιλιάδα', 'Москва', '東京', 'ｆｕｌｌ', 'a\u0301', '\u00a0', '\u200b', '😀', '𝐁old', '\ud800', 'ʼ', '‘',
];

/** More pieces for the product rules: URLs, mentions, hashtags, numbers, elongations, quotes, NFKC, emoji, CJK, Thai. */
const PRODUCT_PIECES = [
  ...PIECES,
  'http://t.co/abc', 'https://x.org/a?b=1).', 'HTTP://A.B', 'http://', 'https:/', 'www.imdb.com/title,', 'www.', 'wwwx', 'httpx',
  '@united', '@', '@_x', 'a@b.com', '#fail', '#', '#1', '#_', 'x#y', '3.5', '10/10', '1,000', '2nd', "90's", '1-0', '007', '٣٣',
  'soooo', 'SOOOO', 'nooo!!!', 'aaa', 'zzzzz', "''", 'x\'\'\'y', '…', '´', '`', '‘quote’', '“', '”', '«', 'ｈｔｔｐ://ｘ', '＃ｔａｇ',
  '①', '™', 'Ϲ', '\u3000', '😍', '👍🏽', '🇫🇷', '👨‍👩‍👧', '1️⃣', '#️⃣', '❤️', '❤', '©', '这家酒店', '很好', 'ภาษาไทย', 'ラーメン', 'ー',
  '한국어', '\u1100\u1161', 'e\u0301', ':/', ':p', ';)', '<3',
];

function randomText(rng: Rng, pieces: readonly string[] = PIECES): string {
  const n = rng.int(30);
  let s = '';
  for (let i = 0; i < n; i++) s += pieces[rng.int(pieces.length)];
  return s;
}

function reference(tokenizer: Tokenizer, vocabulary: Vocabulary, text: string): number[] {
  return tokenizer.tokenize(text).map((t) => vocabulary.id(t)).filter((id) => id >= 0);
}

function scanned(scanner: TokenScanner, text: string): number[] {
  return Array.from(scanner.scan(text));
}

const SETTINGS: { name: string; options: TokenizerOptions; pieces: readonly string[] }[] = [
  ...TOKENIZER_MODES.map((mode) => ({ name: mode, options: { mode }, pieces: mode === 'product' ? PRODUCT_PIECES : PIECES })),
  // Mostly what the fast path handles, so most texts take it.
  { name: 'product on fast-path text', options: { mode: 'product' }, pieces: PRODUCT_PIECES.filter((x) => /^[\x00-\x7fé–—]*$/.test(x)) },
  { name: 'product with negation', options: { mode: 'product', negation: true }, pieces: PRODUCT_PIECES },
  { name: 'product with character n-grams', options: { mode: 'product', segment: 'chars' }, pieces: PRODUCT_PIECES },
];

for (const { name, options, pieces } of SETTINGS) {
  test(`${name}: scan gives the ids Tokenizer + Map lookup give, on random texts with HTML, entities, emoji, CJK and unicode`, () => {
    const rng = new Rng(7);
    const texts = ['', ' ', '<br />', '&amp;', 'ΣΟΦΟΣ', ...Array.from({ length: 3000 }, () => randomText(rng, pieces))];
    const tokenizer = new Tokenizer(options);
    const all = [...new Set(texts.flatMap((t) => tokenizer.tokenize(t)))].sort();
    // Leave some tokens out so out-of-vocabulary tokens are skipped too.
    const vocabulary = new Vocabulary(all.filter((_, i) => i % 5 !== 0));
    const scanner = new TokenScanner(vocabulary, tokenizer);
    let checked = 0;
    for (const text of texts) {
      assert.deepEqual(scanned(scanner, text), reference(tokenizer, vocabulary, text), JSON.stringify(text));
      const count = scanner.countTokens(text);
      if (count >= 0) {
        assert.equal(count, tokenizer.tokenize(text).length, JSON.stringify(text));
        checked++;
      }
    }
    if (scanner.fast) assert.ok(checked > texts.length / (pieces === PRODUCT_PIECES ? 50 : 4), `only ${checked} texts scanned without deferring`);
  });
}

test('scan finds words, emoticons and punctuation runs behind tags, entities and case', () => {
  const words = ['great', 'movie', '&', ':-)', '!', '?', '<3', "don't", 'well-made', 'café'];
  const paper = new TokenScanner(new Vocabulary(words), 'paper' satisfies TokenizerMode);
  const text = 'GREAT<br />Movie &amp; :-) !!! ??? &lt;3 Don’t well-made CAFÉ <i>great</i>';
  assert.deepEqual(scanned(paper, text).map((id) => words[id]), ['great', 'movie', ':-)', '!', '?', '<3', "don't", 'well-made', 'café', 'great']);
  const strip = new TokenScanner(new Vocabulary(words), 'strip');
  assert.deepEqual(scanned(strip, text).map((id) => words[id]), ['great', 'movie', "don't", 'well-made', 'café', 'great']);
  assert.equal(paper.scan('').length, 0);
});

test('product: the one-pass scan and the two passes agree where markup, unknown chars and URLs meet tokens', () => {
  const tokenizer = new Tokenizer();
  const texts = [
    "don&#39;t", 'Don&apos;t', 'don&quot;t', 'good&amp;bad', 'good&nbsp;bad', 'good&lt;3', '&lt;3 love', '&lt;br&gt;', ':&#39;(', ':&amp;', ';&lt;',
    '<3', '<3a', '<br/>love<br />LOVE<i>x</i>', "a'<b>b", "a-<br>b", 'soooo<br>ok', '!<br>!', '!&#33;', ':<br>)', ':)<br>', '@<b>x', '#x&amp;',
    'http', 'HTTP://x.y z', 'www.x.org', 'wwwx', 'ｈｔｔｐ://ｘ', 'ｗｗｗ.x', 'nul\u0000x', 'x\u0000', '9<br>9', '1&amp;2', "l'ｅｔｅ", 'a\u200bb', '<b', 'x<',
  ];
  const all = [...new Set(texts.flatMap((t) => tokenizer.tokenize(t)))];
  const vocabulary = new Vocabulary(all);
  for (const text of texts) {
    // A fresh scanner and the same text twice: the first sighting of a char may take the two passes, the second the one.
    const scanner = new TokenScanner(vocabulary, tokenizer);
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(scanned(scanner, text), reference(tokenizer, vocabulary, text), JSON.stringify(text));
      const count = scanner.countTokens(text);
      if (count >= 0) assert.equal(count, tokenizer.tokenize(text).length, JSON.stringify(text));
    }
  }
});

test('texts whose lowercasing is not char by char (İ, Σ, astral chars) still give the tokenizer\'s ids', () => {
  const tokenizer = new Tokenizer();
  const words = ['i̇stanbul', 'σοφος', 'σοφοσ', 'bold', '𝐁old', 'film'];
  const vocabulary = new Vocabulary(words);
  const scanner = new TokenScanner(vocabulary, 'paper');
  for (const text of ['İSTANBUL film', 'ΣΟΦΟΣ film', 'ΣΟΦΟΣΣ', '𝐁old film 😀']) {
    assert.equal(scanner.countTokens(text), -1);
    assert.deepEqual(scanned(scanner, text), reference(tokenizer, vocabulary, text));
  }
});

for (const mode of TOKENIZER_MODES) {
  test(`${mode}: the id buffer grows for texts with more in-vocabulary tokens than it holds`, () => {
    // A fresh scanner each time: the first long text is the one that outgrows the buffer (product once returned the old one).
    const scanner = new TokenScanner(new Vocabulary(['a', 'b']), mode);
    const ids = scanner.scan('a b '.repeat(1000));
    assert.equal(ids.length, 2000);
    assert.deepEqual(Array.from(ids.subarray(1996)), [0, 1, 0, 1]);
    assert.deepEqual(Array.from(scanner.scan('b')), [1]);
  });
}

for (const mode of TOKENIZER_MODES) {
  test(`${mode}: words longer than a table record's inline chars match only in full (a shared prefix or length is not enough)`, () => {
    // The vocabulary table keeps a word's first chars in its record and compares the rest elsewhere.
    // 'xy' × 35,000: 70,000 chars (more than the record's length field holds), and no elongation to cut.
    const words = ['abcdefghij', 'abcdefghijk', 'abcdefghijklmnopqrstuvwxyz', 'xy'.repeat(35000), 'y'];
    const scanner = new TokenScanner(new Vocabulary(words), mode);
    const text = `abcdefghij abcdefghijk abcdefghijkl abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyZ abcdefghijklmnopqrstuvwxyza ${'xy'.repeat(35000)} ${'xy'.repeat(2232)} ${'xy'.repeat(32767)}x ${'xy'.repeat(35000)}x y`;
    assert.deepEqual(scanned(scanner, text), reference(new Tokenizer({ mode }), new Vocabulary(words), text));
    assert.deepEqual(scanned(scanner, text), [0, 1, 2, 2, 3, 4]);
  });
}
