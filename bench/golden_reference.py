#!/usr/bin/env python3
"""SciPy's and PyTorch's L-BFGS on the golden problems, served by goldendump.

Each problem's loss and gradient come from `goldendump -serve NAME` over a
pipe, so every solver minimises exactly the same function. SciPy runs
L-BFGS-B without bounds (its line search is Moré and Thuente's dcsrch),
PyTorch runs torch.optim.LBFGS with line_search_fn="strong_wolfe" in float64.
Both keep 10 curvature pairs and stop at ‖g‖∞ ≤ the problem's tolerance.
Prints one JSON list of {problem, solver, evaluations, converged}.

    golden_reference.py GOLDENDUMP
"""
import json
import subprocess
import sys

import numpy as np


class Served:
    """The loss and gradient of one problem, evaluated by goldendump."""

    def __init__(self, exe, name):
        self.proc = subprocess.Popen([exe, "-serve", name], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.evaluations = 0
        self.points = set()

    def __call__(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.evaluations += 1
        self.points.add(x.tobytes())
        self.proc.stdin.write(" ".join(repr(float(v)) for v in x) + "\n")
        self.proc.stdin.flush()
        vals = [float(v) for v in self.proc.stdout.readline().split()]
        return vals[0], np.array(vals[1:])

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def scipy_run(exe, p):
    from scipy.optimize import minimize
    f = Served(exe, p["name"])
    res = minimize(f, np.array(p["x0"]), jac=True, method="L-BFGS-B",
                   options={"maxcor": 10, "gtol": p["tolerance"], "ftol": 0.0,
                            "maxiter": 10000, "maxfun": 1000000})
    g = f(res.x)[1]
    f.evaluations -= 1  # the check above
    f.close()
    return f.evaluations, bool(np.max(np.abs(g)) <= p["tolerance"])


def torch_run(exe, p):
    import torch
    f = Served(exe, p["name"])
    x = torch.tensor(p["x0"], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([x], lr=1, max_iter=10000, max_eval=20000, history_size=10,
                            tolerance_grad=p["tolerance"], tolerance_change=0.0,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        v, g = f(x.detach().numpy())
        x.grad = torch.tensor(g, dtype=torch.float64)
        return torch.tensor(v, dtype=torch.float64)

    opt.step(closure)
    g = f(x.detach().numpy())[1]
    f.evaluations -= 1
    f.close()
    return f.evaluations, bool(np.max(np.abs(g)) <= p["tolerance"])


def main():
    exe = sys.argv[1]
    problems = json.loads(subprocess.run([exe, "-problems"], check=True, capture_output=True, text=True).stdout)
    out = []
    for p in problems:
        for name, run in (("scipy-lbfgsb", scipy_run), ("torch-strong-wolfe", torch_run)):
            evals, conv = run(exe, p)
            out.append({"problem": p["name"], "solver": name, "evaluations": evals, "converged": conv})
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
