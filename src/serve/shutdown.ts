/**
 * Graceful shutdown for a listening server: on SIGTERM or SIGINT stop
 * accepting connections, let requests already in flight finish and their
 * responses reach the client, close idle keep-alive connections cleanly
 * (see connections.ts), then resolve. A second signal, or the grace period
 * running out, drops what is left — and the exit code says so.
 */
import type { FastifyInstance } from 'fastify';
import { connectionsOf } from './server.js';

export interface ShutdownOptions {
  /** How long in-flight requests may take before their connections are dropped. */
  graceMs?: number;
  signals?: readonly NodeJS.Signals[];
  /** One-line progress messages (the CLI writes them to stderr). */
  log?: (line: string) => void;
}

/** Resolves with the exit code once the server has closed: 0 if every request finished, 1 if some were cut. */
export function closeOnSignal(app: FastifyInstance, options: ShutdownOptions = {}): Promise<number> {
  const graceMs = options.graceMs ?? 10_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const log = options.log ?? (() => undefined);
  const connections = connectionsOf(app);
  return new Promise((resolve) => {
    let cut = 0;
    let dropped = false;
    let closing = false;
    const drop = (why: string): void => {
      if (dropped) return;
      dropped = true;
      cut = connections.destroyAll();
      log(cut > 0 ? `${why}; cut ${cut} connection${cut === 1 ? '' : 's'} with a request or response unfinished` : `${why}; closed the idle connections left`);
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (closing) return drop(`${signal} again`);
      closing = true;
      log(`${signal}: finishing requests in flight, then stopping`);
      const timer = setTimeout(() => drop(`still open after ${graceMs / 1000} s`), graceMs);
      timer.unref();
      app.close().then(
        () => {
          clearTimeout(timer);
          for (const s of signals) process.removeListener(s, onSignal);
          resolve(cut > 0 ? 1 : 0);
        },
        (e: unknown) => {
          log(`error while stopping: ${e instanceof Error ? e.message : String(e)}`);
          resolve(1);
        },
      );
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
