#!/usr/bin/env node
/**
 * The sentivec command line: one program, one subcommand per job (like fastText).
 * User errors print one line and exit non-zero; no stack traces unless
 * SENTIVEC_DEBUG is set.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { isSentivecError } from '../util/errors.js';
import { SENTIVEC_VERSION } from '../util/version.js';
import { kernelsFromEnv } from '../runtime/wasm.js';
import { registerReproduce } from './reproduce.js';
import { registerDownload } from './download.js';
import { registerTrain } from './train.js';
import { registerPredict } from './predict.js';
import { registerNeighbors } from './neighbors.js';
import { registerSimilarity } from './similarity.js';
import { registerSentimentOf } from './sentiment-of.js';
import { registerEvaluate } from './evaluate.js';
import { registerServe } from './serve.js';
import { registerCv } from './cv.js';
import { registerFeatures } from './features.js';
import { registerInfo } from './info.js';
import { groupFlags } from './option-groups.js';

export function buildProgram(): Command {
  const program = new Command('sentivec')
    .description('Sentiment-aware word vectors (Maas et al. 2011) and sentiment classification')
    .version(SENTIVEC_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({ outputError: (str, write) => write(`sentivec: ${str.replace(/^error: /, '')}`) });
  registerReproduce(program);
  registerDownload(program);
  registerTrain(program);
  registerPredict(program);
  registerNeighbors(program);
  registerSimilarity(program);
  registerSentimentOf(program);
  registerEvaluate(program);
  registerServe(program);
  registerCv(program);
  registerFeatures(program);
  registerInfo(program);
  for (const c of program.commands) {
    c.exitOverride();
    groupFlags(c);
  }
  // One check before any command runs, so a bad SENTIVEC_KERNELS is the same one-line error (exit 2) everywhere.
  program.hook('preSubcommand', () => {
    kernelsFromEnv();
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isSentivecError(e)) {
      process.stderr.write(`sentivec: ${e.message}\n`);
      return e.exitCode;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`sentivec: internal error: ${err.message}\n`);
    if (process.env.SENTIVEC_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
    return 70;
  }
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
