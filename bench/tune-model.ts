/**
 * npm run bench:tune-model — held-out accuracy (a stratified 1/5 of the IMDb
 * training reviews; the test set is never read into the decision) of the
 * paper's model for a grid of options. Prints one line per candidate.
 *
 * Usage: node dist/bench/tune-model.js [--data PATH] [--weights 1,1000,12500]
 *        [--lambda-nu 0.05:1,0.5:1] [--epochs 10] [--unlabeled] [--semantic]
 */
import path from 'node:path';
import { loadImdb } from '../src/eval/imdb.js';
import { tuneModel, type TuneCandidate } from '../src/eval/tune-model.js';
import { DEFAULT_C_GRID } from '../src/eval/reproduce.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const data = path.resolve(arg('--data', '../shared/data/aclImdb_v1.tar.gz'));
const weights = arg('--weights', '1,1000,12500').split(',').map(Number);
const lambdaNu = arg('--lambda-nu', '0.05:1').split(',').map((p) => p.split(':').map(Number));
const maxEpochs = Number(arg('--epochs', '10'));
const unlabeled = args.includes('--unlabeled');

const candidates: TuneCandidate[] = [];
for (const [lambda, nu] of lambdaNu) {
  if (args.includes('--semantic')) candidates.push({ useSentiment: false, lambda, nu, maxEpochs, unlabeled });
  for (const sentimentWeight of weights) candidates.push({ useSentiment: true, lambda, nu, sentimentWeight, maxEpochs, unlabeled });
}
const corpus = await loadImdb(data);
console.log('| sentiment | λ | ν | weight | epochs | unlabeled | held-out acc. vectors | held-out acc. vectors + bnc | seconds |');
console.log('|---|---|---|---|---|---|---|---|---|');
tuneModel(corpus, candidates, {
  holdoutFolds: 5,
  seed: 1,
  cGrid: DEFAULT_C_GRID,
  folds: 3,
  onResult: ({ candidate: c, heldOut, seconds }) =>
    console.log(
      `| ${c.useSentiment ? 'on' : 'off'} | ${c.lambda} | ${c.nu} | ${c.useSentiment ? c.sentimentWeight : '–'} | ${c.maxEpochs} | ${c.unlabeled ? 'yes' : 'no'} | ${(100 * heldOut.vectors).toFixed(2)} | ${(100 * heldOut.vectorsBow).toFixed(2)} | ${seconds.toFixed(0)} |`,
    ),
});
