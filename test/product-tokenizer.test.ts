import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRODUCT_DEFAULTS, PRODUCT_TOKENIZER_VERSION } from '../src/text/product-options.js';
import { Tokenizer } from '../src/text/tokenizer.js';

const product = new Tokenizer({ mode: 'product' });
const tokens = (text: string, t: Tokenizer = product): string[] => t.tokenize(text);

test('NFKC: full-width letters, ligatures, circled digits and the ellipsis take their plain forms', () => {
  assert.deepEqual(tokens('ｆｕｌｌ ﬁlm'), ['full', 'film']);
  assert.deepEqual(tokens('① ²'), ['<num>', '<num>']);
  // NFKC turns "…" into "..." (punctuation, no token) and composes e + U+0301 into é.
  assert.deepEqual(tokens('wait…what cafe\u0301'), ['wait', 'what', 'café']);
});

test('one form for quotes and apostrophes: ’ ‘ ʼ ` ´ ＇ all join a word as \'', () => {
  for (const a of ['’', '‘', 'ʼ', '`', '´', '＇', "'"]) assert.deepEqual(tokens(`don${a}t`), ["don't"], a);
  assert.deepEqual(tokens('“quoted” «x»'), ['quoted', 'x']);
});

test('elongations are cut to two chars', () => {
  assert.deepEqual(tokens('Sooooo GOOOOD, zzz, book'), ['soo', 'good', 'zz', 'book']);
  assert.deepEqual(tokens('!!!!! ???'), ['!', '?']);
});

test('URLs and numbers become one placeholder each; @mentions and #hashtags stay one token each', () => {
  assert.deepEqual(tokens('see http://t.co/abc123. or HTTPS://x.org/a?b=1) www.imdb.com/title, ok'), ['see', '<url>', 'or', '<url>', '<url>', 'ok']);
  assert.deepEqual(tokens('@United thanks @_x_ a@b'), ['@united', 'thanks', '@_x_', 'a', '@b']);
  assert.deepEqual(tokens('#fail #JetBlue #'), ['#fail', '#jetblue']);
  assert.deepEqual(tokens("3 hours, flight 1234, 2nd row, 90's"), ['<num>', 'hours', 'flight', '<num>', '2nd', 'row', "90's"]);
  // Digits around a separator are separate runs: each becomes <num>.
  assert.deepEqual(tokens('10/10 3.5'), ['<num>', '<num>', '<num>', '<num>']);
});

test('HTML is handled as in the paper mode; emoticons stay tokens', () => {
  assert.deepEqual(tokens('Great<br />movie &amp; fun :-) :D <3 ;p'), ['great', 'movie', 'fun', ':-)', ':d', '<3', ';p']);
});

test('emoji and emoji sequences are tokens: ZWJ families, skin tones, flags, keycaps', () => {
  assert.deepEqual(tokens('😍 love it'), ['😍', 'love', 'it']);
  assert.deepEqual(tokens('😍😍😍'), ['😍', '😍', '😍']);
  // A ZWJ sequence is one token.
  assert.deepEqual(tokens('👨‍👩‍👧 family'), ['👨‍👩‍👧', 'family']);
  assert.deepEqual(tokens('👩🏽‍💻'), ['👩‍💻']);
  // Skin tones and the emoji presentation selector do not make another token.
  assert.deepEqual(tokens('👍🏽 👍🏿 👍 ❤️ ❤'), ['👍', '👍', '👍', '❤', '❤']);
  // Two regional indicators are one flag; flags differ from each other.
  assert.deepEqual(tokens('🇫🇷🇺🇸'), ['🇫🇷', '🇺🇸']);
  assert.deepEqual(tokens('1️⃣'), ['1⃣']);
  assert.deepEqual(tokens('🏴󠁧󠁢󠁳󠁣󠁴󠁿'), ['🏴󠁧󠁢󠁳󠁣󠁴󠁿']);
});

test('Intl.Segmenter segments Chinese and Thai into words', () => {
  assert.deepEqual(tokens('这家酒店的服务很好，房间干净。'), ['这', '家', '酒店', '的', '服务', '很好', '房间', '干净']);
  assert.deepEqual(tokens('ฉันรักภาษาไทยมาก'), ['ฉัน', 'รัก', 'ภาษา', 'ไทย', 'มาก']);
  assert.deepEqual(tokens('ラーメンが好きです'), ['ラーメン', 'が', '好き', 'です']);
  // Latin next to Han is split at the script boundary.
  assert.deepEqual(tokens('wifi很好'), ['wifi', '很好']);
});

test('character n-grams as an option for scripts without spaces; none keeps whole runs', () => {
  assert.deepEqual(tokens('服务很好', new Tokenizer({ mode: 'product', segment: 'chars' })), ['服', '务', '服务', '很', '务很', '好', '很好']);
  assert.deepEqual(tokens('服务很好 ok', new Tokenizer({ mode: 'product', segment: 'none' })), ['服务很好', 'ok']);
});

test('negation scope: words after a negator up to the next punctuation get not_', () => {
  const t = new Tokenizer({ mode: 'product', negation: true });
  assert.deepEqual(tokens("Not bad at all, and the story isn't boring. Never again!", t), ['not', 'not_bad', 'not_at', 'not_all', 'and', 'the', 'story', "isn't", 'not_boring', 'never', 'not_again', '!']);
  assert.deepEqual(tokens("I don't like it; love 😍 it", t), ['i', "don't", 'not_like', 'not_it', 'love', '😍', 'it']);
  // Placeholders are not marked; a question mark ends the scope.
  assert.deepEqual(tokens('no 3 dont go? go', t), ['no', '<num>', 'dont', 'not_go', '?', 'go']);
  assert.deepEqual(tokens('not bad'), ['not', 'bad'], 'off by default');
});

test('product settings are recorded with a version and read back; bad settings are refused', () => {
  const t = new Tokenizer({ mode: 'product', negation: true });
  assert.deepEqual(t.settings, { mode: 'product', version: PRODUCT_TOKENIZER_VERSION, ...PRODUCT_DEFAULTS, negation: true });
  const back = Tokenizer.fromSettings(JSON.parse(JSON.stringify(t.settings)));
  assert.deepEqual(back.settings, t.settings);
  assert.deepEqual(Tokenizer.fromSettings({ mode: 'paper' }).settings, { mode: 'paper' });
  assert.throws(() => Tokenizer.fromSettings({ ...t.settings, version: PRODUCT_TOKENIZER_VERSION + 1 }), /upgrade sentivec/);
  assert.throws(() => Tokenizer.fromSettings({ mode: 'product', version: PRODUCT_TOKENIZER_VERSION }), /lack/);
  assert.throws(() => new Tokenizer({ mode: 'paper', negation: true }), /product mode only/);
  assert.throws(() => new Tokenizer({ mode: 'product', segment: 'x' as never }), /segment/);
});

test('explain spans: offsets point into the original text through HTML, NFKC and elongation', () => {
  const text = '<b>Ｇｏｏｏｏｄ</b> ☕ café… @bob';
  const spans: [string, string][] = [];
  product.forEachTokenSpan(text, (token, start, end) => spans.push([token, text.slice(start, end)]));
  assert.deepEqual(spans, [['good', 'Ｇｏｏｏｏｄ'], ['☕', '☕'], ['café', 'café'], ['@bob', '@bob']]);
  const plain: string[] = [];
  product.forEachTokenSpan(text, (token) => plain.push(token));
  assert.deepEqual(plain, product.tokenize(text));
});
