"""Markdown tables from the JSON of stochasticdump and stochastic_torch.py.

For each problem: the full-training-set loss after 1, 2, 5, 10 and 20 epochs
(median over sampling seeds, and the worst seed), the work per epoch in
gradient terms (an epoch is N gradient or Hessian-vector terms; a network's
Hessian-vector term costs two gradient terms), the wall time to reach the
loss full-batch L-BFGS has after 10 and after 50 iterations (or its last
iteration, if it stopped earlier), and whether a run diverged.
"""
import json
import math
import statistics
import sys

EPOCHS = (1, 2, 5, 10, 20)


def at_epoch(points, e):
    """Loss of the last record at or before epoch e (None if the run ended before it)."""
    if points[-1]["epoch"] < e - 0.05:
        return None
    best = None
    for p in points:
        if p["epoch"] <= e + 1e-9:
            best = p["loss"]
    return best


def time_to(points, target, key="t"):
    """The first record's time (or epochs, key="epoch") at or below target."""
    for p in points:
        if p["loss"] <= target:
            return p[key]
    return None


def fmt(v, digits=6):
    if v is None:
        return "—"
    if not math.isfinite(v) or abs(v) > 1e6:
        return "diverged"
    return ("%." + str(digits) + "f") % v


def work_per_epoch(points):
    """Gradient terms per gradient-or-Hessian-vector term over the run."""
    last = points[-1]
    if not last["epoch"]:
        return 1.0
    return last.get("work", last["epoch"]) / last["epoch"]


def diverged(points):
    l0 = points[0]["loss"]
    return any((not math.isfinite(p["loss"])) or p["loss"] > 2 * l0 for p in points)


def main(paths):
    runs = []
    for p in paths:
        text = open(p).read().strip()
        if text.startswith("["):
            runs += json.loads(text)
        elif text:
            runs += [json.loads(line) for line in text.splitlines()]
    problems = []
    for r in runs:
        if r["problem"] not in problems:
            problems.append(r["problem"])
    for prob in problems:
        rs = [r for r in runs if r["problem"] == prob]
        methods = []
        for r in rs:
            if r["method"] not in methods:
                methods.append(r["method"])
        refs = [r for r in rs if r["method"] == "lbfgs"]
        ref = refs[0]
        t10 = ref.get("iteration10") or ref["points"][-1]["loss"]
        t50 = ref.get("iteration50") or min(p["loss"] for p in ref["points"])
        # The reference's runs are identical but for their times: the median.
        ref10 = statistics.median(time_to(r["points"], t10) for r in refs)
        ref50 = statistics.median(time_to(r["points"], t50) for r in refs)
        print("### %s\n" % prob)
        print("Full-training-set loss after E epochs (median over seeds; worst seed in brackets when seeds differ):\n")
        print("| method | seeds | " + " | ".join("E = %d" % e for e in EPOCHS) + " | gradient work per epoch | diverged | status |")
        print("|---|---|" + "---|" * len(EPOCHS) + "---|---|---|")
        for m in methods:
            mr = [r for r in rs if r["method"] == m]
            cells = []
            for e in EPOCHS:
                vals = [at_epoch(r["points"], e) for r in mr]
                if any(v is None for v in vals):
                    cells.append("—")
                    continue
                med, worst = statistics.median(vals), max(vals)
                cells.append(fmt(med) + ("" if len(vals) == 1 or worst == med else " (%s)" % fmt(worst)))
            div = sum(diverged(r["points"]) for r in mr)
            statuses = sorted(set(r["status"] for r in mr))
            work = statistics.median(work_per_epoch(r["points"]) for r in mr)
            print("| %s | %d | %s | %.2f | %d of %d | %s |" % (m, len(mr), " | ".join(cells), work, div, len(mr), ", ".join(statuses)))
        print("\nWall time (s, median over seeds) to reach full-batch L-BFGS's loss after 10 iterations "
              "(%.10g) and after 50 iterations or at its end (%.10g); ratio to full-batch L-BFGS; and the epochs "
              "spent by then (median; they do not depend on the machine's load); the worst seed's ratio in brackets "
              "when seeds differ:\n" % (t10, t50))
        print("| method | to 10-iteration loss | ratio | epochs | to 50-iteration loss | ratio | epochs |")
        print("|---|---|---|---|---|---|---|")
        for m in methods:
            mr = [r for r in rs if r["method"] == m]
            row = [m]
            for tgt, reft in ((t10, ref10), (t50, ref50)):
                ts = [time_to(r["points"], tgt) for r in mr]
                if any(t is None for t in ts):
                    reached = sum(t is not None for t in ts)
                    row += ["not reached (%d of %d seeds)" % (reached, len(ts)) if reached else "not reached", "—", "—"]
                    continue
                med, worst = statistics.median(ts), max(ts)
                ep = statistics.median(time_to(r["points"], tgt, "epoch") for r in mr)
                ratio = "—"
                if reft:
                    ratio = "%.2f" % (med / reft) + ("" if len(ts) == 1 or m == "lbfgs" else " (%.2f)" % (worst / reft))
                row += ["%.2f" % med, ratio, "%.2f" % ep]
            print("| " + " | ".join(row) + " |")
        print("\nSettings:\n")
        for m in methods:
            r = next(r for r in rs if r["method"] == m)
            print("- **%s**: %s" % (m, r["settings"]))
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
