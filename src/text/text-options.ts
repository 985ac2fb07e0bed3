/**
 * How text becomes vocabulary ids, declared once (src/util/options.ts): the
 * tokenizer mode and the vocabulary cut. `default` is the product's
 * (`sentivec train`), `reproduce` the paper's (`sentivec reproduce`, and the
 * rows of `sentivec cv`); PAPER_VOCABULARY and PRODUCT_VOCABULARY
 * (vocabulary.ts) are these entries, and the CLI's --tokenizer,
 * --vocab-size, --skip-top and --min-count read their help and defaults here.
 */
import { choice, int, num, optionalInt, type OptionTable } from '../util/options.js';
import { TOKENIZER_MODES, type TokenizerMode } from './tokenizer.js';

export const TEXT_OPTIONS = {
  tokenizer: choice<TokenizerMode>(TOKENIZER_MODES, {
    default: 'product',
    description: 'tokenizer: product (normalized text, emoji, URLs/numbers as placeholders, mentions/hashtags as tokens, segmentation of Chinese/Japanese/Thai); paper keeps ! ? and emoticons as tokens; strip keeps words only',
    reproduce: 'paper',
    why: "Table 2 is reproduced with the paper's tokens (words, runs of ! and ?, emoticons); the product's rules are for text from the real world (tweets, other languages; measured by npm run bench:text)",
  }),
  vocabSize: optionalInt({
    min: 1,
    description: 'at most this many vocabulary words (unset: no cap, the size follows the data)',
    reproduce: 5000,
    why: "the paper's |V| = 5,000; a product corpus may be far smaller or larger than IMDb, so its size follows the frequency floor",
  }),
  skipTop: int({
    min: 0, default: 0,
    description: 'most frequent tokens dropped from the vocabulary',
    reproduce: 50,
    why: "the paper drops the 50 most frequent tokens; on tweets and short reviews those include not, no, but, good, ! and ?, so the product keeps them",
  }),
  minCount: int({
    min: 1, default: 2,
    description: 'frequency floor: ignore tokens seen fewer times',
    reproduce: 1,
    why: "the paper cuts by rank only (on IMDb the 5,000 after the top 50 are all frequent); on a product corpus of any size a word seen once teaches the word vectors next to nothing",
  }),
  minPerMillion: num({
    min: 0, default: 2,
    description: 'relative frequency floor: ignore tokens seen fewer times per million tokens of the corpus (0: none)',
    reproduce: 0,
    why: 'the paper cuts by rank only; the product lets the size follow the data (≈ 6k words for 12k tweets, ≈ 18k for IMDb)',
  }),
} satisfies OptionTable;
