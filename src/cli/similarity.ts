import type { Command } from 'commander';
import { SentimentModel } from '../models/product/sentiment-model.js';

export function registerSimilarity(program: Command): void {
  program
    .command('similarity')
    .description("cosine similarity of two words' vectors, in [-1, 1]")
    .argument('<a>', 'a vocabulary word')
    .argument('<b>', 'another vocabulary word')
    .requiredOption('--model <file>', 'model file from sentivec train')
    .option('--json', 'print { a, b, similarity }')
    .action(async (a: string, b: string, flags: { model: string; json?: boolean }) => {
      const model = await SentimentModel.load(flags.model);
      const similarity = model.similarity(a, b);
      process.stdout.write(flags.json ? `${JSON.stringify({ a, b, similarity })}\n` : `${similarity.toFixed(4)}\n`);
    });
}
