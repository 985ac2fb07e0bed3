/**
 * Importance of a trained model's words on a labeled corpus the model did
 * not see (`sentivec features --model M.svec --input HELD-OUT`):
 *  - model-based: every token's share of the decision score (what `explain`
 *    gives for one text) summed per word over the corpus and divided by the
 *    documents: the word's mean push on a score;
 *  - permutation importance of the strongest words: the word's presence is
 *    shuffled across the documents — removed where it was, appended where a
 *    random draw of as many documents puts it — and the documents that
 *    changed are predicted again; accuracy lost, with an interval over the
 *    documents and the repeats (drop-tally.ts).
 * Everything goes through the model's public predict/explain, so the
 * numbers are the model's own, tokenizer included.
 */
import type { SentimentModel } from '../models/product/sentiment-model.js';
import { SentivecError } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { confidenceZ, DropTally, sampleRows } from './drop-tally.js';

export interface ModelWordImportance {
  word: string;
  /** Documents containing it. */
  documents: number;
  /** Σ of its shares of the scores / documents in the corpus. */
  meanShare: number;
  /** Permutation importance: mean accuracy drop and its interval. */
  drop: number;
  low: number;
  high: number;
}

export interface ModelImportanceReport {
  model: string;
  documents: number;
  accuracy: number;
  repeats: number;
  confidence: number;
  /** Words ranked by |meanShare|, the top ones assessed by permutation. */
  words: ModelWordImportance[];
}

interface Occurrence {
  /** UTF-16 spans of the word's tokens in the text. */
  spans: [number, number][];
}

export function sentimentModelImportance(
  model: SentimentModel,
  docs: readonly { text: string; label: string }[],
  opts: { name: string; top: number; repeats: number; seed: number; confidence: number },
): ModelImportanceReport {
  for (const d of docs) if (!model.labels.includes(d.label)) throw new SentivecError(`${opts.name}: label '${d.label}' is not one of the model's (${model.labels.join(', ')})`);
  const n = docs.length;
  if (n < 2) throw new SentivecError(`${opts.name}: importance needs at least 2 labeled documents`);
  const share = new Map<string, number>();
  const where = new Map<string, Map<number, Occurrence>>();
  const right = new Uint8Array(n);
  docs.forEach((d, i) => {
    const e = model.explain(d.text, 0);
    right[i] = e.label === d.label ? 1 : 0;
    for (const t of e.tokens) {
      if (t.word === null) continue;
      share.set(t.word, (share.get(t.word) ?? 0) + t.weight);
      let rows = where.get(t.word);
      if (!rows) where.set(t.word, (rows = new Map()));
      let occ = rows.get(i);
      if (!occ) rows.set(i, (occ = { spans: [] }));
      occ.spans.push([t.start, t.end]);
    }
  });
  const ranked = [...share.entries()].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, opts.top);
  const rng = new Rng(opts.seed);
  const tally = new DropTally(n, opts.repeats);
  const z = confidenceZ(opts.confidence);
  const mark = new Int32Array(n).fill(-1);
  let token = 0;
  const words = ranked.map(([word, total]) => {
    const rows = where.get(word)!;
    tally.begin();
    for (let r = 0; r < opts.repeats; r++) {
      const picked = new Set(sampleRows(rng, n, rows.size, mark, ++token));
      const changed: number[] = [];
      const texts: string[] = [];
      for (const [i, occ] of rows) {
        if (picked.has(i)) continue;
        changed.push(i);
        texts.push(withoutSpans(docs[i].text, occ.spans));
      }
      for (const i of picked) {
        if (rows.has(i)) continue;
        changed.push(i);
        texts.push(`${docs[i].text} ${word}`);
      }
      const predictions = model.predict(texts, 0);
      changed.forEach((i, k) => tally.row(i, right[i], predictions[k].label === docs[i].label ? 1 : 0));
      tally.endRepeat();
    }
    const s = tally.finish();
    return { word, documents: rows.size, meanShare: total / n, drop: s.mean, low: s.mean - z * s.se, high: s.mean + z * s.se };
  });
  let hits = 0;
  for (const v of right) hits += v;
  return { model: opts.name, documents: n, accuracy: hits / n, repeats: opts.repeats, confidence: opts.confidence, words };
}

/** The text with these spans cut out (a space left in each, so the neighbours stay apart). */
function withoutSpans(text: string, spans: readonly [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    out += `${text.slice(at, s)} `;
    at = e;
  }
  return out + text.slice(at);
}
