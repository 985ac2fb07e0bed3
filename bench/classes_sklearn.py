"""bench:classes' peer: TF-IDF uni+bigrams + LinearSVC (one-vs-rest), C by 5-fold CV on train (accuracy).

usage: classes_sklearn.py DIR SEED  (DIR holds train.jsonl and test.jsonl: {"text", "y"}, y a class index)
Prints {"accuracy", "macroF1", "C", "features", "fitSeconds"} as JSON.
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC


def read(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows], [r["y"] for r in rows]


def main():
    directory, seed = sys.argv[1], int(sys.argv[2])
    x_train, y_train = read(f"{directory}/train.jsonl")
    x_test, y_test = read(f"{directory}/test.jsonl")
    pipe = Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2))),
        ("svm", LinearSVC()),
    ])
    grid = {"svm__C": [0.01, 0.03, 0.1, 0.3, 1, 3, 10]}
    started = time.perf_counter()
    search = GridSearchCV(pipe, grid, cv=StratifiedKFold(5, shuffle=True, random_state=seed), n_jobs=1)
    search.fit(x_train, y_train)
    seconds = time.perf_counter() - started
    predicted = search.predict(x_test)
    print(json.dumps({
        "accuracy": accuracy_score(y_test, predicted),
        "macroF1": f1_score(y_test, predicted, average="macro"),
        "C": search.best_params_["svm__C"],
        "features": len(search.best_estimator_.named_steps["tfidf"].vocabulary_),
        "fitSeconds": seconds,
    }))


if __name__ == "__main__":
    main()
