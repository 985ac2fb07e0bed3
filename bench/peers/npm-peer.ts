/**
 * One npm library of `npm run bench:peers`, in its own process: what a Node
 * user would reach for, each used the way its README shows.
 *
 *   node dist/bench/peers/npm-peer.js --peer natural|wink|sentiment|vader
 *     --train train.tsv --test test.tsv --prefix ~/.cache/sentivec-peers
 *
 * The packages live in a scratch npm prefix (not this repo's dependencies)
 * and are loaded from there with createRequire.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { emitResult, since, type PeerResult } from './result.js';

interface Labeled {
  label: string;
  text: string;
}

/** A text classifier as the peers expose it: learn, then label. */
interface Peer {
  notes: string[];
  /** Absent for the lexicons, which learn nothing. */
  learn?(train: readonly Labeled[]): void;
  classify(text: string): 'pos' | 'neg';
}

interface NaturalBayes {
  addDocument(text: string, label: string): void;
  train(): void;
  classify(text: string): string;
}
interface WinkNaiveBayes {
  definePrepTasks(tasks: ((text: string) => string[])[]): void;
  defineConfig(config: { considerOnlyPresence: boolean; smoothingFactor: number }): void;
  learn(text: string, label: string): void;
  consolidate(): void;
  predict(text: string): string;
}
interface SentimentLib {
  analyze(text: string): { score: number };
}
interface Vader {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } };
}

const { values } = parseArgs({
  options: { peer: { type: 'string' }, train: { type: 'string' }, test: { type: 'string' }, prefix: { type: 'string' } },
});
if (!values.peer || !values.train || !values.test || !values.prefix) throw new Error('--peer, --train, --test and --prefix are required');
const req = createRequire(path.join(values.prefix, 'node_modules', 'bench-peers.cjs'));
const asLabel = (positive: boolean): 'pos' | 'neg' => (positive ? 'pos' : 'neg');

function makePeer(name: string): Peer {
  switch (name) {
    case 'natural': {
      const { BayesClassifier } = req('natural') as { BayesClassifier: new () => NaturalBayes };
      const nb = new BayesClassifier();
      return {
        notes: ['natural.BayesClassifier defaults (its tokenizer + Porter stemmer, stop words dropped)'],
        learn(train) {
          for (const d of train) nb.addDocument(d.text, d.label);
          nb.train();
        },
        classify: (text) => asLabel(nb.classify(text) === 'pos'),
      };
    }
    case 'wink': {
      const nbc = (req('wink-naive-bayes-text-classifier') as () => WinkNaiveBayes)();
      nbc.definePrepTasks([req('wink-naive-bayes-text-classifier/src/prep-text.js') as (text: string) => string[]]);
      nbc.defineConfig({ considerOnlyPresence: true, smoothingFactor: 0.5 });
      return {
        notes: ["README setup: its wink-nlp prep-text (words, stop words out, stems, negation marks), considerOnlyPresence, smoothing 0.5"],
        learn(train) {
          for (const d of train) nbc.learn(d.text, d.label);
          nbc.consolidate();
        },
        classify: (text) => asLabel(nbc.predict(text) === 'pos'),
      };
    }
    case 'sentiment': {
      const Sentiment = req('sentiment') as new () => SentimentLib;
      const s = new Sentiment();
      return { notes: ['AFINN-165 lexicon, score > 0 → positive; learns nothing'], classify: (text) => asLabel(s.analyze(text).score > 0) };
    }
    case 'vader': {
      const vader = req('vader-sentiment') as Vader;
      return {
        notes: ['VADER lexicon + rules on the whole review, compound ≥ 0 → positive; learns nothing'],
        classify: (text) => asLabel(vader.SentimentIntensityAnalyzer.polarity_scores(text).compound >= 0),
      };
    }
    default:
      throw new Error(`unknown npm peer ${name}`);
  }
}

function readTsv(file: string): Labeled[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const tab = l.indexOf('\t');
      return { label: l.slice(0, tab), text: l.slice(tab + 1) };
    });
}

const train = readTsv(values.train);
const test = readTsv(values.test);
const peer = makePeer(values.peer);

let t = performance.now();
peer.learn?.(train);
const trainSeconds = peer.learn ? since(t) : 0;
t = performance.now();
let hits = 0;
for (const d of test) if (peer.classify(d.text) === d.label) hits++;
const predictSeconds = since(t);
const result: PeerResult = { accuracy: hits / test.length, trainSeconds, predictSeconds, notes: peer.notes };
emitResult(result);
