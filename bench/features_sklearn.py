"""bench:features' peer: scikit-learn's chi2 / f_classif / mutual_info_classif and
statsmodels' multipletests on the matrix sentivec ranked (same run, same bytes).

usage: features_sklearn.py DIR
DIR holds shape.json {"rows", "cols", "mi_columns"}, indptr.i32, indices.i32, y.i32
(the binarized document x n-gram matrix in CSR), mi_columns.i32 (the columns MI is
computed on: all of them would take sklearn hours) and p_chi2.f64 (sentivec's
chi2 p-values, for the corrections). Writes chi2.f64, chi2_p.f64, f.f64, mi.f64,
bh.f64, bonferroni.f64 and prints the timings as JSON.
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.feature_selection import chi2, f_classif, mutual_info_classif


def main():
    d = sys.argv[1]
    with open(f"{d}/shape.json", encoding="utf-8") as f:
        shape = json.load(f)
    indptr = np.fromfile(f"{d}/indptr.i32", dtype=np.int32)
    indices = np.fromfile(f"{d}/indices.i32", dtype=np.int32)
    y = np.fromfile(f"{d}/y.i32", dtype=np.int32)
    X = sp.csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr), shape=(shape["rows"], shape["cols"]))
    out = {}
    t = time.perf_counter()
    c, cp = chi2(X, y)
    out["chi2_seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    fv, _ = f_classif(X, y)
    out["f_seconds"] = time.perf_counter() - t
    cols = np.fromfile(f"{d}/mi_columns.i32", dtype=np.int32)
    sub = X[:, cols]
    t = time.perf_counter()
    mi = mutual_info_classif(sub, y, discrete_features=True, random_state=0)
    out["mi_seconds"] = time.perf_counter() - t
    out["mi_columns"] = int(len(cols))
    c.astype(np.float64).tofile(f"{d}/chi2.f64")
    cp.astype(np.float64).tofile(f"{d}/chi2_p.f64")
    fv.astype(np.float64).tofile(f"{d}/f.f64")
    mi.astype(np.float64).tofile(f"{d}/mi.f64")
    try:
        from statsmodels.stats.multitest import multipletests
    except ImportError:
        out["statsmodels"] = None
    else:
        import statsmodels

        p = np.fromfile(f"{d}/p_chi2.f64", dtype=np.float64)
        multipletests(p, alpha=0.05, method="fdr_bh")[1].astype(np.float64).tofile(f"{d}/bh.f64")
        multipletests(p, alpha=0.05, method="bonferroni")[1].astype(np.float64).tofile(f"{d}/bonferroni.f64")
        out["statsmodels"] = statsmodels.__version__
    import sklearn

    out["sklearn"] = sklearn.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
