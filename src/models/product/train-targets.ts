/**
 * Training a model of several targets (issue #14 item 3): each target is
 * trained as a model of its own by trainSentimentModel, on its own field, with
 * its own leaderboard (or the --blueprint asked for), its own cross-validated
 * estimate (every label-reading step inside its folds: no target's labels
 * enter another target's model or estimate) and its own calibration. The
 * result is one MultiTargetModel, saved as one file.
 */
import type { TargetSpec } from '../../corpus/labels.js';
import type { CorpusSource } from '../../corpus/record.js';
import { SentivecError } from '../../util/errors.js';
import { silentReporter } from '../../util/log.js';
import type { InputInfo } from './model-info.js';
import { MultiTargetModel } from './multi-target-model.js';
import { trainSentimentModel, type TrainModelOptions } from './train-model.js';

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

export async function trainTargets(targets: readonly TargetToTrain[], opts: Omit<TrainModelOptions, 'target' | 'input' | 'labelNames'> = {}): Promise<MultiTargetModel> {
  if (targets.length === 0) throw new SentivecError('nothing to train: no target given');
  const names = targets.map((t) => t.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new SentivecError(`target '${twice}' is given twice`);
  const reporter = opts.reporter ?? silentReporter;
  const trained = [];
  for (const [i, t] of targets.entries()) {
    reporter.event('target', { name: t.name, index: i + 1, of: targets.length });
    const model = await trainSentimentModel(t.source, { ...opts, target: t.target, input: t.input, labelNames: t.labelNames });
    trained.push({ name: t.name, model });
  }
  return new MultiTargetModel(trained);
}
