#!/usr/bin/python3
"""Python peers of `npm run bench:peers`, one per process (peak memory is its own).

  /usr/bin/python3 bench/peers/python_peers.py tfidf-svc --ngrams 1|2 --train train.tsv --test test.tsv
  /usr/bin/python3 bench/peers/python_peers.py doc2vec --train train.tsv --unsup unsup.tsv --test test.tsv [--epochs 20]
  /usr/bin/python3 bench/peers/python_peers.py nb-logistic --ngrams 3 --train train.tsv --test test.tsv

Reads the exported `label<TAB>text` files (reading is not timed), prints one
line `PEER_RESULT {json}` like the Node children (bench/peers/result.ts).
Needs Debian's python3-sklearn / python3-gensim / python3-numpy, hence
/usr/bin/python3.
"""
import argparse
import json
import time
import warnings

# The same C grid as sentivec's reproduce rows (src/eval/reproduce.ts DEFAULT_C_GRID).
C_GRID = [0.01, 0.03, 0.1, 0.3, 1, 3, 10]


def read_tsv(path):
    labels, texts = [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            label, _, text = line.rstrip('\n').partition('\t')
            labels.append(1 if label == 'pos' else 0)
            texts.append(text)
    return labels, texts


def emit(accuracy, train_seconds, predict_seconds, notes, cv_seconds=None):
    result = {'accuracy': accuracy, 'trainSeconds': train_seconds, 'predictSeconds': predict_seconds, 'notes': notes}
    if cv_seconds is not None:
        result['cvSeconds'] = cv_seconds
    print('PEER_RESULT ' + json.dumps(result), flush=True)


def accuracy(y, pred):
    return sum(1 for a, b in zip(y, pred) if a == b) / len(y)


def tfidf_svc(args):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.svm import LinearSVC
    from sklearn.exceptions import ConvergenceWarning

    warnings.filterwarnings('ignore', category=ConvergenceWarning)
    y_train, x_train = read_tsv(args.train)
    y_test, x_test = read_tsv(args.test)

    t = time.perf_counter()
    vectorizer = TfidfVectorizer(ngram_range=(1, args.ngrams))
    X = vectorizer.fit_transform(x_train)
    vectorize_seconds = time.perf_counter() - t

    # C by 5-fold CV on the training reviews, like sentivec's rows (tf-idf fitted
    # on all of train first: an unsupervised statistic, the test set stays unseen).
    t = time.perf_counter()
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=args.seed)
    search = GridSearchCV(LinearSVC(), {'C': C_GRID}, cv=folds, refit=False, n_jobs=1).fit(X, y_train)
    cv_seconds = time.perf_counter() - t
    C = search.best_params_['C']

    t = time.perf_counter()
    clf = LinearSVC(C=C).fit(X, y_train)
    fit_seconds = time.perf_counter() - t

    t = time.perf_counter()
    pred = clf.predict(vectorizer.transform(x_test))
    predict_seconds = time.perf_counter() - t

    emit(accuracy(y_test, pred), vectorize_seconds + fit_seconds, predict_seconds, [
        f'TfidfVectorizer(ngram_range=(1, {args.ngrams})) defaults, {X.shape[1]} features; LinearSVC defaults, C = {C} by 5-fold CV (same grid)',
        f'train = vectorize {vectorize_seconds:.1f} s + fit {fit_seconds:.2f} s',
    ], cv_seconds)


# NB-weighted logistic regression's C candidates: a short grid around the
# values NBSVM's CV picks on IMDb n-grams, so the search stays minutes long.
NB_C_GRID = [0.1, 0.3, 1]


