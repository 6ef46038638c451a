#!/usr/bin/python3
"""PyTorch half of bench/burgers_vs_torch.sh: torch.optim.LBFGS on MATLAB's
Burgers problem that bench/burgersdump wrote, beside lbfgsnet's figures, as
Markdown tables.

    /usr/bin/python3 bench/burgers_torch.py --dump burgers.json --ours ours.json [--threads 2]

The network is rebuilt as torch.nn.Sequential of Linear and Tanh layers with the
dump's sizes, in float64, lbfgsnet's weights (in, out) transposed into
nn.Linear's (out, in); the initial loss and gradient norm must equal the
dump's to 1e-10 relative. The loss is MATLAB's modelLoss:

    u = net(X);  (u_x, u_t) = autograd.grad(u.sum(), X, create_graph=True)
    u_xx = autograd.grad(u_x.sum(), X, create_graph=True)[:, 0]
    loss = mean((u_t + u*u_x - nu*u_xx)^2) + mean((net(X0) - U0)^2)

trained by torch.optim.LBFGS(lr=1, history_size=10, line_search_fn="strong_wolfe",
max_iter=1), one step() per iteration as MATLAB's lbfgsupdate, with torch's own
stopping tests off (tolerance_grad=0, tolerance_change=0). Every call of the
closure counts as an evaluation and is timed: each step() begins by evaluating
the point the previous one ended at, which is torch's way of running one
iteration per call.
"""

import argparse
import json
import math
import sys
import time

try:
    import torch
except ImportError:
    sys.exit("burgers_torch.py: this Python cannot import torch: apt-get install python3-torch")


def build(dump):
    sizes, flat = dump["sizes"], dump["params"]
    layers, off = [], 0
    for i in range(len(sizes) - 1):
        n_in, n_out = sizes[i], sizes[i + 1]
        lin = torch.nn.Linear(n_in, n_out).double()
        w = torch.tensor(flat[off:off + n_in * n_out], dtype=torch.float64).reshape(n_in, n_out)
        off += n_in * n_out
        b = torch.tensor(flat[off:off + n_out], dtype=torch.float64)
        off += n_out
        with torch.no_grad():
            lin.weight.copy_(w.t())
            lin.bias.copy_(b)
        layers.append(lin)
        if i + 2 < len(sizes):
            layers.append(torch.nn.Tanh())
    if off != len(flat):
        sys.exit(f"burgers_torch.py: {len(flat)} parameters in the dump, the sizes need {off}")
    return torch.nn.Sequential(*layers)


def rows(v):
    return torch.tensor(v, dtype=torch.float64).reshape(-1, 2)


class Problem:
    def __init__(self, dump):
        self.net = build(dump)
        self.X = rows(dump["collocation"]).requires_grad_(True)
        self.X0 = rows(dump["data"])
        self.U0 = torch.tensor(dump["targets"], dtype=torch.float64).reshape(-1, 1)
        self.nu = dump["nu"]
        gx = torch.tensor(dump["grid_x"], dtype=torch.float64)
        self.grid = torch.cat([torch.stack([gx, torch.full_like(gx, t)], 1) for t in dump["grid_times"]])
        self.exact = torch.tensor(dump["exact"], dtype=torch.float64)

    def loss(self):
        X = self.X
        u = self.net(X)
        g = torch.autograd.grad(u.sum(), X, create_graph=True)[0]
        ux, ut = g[:, 0:1], g[:, 1:2]
        uxx = torch.autograd.grad(ux.sum(), X, create_graph=True)[0][:, 0:1]
        f = ut + u * ux - self.nu * uxx
        return (f ** 2).mean() + ((self.net(self.X0) - self.U0) ** 2).mean()

    def errors(self):
        with torch.no_grad():
            pred = self.net(self.grid).reshape(self.exact.shape)
        d = pred - self.exact
        slices = (d.norm(dim=1) / self.exact.norm(dim=1)).tolist()
        matrix = (torch.linalg.matrix_norm(d, 2) / torch.linalg.matrix_norm(self.exact, 2)).item()
        return slices, matrix


def check_start(p, dump):
    p.net.zero_grad()
    loss = p.loss()
    loss.backward()
    gn = math.sqrt(sum(float((q.grad ** 2).sum()) for q in p.net.parameters()))
    for name, got, want in (("loss", loss.item(), dump["loss"]), ("gradient norm", gn, dump["gradient_norm"])):
        if abs(got - want) > 1e-10 * abs(want):
            sys.exit(f"burgers_torch.py: initial {name} {got!r}, lbfgsnet {want!r}: not the same problem")


def time_evaluation(p, blocks=10):
    best = None
    for i in range(blocks + 1):
        start = time.perf_counter()
        p.net.zero_grad()
        p.loss().backward()
        d = time.perf_counter() - start
        if i > 0 and (best is None or d < best):
            best = d
    return best


