/**
 * `sentivec info --model M [--json]`: a saved model's record — the honest
 * estimate, the blueprint, the leaderboard, calibration, learning curve, data
 * counts and options — read from the file without training or predicting;
 * per target for a model of several (`{ targets: { name: record } }` in JSON).
 */
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { MultiTargetModel } from '../models/product/multi-target-model.js';
import { targetSummaries } from './targets.js';
import { formatBytes } from './output.js';
import { modelSummary } from './train.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description("a saved model's record: accuracy estimate with its interval, blueprint, leaderboard, calibration, learning curve, data and options")
    .requiredOption('--model <file>', 'model file from sentivec train')
    .option('--json', 'print the whole record as JSON (estimate values are fractions)')
    .action(async (flags: { model: string; json?: boolean }) => {
      const several = await MultiTargetModel.load(flags.model);
      const model = several.first;
      const { size } = await fs.stat(flags.model);
      if (flags.json) {
        const record = (m: typeof model): Record<string, unknown> => ({ labels: m.labels, ...m.info });
        const body = several.isMulti ? { targets: Object.fromEntries(several.targets.map((t) => [t.name, record(t.model)])) } : record(model);
        process.stdout.write(`${JSON.stringify({ file: flags.model, bytes: size, ...body }, null, 2)}\n`);
        return;
      }
      const { info } = model;
      const head = [`model: ${flags.model} (${formatBytes(size)}), format ${info.formatVersion}, written by sentivec ${info.sentivecVersion}`];
      process.stdout.write(`${[...head, ...(several.isMulti ? targetSummaries(several, modelSummary) : modelSummary(model))].join('\n')}\n`);
    });
}
