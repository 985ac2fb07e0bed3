"""bench:text's peer: TF-IDF uni+bigrams (words or characters) + LinearSVC, C by 5-fold CV on train.

usage: text_sklearn.py DIR word|char SEED  (DIR holds train.jsonl and test.jsonl: {"text", "y"})
Prints {"accuracy", "C", "features"} as JSON.
"""
import json
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC


def read(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows], [r["y"] for r in rows]


def main():
    directory, analyzer, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    x_train, y_train = read(f"{directory}/train.jsonl")
    x_test, y_test = read(f"{directory}/test.jsonl")
    pipe = Pipeline([
        ("tfidf", TfidfVectorizer(analyzer=analyzer, ngram_range=(1, 2))),
        ("svm", LinearSVC()),
    ])
    grid = {"svm__C": [0.01, 0.03, 0.1, 0.3, 1, 3, 10]}
    search = GridSearchCV(pipe, grid, cv=StratifiedKFold(5, shuffle=True, random_state=seed), n_jobs=1)
    search.fit(x_train, y_train)
    accuracy = search.score(x_test, y_test)
    features = len(search.best_estimator_.named_steps["tfidf"].vocabulary_)
    print(json.dumps({"accuracy": accuracy, "C": search.best_params_["svm__C"], "features": features}))


if __name__ == "__main__":
    main()
