/**
 * Dates and timings in a model's training record: useful when looking at a
 * run, but they make two trainings on the same data with the same seed write
 * different files. A saved model leaves them out unless asked (`train
 * --record-timings`, `save(file, { timings: true })`), so identical inputs
 * give byte-identical files; the in-memory record (what `train` prints)
 * keeps them.
 */

/** Keys, at any depth of the record, whose values are clock readings. */
export const TIMING_KEYS: ReadonlySet<string> = new Set(['created', 'seconds', 'fitSeconds', 'predictPerSecond']);

/** A copy of `value` without the timing keys (JSON values only). */
export function withoutTimings<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withoutTimings(v)) as T;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!TIMING_KEYS.has(k)) out[k] = withoutTimings(v);
  }
  return out as T;
}
