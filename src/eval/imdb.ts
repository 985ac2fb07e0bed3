import { readAclImdb } from '../corpus/aclimdb.js';
import { Tokenizer, type TokenizerMode } from '../text/tokenizer.js';
import { tokenizeCorpus, type TokenizedCorpus } from '../text/tokenized-corpus.js';
import { silentReporter, type Reporter } from '../util/log.js';
import type { Experiment } from './experiment.js';

export interface LoadImdbOptions {
  tokenizer?: TokenizerMode;
  vocabSize?: number;
  skipTop?: number;
  /** Keep every token too (corpus.allTokens), for the n-gram rows. */
  keepTokens?: boolean;
  /** Tokenize with the paper's tokenizer and cut its vocabulary (default true; TokenizeCorpusOptions.vocabularyTokens). */
  vocabularyTokens?: boolean;
  /** Read the 50k unlabeled reviews (default true); without them `unsup` is empty. */
  unlabeled?: boolean;
  reporter?: Reporter;
}

/** Streams aclImdb (archive or directory) into a tokenized, vocabulary-cut corpus. */
export async function loadImdb(dataPath: string, options: LoadImdbOptions = {}): Promise<TokenizedCorpus> {
  const reporter = options.reporter ?? silentReporter;
  let task: ReturnType<Reporter['task']> | undefined;
  let lastTick = 0;
  const reviews = readAclImdb(dataPath, {
    buckets: (options.unlabeled ?? true) ? ['train', 'test', 'unsup'] : ['train', 'test'],
    onBytes: (done, total) => {
      task ??= reporter.task('read + tokenize', total);
      const now = Date.now();
      if (now - lastTick > 200 || done === total) {
        lastTick = now;
        task.tick(done);
      }
    },
  });
  const corpus = await tokenizeCorpus(reviews, {
    tokenizer: new Tokenizer({ mode: options.tokenizer ?? 'paper' }),
    size: options.vocabSize ?? 5000,
    skipTop: options.skipTop ?? 50,
    keepTokens: options.keepTokens ?? false,
    vocabularyTokens: options.vocabularyTokens ?? true,
  });
  task?.end({ train: corpus.train.docs.count, test: corpus.test.docs.count, unsup: corpus.unsup.docs.count, tokens: corpus.tokenCount });
  return corpus;
}

/** IMDb as one experiment: train is the labeled split (its stars teach the word vectors), test held out, unsup unlabeled. */
export function imdbExperiment(corpus: TokenizedCorpus): Experiment {
  const { train, test, unsup, allTokens } = corpus;
  return {
    vocabulary: corpus.vocabulary,
    labeled: { docs: train.docs, labels: train.labels, sentiment: { stars: train.stars } },
    heldOut: { docs: test.docs, labels: test.labels },
    unlabeled: unsup.docs,
    ...(allTokens ? { tokens: { words: allTokens.words, labeled: allTokens.train, heldOut: allTokens.test, unlabeled: allTokens.unsup } } : {}),
  };
}
