/**
 * Errors a user can act on. The CLI prints `message` as one line and exits
 * non-zero without a stack trace; anything that is not a SentivecError is a bug.
 */
export class SentivecError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'SentivecError';
    this.exitCode = exitCode;
  }
}

export function isSentivecError(e: unknown): e is SentivecError {
  return e instanceof SentivecError;
}

/** Node system errors carry a `code` (ENOENT, EACCES, ...). */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const c = (e as { code: unknown }).code;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}
