/** Which part of aclImdb a review comes from. */
export type Bucket = 'train' | 'test' | 'unsup';
/** Folder label; unsup reviews carry 'none' (their stars are 0). */
export type Label = 'pos' | 'neg' | 'none';

/** One review as the corpus layer hands it on. */
export interface Review {
  /** The number before the underscore in `id_stars.txt`; unique within (bucket, label). */
  id: number;
  text: string;
  /** 1–4 negative, 7–10 positive, 0 unknown (unsup). */
  stars: number;
  label: Label;
  bucket: Bucket;
  /** The movie's IMDb URL (from `urls_<label>.txt`), when asked for and listed: reviews of one movie share it. */
  url?: string;
}

/** Stable ordering so archive and directory reads give the same corpus. */
export function compareReviews(a: Review, b: Review): number {
  const order = (r: Review): number =>
    (r.bucket === 'train' ? 0 : r.bucket === 'test' ? 3 : 6) + (r.label === 'pos' ? 0 : r.label === 'neg' ? 1 : 2);
  return order(a) - order(b) || a.id - b.id;
}
