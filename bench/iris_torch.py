#!/usr/bin/python3
"""PyTorch half of bench/iris_vs_torch.sh: torch.optim.LBFGS on the iris problem
that bench/irisdump wrote, beside lbfgsnet's figures, as Markdown tables.

    /usr/bin/python3 bench/iris_torch.py --dump iris.json --ours ours.json

The dump holds the standardised iris features, the labels, the layout of
lbfgsnet's flat parameter vector (per layer Weights (in, out) row-major, then
Bias (out)) and each seed's initial parameters. Each seed's network is rebuilt
as torch.nn.Sequential(Linear(4, 32), ReLU, Linear(32, 32), ReLU, Linear(32, 3))
in float64, the weights transposed into nn.Linear's (out, in), and trained with
the mean cross-entropy (F.cross_entropy of the logits, the softmax folded in as
lbfgsnet folds it) by torch.optim.LBFGS with lr=1, history_size as in the dump,
and line_search_fn None (torch's default) and "strong_wolfe".

Each run is made twice:

- The counting pass calls step() with max_iter=1, so that the harness sees every
  iterate as lbfgsnet's hook does: it stops at ||g||_2 <= the tolerance (the
  test lbfgsnet's Minimize applies), at the iteration limit, at a non-finite
  loss, or when a step leaves the parameters unchanged (torch breaks out of its
  loop without moving when g'd >= 0, and its strong-Wolfe search may return a
  step too small to change the parameters; with its default tolerance_change
  it would stop there too). torch's own stopping tests are otherwise off
  (tolerance_grad=0, tolerance_change=0, no max_eval budget). Each step() call begins by evaluating
  the point the previous call ended at; a single multi-iteration call reuses
  that evaluation, so the closure answers it from a cache and does not count it.
- The timed pass is one native step() call with max_iter set to the counting
  pass's iterations (plus the step that stalled, if one did) and a plain
  closure; it must end at the same parameters bit for bit after the same
  number of evaluations (checked). Without a line search torch's loop does not
  evaluate its last iterate; the stopping test needs that evaluation, so it is
  made and timed too. The pass is repeated and the shortest time reported, as
  irisdump does for lbfgsnet.
"""

import argparse
import json
import math
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("iris_torch.py: this Python cannot import torch: apt-get install python3-torch")

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts in the work tree
import iris_report  # noqa: E402

# Pairs compared: (lbfgsnet line search, torch line_search_fn).
PAIRS = [("weak-wolfe", None), ("strong-wolfe", "strong_wolfe")]


class Problem:
    """The iris batch and the network layout of the dump."""

    def __init__(self, dump):
        self.rows, self.cols = dump["rows"], dump["cols"]
        self.x = torch.tensor(dump["features"], dtype=torch.float64).reshape(self.rows, self.cols)
        self.y = torch.tensor(dump["labels"], dtype=torch.long)
        self.layers = []  # (weights offset, in, out, bias offset)
        blocks, n = dump["learnables"], 0
        if len(blocks) % 2 != 0:
            raise ValueError("dump: learnables must come in Weights, Bias pairs")
        for w, b in zip(blocks[0::2], blocks[1::2]):
            (fan_in, fan_out), (bias_len,) = w["shape"], b["shape"]
            if not (w["name"].endswith("/Weights") and b["name"].endswith("/Bias") and bias_len == fan_out
                    and w["offset"] == n and b["offset"] == n + fan_in * fan_out):
                raise ValueError(f"dump: unexpected learnables {w} {b}")
            self.layers.append((n, fan_in, fan_out, n + fan_in * fan_out))
            n += fan_in * fan_out + fan_out
        self.num_params = n

    def model(self, flat):
        """The network with lbfgsnet's flat parameters flat."""
        if len(flat) != self.num_params:
            raise ValueError(f"{len(flat)} parameters, the layout has {self.num_params}")
        v = torch.tensor(flat, dtype=torch.float64)
        mods = []
        for w_off, fan_in, fan_out, b_off in self.layers:
            lin = torch.nn.Linear(fan_in, fan_out, dtype=torch.float64)
            with torch.no_grad():
                lin.weight.copy_(v[w_off:w_off + fan_in * fan_out].reshape(fan_in, fan_out).t())
                lin.bias.copy_(v[b_off:b_off + fan_out])
            mods += [lin, torch.nn.ReLU()]
        return torch.nn.Sequential(*mods[:-1])

    def evaluate(self, model):
        """Loss, gradient norm and training accuracy of model."""
        model.zero_grad()
        out = model(self.x)
        loss = F.cross_entropy(out, self.y)
        loss.backward()
        g = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
        return float(loss), float(g.norm()), float((out.argmax(1) == self.y).sum()) / self.rows


