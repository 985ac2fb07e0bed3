/**
 * Progress and event reporting for long work. On a TTY: a live progress bar
 * on stderr. Otherwise (`auto` on a pipe or a log file): JSON lines on
 * stderr, at most one progress line per task every 2 s and nothing in the
 * first 2 s — so a long job shows it is alive while a quick one (or one that
 * fails on its input at once) prints only its result or its one-line error.
 * `json` prints every event; `quiet` nothing.
 */
import cliProgress from 'cli-progress';

export type LogFormat = 'auto' | 'json' | 'quiet';

export interface Reporter {
  /** A unit of work with `total` steps; returns a function to advance it. */
  task(name: string, total: number): Task;
  /** A one-off event (a chosen hyperparameter, a stage's timing). */
  event(name: string, fields: Record<string, unknown>): void;
}

export interface Task {
  tick(done: number, fields?: Record<string, string | number>): void;
  end(fields?: Record<string, unknown>): void;
}

/** Non-TTY `auto`: quiet for this long, then at most one progress line per task this often. */
export const PERIODIC_MS = 2000;

export function createReporter(format: LogFormat = 'auto', stream: NodeJS.WriteStream = process.stderr, periodMs = PERIODIC_MS): Reporter {
  const tty = format === 'auto' && stream.isTTY === true;
  const periodic = format === 'auto' && !tty;
  const json = format === 'json' || periodic;
  const created = Date.now();
  const emit = (o: Record<string, unknown>, lastShown?: { at: number }): void => {
    if (!json) return;
    if (periodic) {
      const now = Date.now();
      if (now - created < periodMs) return;
      if (lastShown) {
        if (now - lastShown.at < periodMs) return;
        lastShown.at = now;
      }
    }
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...o })}\n`);
  };
  return {
    task(name, total) {
      const started = Date.now();
      let bar: cliProgress.SingleBar | undefined;
      if (tty) {
        bar = new cliProgress.SingleBar(
          { format: `${name.padEnd(24)} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} {info}`, stream, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { info: '' });
      }
      emit({ event: 'start', task: name, total });
      const shown = { at: 0 };
      return {
        tick(done, fields) {
          const info = fields ? Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`).join(' ') : '';
          bar?.update(done, { info });
          emit({ event: 'progress', task: name, done, total, ...fields }, shown);
        },
        end(fields) {
          bar?.stop();
          const seconds = (Date.now() - started) / 1000;
          if (tty) stream.write(`${name}: done in ${seconds.toFixed(1)} s\n`);
          emit({ event: 'end', task: name, seconds, ...fields });
        },
      };
    },
    event(name, fields) {
      if (tty) stream.write(`${name}: ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : JSON.stringify(v)}`).join(' ')}\n`);
      emit({ event: name, ...fields });
    },
  };
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(5);
}

/** A reporter that says nothing (library default). */
export const silentReporter: Reporter = {
  task: () => ({ tick: () => undefined, end: () => undefined }),
  event: () => undefined,
};
