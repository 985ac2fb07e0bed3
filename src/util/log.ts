/**
 * Progress and event reporting for long work. On a TTY: a live progress bar
 * on stderr. Otherwise: silent, or one JSON object per line on stderr when
 * the caller asked for `json` (machines read it; humans read the final table).
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

export function createReporter(format: LogFormat = 'auto', stream: NodeJS.WriteStream = process.stderr): Reporter {
  const tty = format === 'auto' && stream.isTTY === true;
  const json = format === 'json';
  const emit = (o: Record<string, unknown>): void => {
    if (json) stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...o })}\n`);
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
      return {
        tick(done, fields) {
          const info = fields ? Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`).join(' ') : '';
          bar?.update(done, { info });
          emit({ event: 'progress', task: name, done, total, ...fields });
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
