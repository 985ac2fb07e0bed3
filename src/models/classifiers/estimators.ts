/**
 * The estimators C selection can build from plain data (a worker thread
 * cannot receive a closure): one entry per kind. Adding an estimator is one
 * line here; EstimatorSpec follows from the table.
 */
import { SentivecError } from '../../util/errors.js';
import type { LinearClassifier } from './linear-base.js';
import { LinearSVC, type LinearSvcOptions } from './svm.js';
import { LogisticRegression, type LogisticRegressionOptions } from './logistic.js';

const ESTIMATORS = {
  'linear-svc': (options: Omit<LinearSvcOptions, 'C'> | undefined, C: number) => new LinearSVC({ ...options, C }),
  logistic: (options: Omit<LogisticRegressionOptions, 'C'> | undefined, C: number) => new LogisticRegression({ ...options, C }),
} satisfies Record<string, (options: never, C: number) => LinearClassifier>;

type Kinds = typeof ESTIMATORS;
/** An estimator as plain data, so a worker thread can build it. */
export type EstimatorSpec = { [K in keyof Kinds]: { kind: K; options?: Parameters<Kinds[K]>[0] } }[keyof Kinds];

export function makeEstimator(spec: EstimatorSpec, C: number): LinearClassifier {
  const make = ESTIMATORS[spec.kind] as ((options: EstimatorSpec['options'], C: number) => LinearClassifier) | undefined;
  if (!make) throw new SentivecError(`unknown estimator kind ${String((spec as { kind: unknown }).kind)}`);
  return make(spec.options, C);
}
