/** The rows of the paper's Table 2 (IMDb), with ids used across the project. */
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

export type RowId = (typeof ROW_IDS)[number];

export interface RowInfo {
  readonly id: RowId;
  readonly name: string;
  /** The paper's IMDb test accuracy, as a fraction. */
  readonly paper: number;
}

export const ROWS: Readonly<Record<RowId, RowInfo>> = {
  'bow-bnc': { id: 'bow-bnc', name: 'Bag of Words (bnc)', paper: 0.878 },
  'bow-dtc': { id: 'bow-dtc', name: "Bag of Words (bΔt'c)", paper: 0.8823 },
  lda: { id: 'lda', name: 'LDA', paper: 0.6742 },
  lsa: { id: 'lsa', name: 'LSA', paper: 0.8396 },
  semantic: { id: 'semantic', name: 'Our Semantic Only', paper: 0.873 },
  full: { id: 'full', name: 'Our Full', paper: 0.8744 },
  'full-unlabeled': { id: 'full-unlabeled', name: 'Our Full, Additional Unlabeled', paper: 0.8799 },
  'semantic-bow': { id: 'semantic-bow', name: 'Our Semantic + Bag of Words (bnc)', paper: 0.8828 },
  'full-bow': { id: 'full-bow', name: 'Our Full + Bag of Words (bnc)', paper: 0.8833 },
  'full-unlabeled-bow': { id: 'full-unlabeled-bow', name: 'Our Full, Additional Unlabeled + Bag of Words (bnc)', paper: 0.8889 },
};

export function isRowId(s: string): s is RowId {
  return (ROW_IDS as readonly string[]).includes(s);
}
