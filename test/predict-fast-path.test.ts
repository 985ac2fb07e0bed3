/**
 * SentimentModel.predict takes a fast path (TokenScanner ids, the n-gram
 * table's distinctSlots(), ‖R v‖ over a float64 copy of R, n-gram weights read
 * from the table's records,
 * the word-vector term skipped when it is zero). These tests score random
 * texts (emoji, CJK, Thai, negations, URLs, numbers, elongations, HTML) a
 * second way, written out here from the model's parts with the tokenizer,
 * a Map of the n-grams and plain loops, and require the same labels
 * and probabilities (to 1e-12) for models with and without word vectors and
 * n-grams, with two labels and with three.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NgramTable } from '../src/features/ngram-table.js';
import { SentimentModel, type SentimentModelParts } from '../src/models/product/sentiment-model.js';
import type { ModelInfo } from '../src/models/product/model-info.js';
import { Tokenizer, type TokenizerOptions } from '../src/text/tokenizer.js';
import { Rng } from '../src/util/rng.js';

const PIECES = [
  'film', 'Great', 'MOVIE', 'bad', 'good', 'not', "don't", 'never', 'no', 'well-made', 'soooo', 'GOOOOD', 'the', 'a', 'plot', 'acting',
  ' ', ' ', ' ', '  ', '\n', ',', '.', '...', ';', ':', '!', '!!!', '?', '???', ':-)', ':)', ';p', '<3', '=(',
  '<br />', '<i>', '</i>', '&amp;', '&quot;', '&#39;', 'http://t.co/abc', 'www.imdb.com/title', '@united', '#fail', '10/10', '1950s', '42',
  'café', 'naïve', 'ﬁlm', 'ｆｕｌｌ', 'ΣΟΦΟΣ', 'İstanbul', 'Москва', '😍', '👍🏽', '🇫🇷', '👨‍👩‍👧', '❤️', '这家酒店', '很好', 'ภาษาไทย', 'ラーメン', '한국어', 'e\u0301', '´', '‘quote’',
];

function randomText(rng: Rng): string {
  const n = rng.int(60);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[rng.int(PIECES.length)];
  return s;
}

interface Built {
  model: SentimentModel;
  parts: SentimentModelParts;
  texts: string[];
}

/** A model with random weights over the tokens of random texts (some left out of the vocabulary), and its texts. */
function build(seed: number, tokenizerOptions: TokenizerOptions, shape: { labels: string[]; dim: number; vectorWeights: boolean; order: number; ties?: boolean }): Built {
  const rng = new Rng(seed);
  const tokenizer = new Tokenizer(tokenizerOptions);
  const texts = ['', '😍😍😍', 'not bad', ...Array.from({ length: 400 }, () => randomText(rng))];
  const tokens = [...new Set(texts.flatMap((t) => tokenizer.tokenize(t)))].sort();
  const words = tokens.filter((_, i) => i % 7 !== 3);
  const V = words.length;
  const heads = shape.labels.length > 2 ? shape.labels.length : 1;
  // `ties`: the weights take five values only, so many terms of a text share the same share.
  const gauss = (): number => (shape.ties ? (rng.int(5) - 2) / 2 : rng.next() * 2 - 1);
  const R = Float32Array.from({ length: V * shape.dim }, gauss);
  // N-grams: a random share of the bigrams and trigrams the texts contain.
  const id = new Map(words.map((w, i) => [w, i]));
  const seen = new Set<string>();
  const tuples: number[] = [];
  if (shape.order >= 2) {
    for (const t of texts) {
      const ids = tokenizer.tokenize(t).map((w) => id.get(w) ?? -1).filter((i) => i >= 0);
      for (let p = 0; p + 1 < ids.length; p++) {
        for (let n = 2; n <= shape.order && p + n <= ids.length; n++) {
          const key = ids.slice(p, p + n).join(',');
          if (seen.has(key) || rng.next() < 0.3) continue;
          seen.add(key);
          tuples.push(ids[p], ids[p + 1], n === 3 ? ids[p + 2] : -1);
        }
      }
    }
  }
  const G = tuples.length / 3;
  const parts: SentimentModelParts = {
    words,
    vectors: { dim: shape.dim, vocabSize: V, data: R },
    bc: 0,
    tokenizer: tokenizer.settings,
    labels: shape.labels,
    weightsVectors: Float64Array.from({ length: heads * shape.dim }, () => (shape.vectorWeights ? gauss() : 0)),
    weightsWords: Float64Array.from({ length: heads * V }, gauss),
    intercept: heads === 1 ? 0.3 : 0,
    ...(heads > 1 ? { intercepts: Array.from({ length: heads }, gauss) } : {}),
    ...(G > 0 ? { ngrams: new NgramTable(Int32Array.from(tuples), shape.order, V), weightsNgrams: Float64Array.from({ length: heads * G }, gauss) } : {}),
    frequencies: new Float64Array(V).fill(1),
    info: {} as ModelInfo,
  };
  return { model: new SentimentModel(parts), parts, texts };
}

