"""bench:leaderboard's peer: TF-IDF word uni+bigrams + LinearSVC, C by 5-fold CV on train.

usage: leaderboard_sklearn.py DIR SEED  (DIR holds train.jsonl and test.jsonl: {"text", "y"})
Prints {"accuracy", "C", "features", "cv", "seconds"} as JSON; progress on stderr.

The same estimator, folds and choice as bench/text_sklearn.py's
GridSearchCV(Pipeline([TfidfVectorizer(ngram_range=(1, 2)), LinearSVC()]),
C grid, StratifiedKFold(5, shuffle=True, random_state=SEED)), computed in
the order that makes it finish on IMDb's 25,000 reviews: GridSearchCV refits
the pipeline, TF-IDF included, once per (fold, C), i.e. 35 uni+bigram
vectorizations of 20,000 reviews; here each fold's TF-IDF is fitted once on
that fold's training part (still inside the fold: it never sees the fold's
test part) and shared by every C. The chosen C is the one with the best mean
fold accuracy, the first on ties (as GridSearchCV's rank). LinearSVC keeps
scikit-learn's defaults: dual=True (the dual solver is the one for
n_features >> n_samples, as here: ~1.5M uni+bigrams for 20k reviews),
squared hinge, max_iter 1000, n_jobs 1.
"""
import json
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

C_GRID = [0.01, 0.03, 0.1, 0.3, 1, 3, 10]


def read(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows], np.array([r["y"] for r in rows])


def log(message):
    print(message, file=sys.stderr, flush=True)


def main():
    directory, seed = sys.argv[1], int(sys.argv[2])
    started = time.time()
    x_train, y_train = read(f"{directory}/train.jsonl")
    x_test, y_test = read(f"{directory}/test.jsonl")
    folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(x_train, y_train)
    scores = np.zeros((5, len(C_GRID)))
    for f, (fit_idx, val_idx) in enumerate(folds):
        tfidf = TfidfVectorizer(analyzer="word", ngram_range=(1, 2))
        x_fit = tfidf.fit_transform([x_train[i] for i in fit_idx])
        x_val = tfidf.transform([x_train[i] for i in val_idx])
        for j, c in enumerate(C_GRID):
            svm = LinearSVC(C=c).fit(x_fit, y_train[fit_idx])
            scores[f, j] = np.mean(svm.predict(x_val) == y_train[val_idx])
        log(f"fold {f + 1}/5: {', '.join(f'C={c}: {s:.4f}' for c, s in zip(C_GRID, scores[f]))} ({time.time() - started:.0f} s)")
    mean = scores.mean(axis=0)
    best = int(np.argmax(mean))
    tfidf = TfidfVectorizer(analyzer="word", ngram_range=(1, 2))
    svm = LinearSVC(C=C_GRID[best]).fit(tfidf.fit_transform(x_train), y_train)
    accuracy = float(np.mean(svm.predict(tfidf.transform(x_test)) == y_test))
    print(json.dumps({
        "accuracy": accuracy,
        "C": C_GRID[best],
        "features": len(tfidf.vocabulary_),
        "cv": {str(c): float(m) for c, m in zip(C_GRID, mean)},
        "seconds": time.time() - started,
    }))


if __name__ == "__main__":
    main()
