/** The paper's model (Maas et al. 2011): sentiment-aware word vectors. */
export { SentimentVectors, type SentimentVectorsOptions, type EpochInfo, type FitStart, type WarmStart } from './sentiment-vectors.js';
export { WordVectors, type Neighbor, type WordVectorsExtras } from './word-vectors.js';
export { evaluateObjective, objectiveGradient, type ModelParams, type Hyperparameters, type ObjectiveValue, type ObjectiveGradient } from './objective.js';
export { prepareData, sentimentTargets, type TrainingData, type SoftTargets, type SentimentSupervision } from './data.js';
export { FORMAT_VERSION } from './format.js';
export { prepareSupervision, type MultiTargets } from './targets.js';
