/**
 * npm run bench:tune-model — held-out accuracy (a stratified 1/5 of the IMDb
 * training reviews; the test set is never read into the decision) of the
 * paper's model for a grid of options. Prints one line per candidate.
 *
 * Usage: node dist/bench/tune-model.js [--data PATH] [--weights 1,1000,12500]
 *        [--lambda-nu 0.05:1,0.5:1] [--epochs 10] [--unlabeled] [--semantic]
 */
import { loadImdb } from '../src/eval/imdb.js';
import { chooseCandidate, tuneModel, type TuneCandidate } from '../src/eval/tune-model.js';
import { DEFAULT_C_GRID } from '../src/eval/reproduce.js';
import { readAclImdbExtra } from '../src/corpus/aclimdb.js';
import { parseExpectedRatings } from '../src/eval/word-report.js';
import { arg, dataFile, flag } from './common.js';

const data = dataFile();
const weights = arg('weights', '1,1000,12500').split(',').map(Number);
const lambdaNu = arg('lambda-nu', '0.05:1').split(',').map((p) => p.split(':').map(Number));
const maxEpochs = Number(arg('epochs', '10'));
const unlabeled = flag('unlabeled');

const candidates: TuneCandidate[] = [];
for (const [lambda, nu] of lambdaNu) {
  if (flag('semantic')) candidates.push({ useSentiment: false, lambda, nu, maxEpochs, unlabeled });
  for (const sentimentWeight of weights) candidates.push({ useSentiment: true, lambda, nu, sentimentWeight, maxEpochs, unlabeled });
}
const corpus = await loadImdb(data);
const referenceRatings = parseExpectedRatings(await readAclImdbExtra(data, 'imdb.vocab'), await readAclImdbExtra(data, 'imdbEr.txt'));
console.log('| sentiment | λ | ν | weight | epochs | unlabeled | held-out acc. vectors | held-out acc. vectors + bnc | polarity@10 (train ratings) | polarity@10 (imdbEr, report only) | seconds |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
const pct = (x: number | undefined): string => (x === undefined ? '–' : (100 * x).toFixed(2));
const results = tuneModel(corpus, candidates, {
  holdoutFolds: 5,
  seed: 1,
  cGrid: DEFAULT_C_GRID,
  folds: 3,
  referenceRatings,
  onResult: ({ candidate: c, heldOut, polarity, seconds }) =>
    console.log(
      `| ${c.useSentiment ? 'on' : 'off'} | ${c.lambda} | ${c.nu} | ${c.useSentiment ? c.sentimentWeight : '–'} | ${c.maxEpochs} | ${c.unlabeled ? 'yes' : 'no'} | ${pct(heldOut.vectors)} | ${pct(heldOut.vectorsBow)} | ${pct(polarity.train)} | ${pct(polarity.reference)} | ${seconds.toFixed(0)} |`,
    ),
});
const chosen = chooseCandidate(results).candidate;
console.log(`\nchosen by the rule in src/eval/tune-model.ts: sentiment ${chosen.useSentiment ? 'on' : 'off'}, λ ${chosen.lambda}, ν ${chosen.nu}, weight ${chosen.sentimentWeight ?? '–'}`);
