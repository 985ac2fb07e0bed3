/**
 * The rows of the paper's Table 2 (IMDb), with ids used across the project,
 * and the rows beyond the paper (issue #11), each with a published reference
 * figure on the same 25k/25k split.
 */
export const ROW_IDS = [
  'bow-bnc',
  'bow-dtc',
  'lda',
  'lsa',
  'semantic',
  'full',
  'full-unlabeled',
  'semantic-bow',
  'full-bow',
  'full-unlabeled-bow',
] as const;

/** Beyond the paper: n-gram NBSVM (Wang & Manning 2012), NBSVM++ (trainable NB weights), the paper's vectors with it, DV-ngrams-cosine document vectors, and a stacked ensemble. */
export const BEYOND_ROW_IDS = ['nbsvm-uni', 'nbsvm-bi', 'nbsvm-tri', 'nbsvm-pp', 'vectors-nbsvm', 'dv-ngrams', 'ensemble'] as const;

export const ALL_ROW_IDS = [...ROW_IDS, ...BEYOND_ROW_IDS] as const;

export type PaperRowId = (typeof ROW_IDS)[number];
export type BeyondRowId = (typeof BEYOND_ROW_IDS)[number];
export type RowId = PaperRowId | BeyondRowId;

export interface RowInfo {
  readonly id: RowId;
  readonly name: string;
  /** The reference IMDb test accuracy, as a fraction: the paper's Table 2, or the published figure named by `source`. */
  readonly paper: number;
  /** 'paper': a row of Table 2; 'beyond': a row past the paper, printed in its own block. */
  readonly block: 'paper' | 'beyond';
  /** Where a beyond row's reference figure comes from. */
  readonly source?: string;
}

const paperRow = (id: PaperRowId, name: string, paper: number): RowInfo => ({ id, name, paper, block: 'paper' });

export const ROWS: Readonly<Record<RowId, RowInfo>> = {
  'bow-bnc': paperRow('bow-bnc', 'Bag of Words (bnc)', 0.878),
  'bow-dtc': paperRow('bow-dtc', "Bag of Words (bΔt'c)", 0.8823),
  lda: paperRow('lda', 'LDA', 0.6742),
  lsa: paperRow('lsa', 'LSA', 0.8396),
  semantic: paperRow('semantic', 'Our Semantic Only', 0.873),
  full: paperRow('full', 'Our Full', 0.8744),
  'full-unlabeled': paperRow('full-unlabeled', 'Our Full, Additional Unlabeled', 0.8799),
  'semantic-bow': paperRow('semantic-bow', 'Our Semantic + Bag of Words (bnc)', 0.8828),
  'full-bow': paperRow('full-bow', 'Our Full + Bag of Words (bnc)', 0.8833),
  'full-unlabeled-bow': paperRow('full-unlabeled-bow', 'Our Full, Additional Unlabeled + Bag of Words (bnc)', 0.8889),
  'nbsvm-uni': { id: 'nbsvm-uni', name: 'NBSVM, unigrams', paper: 0.8829, block: 'beyond', source: 'Wang & Manning 2012' },
  'nbsvm-bi': { id: 'nbsvm-bi', name: 'NBSVM, uni+bigrams', paper: 0.9122, block: 'beyond', source: 'Wang & Manning 2012' },
  'nbsvm-tri': { id: 'nbsvm-tri', name: 'NBSVM, uni+bi+trigrams', paper: 0.9187, block: 'beyond', source: 'Mesnil et al. 2015' },
  'nbsvm-pp': { id: 'nbsvm-pp', name: 'NB logistic regression with trainable NB weights (NBSVM++), uni+bi+trigrams', paper: 0.9222, block: 'beyond', source: 'fast.ai machine-learning course, lesson 5' },
  // No published figure for the paper's vectors with NB n-grams: the reference is the n-grams alone, what the vectors must add to.
  'vectors-nbsvm': { id: 'vectors-nbsvm', name: 'Our Full, Additional Unlabeled + NBSVM uni+bi+trigrams', paper: 0.9187, block: 'beyond', source: 'Mesnil et al. 2015, NBSVM uni+bi+trigrams alone' },
  // DV-ngrams-cosine alone has no figure we could check on this split; the reference is the paragraph vectors it improves on.
  'dv-ngrams': { id: 'dv-ngrams', name: 'Document vectors over words + bigrams, cosine (DV-ngrams-cosine)', paper: 0.8873, block: 'beyond', source: 'Mesnil et al. 2015, paragraph vectors reproduced' },
  ensemble: { id: 'ensemble', name: 'Ensemble: NBSVM-tri + NBSVM++ + NBSVM-bi + NB + document vectors, stacked', paper: 0.9257, block: 'beyond', source: 'Mesnil et al. 2015, RNN-LM + paragraph vectors + NBSVM' },
};

/**
 * What text a set of rows reads, so `reproduce` tokenizes no more than that
 * (tokenizing is most of reading IMDb: 1.7 s of the ~30 s is gunzip + untar):
 * - `paperTokens`: the paper's tokenizer and vocabulary — the paper's rows,
 *   and `vectors-nbsvm` (their word vectors); the vocabulary is cut from
 *   train + unsup, so these read the unlabeled reviews too;
 * - `ngramTokens`: the n-gram tokenizer's every token (the rows beyond the paper);
 * - `unlabeled`: the 50k unlabeled reviews — the vocabulary above, and the
 *   dv-ngrams document vectors (its row and `ensemble`), which learn from them.
 * nbsvm-uni/bi/tri and nbsvm-pp read the n-gram tokens of train and test only.
 */
export interface TextNeeds {
  paperTokens: boolean;
  ngramTokens: boolean;
  unlabeled: boolean;
}

const UNLABELED_NGRAM_ROWS: ReadonlySet<RowId> = new Set(['dv-ngrams', 'ensemble']);

export function textNeeds(ids: readonly RowId[]): TextNeeds {
  const paperTokens = ids.some((id) => !isBeyondRow(id) || id === 'vectors-nbsvm');
  return { paperTokens, ngramTokens: ids.some(isBeyondRow), unlabeled: paperTokens || ids.some((id) => UNLABELED_NGRAM_ROWS.has(id)) };
}

export function isRowId(s: string): s is RowId {
  return (ALL_ROW_IDS as readonly string[]).includes(s);
}

export function isBeyondRow(id: RowId): id is BeyondRowId {
  return ROWS[id].block === 'beyond';
}

/**
 * A --rows value: comma-separated ids, or the groups `paper` (the ten rows
 * of Table 2), `beyond` (the rows beyond the paper) and `all`.
 */
export function expandRowSpec(spec: string): string[] {
  const out: string[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    if (part === 'paper') out.push(...ROW_IDS);
    else if (part === 'beyond') out.push(...BEYOND_ROW_IDS);
    else if (part === 'all') out.push(...ALL_ROW_IDS);
    else out.push(part);
  }
  return out;
}
