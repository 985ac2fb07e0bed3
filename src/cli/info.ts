/**
 * `sentivec info --model M [--json]`: a saved model's record — the honest
 * estimate, the blueprint, the leaderboard, calibration, learning curve, data
 * counts and options — read from the file without training or predicting.
 */
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { SentimentModel } from '../models/product/sentiment-model.js';
import { formatBytes } from './output.js';
import { modelSummary } from './train.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description("a saved model's record: accuracy estimate with its interval, blueprint, leaderboard, calibration, learning curve, data and options")
    .requiredOption('--model <file>', 'model file from sentivec train')
    .option('--json', 'print the whole record as JSON (estimate values are fractions)')
    .action(async (flags: { model: string; json?: boolean }) => {
      const model = await SentimentModel.load(flags.model);
      const { size } = await fs.stat(flags.model);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ file: flags.model, bytes: size, labels: model.labels, ...model.info }, null, 2)}\n`);
        return;
      }
      const { info } = model;
      const head = [`model: ${flags.model} (${formatBytes(size)}), format ${info.formatVersion}, written by sentivec ${info.sentivecVersion}`];
      process.stdout.write(`${[...head, ...modelSummary(model)].join('\n')}\n`);
    });
}
