#!/usr/bin/python3
"""Markdown report of bench/burgers_vs_torch.sh over several seeds: per
seed and checkpoint, lbfgsnet's errors and loss beside torch.optim.LBFGS's,
and over the seeds the median and geometric mean of the ratios ours/PyTorch
and how often each side ended lower.

    /usr/bin/python3 bench/burgers_report.py DIR [DIR ...]

Each DIR holds one seed's ours.json (bench/burgersdump) and torch.json
(bench/burgers_torch.py --json). The trajectory of this training is chaotic:
a change in the last bit of the loss gives another run, so a single seed
says little about which solver is more accurate, and the distribution over
seeds is the comparison.
"""

import json
import math
import os
import statistics
import sys

SLICES = ("t=0.25", "t=0.5", "t=0.75", "t=1")


def load(d):
    """Returns (seed, ours, torch) of one seed's directory."""
    with open(os.path.join(d, "ours.json")) as f:
        ours = json.load(f)
    with open(os.path.join(d, "torch.json")) as f:
        theirs = json.load(f)
    if "seed" not in ours:
        sys.exit(f"burgers_report.py: {d}/ours.json names no seed")
    return ours["seed"], ours, theirs


def at(checkpoints, iteration):
    """The checkpoint at iteration, or the last one before it (a run that
    stopped early keeps its final figures)."""
    best = None
    for c in checkpoints:
        if c["iteration"] <= iteration:
            best = c
    return best


def figures(c):
    """The compared figures of one checkpoint, in table order."""
    return list(c["errors"]) + [c["matrix"], c["loss"]]


NAMES = list(SLICES) + ["MATLAB figure", "loss"]


def gmean(v):
    return math.exp(sum(math.log(x) for x in v) / len(v))


def e(v):
    return f"{v:.2e}"


def per_seed(runs, iteration):
    print(f"\n### After {iteration} iterations\n")
    print("| seed | lbfgsnet error t=0.25 / 0.5 / 0.75 / 1 | PyTorch | ratio | MATLAB figure lbfgsnet / PyTorch (ratio) "
          "| loss lbfgsnet / PyTorch (ratio) |")
    print("|---:|---|---|---|---|---|")
    for seed, ours, theirs in runs:
        a, b = at(ours["checkpoints"], iteration), at(theirs["checkpoints"], iteration)
        note = "" if a["iteration"] == iteration else f" (stopped at {a['iteration']})"
        print(f"| {seed}{note} | {' / '.join(map(e, a['errors']))} | {' / '.join(map(e, b['errors']))} "
              f"| {' / '.join(f'{x / y:.2f}' for x, y in zip(a['errors'], b['errors']))} "
              f"| {e(a['matrix'])} / {e(b['matrix'])} ({a['matrix'] / b['matrix']:.2f}) "
              f"| {e(a['loss'])} / {e(b['loss'])} ({a['loss'] / b['loss']:.2f}) |")


def summary(runs, checkpoints):
    n = len(runs)
    print(f"\n### Over the {n} seeds\n")
    print("Ratio ours / PyTorch per seed: median, geometric mean, smallest and largest; \"lower\" counts the seeds "
          "where each side's figure was the lower; \"medians\" are each side's median over the seeds.\n")
    print("| iterations | figure | median ratio | geometric mean ratio | range | lower: lbfgsnet / PyTorch "
          "| medians lbfgsnet / PyTorch |")
    print("|---:|---|---:|---:|---|---|---|")
    for it in checkpoints:
        cols = [(figures(at(o["checkpoints"], it)), figures(at(t["checkpoints"], it))) for _, o, t in runs]
        for k, name in enumerate(NAMES):
            ours = [a[k] for a, _ in cols]
            theirs = [b[k] for _, b in cols]
            r = [x / y for x, y in zip(ours, theirs)]
            wins = sum(x < y for x, y in zip(ours, theirs))
            losses = sum(x > y for x, y in zip(ours, theirs))
            print(f"| {it} | {name} | {statistics.median(r):.2f} | {gmean(r):.2f} | {min(r):.2f}–{max(r):.2f} "
                  f"| {wins} / {losses} | {e(statistics.median(ours))} / {e(statistics.median(theirs))} |")
        slices = [a[k] / b[k] for a, b in cols for k in range(len(SLICES))]
        wins = sum(x < 1 for x in slices)
        print(f"| {it} | all {len(slices)} slices | {statistics.median(slices):.2f} | {gmean(slices):.2f} "
              f"| {min(slices):.2f}–{max(slices):.2f} | {wins} / {sum(x > 1 for x in slices)} | |")


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: burgers_report.py DIR [DIR ...]")
    runs = sorted((load(d) for d in sys.argv[1:]), key=lambda r: r[0])
    checkpoints = [c["iteration"] for c in runs[0][2]["checkpoints"]]
    print(f"## lbfgsnet beside PyTorch over seeds {', '.join(str(r[0]) for r in runs)}")
    for it in checkpoints:
        per_seed(runs, it)
    summary(runs, checkpoints)


if __name__ == "__main__":
    main()
