/**
 * What every peer's child process reports: one stdout line
 * `PEER_RESULT {json}` (the Python helper prints the same). Seconds are
 * measured inside the child around the fit and the predict calls, so they
 * exclude starting the process and reading the data files.
 */
export interface PeerResult {
  /** Test accuracy as a fraction. */
  accuracy: number;
  /** Fitting, from text to a trained model (C search excluded, see cvSeconds). */
  trainSeconds: number;
  /** Choosing C by cross-validation on the training reviews, when the row does. */
  cvSeconds?: number;
  /** Scoring the test reviews, from text to labels. */
  predictSeconds: number;
  /** Settings and breakdowns worth printing next to the figures. */
  notes: string[];
}

export const RESULT_PREFIX = 'PEER_RESULT ';

export function emitResult(r: PeerResult): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(r)}\n`);
}

export function parseResult(stdout: string): PeerResult | undefined {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_PREFIX));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_PREFIX.length)) as PeerResult);
}

/** Seconds since `t0` (a performance.now() value). */
export function since(t0: number): number {
  return (performance.now() - t0) / 1000;
}
