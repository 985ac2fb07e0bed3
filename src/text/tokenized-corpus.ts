import type { Review, Bucket } from '../corpus/review.js';
import { compareReviews } from '../corpus/review.js';
import { Dictionary } from './dictionary.js';
import { DocumentBuilder, remapDocs, selectDocs, type TokenizedDocs } from './documents.js';
import { NgramTokenIds } from './ngram-tokenizer.js';
import { Tokenizer } from './tokenizer.js';
import { Vocabulary, type VocabularyOptions } from './vocabulary.js';

/** One bucket of a corpus as vocabulary ids plus per-document metadata. */
export interface DocumentSet {
  readonly docs: TokenizedDocs;
  /** 1 positive, 0 negative; unlabeled documents hold 0 and must not be used as labels. */
  readonly labels: Uint8Array;
  /** Star rating from the file name (0 when unknown). */
  readonly stars: Uint8Array;
  readonly ids: Int32Array;
}

export interface TokenizedCorpus {
  readonly vocabulary: Vocabulary;
  readonly tokenizer: Tokenizer;
  readonly train: DocumentSet;
  readonly test: DocumentSet;
  readonly unsup: DocumentSet;
  /** Tokens (before the vocabulary cut) seen in all buckets. */
  readonly tokenCount: number;
  /** Seconds spent reading + tokenizing, and cutting the vocabulary + renumbering. */
  readonly timings: { readonly tokenize: number; readonly vocabulary: number };
  /** Every token of the n-gram tokenizer (no vocabulary cut), when asked for with `keepTokens` (the n-gram rows). */
  readonly allTokens?: CorpusTokens;
}

/**
 * The documents of each bucket as ids of `words`, every token kept (the
 * n-gram features hash these; the paper's rows never see them). Same
 * document order as the buckets of the TokenizedCorpus. They come from the
 * n-gram tokenizer (text/ngram-tokenizer.ts: lowercased, HTML out, every
 * punctuation mark a token, as Mesnil et al. 2015 tokenized IMDb), not the
 * paper's: on IMDb train it raised NBSVM-tri's 5-fold CV accuracy (BENCHMARKS.md #11).
 */
export interface CorpusTokens {
  readonly words: readonly string[];
  readonly train: TokenizedDocs;
  readonly test: TokenizedDocs;
  readonly unsup: TokenizedDocs;
}

export interface TokenizeCorpusOptions extends VocabularyOptions {
  tokenizer?: Tokenizer;
  /** Also keep every n-gram token (`allTokens`): ~4 bytes per token of the corpus, and a second tokenizing pass. */
  keepTokens?: boolean;
  /**
   * Run `tokenizer` (default true). False when only `allTokens` is wanted:
   * every document then has no vocabulary tokens and the vocabulary is empty
   * (the n-gram rows alone never read them).
   */
  vocabularyTokens?: boolean;
}

/**
 * Tokenizes a stream of reviews in one pass, interning tokens so that no
 * review text is kept, then cuts the vocabulary from the training buckets
 * (train + unsup: the test set never influences V) and renumbers every
 * document into vocabulary ids. Documents are ordered by (bucket, label, id)
 * so that an archive and an unpacked directory give the same corpus.
 */
export async function tokenizeCorpus(
  reviews: AsyncIterable<Review> | Iterable<Review>,
  options: TokenizeCorpusOptions = {},
): Promise<TokenizedCorpus> {
  const tokenizer = options.tokenizer ?? new Tokenizer();
  const dict = new Dictionary();
  const builder = new DocumentBuilder();
  const ngramIds = options.keepTokens ? new NgramTokenIds() : undefined;
  const vocabularyTokens = options.vocabularyTokens ?? true;
  const ngramBuilder = new DocumentBuilder();
  const meta: Review[] = [];
  let tokenCount = 0;
  const t0 = performance.now();
  for await (const r of reviews) {
    const counted = r.bucket !== 'test';
    builder.begin();
    if (vocabularyTokens) {
      tokenizer.forEachToken(r.text, (t) => {
        builder.token(dict.add(t, counted));
        tokenCount++;
      });
    }
    if (ngramIds) {
      ngramBuilder.begin();
      ngramIds.addText(r.text, ngramBuilder);
    }
    meta.push({ id: r.id, text: '', stars: r.stars, label: r.label, bucket: r.bucket });
  }
  const all = builder.finish();
  const ngramDocs = ngramBuilder.finish();
  const t1 = performance.now();
  const vocabulary = Vocabulary.fromDictionary(dict, options);
  const inVocab = remapDocs(all, vocabulary.mapping(dict));
  const order = meta.map((_, i) => i).sort((a, b) => compareReviews(meta[a], meta[b]));
  const split = (bucket: Bucket): DocumentSet => {
    const rows = order.filter((i) => meta[i].bucket === bucket);
    return {
      docs: selectDocs(inVocab, rows),
      labels: Uint8Array.from(rows, (i) => (meta[i].label === 'pos' ? 1 : 0)),
      stars: Uint8Array.from(rows, (i) => meta[i].stars),
      ids: Int32Array.from(rows, (i) => meta[i].id),
    };
  };
  const train = split('train');
  const test = split('test');
  const unsup = split('unsup');
  const bucketTokens = (bucket: Bucket): TokenizedDocs => selectDocs(ngramDocs, order.filter((i) => meta[i].bucket === bucket));
  const allTokens = ngramIds ? { words: ngramIds.strings, train: bucketTokens('train'), test: bucketTokens('test'), unsup: bucketTokens('unsup') } : undefined;
  const timings = { tokenize: (t1 - t0) / 1000, vocabulary: (performance.now() - t1) / 1000 };
  return { vocabulary, tokenizer, train, test, unsup, tokenCount, timings, ...(allTokens ? { allTokens } : {}) };
}