def flat_point(params):
    return torch.cat([p.detach().reshape(-1) for p in params])


class CountingClosure:
    """A closure that records every evaluation and answers a repeated point
    from the evaluations of the current step() call."""

    def __init__(self, problem, model):
        self.p, self.model = problem, model
        self.params = list(model.parameters())
        self.cache, self.evals, self.last = [], 0, None

    def lookup(self, x):
        for e in self.cache:
            if torch.equal(e["x"], x):
                return e
        return None

    def __call__(self):
        x = flat_point(self.params)
        e = self.lookup(x)
        if e is None:
            for q in self.params:
                q.grad = None
            out = self.model(self.p.x)
            loss = F.cross_entropy(out, self.p.y)
            loss.backward()
            g = torch.cat([q.grad.reshape(-1) for q in self.params])
            e = {"x": x, "loss": float(loss), "g": g.clone(), "gnorm": float(g.norm()),
                 "accuracy": float((out.argmax(1) == self.p.y).sum()) / self.p.rows}
            self.evals += 1
            self.cache.append(e)
        else:
            off = 0
            for q in self.params:
                q.grad = e["g"][off:off + q.numel()].view_as(q).clone()
                off += q.numel()
        self.last = e
        return torch.tensor(e["loss"], dtype=torch.float64)


def lbfgs(params, line_search, max_iter, s):
    return torch.optim.LBFGS(params, lr=1, max_iter=max_iter, max_eval=2**62, tolerance_grad=0,
                             tolerance_change=0, history_size=s["history_size"], line_search_fn=line_search)


def count_run(problem, flat, line_search, s):
    """The counting pass: iterations, evaluations and the outcome."""
    model = problem.model(flat)
    c = CountingClosure(problem, model)
    opt = lbfgs(c.params, line_search, 1, s)
    c()
    cur = c.last
    r = {"iterations": 0, "accuracy_iteration": 0 if cur["accuracy"] >= s["accuracy"] else -1,
         "status": "IterationLimit", "failed": False, "error": ""}
    while True:
        if not (math.isfinite(cur["loss"]) and math.isfinite(cur["gnorm"])):
            r["status"], r["failed"] = "NonFinite", True
            break
        if cur["gnorm"] <= s["gradient_tolerance"]:
            r["status"] = "GradientTolerance"
            break
        if r["iterations"] >= s["max_iterations"]:
            break
        c.cache = [cur]
        try:
            opt.step(c)
        except Exception as exc:  # a failure inside torch ends the run, as an error ends ours
            r["status"], r["failed"], r["error"] = "Error", True, repr(exc)
            break
        x = flat_point(c.params)
        if torch.equal(x, cur["x"]):
            r["status"], r["failed"] = "Stalled", True
            break
        r["iterations"] += 1
        cur = c.lookup(x)
        if cur is None:  # no line search: step() did not evaluate its iterate
            c()
            cur = c.last
        if r["accuracy_iteration"] < 0 and r["iterations"] <= s["accuracy_iterations"] \
                and cur["accuracy"] >= s["accuracy"]:
            r["accuracy_iteration"] = r["iterations"]
    r.update(evaluations=c.evals, loss=cur["loss"], gradient_norm=cur["gnorm"], accuracy=cur["accuracy"],
             converged=r["status"] == "GradientTolerance")
    return r, flat_point(c.params)


