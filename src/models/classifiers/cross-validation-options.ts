/**
 * The cross-validation that makes every choice on training data (C, and in
 * `train` also the accuracy estimate), declared once (src/util/options.ts):
 * `train`, `reproduce` and `cv` read their --folds, --c-grid and --seed from
 * here, and the library's defaults (DEFAULT_C_GRID, DEFAULT_MODEL_C_GRID) are
 * these entries.
 */
import { int, numbers, type OptionTable } from '../../util/options.js';

export const CROSS_VALIDATION_OPTIONS = {
  folds: int({
    min: 2, max: 100, default: 5,
    description: 'folds of the cross-validation on training data that chooses C (train: also the folds of the accuracy estimate; cv: the inner cross-validation on each training part)',
  }),
  classesInnerFolds: int({
    min: 2, max: 100, default: 3,
    description: 'k > 2 classes: at most this many folds in the inner cross-validation that chooses C (a multinomial fit costs about k binary ones; on airline tweets 3 folds chose the same C as 5)',
  }),
  largeInnerFolds: int({
    min: 2, max: 100, default: 3,
    description: 'train: at most this many folds in the inner cross-validation that chooses C when a fit has 10,000 labeled rows or more (each inner fold then holds thousands of documents; 3 folds cost half of 5, and the C search is most of a leaderboard rung at IMDb 25k)',
  }),
  outerFolds: int({
    min: 2, max: 100, default: 10,
    description: "folds of `sentivec cv`'s outer cross-validation, each scored once (the paper's protocol on its 2,000-review and 10,000-sentence corpora)",
  }),
  cGrid: numbers({
    min: 0, minExclusive: true,
    default: [0.03, 0.1, 0.3, 1, 3, 10, 30],
    description: 'candidate C values (a best C on an edge of the grid extends it that way)',
    reproduce: [0.01, 0.03, 0.1, 0.3, 1, 3, 10],
    why: "each grid belongs to its classifier: the product's logistic regression (train) and the paper's linear SVM (reproduce, cv); both extend past an edge, so neither caps C",
  }),
  seed: int({ min: 0, max: 2 ** 32 - 1, default: 1, description: 'random seed: the same seed and data give the same result' }),
} satisfies OptionTable;
