/**
 * sentivec as a library. The usual path:
 *
 *   import { SentimentModel, trainSentimentModel, corpusSource } from 'sentivec';
 *   const model = await trainSentimentModel(corpusSource('reviews.csv', { label: 'label' }));
 *   await model.save('reviews.svec');
 *   const [p] = (await SentimentModel.load('reviews.svec')).predict(['what a lovely film']);
 *
 * Lower-level pieces (the paper's word vectors, the linear classifiers, the
 * tokenizer, the corpus readers) are exported too.
 */
export {
  SentimentModel,
  type Prediction,
  type Explanation,
  type TokenContribution,
  type WordWeight,
  type WordInfo,
  type MapPoint,
  type SentimentModelParts,
} from './models/product/sentiment-model.js';
export type { ModelInfo, TrainingOptionsInfo, InputInfo, TargetInfo, DataInfo, CrossValidationInfo } from './models/product/model-info.js';
export { trainSentimentModel, DEFAULT_MODEL_C_GRID, type TrainModelOptions } from './models/product/train-model.js';
export { MultiTargetModel, type Target, type TargetPredictions } from './models/product/multi-target-model.js';
export { trainTargets, type TargetToTrain } from './models/product/train-targets.js';
export { MODEL_FORMAT_VERSION } from './models/product/model-file.js';
export { SentimentVectors, WordVectors, type SentimentVectorsOptions, type EpochInfo, type SoftTargets, type SentimentSupervision, type MultiTargets, type Neighbor } from './models/embeddings/index.js';
export { LinearSVC, type LinearSvcOptions } from './models/classifiers/svm.js';
export { LogisticRegression, type LogisticRegressionOptions } from './models/classifiers/logistic.js';
export { selectC, stratifiedKFold, accuracy, type EstimatorSpec, type SelectCOptions } from './models/classifiers/model-selection.js';
export { Tokenizer, TOKENIZER_MODES, type TokenizerMode, type TokenizerOptions } from './text/tokenizer.js';
export { Vocabulary, type VocabularyOptions } from './text/vocabulary.js';
export { buildRecordCorpus, type RecordCorpus, type RecordCorpusOptions, type RecordCorpusStats } from './text/record-corpus.js';
export { readCorpus, corpusSource, detectFormat } from './corpus/formats.js';
export { arraySource, CORPUS_FORMATS, type CorpusRecord, type CorpusSource, type CorpusFormat, type ReadCorpusOptions, type SourceLocation } from './corpus/record.js';
export { resolveLabels, parseRatingScale, ratingTarget, type TargetSpec, type RatingScale, type ResolvedLabels, type PositiveRule } from './corpus/labels.js';
export { readAclImdb } from './corpus/aclimdb.js';
export { evaluateModel, type EvaluationReport, type EvaluateModelOptions } from './eval/evaluate-model.js';
export { binaryReport, classificationReport, ConfusionCounter, type BinaryReport, type ClassificationReport, type ClassMetrics } from './eval/metrics.js';
export { SentivecError } from './util/errors.js';