def nb_logistic(args):
    """NB-weighted logistic regression (Wang & Manning 2012; Mesnil et al. 2015
    use it with liblinear -s 0) on binary n-grams, punctuation as tokens. The NB
    ratios are a pipeline step, so GridSearchCV refits them inside every fold."""
    import numpy as np
    from sklearn.base import BaseEstimator, TransformerMixin
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import Pipeline

    class NbScaler(BaseEstimator, TransformerMixin):
        def __init__(self, alpha=1.0):
            self.alpha = alpha

        def fit(self, X, y):
            y = np.asarray(y)
            p = self.alpha + np.asarray(X[y == 1].sum(0)).ravel()
            q = self.alpha + np.asarray(X[y == 0].sum(0)).ravel()
            self.r_ = np.log((p / p.sum()) / (q / q.sum()))
            return self

        def transform(self, X):
            return X.multiply(self.r_).tocsr()

    y_train, x_train = read_tsv(args.train)
    y_test, x_test = read_tsv(args.test)
    t = time.perf_counter()
    vectorizer = CountVectorizer(ngram_range=(1, args.ngrams), binary=True, token_pattern=r"(?u)\b\w+\b|[^\w\s]", dtype=np.float64)
    X = vectorizer.fit_transform(x_train)
    vectorize_seconds = time.perf_counter() - t

    make = lambda C: Pipeline([('nb', NbScaler(alpha=1.0)), ('lr', LogisticRegression(C=C, solver='liblinear', dual=True, max_iter=1000))])
    t = time.perf_counter()
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=args.seed)
    search = GridSearchCV(make(1.0), {'lr__C': NB_C_GRID}, cv=folds, refit=False, n_jobs=1).fit(X, y_train)
    cv_seconds = time.perf_counter() - t
    C = search.best_params_['lr__C']

    t = time.perf_counter()
    clf = make(C).fit(X, y_train)
    fit_seconds = time.perf_counter() - t

    t = time.perf_counter()
    pred = clf.predict(vectorizer.transform(x_test))
    predict_seconds = time.perf_counter() - t

    emit(accuracy(y_test, pred), vectorize_seconds + fit_seconds, predict_seconds, [
        f'CountVectorizer(ngram_range=(1, {args.ngrams}), binary, words and punctuation as tokens), {X.shape[1]} n-grams; NB ratios α = 1 refitted in every fold; '
        f'LogisticRegression(liblinear, dual), C = {C} by 5-fold CV over {NB_C_GRID}',
        f'train = vectorize {vectorize_seconds:.1f} s + NB + fit {fit_seconds:.2f} s',
    ], cv_seconds)


def doc2vec(args):
    import numpy as np
    from gensim.models.doc2vec import Doc2Vec, TaggedDocument
    from gensim.utils import simple_preprocess
    from sklearn.linear_model import LogisticRegression

    y_train, x_train = read_tsv(args.train)
    _, x_unsup = read_tsv(args.unsup)
    y_test, x_test = read_tsv(args.test)

    t = time.perf_counter()
    docs = [TaggedDocument(simple_preprocess(text), [i]) for i, text in enumerate(x_train + x_unsup)]
    tokenize_seconds = time.perf_counter() - t
    t = time.perf_counter()
    model = Doc2Vec(dm=0, vector_size=100, negative=5, hs=0, min_count=2, epochs=args.epochs, workers=2, seed=args.seed)
    model.build_vocab(docs)
    model.train(docs, total_examples=len(docs), epochs=model.epochs)
    vectors_seconds = time.perf_counter() - t
    t = time.perf_counter()
    X = np.vstack([model.dv[i] for i in range(len(x_train))])
    clf = LogisticRegression(max_iter=1000).fit(X, y_train)
    fit_seconds = time.perf_counter() - t

    t = time.perf_counter()
    X_test = np.vstack([model.infer_vector(simple_preprocess(text)) for text in x_test])
    pred = clf.predict(X_test)
    predict_seconds = time.perf_counter() - t

    emit(accuracy(y_test, pred), tokenize_seconds + vectors_seconds + fit_seconds, predict_seconds, [
        f'PV-DBOW, 100 dims, negative 5, min_count 2, {args.epochs} epochs, 2 workers, on {len(docs)} train + unsup reviews (simple_preprocess); '
        f'LogisticRegression defaults (C = 1) on the train vectors; test vectors by infer_vector',
        f'train = tokenize {tokenize_seconds:.1f} s + Doc2Vec {vectors_seconds:.1f} s + LR {fit_seconds:.2f} s',
    ])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('peer', choices=['tfidf-svc', 'doc2vec', 'nb-logistic'])
    parser.add_argument('--train', required=True)
    parser.add_argument('--test', required=True)
    parser.add_argument('--unsup')
    parser.add_argument('--ngrams', type=int, default=1)
    parser.add_argument('--epochs', type=int, default=20)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    if args.peer == 'tfidf-svc':
        tfidf_svc(args)
    elif args.peer == 'nb-logistic':
        nb_logistic(args)
    else:
        doc2vec(args)


if __name__ == '__main__':
    main()
