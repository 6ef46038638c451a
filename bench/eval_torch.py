#!/usr/bin/python3
"""PyTorch half of bench/eval_vs_torch.sh: one loss-and-gradient evaluation of
each problem that bench/evalbench dumped, and 100 iterations of
torch.optim.LBFGS on the training problem, one JSON object per line.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/eval_torch.py --dir DIR --threads N [--train]

Each problem is rebuilt as torch.nn.Sequential(Linear, ReLU, ..., Linear) with
lbfgsnet's initial parameters (its flat layout is per layer Weights (in, out)
row-major, then Bias; nn.Linear's weight is the transpose) on the same
features and labels, in float64 and float32, with the mean cross-entropy of
the logits (F.cross_entropy: the softmax folded in, as lbfgsnet folds it).

An evaluation takes a flat parameter vector and returns the flat gradient, as
lbfgsnet's loss closure does: vector_to_parameters (views, no copy), forward,
backward, torch.cat of the gradients. Training is one optimizer.step() of
torch.optim.LBFGS(lr=1, max_iter=100, history_size=10,
line_search_fn="strong_wolfe") on the mean cross-entropy plus (λ/2)·Σ‖W‖²
with λ = 1e-3 (evalbench's trainL2), with its stopping tests off
(tolerance_grad=0, tolerance_change=0, no evaluation budget), so that it runs
100 iterations unless a step stalls.
"""

import argparse
import json
import os
import statistics
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    sys.exit(f"eval_torch.py: {e}: apt-get install python3-torch python3-numpy")


def load(d, p):
    """Features, labels and the model of problem p of the manifest in d."""
    rows, sizes = p["rows"], p["sizes"]
    x = np.fromfile(os.path.join(d, p["X"]), dtype="<f8").reshape(rows, sizes[0])
    y = np.fromfile(os.path.join(d, p["Labels"]), dtype="<i4").astype(np.int64)
    flat = np.fromfile(os.path.join(d, p["Params"]), dtype="<f8")
    layers, off = [], 0
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = torch.nn.Linear(fan_in, fan_out).double()
        w = flat[off:off + fan_in * fan_out].reshape(fan_in, fan_out)
        off += fan_in * fan_out
        b = flat[off:off + fan_out]
        off += fan_out
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w.T.copy()))
            lin.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    if off != len(flat):
        raise ValueError(f"{p['name']}: {len(flat)} parameters, the layout has {off}")
    return torch.from_numpy(x), torch.from_numpy(y), torch.nn.Sequential(*layers)


def measure(budget, f):
    """Median and shortest time of f in ms: 2 warm-up calls, then calls for
    about budget seconds, at least 5."""
    for _ in range(2):
        f()
    ts, start = [], time.perf_counter()
    while len(ts) < 5 or time.perf_counter() - start < budget:
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts), min(ts)


def evaluate_all(d, problems, budget, emit):
    for p in problems:
        for dtype, tdt in (("float64", torch.float64), ("float32", torch.float32)):
            x64, y, model64 = load(d, p)  # afresh: Module.to converts in place
            model = model64.to(tdt)
            x = x64.to(tdt)
            params = list(model.parameters())
            flat = torch.nn.utils.parameters_to_vector(params).detach().clone()
            out = {}

            def evaluate():
                torch.nn.utils.vector_to_parameters(flat, params)
                for q in params:
                    q.grad = None
                loss = F.cross_entropy(model(x), y)
                loss.backward()
                out["grad"] = torch.cat([q.grad.reshape(-1) for q in params])
                out["loss"] = loss.item()

            med, best = measure(budget, evaluate)
            emit({"kind": "eval", "problem": p["name"], "dtype": dtype, "ms": med, "best_ms": best, "loss": out["loss"]})


# L2 factor of the training loss, bench/evalbench's trainL2.
L2 = 1e-3


def train(d, p, emit):
    for dtype, tdt in (("float64", torch.float64), ("float32", torch.float32)):
        x64, y, model64 = load(d, p)  # afresh: Module.to converts in place
        model = model64.to(tdt)
        x = x64.to(tdt)
        params = list(model.parameters())
        opt = torch.optim.LBFGS(params, lr=1, max_iter=100, max_eval=10**9, tolerance_grad=0,
                                tolerance_change=0, history_size=10, line_search_fn="strong_wolfe")

        weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]

        def objective():
            # evalbench's trainL2: (λ/2)·Σ‖W‖² over the weights, as nn's L2 term.
            return F.cross_entropy(model(x), y) + (L2 / 2) * sum(w.pow(2).sum() for w in weights)

        def closure():
            opt.zero_grad()
            loss = objective()
            loss.backward()
            return loss

        t0, c0 = time.perf_counter(), time.process_time()
        opt.step(closure)
        sec, cpu = time.perf_counter() - t0, time.process_time() - c0
        st = opt.state[params[0]]
        with torch.no_grad():
            loss = objective().item()
        emit({"kind": "train", "problem": p["name"], "dtype": dtype, "iterations": st["n_iter"],
              "evaluations": st["func_evals"], "seconds": sec, "ms_per_iteration": 1e3 * sec / max(st["n_iter"], 1),
              "cpu_ms_per_iteration": 1e3 * cpu / max(st["n_iter"], 1),
              "loss": loss, "l2": L2})


def dump_digits(prefix):
    """Write scikit-learn's digits (1797×64, 10 classes), each feature
    standardised (a constant column left at 0), as prefix.x.bin (float64) and
    prefix.labels.bin (int32), for evalbench -digits."""
    from sklearn.datasets import load_digits
    d = load_digits()
    x = d.data.astype(np.float64)
    sd = x.std(axis=0)
    x = (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1)
    x.astype("<f8").tofile(prefix + ".x.bin")
    d.target.astype("<i4").tofile(prefix + ".labels.bin")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dump-digits", metavar="PREFIX", help="only write scikit-learn's digits to PREFIX.x.bin, PREFIX.labels.bin")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--train", action="store_true", help="train instead of timing evaluations")
    a = ap.parse_args()
    if a.dump_digits:
        dump_digits(a.dump_digits)
        return
    torch.set_num_threads(a.threads)
    with open(os.path.join(a.dir, "manifest.json")) as f:
        problems = json.load(f)["problems"]
    info = {"side": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "")}

    def emit(v):
        v.update(info)
        print(json.dumps(v), flush=True)

    if a.train:
        train(a.dir, [p for p in problems if p["name"] == "digits-train"][0], emit)
    else:
        evaluate_all(a.dir, [p for p in problems if p["name"] != "digits-train"], a.seconds, emit)


if __name__ == "__main__":
    main()
