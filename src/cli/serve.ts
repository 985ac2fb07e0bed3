import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { SentimentModel } from '../models/product/sentiment-model.js';
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
    .option('--grace <seconds>', 'on SIGTERM/SIGINT, how long requests in flight may finish', parsePositive, 10)
    .option('--access-log', 'log every request as a JSON line on stdout')
    .action(async (flags: ServeFlags) => {
      const t0 = performance.now();
      const model = await SentimentModel.load(flags.model);
      const loadMs = performance.now() - t0;
      const { app, url } = await startServer(model, {
        port: flags.port,
        host: flags.host,
        maxBatch: flags.maxBatch,
        maxTextLength: flags.maxTextLength,
        bodyLimit: flags.bodyLimit,
        logger: flags.accessLog === true,
      });
      process.stdout.write(`sentivec: serving ${flags.model} (loaded in ${loadMs.toFixed(0)} ms) on ${url}/ — open it in a browser; Ctrl+C stops\n`);
      const code = await closeOnSignal(app, { graceMs: flags.grace * 1000, log: (line) => process.stderr.write(`sentivec: ${line}\n`) });
      if (code !== 0) throw new SentivecError('stopped before every request in flight had finished', code);
      process.stderr.write('sentivec: stopped\n');
    });
}
