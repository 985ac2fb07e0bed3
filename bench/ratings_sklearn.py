"""bench:ratings' peer: TF-IDF uni+bigrams + RidgeCV (alpha by 5-fold CV on train), predictions clipped to the scale.

usage: ratings_sklearn.py DIR MIN MAX  (DIR holds train.jsonl and test.jsonl: {"text", "rating"})
Prints {"mae", "rmse", "exact", "withinOne", "alpha", "features", "fitSeconds"} as JSON.
"""
import json
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import RidgeCV


def read(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows], np.array([r["rating"] for r in rows], dtype=float)


def main():
    directory, low, high = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    x_train, y_train = read(f"{directory}/train.jsonl")
    x_test, y_test = read(f"{directory}/test.jsonl")
    started = time.perf_counter()
    tfidf = TfidfVectorizer(ngram_range=(1, 2))
    X = tfidf.fit_transform(x_train)
    # cv=5: the default leave-one-out path forms the n × n Gram matrix (25k² doubles), too large here.
    ridge = RidgeCV(alphas=[0.1, 0.3, 1, 3, 10, 30], cv=5).fit(X, y_train)
    seconds = time.perf_counter() - started
    predicted = np.clip(ridge.predict(tfidf.transform(x_test)), low, high)
    off = np.abs(np.round(predicted) - y_test)
    print(json.dumps({
        "mae": float(np.mean(np.abs(predicted - y_test))),
        "rmse": float(np.sqrt(np.mean((predicted - y_test) ** 2))),
        "exact": float(np.mean(off == 0)),
        "withinOne": float(np.mean(off <= 1)),
        "alpha": float(ridge.alpha_),
        "features": len(tfidf.vocabulary_),
        "fitSeconds": seconds,
    }))


if __name__ == "__main__":
    main()
