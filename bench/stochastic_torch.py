"""PyTorch side of bench/stochastic_vs_torch.sh.

Reads the data and initial point written by `stochasticdump -dump DIR`, runs
torch.optim.LBFGS on the full batch and torch.optim.Adam on minibatches of 256
in float64 from that point, and writes the full-training-set loss against
epochs and wall time as JSON in the schema of stochasticdump's output.

Wall time counts the method's own work only: the clock stops while a record
is taken. Every loss and gradient evaluation on all N rows counts one epoch.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch


def load(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    arr = {}
    for name in os.listdir(d):
        if name.endswith(".f64"):
            arr[name[:-4]] = torch.from_numpy(np.fromfile(os.path.join(d, name), dtype="<f8"))
    return meta, arr


class Logistic:
    """mean(log(1 + exp(-z a.w))) + lambda/2 |w|^2, as problems.Logistic."""

    def __init__(self, meta, arr):
        n, p = meta["rows"], meta["features"]
        self.a = arr["a"].reshape(n, p)
        self.z = arr["z"]
        self.lam = meta["lambda"]
        self.n = n
        self.x0 = arr["x0"]

    def params(self):
        return [self.x0.clone().requires_grad_(True)]

    def loss(self, ps, rows=None):
        (w,) = ps
        a, z = (self.a, self.z) if rows is None else (self.a[rows], self.z[rows])
        return torch.nn.functional.softplus(-z * (a @ w)).mean() + 0.5 * self.lam * (w @ w)


class MLP:
    """64-128-10 tanh network, softmax cross-entropy, as stochasticdump's mlp.

    The flat vector holds, per layer, Weights (in, out) row-major then Bias.
    """

    def __init__(self, meta, arr):
        self.n = meta["rows"]
        self.sizes = meta["sizes"]
        self.x = arr["x"].reshape(self.n, self.sizes[0])
        self.y = arr["y"].to(torch.long)
        self.lam = meta.get("lambda", 0.0)
        self.act = meta.get("activation", "tanh")
        self.x0 = arr["x0"]

    def params(self):
        ps, off = [], 0
        for i, o in zip(self.sizes[:-1], self.sizes[1:]):
            ps.append(self.x0[off:off + i * o].reshape(i, o).clone().requires_grad_(True))
            off += i * o
            ps.append(self.x0[off:off + o].clone().requires_grad_(True))
            off += o
        return ps

    def loss(self, ps, rows=None):
        h = self.x if rows is None else self.x[rows]
        y = self.y if rows is None else self.y[rows]
        nl = len(ps) // 2
        for k in range(nl):
            h = h @ ps[2 * k] + ps[2 * k + 1]
            if k < nl - 1:
                h = torch.tanh(h) if self.act == "tanh" else torch.relu(h)
        reg = sum((ps[2 * k] ** 2).sum() for k in range(nl)) * 0.5 * self.lam
        return torch.nn.functional.cross_entropy(h, y) + reg


class Clock:
    def __init__(self):
        self.acc, self.start = 0.0, time.perf_counter()

    def pause(self):
        self.acc += time.perf_counter() - self.start

    def resume(self):
        self.start = time.perf_counter()


def full_loss(prob, ps):
    with torch.no_grad():
        return float(prob.loss(ps))


def run_lbfgs(prob, iterations, threads):
    torch.set_num_threads(threads)
    ps = prob.params()
    opt = torch.optim.LBFGS(ps, lr=1, max_iter=iterations, max_eval=10 * iterations, history_size=10,
                            line_search_fn="strong_wolfe", tolerance_grad=0, tolerance_change=0)
    points = [{"t": 0.0, "epoch": 0, "loss": full_loss(prob, ps)}]
    clock = Clock()
    evals = [0]

    def closure():
        opt.zero_grad()
        f = prob.loss(ps)
        f.backward()
        clock.pause()
        evals[0] += 1
        v = float(f)
        # the best loss evaluated so far: the iterate's loss after a
        # completed line search
        best = min(v, points[-1]["loss"]) if math.isfinite(v) else points[-1]["loss"]
        points.append({"t": clock.acc, "epoch": evals[0], "loss": best})
        clock.resume()
        return f

    clock.resume()
    opt.step(closure)
    clock.pause()
    return points, "Finished"


def run_adam(prob, epochs, seed, threads, every, lr=1e-3, batch=256):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    ps = prob.params()
    opt = torch.optim.Adam(ps, lr=lr)
    n = prob.n
    points = [{"t": 0.0, "epoch": 0, "loss": full_loss(prob, ps)}]
    clock = Clock()
    # The full-set loss every `every` epochs, the spacing of ours.
    terms, nxt = 0, every
    clock.resume()
    while terms < epochs * n:
        perm = torch.randperm(n)
        for start in range(0, n - batch + 1, batch):
            if terms >= epochs * n:
                break
            rows = perm[start:start + batch]
            opt.zero_grad()
            f = prob.loss(ps, rows)
            f.backward()
            opt.step()
            terms += batch
            if terms / n + 1e-12 >= nxt:
                clock.pause()
                points.append({"t": clock.acc, "epoch": terms / n, "loss": full_loss(prob, ps)})
                while nxt <= terms / n:
                    nxt += every
                clock.resume()
    clock.pause()
    return points, "EpochLimit"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--epochs", type=float, default=20)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--lbfgs-iterations", type=int, default=60)
    ap.add_argument("--threads", default="1,2", help="thread counts for the full-batch L-BFGS runs")
    args = ap.parse_args()
    torch.set_default_dtype(torch.float64)
    meta, arr = load(args.dump)
    prob = Logistic(meta, arr) if meta["problem"] == "logistic" else MLP(meta, arr)
    runs = []
    for th in [int(t) for t in args.threads.split(",")]:
        pts, status = run_lbfgs(prob, args.lbfgs_iterations, th)
        runs.append({"problem": meta["problem"], "method": "torch-lbfgs-%dt" % th, "seed": 0, "status": status,
                     "settings": "torch.optim.LBFGS full batch, history 10, strong Wolfe, %d iterations, %d thread(s)" % (args.lbfgs_iterations, th),
                     "points": pts})
    for seed in [int(s) for s in args.seeds.split(",")]:
        pts, status = run_adam(prob, args.epochs, seed, 1, meta.get("monitor_every", 0.1))
        runs.append({"problem": meta["problem"], "method": "torch-adam", "seed": seed, "status": status,
                     "settings": "torch.optim.Adam, minibatch 256, lr 1e-3, 1 thread", "points": pts})
    json.dump(runs, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