/** A text's distinct terms (its words, then its n-grams, in order of first occurrence): names and each head's share. */
interface ReferenceTerms {
  names: string[];
  /** shares[h][q]: term q's share of head h's score. */
  shares: number[][];
  intercepts: number[];
}

const LOOKUPS = new WeakMap<SentimentModelParts, { index: Map<string, number>; byKey: Map<string, number> }>();

/** Word → id and "id,id[,id]" → n-gram id, as Maps, made once per model. */
function lookups(parts: SentimentModelParts): { index: Map<string, number>; byKey: Map<string, number> } {
  const known = LOOKUPS.get(parts);
  if (known) return known;
  const index = new Map(parts.words.map((w, i) => [w, i]));
  const byKey = new Map<string, number>();
  const tuples = parts.ngrams?.tuples ?? new Int32Array(0);
  for (let g = 0; 3 * g < tuples.length; g++) byKey.set(tuples[3 * g + 2] < 0 ? `${tuples[3 * g]},${tuples[3 * g + 1]}` : `${tuples[3 * g]},${tuples[3 * g + 1]},${tuples[3 * g + 2]}`, g);
  const made = { index, byKey };
  LOOKUPS.set(parts, made);
  return made;
}

/** The terms of `text` written out from the model's parts: null when no token is in the vocabulary. */
function referenceTerms(parts: SentimentModelParts, text: string): ReferenceTerms | null {
  const { words, tokenizer } = parts;
  const dim = parts.vectors.dim;
  const heads = parts.labels.length > 2 ? parts.labels.length : 1;
  const V = words.length;
  const R = parts.vectors.data;
  const ww = parts.weightsWords;
  const wv = parts.weightsVectors;
  const { index, byKey } = lookups(parts);
  const ids = Tokenizer.fromSettings(tokenizer).tokenize(text).map((w) => index.get(w) ?? -1).filter((i) => i >= 0);
  if (ids.length === 0) return null;
  const distinctWords = [...new Set(ids)];
  const grams: number[] = [];
  const gramNames: string[] = [];
  const G = parts.ngrams?.size ?? 0;
  if (parts.ngrams) {
    const found = new Set<number>();
    for (let p = 0; p + 1 < ids.length; p++) {
      for (const n of [2, 3]) {
        if (p + n > ids.length) continue;
        const g = byKey.get(ids.slice(p, p + n).join(','));
        if (g !== undefined && !found.has(g)) {
          found.add(g);
          grams.push(g);
          gramNames.push(ids.slice(p, p + n).map((j) => words[j]).join(' '));
        }
      }
    }
  }
  const wg = parts.weightsNgrams ?? new Float64Array(0);
  const bnc = 1 / Math.sqrt(distinctWords.length + grams.length);
  const sum = new Float64Array(dim);
  for (const j of distinctWords) for (let d = 0; d < dim; d++) sum[d] += R[j * dim + d];
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += sum[d] * sum[d];
  const inv = norm > 0 && wv.some((w) => w !== 0) ? 1 / Math.sqrt(norm) : 0;
  const intercepts = heads > 1 ? [...(parts.intercepts ?? [])] : [parts.intercept];
  const shares = intercepts.map((_, h) => [
    ...distinctWords.map((j) => {
      let u = 0;
      for (let d = 0; d < dim; d++) u += wv[h * dim + d] * R[j * dim + d];
      return ww[h * V + j] * bnc + u * inv;
    }),
    ...grams.map((g) => wg[h * G + g] * bnc),
  ]);
  return { names: [...distinctWords.map((j) => words[j]), ...gramNames], shares, intercepts };
}

/** The scores of every head for `text`: null when no token is in the vocabulary. */
function referenceScores(parts: SentimentModelParts, text: string): number[] | null {
  const terms = referenceTerms(parts, text);
  return terms ? terms.intercepts.map((b, h) => terms.shares[h].reduce((s, x) => s + x, b)) : null;
}

/**
 * The top terms each way by a full sort: every term's share of class c's score (k > 2: its share of head c
 * minus its mean share over the heads), the positive ones largest first and the negative ones most negative
 * first, ties in order of first occurrence (a stable sort), at most `top` each.
 */