def train(p, dump):
    opt = torch.optim.LBFGS(p.net.parameters(), lr=1, max_iter=1, history_size=dump["history_size"],
                            line_search_fn="strong_wolfe", tolerance_grad=0, tolerance_change=0)
    count = {"evals": 0, "time": 0.0}

    def closure():
        start = time.perf_counter()
        opt.zero_grad()
        loss = p.loss()
        loss.backward()
        count["time"] += time.perf_counter() - start
        count["evals"] += 1
        return loss

    out, wall, it, loss = [], 0.0, 0, float("nan")
    for target in dump["checkpoints"]:
        while it < target:
            start = time.perf_counter()
            loss = float(opt.step(closure))
            wall += time.perf_counter() - start
            it += 1
        slices, matrix = p.errors()
        out.append({"iteration": it, "loss": loss, "evaluations": count["evals"], "errors": slices,
                    "matrix": matrix, "seconds": wall, "eval_seconds": count["time"] / count["evals"]})
    return out


def fmt_errors(e):
    return " / ".join(f"{v:.2e}" for v in e)


def report(ours, theirs, threads):
    print(f"lbfgsnet: {ours['go_version']}, GOMAXPROCS {ours['gomaxprocs']}, {ours['shards']} shards, "
          f"{ours['line_search']}; PyTorch {torch.__version__}, {threads} threads, strong_wolfe\n")
    if ours.get("stopped"):
        print(f"lbfgsnet stopped early: {ours['stopped']}\n")
    print("| iterations | side | rel. L2 error t=0.25 / 0.5 / 0.75 / 1 | MATLAB figure | loss | evaluations | s/evaluation | wall s |")
    print("|---|---|---|---|---|---|---|---|")
    for a, b in zip(ours["checkpoints"], theirs["checkpoints"]):
        for name, c in (("lbfgsnet", a), ("PyTorch", b)):
            print(f"| {c['iteration']} | {name} | {fmt_errors(c['errors'])} | {c['matrix']:.3e} | {c['loss']:.3e} "
                  f"| {c['evaluations']} | {c['eval_seconds']:.4f} | {c['seconds']:.1f} |")
        print(f"| {a['iteration']} | ratio | {' / '.join(f'{x / y:.2f}' for x, y in zip(a['errors'], b['errors']))} "
              f"| {a['matrix'] / b['matrix']:.2f} | | {a['evaluations'] / b['evaluations']:.2f} "
              f"| {a['eval_seconds'] / b['eval_seconds']:.2f} | {a['seconds'] / b['seconds']:.2f} |")
    print(f"\none evaluation on its own (shortest of 10): lbfgsnet {ours['eval_seconds']:.4f} s, "
          f"PyTorch {theirs['eval_seconds']:.4f} s, ratio {ours['eval_seconds'] / theirs['eval_seconds']:.2f}")


def report_rounds(path):
    """Prints the interleaved timing rounds: each line holds lbfgsnet's time
    and PyTorch's on 1 and 2 threads, measured one after the other."""
    rows = [list(map(float, line.split())) for line in open(path) if line.strip()]
    if not rows:
        return
    print("\nInterleaved timing of one evaluation (shortest of 10 each; rounds run one after the other):\n")
    print("| round | lbfgsnet s | PyTorch 1 thread s | PyTorch 2 threads s | ratio to best PyTorch |")
    print("|---|---|---|---|---|")
    ratios = []
    for i, (o, t1, t2) in enumerate(rows, 1):
        r = o / min(t1, t2)
        ratios.append(r)
        print(f"| {i} | {o:.4f} | {t1:.4f} | {t2:.4f} | {r:.2f} |")
    ratios.sort()
    print(f"\nmedian ratio lbfgsnet / best PyTorch: {ratios[len(ratios) // 2]:.2f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--json")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--time-only", action="store_true",
                    help="print the time of one evaluation at the initial parameters and exit")
    ap.add_argument("--rounds", help="file of interleaved timings: lines 'ours torch1 torch2' in seconds")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    with open(a.dump) as f:
        dump = json.load(f)
    if a.time_only:
        p = Problem(dump)
        check_start(p, dump)
        print(time_evaluation(p))
        return
    with open(a.ours) as f:
        ours = json.load(f)
    p = Problem(dump)
    check_start(p, dump)
    theirs = {"eval_seconds": time_evaluation(p)}
    p = Problem(dump)  # fresh parameters
    theirs["checkpoints"] = train(p, dump)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(theirs, f, indent=1)
    report(ours, theirs, a.threads)
    if a.rounds:
        report_rounds(a.rounds)


if __name__ == "__main__":
    main()