def timed_run(problem, flat, line_search, s, iterations):
    """The timed pass: one native step() of the given iterations."""
    model = problem.model(flat)
    params = list(model.parameters())
    calls = 0

    def closure():
        nonlocal calls
        calls += 1
        opt.zero_grad()
        loss = F.cross_entropy(model(problem.x), problem.y)
        loss.backward()
        return loss

    opt = lbfgs(params, line_search, max(1, iterations), s)
    start = time.perf_counter()
    try:
        if iterations == 0:
            closure()
        else:
            opt.step(closure)
            if line_search is None:
                closure()
    except Exception:  # the counting pass has recorded it; the check of identical runs reports it
        pass
    return time.perf_counter() - start, calls, flat_point(params)


def time_evaluations(problem, flat, n, blocks):
    """Mean time of n evaluations at flat, the shortest of blocks blocks."""
    model = problem.model(flat)
    opt_params = list(model.parameters())

    def closure():
        for q in opt_params:
            if q.grad is not None:
                q.grad.zero_()
        loss = F.cross_entropy(model(problem.x), problem.y)
        loss.backward()
        return loss

    for _ in range(max(1, n // 10)):
        closure()
    best = math.inf
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(n):
            closure()
        best = min(best, (time.perf_counter() - start) / n)
    return best


def check_initial(problem, dump):
    """Largest relative difference of torch's initial loss and gradient norm
    from lbfgsnet's, over the seeds; exits if they compute different functions."""
    worst = 0.0
    for sd in dump["seeds"]:
        loss, gnorm, acc = problem.evaluate(problem.model(sd["params"]))
        for a, b in ((loss, sd["loss"]), (gnorm, sd["gradient_norm"])):
            worst = max(worst, abs(a - b) / abs(b))
        if acc != sd["accuracy"]:
            worst = math.inf
    if not worst <= 1e-12:  # float64 rounding of two summation orders is ~1e-16 relative
        sys.exit(f"iris_torch.py: torch's initial loss differs from lbfgsnet's by {worst:.3g} relative: "
                 "the two sides do not compute the same function")
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dump", required=True, help="JSON written by irisdump -dump")
    ap.add_argument("--ours", required=True, help="JSON irisdump printed")
    ap.add_argument("--json", help="also write torch's figures to this file")
    a = ap.parse_args()
    with open(a.dump) as f:
        dump = json.load(f)
    with open(a.ours) as f:
        ours = json.load(f)
    s = dump["settings"]
    problem = Problem(dump)
    initial_diff = check_initial(problem, dump)
    torch_res = {"torch_version": torch.__version__, "threads": torch.get_num_threads(),
                 "python": sys.version.split()[0], "runs": [], "initial_relative_difference": initial_diff,
                 "eval_seconds": time_evaluations(problem, dump["seeds"][0]["params"],
                                                     s["timing_evaluations"], s["timing_blocks"])}
    for sd in dump["seeds"]:
        for ours_ls, ls in PAIRS:
            r, final = count_run(problem, sd["params"], ls, s)
            # A stalled or failed step() made evaluations without moving: time it too.
            stalled = r["status"] in ("Stalled", "Error")
            times, identical = [], True
            for _ in range(s["repeats"]):
                sec, calls, timed_final = timed_run(problem, sd["params"], ls, s, r["iterations"] + stalled)
                times.append(sec)
                identical = identical and calls == r["evaluations"] and bool(torch.equal(final, timed_final))
            r.update(seed=sd["seed"], line_search=ls or "none", lbfgsnet_pair=ours_ls, seconds=min(times),
                     identical=identical)
            torch_res["runs"].append(r)
    iris_report.cross_check(problem, ours, torch_res)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(torch_res, f, indent=1)
    print(iris_report.markdown(dump, ours, torch_res))


if __name__ == "__main__":
    main()
