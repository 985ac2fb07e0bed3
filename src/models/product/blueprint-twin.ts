/**
 * A blueprint's twin on this data: an earlier candidate that differs only in
 * its text options, where those options changed no token of the corpus. The
 * two would run the same cross-validations (the same rows, features, folds and
 * seeds) to the same estimates, so the leaderboard runs the first only.
 *
 * Why: `nbsvm-bi-chars` cuts scripts written without spaces (Chinese,
 * Japanese, Thai…) into characters; on English text it tokenizes exactly as
 * `nbsvm-bi`, and on 2,000 IMDb reviews it spent a quarter of the
 * leaderboard's time repeating nbsvm-bi's figures to the last digit.
 *
 * Proving it without building the variant's corpus, when the two differ only
 * in how scripts without spaces are segmented: the earlier corpus knows
 * whether its letters of those scripts are too rare to reach its vocabulary
 * either way (RecordCorpusStats.segmentationInvariant). Building the
 * variant's corpus only to compare it cost two more tokenizing passes over
 * every document (53 s on IMDb's 25k + 50k unlabeled at load 13).
 */
import type { RecordCorpus } from '../../text/record-corpus.js';
import { Tokenizer } from '../../text/tokenizer.js';
import type { Blueprint } from './blueprint.js';

/** Everything but the names and the text options: what the fit does with the tokens. */
function fitShape(bp: Blueprint): string {
  const names = new Set(['id', 'description', 'tokenizer', 'textVariant']);
  return JSON.stringify(Object.entries(bp).filter(([k]) => !names.has(k)).sort(([a], [b]) => a.localeCompare(b)));
}

/** Same vocabulary, same documents token for token, same targets and groups. */
export function sameTokens(a: RecordCorpus, b: RecordCorpus): boolean {
  if (a === b) return true;
  const words = a.vocabulary.words;
  const other = b.vocabulary.words;
  return (
    words.length === other.length &&
    words.every((w, i) => w === other[i]) &&
    sameArray(a.docs.offsets, b.docs.offsets) &&
    sameArray(a.docs.tokens, b.docs.tokens) &&
    sameArray(a.targets, b.targets) &&
    (a.groups === null ? b.groups === null : b.groups !== null && sameArray(a.groups, b.groups))
  );
}

/** Both segment scripts without spaces (words or chars), and every other text option is the same. */
function onlySegmentationDiffers(a: Blueprint, b: Blueprint): boolean {
  const sa = new Tokenizer(a.tokenizer).settings;
  const sb = new Tokenizer(b.tokenizer).settings;
  if (sa.mode !== 'product' || sb.mode !== 'product' || sa.segment === 'none' || sb.segment === 'none') return false;
  return JSON.stringify({ ...sa, segment: null }) === JSON.stringify({ ...sb, segment: null });
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  // Object.is: NaN (a text-only document's target) equals NaN.
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * For each candidate that is a text variant, the earlier candidate it equals on
 * this data (id → twin id). Only text variants' corpora are built here, and a
 * leaderboard would build them for its first rung anyway.
 */
export async function textVariantTwins(candidates: readonly Blueprint[], corpusFor: (bp: Blueprint) => Promise<RecordCorpus>): Promise<Map<string, string>> {
  const twins = new Map<string, string>();
  for (const [i, bp] of candidates.entries()) {
    if (!bp.textVariant) continue;
    for (const earlier of candidates.slice(0, i)) {
      if (twins.has(earlier.id) || fitShape(earlier) !== fitShape(bp)) continue;
      const base = await corpusFor(earlier);
      if ((onlySegmentationDiffers(earlier, bp) && base.stats.segmentationInvariant) || sameTokens(base, await corpusFor(bp))) {
        twins.set(bp.id, earlier.id);
        break;
      }
    }
  }
  return twins;
}
