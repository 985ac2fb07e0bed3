/**
 * Runs one peer process under GNU time, so its peak memory (max RSS) and wall
 * time are its own. The process gets its own process group, so a time-out
 * ends it and anything it started, and nothing else.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';

export const GNU_TIME = '/usr/bin/time';

export interface ChildRun {
  /** Exit code, or null when killed (see timedOut). */
  code: number | null;
  timedOut: boolean;
  stdout: string;
  /** Max resident set size in MB (GNU time %M), NaN if time printed nothing. */
  peakMB: number;
  /** Wall seconds (GNU time %e). */
  wallSeconds: number;
}

export interface ChildOptions {
  cwd: string;
  /** stderr goes here (fastText's progress bar alone is megabytes). */
  logFile: string;
  timeoutMs: number;
  /** stdout goes to this file instead of being captured (large outputs such as predictions). */
  stdoutFile?: string;
}

export function runTimed(command: string, args: readonly string[], opts: ChildOptions): Promise<ChildRun> {
  const timeFile = `${opts.logFile}.time`;
  const err = openSync(opts.logFile, 'a');
  const out = opts.stdoutFile === undefined ? 'pipe' : openSync(opts.stdoutFile, 'w');
  const child = spawn(GNU_TIME, ['-f', '%M %e', '-o', timeFile, command, ...args], {
    cwd: opts.cwd,
    stdio: ['ignore', out, err],
    detached: true,
  });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, opts.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      closeSync(err);
      if (typeof out === 'number') closeSync(out);
      let peakMB = Number.NaN;
      let wallSeconds = Number.NaN;
      try {
        // GNU time prints "Command exited with non-zero status N" first when it fails.
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        if (/^\d+ [\d.]+$/.test(last)) {
          const [kb, wall] = last.split(' ').map(Number);
          peakMB = kb / 1024;
          wallSeconds = wall;
        }
        rmSync(timeFile);
      } catch {
        // no time file: GNU time itself could not run
      }
      resolve({ code, timedOut, stdout, peakMB, wallSeconds });
    });
  });
}

/** The last lines of a log, for a failure message. */
export function logTail(file: string, lines = 3): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r/g, '\n').trim().split('\n').slice(-lines).join(' / ');
  } catch {
    return '';
  }
}
