import { SentivecError } from '../util/errors.js';
import { resolveTarget } from '../util/atomic-write.js';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';

export function parseInteger(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`'${value}' is not an integer.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${n} is outside ${min}..${max}.`);
    return n;
  };
}

export function parseNumberList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new InvalidArgumentError('expected a comma-separated list of numbers.');
  return parts.map((p) => {
    const n = Number(p);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`'${p}' is not a positive number.`);
    return n;
  });
}

export function parseChoice<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`'${value}' is not one of ${choices.join(', ')}.`);
    }
    return value as T;
  };
}

export function parsePositive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`'${value}' is not a positive number.`);
  return n;
}

/** Fails before long work, not after, when an output file cannot be written. */
export async function assertWritableDir(file: string, flag: string): Promise<void> {
  let target: string;
  try {
    // Follows symlinks and refuses devices, FIFOs, sockets and directories.
    target = await resolveTarget(file);
  } catch (e) {
    if (e instanceof SentivecError) throw new SentivecError(`${flag} ${e.message.replace(/^cannot write /, '')}`);
    throw e;
  }
  const dir = path.dirname(target);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new SentivecError(`${flag} ${file}: directory ${dir} does not exist or is not writable`);
  }
}