function referenceTop(terms: ReferenceTerms, c: number, top: number): { positive: { word: string; weight: number }[]; negative: { word: string; weight: number }[] } {
  const k = terms.shares.length;
  const centred = terms.names.map((word, q) => {
    if (k === 1) return { word, weight: terms.shares[0][q] };
    let sum = 0;
    for (let h = 0; h < k; h++) sum += terms.shares[h][q];
    return { word, weight: terms.shares[c][q] - sum / k };
  });
  return {
    positive: centred.filter((t) => t.weight > 0).sort((a, b) => b.weight - a.weight).slice(0, top),
    negative: centred.filter((t) => t.weight < 0).sort((a, b) => a.weight - b.weight).slice(0, top),
  };
}

function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

const CASES: { name: string; tokenizer: TokenizerOptions; labels: string[]; dim: number; vectorWeights: boolean; order: number; ties?: boolean }[] = [
  { name: 'trigram model without vector weights (nbsvm-tri)', tokenizer: { mode: 'product' }, labels: ['neg', 'pos'], dim: 4, vectorWeights: false, order: 3 },
  { name: 'words and word vectors (vectors-bnc)', tokenizer: { mode: 'product' }, labels: ['neg', 'pos'], dim: 6, vectorWeights: true, order: 1 },
  { name: 'bigrams and word vectors, three classes', tokenizer: { mode: 'product' }, labels: ['negative', 'neutral', 'positive'], dim: 5, vectorWeights: true, order: 2 },
  { name: 'trigrams with negation marking (the tokenizer path)', tokenizer: { mode: 'product', negation: true }, labels: ['neg', 'pos'], dim: 3, vectorWeights: true, order: 3 },
];

for (const c of CASES) {
  test(`predict equals a written-out reference on random text: ${c.name}`, () => {
    const { model, parts, texts } = build(11, c.tokenizer, c);
    const predictions = model.predict(texts);
    let scored = 0;
    texts.forEach((text, i) => {
      const p = predictions[i];
      const scores = referenceScores(parts, text);
      if (scores === null) {
        assert.equal(p.evidence, 0, JSON.stringify(text));
        return;
      }
      scored++;
      const label = JSON.stringify(text);
      if (model.heads === 1) {
        const prob = 1 / (1 + Math.exp(-scores[0]));
        close(p.score, scores[0], `score of ${label}`);
        assert.equal(p.label, model.labels[scores[0] > 0 ? 1 : 0], label);
        close(p.probabilities[model.labels[1]], prob, `P(positive) of ${label}`);
      } else {
        const top = Math.max(...scores);
        const z = scores.reduce((s, x) => s + Math.exp(x - top), 0);
        assert.equal(p.label, model.labels[scores.indexOf(top)], label);
        model.labels.forEach((l, h) => close(p.probabilities[l], Math.exp(scores[h] - top) / z, `P(${l}) of ${label}`));
      }
      // explain() takes the tokenizer path: the same answer.
      const e = model.explain(text);
      assert.equal(e.label, p.label, label);
      close(e.score, p.score, `explain's score of ${label}`);
    });
    assert.ok(scored > texts.length / 2, `only ${scored} texts had known words`);
  });
}

const TOP_CASES: typeof CASES = [
  ...CASES,
  { name: 'trigrams, five weight values (ties)', tokenizer: { mode: 'product' }, labels: ['neg', 'pos'], dim: 2, vectorWeights: false, order: 3, ties: true },
  { name: 'bigrams, three classes, five weight values (ties)', tokenizer: { mode: 'product' }, labels: ['negative', 'neutral', 'positive'], dim: 2, vectorWeights: false, order: 2, ties: true },
];

for (const c of TOP_CASES) {
  test(`predict's top words equal a full sort of every term's share, ties in text order: ${c.name}`, () => {
    const { model, parts, texts } = build(23, c.tokenizer, c);
    let compared = 0;
    for (const top of [0, 1, 3, 5, 40]) {
      const predictions = model.predict(texts, top);
      texts.forEach((text, i) => {
        const terms = referenceTerms(parts, text);
        if (terms === null) return;
        const p = predictions[i];
        const want = referenceTop(terms, model.heads === 1 ? 0 : model.labels.indexOf(p.label), top);
        const label = `${JSON.stringify(text)}, top ${top}`;
        for (const way of ['positive', 'negative'] as const) {
          assert.deepEqual(p.top[way].map((w) => w.word), want[way].map((w) => w.word), `${way} words of ${label}`);
          p.top[way].forEach((w, r) => close(w.weight, want[way][r].weight, `${way} weight ${r} of ${label}`));
          compared += want[way].length;
        }
      });
    }
    assert.ok(compared > texts.length, `only ${compared} top words compared`);
  });
}
