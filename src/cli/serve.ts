import { performance } from 'node:perf_hooks';
import { Option, type Command } from 'commander';
import { MultiTargetModel } from '../models/product/multi-target-model.js';
import { SentivecError } from '../util/errors.js';
import { SERVE_DEFAULTS, startServer } from '../serve/server.js';
import { closeOnSignal } from '../serve/shutdown.js';
import { parseInteger, parsePositive } from './options.js';

interface ServeFlags {
  model: string;
  port: number;
  host: string;
  maxBatch: number;
  maxTextLength: number;
  bodyLimit: number;
  maxExplainTokens: number;
  requestTimeout: number;
  allowHost: string[];
  grace: number;
  accessLog?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve a trained model over HTTP: a JSON API and a web page at /')
    .requiredOption('--model <file>', 'model file written by `sentivec train`')
    .option('--port <n>', 'TCP port (0 picks a free one)', parseInteger(0, 65535), 8080)
    .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--max-batch <n>', 'most texts in one predict request (more → 422)', parseInteger(1), SERVE_DEFAULTS.maxBatch)
    .option('--max-text-length <n>', 'longest text in characters (longer → 422)', parseInteger(1), SERVE_DEFAULTS.maxTextLength)
    .option('--body-limit <bytes>', 'largest request body (larger → 413)', parseInteger(1), SERVE_DEFAULTS.bodyLimit)
    .option('--max-explain-tokens <n>', 'most tokens one explain request may explain, over all its texts (more → 422)', parseInteger(1), SERVE_DEFAULTS.maxExplainTokens)
    .option('--request-timeout <seconds>', 'time a client has to send a whole request (slower → 408; headers within 10 s)', parsePositive, SERVE_DEFAULTS.requestTimeout)
    .addOption(
      new Option('--allow-host <name>', 'on a loopback address, also answer requests for this Host name (repeatable; default: localhost, 127.0.0.1, [::1] only)')
        .argParser((v: string, acc: string[]) => [...acc, v])
        .default([], 'none'),
    )
    .option('--grace <seconds>', 'on SIGTERM/SIGINT, how long requests in flight may finish', parsePositive, 10)
    .option('--access-log', 'log every request as a JSON line on stdout')
    .action(async (flags: ServeFlags) => {
      const t0 = performance.now();
      // A multi-target model (train --target): the routes serve its first target, predictions every target.
      const several = await MultiTargetModel.load(flags.model);
      const loadMs = performance.now() - t0;
      const { app, url } = await startServer(several.first, {
        ...(several.isMulti ? { targets: several.targets } : {}),
        port: flags.port,
        host: flags.host,
        maxBatch: flags.maxBatch,
        maxTextLength: flags.maxTextLength,
        bodyLimit: flags.bodyLimit,
        maxExplainTokens: flags.maxExplainTokens,
        requestTimeout: flags.requestTimeout,
        allowedHosts: flags.allowHost.length > 0 ? flags.allowHost : undefined,
        logger: flags.accessLog === true,
      });
      process.stdout.write(`sentivec: serving ${flags.model} (loaded in ${loadMs.toFixed(0)} ms) on ${url}/ — open it in a browser; Ctrl+C stops\n`);
      const stopped = closeOnSignal(app, { graceMs: flags.grace * 1000, log: (line) => process.stderr.write(`sentivec: ${line}\n`) });
      followNpx();
      const code = await stopped;
      if (code !== 0) throw new SentivecError('stopped before every request in flight had finished', code);
      process.stderr.write('sentivec: stopped\n');
    });
}

/**
 * `kill %1` after `npx sentivec serve … &` (the README's tour) signals npx,
 * which ends without passing the signal on, and the server would live on as
 * an orphan holding the port. So, when started by npx / npm exec, the server
 * stops as on SIGTERM once the process that started it is gone.
 */
// Read when the program loads: npx may be gone before the model has loaded.
const PARENT = process.ppid;

function followNpx(): void {
  if (process.env.npm_command !== 'exec') return;
  const parent = PARENT;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.stderr.write(`sentivec: npx (pid ${parent}) has ended; stopping\n`);
    process.kill(process.pid, 'SIGTERM');
  }, 250);
  timer.unref();
}
