import type { Command } from 'commander';
import { SentimentModel } from '../models/product/sentiment-model.js';
import { parseInteger } from './options.js';

export function registerNeighbors(program: Command): void {
  program
    .command('neighbors')
    .description("a word's nearest words in the model's vector space (cosine similarity)")
    .argument('<word>', 'a vocabulary word')
    .requiredOption('--model <file>', 'model file from sentivec train')
    .option('-k, --k <n>', 'how many neighbours', parseInteger(1, 100000), 10)
    .option('--json', 'print a JSON array of { word, similarity }')
    .action(async (word: string, flags: { model: string; k: number; json?: boolean }) => {
      const model = await SentimentModel.load(flags.model);
      const near = model.neighbors(word, flags.k);
      if (flags.json) process.stdout.write(`${JSON.stringify(near)}\n`);
      else {
        const width = Math.max(4, ...near.map((n) => n.word.length));
        process.stdout.write(near.map((n) => `${n.word.padEnd(width)}  ${n.similarity.toFixed(4)}\n`).join(''));
      }
    });
}
