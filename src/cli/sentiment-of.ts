import type { Command } from 'commander';
import { SentimentModel } from '../models/product/sentiment-model.js';
import { sigmoid } from '../models/embeddings/sentiment.js';

export function registerSentimentOf(program: Command): void {
  program
    .command('sentiment-of')
    .description("each word's learned sentiment: ψᵀφ_w + b_c, the log-odds that it appears in a positive text, and that probability")
    .argument('<words...>', 'vocabulary words')
    .requiredOption('--model <file>', 'model file from sentivec train')
    .option('--json', 'one JSON object per word: { word, sentiment, probability }')
    .action(async (words: string[], flags: { model: string; json?: boolean }) => {
      const model = await SentimentModel.load(flags.model);
      // All words are checked before anything is printed, so an unknown one fails cleanly.
      const rows = words.map((word) => {
        const sentiment = model.sentimentOf(word);
        return { word, sentiment, probability: sigmoid(sentiment) };
      });
      const positive = model.labels[1];
      const width = Math.max(4, ...rows.map((r) => r.word.length));
      const lines = rows.map((r) =>
        flags.json ? JSON.stringify(r) : `${r.word.padEnd(width)}  ${(r.sentiment >= 0 ? '+' : '') + r.sentiment.toFixed(3)}  P(${positive}) ${r.probability.toFixed(2)}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
