#!/usr/bin/env python3
"""The Python half of bench/constrained_vs_scipy.sh.

Reads the problems dumped by bench/constrained and our results, solves the
bound-constrained problems with SciPy's L-BFGS-B (scipy.optimize.minimize,
method="L-BFGS-B", maxcor = history size, gtol and ftol as ours) and the L1
problems with scikit-learn (LogisticRegression(penalty="l1",
solver="liblinear") tol 1e-8, and Lasso, tol 1e-12), evaluates both solutions
with the same NumPy objective, and prints Markdown tables. Wall times are the
shortest of the dump's repeats, per side.

    bench/constrained_report.py --dump problems.json --ours ours.json
"""
import argparse
import json
import sys
import time
import warnings

import numpy as np
import scipy
import scipy.optimize
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, LogisticRegression


def householder(y, v):
    return y - (2 * (v @ y) / (v @ v)) * v


def objective(p):
    """Returns f(x) -> (value, gradient) of the problem's smooth part."""
    n = p["n"]
    kind = p["kind"]
    if kind == "rosenbrock":
        def f(x):
            g = np.zeros_like(x)
            a, b = x[0::2], x[1::2]
            t1, t2 = b - a * a, 1 - a
            g[0::2] = -400 * t1 * a - 2 * t2
            g[1::2] = 200 * t1
            return float(np.sum(100 * t1 * t1 + t2 * t2)), g
        return f
    if kind == "quadratic":
        V = np.array(p["v"]).reshape(-1, n)
        eig, c = np.array(p["eig"]), np.array(p["c"])

        def mulq(x):
            y = x.copy()
            for v in V[::-1]:
                y = householder(y, v)
            y *= eig
            for v in V:
                y = householder(y, v)
            return y

        def f(x):
            qx = mulq(x)
            return float(0.5 * x @ qx - c @ x), qx - c
        return f
    A = np.array(p["a"]).reshape(p["rows"], n)
    b = np.array(p["b"])
    if kind == "leastsq":
        s = p["scale"]

        def f(x):
            r = A @ x - b
            return float(s / 2 * r @ r), s * (A.T @ r)
        return f

    def f(x):  # mean logistic loss, labels ±1
        z = -b * (A @ x)
        loss = np.logaddexp(0, z)
        sig = np.exp(z - np.logaddexp(0, z))
        return float(loss.mean()), A.T @ (-sig * b) / len(b)
    return f


def penalised(p, x):
    return objective(p)(np.asarray(x))[0] + p["l1"] * float(np.abs(x).sum())


def scipy_run(p, s):
    f = objective(p)
    bounds = list(zip(p["lower"], p["upper"]))
    count = [0]

    def fun(x):
        count[0] += 1
        return f(x)
    opts = dict(maxcor=s["history_size"], gtol=s["pgtol"], ftol=s["ftol"], maxiter=s["max_iterations"], maxfun=10**8)
    best = None
    for _ in range(s["repeats"]):
        count[0] = 0
        t = time.perf_counter()
        r = scipy.optimize.minimize(fun, np.array(p["x0"]), jac=True, method="L-BFGS-B", bounds=bounds, options=opts)
        sec = time.perf_counter() - t
        if best is None or sec < best[1]:
            best = (r, sec, count[0])
    return best


def sklearn_run(p, s):
    A = np.array(p["a"]).reshape(p["rows"], p["n"])
    b = np.array(p["b"])
    lam = p["l1"]
    if p["kind"] == "logistic":
        model = lambda: LogisticRegression(penalty="l1", C=1 / (lam * len(b)), fit_intercept=False,
                                           solver="liblinear", tol=1e-8, max_iter=10000)
        name = "LogisticRegression(liblinear)"
    else:
        model = lambda: Lasso(alpha=lam, fit_intercept=False, tol=1e-12, max_iter=10**7)
        name = "Lasso (coordinate descent)"
    best = None
    for _ in range(s["repeats"]):
        m = model()
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            m.fit(A, b)
        sec = time.perf_counter() - t
        if best is None or sec < best[1]:
            best = (m, sec)
    m, sec = best
    it = m.n_iter_
    it = int(np.max(it)) if np.ndim(it) else int(it)
    return m.coef_.ravel(), sec, it, name


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--ours", required=True)
    a = ap.parse_args()
    d = json.load(open(a.dump))
    s, problems = d["settings"], d["problems"]
    ours = json.load(open(a.ours))
    print(f"SciPy {scipy.__version__}, scikit-learn {sklearn.__version__}, NumPy {np.__version__}; "
          f"history {s['history_size']}; L-BFGS-B: pgtol {s['pgtol']:g}, ftol {s['ftol']:g}; "
          f"OWL-QN: pgtol {s['l1_pgtol']:g}, ftol {s['l1_ftol']:g}; wall times the shortest of {s['repeats']} runs\n")
    print("### L-BFGS-B beside SciPy\n")
    print("| problem | n | evals ours | evals SciPy | ratio | objective ours | objective SciPy | rel. diff | active ours / SciPy | ms ours | ms SciPy | status ours / SciPy |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    fewer = 0
    worst = 0.0
    nb = 0
    for p, o in zip(problems, ours):
        if p["method"] != "L-BFGS-B":
            continue
        nb += 1
        r, sec, nfev = scipy_run(p, s)
        fo = objective(p)(np.array(o["x"]))[0]
        fs = float(r.fun)
        lo = np.array([-np.inf if v is None else v for v in p["lower"]])
        hi = np.array([np.inf if v is None else v for v in p["upper"]])
        xs = r.x
        act_s = int(np.sum((xs == lo) | (xs == hi)))
        ref = fs
        if p.get("optimum"):
            ref = objective(p)(np.array(p["optimum"]))[0]
        d_ = rel(fo, ref)
        worst = max(worst, d_)
        fewer += o["evaluations"] <= nfev
        print(f"| {p['name']} | {p['n']} | {o['evaluations']} | {nfev} | {o['evaluations']/nfev:.2f} | {fo:.12g} | {fs:.12g} | "
              f"{rel(fo, fs):.1e} | {o['active_bounds']} / {act_s} | {o['seconds']*1e3:.2f} | {sec*1e3:.2f} | "
              f"{o['status']} / {r.message if isinstance(r.message, str) else r.message.decode()} |")
    print(f"\nOurs with no more evaluations than SciPy on {fewer} of {nb}; worst relative difference of our objective "
          f"from the reference (the known optimum where there is one, else SciPy's): {worst:.1e}.\n")
    print("### OWL-QN beside scikit-learn\n")
    print("| problem | λ | solver | evals ours | iterations sklearn | objective ours | objective sklearn | rel. diff | non-zeros ours / sklearn | same pattern | ms ours | ms sklearn |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for p, o in zip(problems, ours):
        if p["method"] != "OWL-QN":
            continue
        coef, sec, it, name = sklearn_run(p, s)
        x = np.array(o["x"])
        fo, fk = penalised(p, x), penalised(p, coef)
        same = bool(np.array_equal(x != 0, coef != 0))
        print(f"| {p['name']} | {p['l1']:g} | {name} | {o['evaluations']} | {it} | {fo:.12g} | {fk:.12g} | {rel(fo, fk):.1e} | "
              f"{int(np.sum(x != 0))} / {int(np.sum(coef != 0))} | {'yes' if same else 'no'} | {o['seconds']*1e3:.2f} | {sec*1e3:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
