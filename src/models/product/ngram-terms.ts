/**
 * The n-gram terms of the product model's n-gram blueprints (nbsvm-bi,
 * nbsvm-tri, vectors-nbsvm): which word n-grams become columns, decided from
 * the text of the labeled documents by a document-frequency floor and a size
 * cap. Neither reads a label, so the table is built once per corpus and
 * order and shared by every fold and rung of the leaderboard, like the word
 * vocabulary (which is cut from all texts before any fold exists); n-grams
 * only a held-out fold contains get no weight from the fit on the others.
 *
 * Why a floor and a cap: on IMDb's 25k training reviews there are ~2.5 M
 * distinct bigrams and ~5 M trigrams, most seen once. An n-gram in one
 * document cannot get a weight that generalizes, and every kept n-gram costs
 * 12 bytes of ids and 8 of weight in the model file; the cap bounds the file
 * (1 M n-grams ≈ 20 MB) and the fit's memory whatever the corpus.
 */
import { NgramTable, type NgramTableStats } from '../../features/ngram-table.js';
import type { RecordCorpus } from '../../text/record-corpus.js';
import { selectDocs } from '../../text/documents.js';
import { int, resolveOptions, type OptionTable, type GivenOptions } from '../../util/options.js';

export const NGRAM_TERM_OPTIONS = {
  ngramMinDf: int({
    min: 1, default: 2,
    description: 'n-gram blueprints: keep word bigrams/trigrams found in at least this many labeled documents',
  }),
  maxNgrams: int({
    min: 0, default: 1_000_000,
    description: 'n-gram blueprints: keep at most this many n-grams, the most frequent by document frequency (bounds the model file: ≈ 20 bytes each)',
  }),
} satisfies OptionTable;

export type NgramTermSettings = GivenOptions<typeof NGRAM_TERM_OPTIONS>;

export interface NgramTerms {
  table: NgramTable;
  stats: NgramTableStats;
  minDf: number;
  maxNgrams: number;
  /** Labeled documents the n-grams were counted on. */
  documents: number;
}

const built = new WeakMap<RecordCorpus, Map<string, NgramTerms>>();

/** The n-gram table of order 2 or 3 for a corpus's labeled documents (whose labels it never reads), built on first use. */
export function ngramTermsFor(corpus: RecordCorpus, order: number, given: NgramTermSettings = {}): NgramTerms {
  const o = resolveOptions('n-gram terms', NGRAM_TERM_OPTIONS, given);
  const key = `${order}/${o.ngramMinDf}/${o.maxNgrams}`;
  let forCorpus = built.get(corpus);
  if (!forCorpus) built.set(corpus, (forCorpus = new Map()));
  let terms = forCorpus.get(key);
  if (!terms) {
    // Which documents carry a label (not what it is): text-only documents add n-grams no fit can weigh.
    const labeled: number[] = [];
    for (let d = 0; d < corpus.targets.length; d++) if (!Number.isNaN(corpus.targets[d])) labeled.push(d);
    const { table, stats } = NgramTable.fit(selectDocs(corpus.docs, labeled), corpus.vocabulary.words, { order, minDf: o.ngramMinDf, maxNgrams: o.maxNgrams });
    terms = { table, stats, minDf: o.ngramMinDf, maxNgrams: o.maxNgrams, documents: labeled.length };
    forCorpus.set(key, terms);
  }
  return terms;
}
