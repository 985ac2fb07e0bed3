/**
 * Training a model of several targets (issue #14 item 3; the paper's model
 * "can leverage continuous and multi-dimensional sentiment information as
 * well as non-sentiment annotations", one ψ per target).
 *
 * `vectors: 'shared'` (the default): every target's corpus is read first
 * (same texts, one field each), then each target's leaderboard runs with the
 * word vectors of every fold carrying every target's sentiment term, each
 * with its own ψ (categorical targets the k-class softmax term, ratings the
 * continuous one, co-targets.ts for the weights), read on the fold's own
 * training documents only: a fold never reads any target's label of its
 * held-out rows, so each target's estimate stays honest. Then ONE set of word
 * vectors is fitted on all documents with every target's term, and each
 * target's winner puts its own head on it; the file stores it once
 * (multi-target-model.ts). A target whose winner reads vectors without the
 * sentiment term (its estimate was made so), or is tokenized differently
 * from the shared fit, fits its own.
 *
 * `vectors: 'separate'`: each target is trained as a model of its own by
 * trainSentimentModel, exactly as a single-target train would.
 *
 * Either way: each target its own leaderboard (or the --blueprint asked
 * for), its own cross-validated estimate and calibration, one
 * MultiTargetModel saved as one file.
 */
import type { TargetSpec } from '../../corpus/labels.js';
import type { CorpusSource } from '../../corpus/record.js';
import { Tokenizer } from '../../text/tokenizer.js';
import { SentivecError } from '../../util/errors.js';
import { silentReporter } from '../../util/log.js';
import { choice, fixedDefault, type OptionTable } from '../../util/options.js';
import type { SentimentVectors } from '../embeddings/sentiment-vectors.js';
import { coTargetOf, type CoTarget } from './co-targets.js';
import type { InputInfo } from './model-info.js';
import { MultiTargetModel } from './multi-target-model.js';
import type { SentimentModel } from './sentiment-model.js';
import { chooseBlueprint, finishTarget, readTarget, trainSentimentModel, type ChosenBlueprint, type TargetRun, type TrainModelOptions } from './train-model.js';

export const MULTI_TARGET_OPTIONS = {
  vectors: choice(['shared', 'separate'] as const, {
    default: 'shared',
    description: "shared = one set of word vectors with every target's sentiment term (one ψ per target, in every fold and in the final fit), every target's head on it; separate = each target trained as a model of its own",
  }),
} satisfies OptionTable;

export type TargetVectorsMode = (typeof MULTI_TARGET_OPTIONS.vectors.choices)[number];

export interface TargetToTrain {
  /** The target's name: its field. */
  name: string;
  /** The corpus read with this target's field as the label or rating. */
  source: CorpusSource;
  target: TargetSpec;
  input?: Omit<InputInfo, 'unlabeled'>;
  /** Display names for its label values (train --label-names applies to the first target). */
  labelNames?: Readonly<Record<string, string>>;
}

export interface TrainTargetsOptions extends Omit<TrainModelOptions, 'target' | 'input' | 'labelNames'> {
  /** Default MULTI_TARGET_OPTIONS.vectors. */
  vectors?: TargetVectorsMode;
}

export async function trainTargets(targets: readonly TargetToTrain[], opts: TrainTargetsOptions = {}): Promise<MultiTargetModel> {
  if (targets.length === 0) throw new SentivecError('nothing to train: no target given');
  const names = targets.map((t) => t.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new SentivecError(`target '${twice}' is given twice`);
  const { vectors: mode = fixedDefault(MULTI_TARGET_OPTIONS.vectors, 'product'), ...common } = opts;
  const reporter = opts.reporter ?? silentReporter;
  const optionsOf = (t: TargetToTrain): TrainModelOptions => ({ ...common, target: t.target, input: t.input, labelNames: t.labelNames });
  if (mode === 'separate' || targets.length === 1) {
    const trained = [];
    for (const [i, t] of targets.entries()) {
      reporter.event('target', { name: t.name, index: i + 1, of: targets.length });
      trained.push({ name: t.name, model: await trainSentimentModel(t.source, optionsOf(t)) });
    }
    return new MultiTargetModel(trained);
  }
  const runs: TargetRun[] = [];
  for (const t of targets) runs.push(await readTarget(t.source, optionsOf(t)));
  const docs = runs[0].first.targets.length;
  const odd = runs.findIndex((r) => r.first.targets.length !== docs || r.first.vocabulary.size !== runs[0].first.vocabulary.size);
  if (odd >= 0) throw new SentivecError(`target '${names[odd]}' was read as ${runs[odd].first.targets.length} documents and ${runs[odd].first.vocabulary.size} words, target '${names[0]}' as ${docs} and ${runs[0].first.vocabulary.size}: the targets must be fields of the same records`);
  const co: CoTarget[] = runs.map((r) => coTargetOf(r.first));
  const others = (i: number): CoTarget[] => co.filter((_, j) => j !== i);
  const chosen: ChosenBlueprint[] = [];
  for (const [i, run] of runs.entries()) {
    reporter.event('target', { name: names[i], index: i + 1, of: targets.length });
    chosen.push(await chooseBlueprint(run, others(i)));
  }
  // One shared fit per tokenizer the winners use, made by the first target whose winner reads word vectors with the
  // sentiment term (else by the first whose winner only shows them: its budget's vectors, README), used by every
  // target of that tokenizer whose winner reads them with the sentiment term or only shows them.
  const keyOf = (c: ChosenBlueprint): string => JSON.stringify(new Tokenizer(c.winner.tokenizer).settings);
  const reads = (c: ChosenBlueprint): boolean => c.winner.usesVectors && c.winner.sentiment;
  const shares = (c: ChosenBlueprint, key: string): boolean => keyOf(c) === key && (reads(c) || !c.winner.usesVectors);
  const models: SentimentModel[] = new Array<SentimentModel>(targets.length);
  const done = new Set<number>();
  const focusOrder = [...chosen.keys()].filter((j) => reads(chosen[j])).concat([...chosen.keys()].filter((j) => !chosen[j].winner.usesVectors));
  for (const f of focusOrder) {
    if (done.has(f)) continue;
    const key = keyOf(chosen[f]);
    // The shared fit's targets: the focus first, then the others in order (the order of its ψ's, co-targets.ts).
    const order = [f, ...names.keys()].filter((j, p, all) => all.indexOf(j) === p);
    const fitNames = order.map((j) => names[j]);
    reporter.event('shared word vectors', { targets: fitNames, blueprint: chosen[f].winner.id });
    const first = await finishTarget(runs[f], chosen[f], { coTargets: others(f), names: fitNames });
    const shared: SentimentVectors = first.vectors;
    if (shared.targets.length !== targets.length) throw new SentivecError(`the shared word vectors carry ${shared.targets.length} of the ${targets.length} targets' terms (a target without labels?)`);
    models[f] = first.model;
    done.add(f);
    for (const [j, c] of chosen.entries()) {
      if (done.has(j) || !shares(c, key)) continue;
      models[j] = (await finishTarget(runs[j], c, { shared: { vectors: shared, target: order.indexOf(j) }, names: fitNames })).model;
      done.add(j);
    }
  }
  // The rest: winners whose word vectors have no sentiment term (their estimate was made so), each its own fit.
  for (const [j, c] of chosen.entries()) if (!done.has(j)) models[j] = (await finishTarget(runs[j], c)).model;
  return new MultiTargetModel(models.map((model, i) => ({ name: names[i], model })));
}
