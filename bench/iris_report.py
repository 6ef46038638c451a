"""Markdown report of bench/iris_vs_torch.sh: lbfgsnet's figures (irisdump's
JSON) beside torch.optim.LBFGS's (iris_torch.py), with ratios ours/torch."""

import math
import os
import platform
import statistics

# How the tables name each line search.
NAMES = {"weak-wolfe": "weak-wolfe (default)", "strong-wolfe": "strong-wolfe",
         "none": "none (default)", "strong_wolfe": "strong_wolfe"}


def cross_check(problem, ours, torch_res):
    """Evaluates torch's loss at lbfgsnet's final parameters: the largest
    difference from the loss lbfgsnet reported there, and whether the
    training accuracies agree."""
    worst, agree = 0.0, True
    for r in ours["runs"]:
        if r["loss"] is None:
            continue
        loss, _, acc = problem.evaluate(problem.model(r["params"]))
        worst = max(worst, abs(loss - r["loss"]))
        agree = agree and acc == r["accuracy"]
    torch_res["final_loss_max_abs_difference"] = worst
    torch_res["final_accuracy_agrees"] = agree


def _fmt(v, spec):
    return "NaN" if v is None or (isinstance(v, float) and not math.isfinite(v)) else format(v, spec)


def _ratio(a, b):
    return "–" if not b else f"{a / b:.2f}"


def _runs(res, ls, seed=None):
    return [r for r in res["runs"] if r["line_search"] == ls and (seed is None or r["seed"] == seed)]


def _seed_rows(ours, torch_res, seed):
    lines = [f"Seed {seed} (`lbfgsnet train`'s default `--seed`):", "",
             "| solver | line search | status | iterations | loss evals | final loss | ‖g‖₂ | train acc |"
             " wall ms | µs per eval in the run |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    ratios = []
    for ours_ls, torch_ls in (("weak-wolfe", "none"), ("strong-wolfe", "strong_wolfe")):
        pair = []
        for name, res, ls in (("lbfgsnet", ours, ours_ls), ("torch", torch_res, torch_ls)):
            r = _runs(res, ls, seed)[0]
            pair.append(r)
            lines.append(f"| {name} | {NAMES[ls]} | {r['status']} | {r['iterations']} | {r['evaluations']} | "
                         f"{_fmt(r['loss'], '.3e')} | {_fmt(r['gradient_norm'], '.2e')} | "
                         f"{_fmt(r['accuracy'] and 100 * r['accuracy'], '.1f')}% | {1e3 * r['seconds']:.1f} | "
                         f"{1e6 * r['seconds'] / max(1, r['evaluations']):.0f} |")
        o, t = pair
        ratios.append(f"| **ours/torch** | {ours_ls} / {torch_ls} | | {_ratio(o['iterations'], t['iterations'])} | "
                      f"{_ratio(o['evaluations'], t['evaluations'])} | | | | {_ratio(o['seconds'], t['seconds'])} | "
                      f"{_ratio(o['seconds'] / max(1, o['evaluations']), t['seconds'] / max(1, t['evaluations']))} |")
    return lines + ratios


def _failures(rs):
    """The failed runs out of rs, with their statuses."""
    failed = [r["status"] for r in rs if r["failed"]]
    counts = ", ".join(f"{st} {failed.count(st)}" for st in sorted(set(failed)))
    return f"{len(failed)}/{len(rs)}" + (f" ({counts})" if counts else "")


def _sweep_rows(dump, ours, torch_res):
    s = dump["settings"]
    n = len(dump["seeds"])
    acc = f"≥{100 * s['accuracy']:.0f}% acc within {s['accuracy_iterations']} it"
    lines = [f"Seeds 1–{n}, each from the same initial weights on both sides (medians over the runs that reached "
             f"‖g‖₂ ≤ {s['gradient_tolerance']:g}):", "",
             f"| solver | line search | reached ‖g‖₂ ≤ {s['gradient_tolerance']:g} | median iterations | "
             f"median loss evals | total wall s | {acc} | median iteration to {100 * s['accuracy']:.0f}% | "
             "NaN / failure |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    ratios = []
    for ours_ls, torch_ls in (("weak-wolfe", "none"), ("strong-wolfe", "strong_wolfe")):
        for name, res, ls in (("lbfgsnet", ours, ours_ls), ("torch", torch_res, torch_ls)):
            rs = _runs(res, ls)
            conv = [r for r in rs if r["converged"]]
            hit = [r["accuracy_iteration"] for r in rs if r["accuracy_iteration"] >= 0]
            med = lambda v: f"{statistics.median(v):g}" if v else "–"
            lines.append(f"| {name} | {NAMES[ls]} | {len(conv)}/{len(rs)} | {med([r['iterations'] for r in conv])} | "
                         f"{med([r['evaluations'] for r in conv])} | {sum(r['seconds'] for r in rs):.2f} | "
                         f"{len(hit)}/{len(rs)} | {med(hit)} | {_failures(rs)} |")
        both = [(o, t) for o in _runs(ours, ours_ls) for t in _runs(torch_res, torch_ls)
                if o["seed"] == t["seed"] and o["converged"] and t["converged"]]
        tot = lambda k, i: sum(p[i][k] for p in both)
        ratios.append(f"| **ours/torch** | {ours_ls} / {torch_ls} | (totals over the {len(both)} seeds both reached) | "
                      f"{_ratio(tot('iterations', 0), tot('iterations', 1))} | "
                      f"{_ratio(tot('evaluations', 0), tot('evaluations', 1))} | "
                      f"{_ratio(tot('seconds', 0), tot('seconds', 1))} | | | |")
    return lines + ratios


def _eval_rows(ours, torch_res):
    t = torch_res["eval_seconds"]
    return ["One loss-and-gradient evaluation at seed 1's initial point (forward, cross-entropy, backward):", "",
            "| | µs per evaluation | ours/torch |", "|---|---:|---:|",
            f"| lbfgsnet, {ours['shards']} shards (nn.AutoShards, the default) | {1e6 * ours['eval_seconds']:.0f} | "
            f"{ours['eval_seconds'] / t:.2f} |",
            f"| lbfgsnet, 1 shard | {1e6 * ours['eval_seconds_one_shard']:.0f} | {ours['eval_seconds_one_shard'] / t:.2f} |",
            f"| torch, {torch_res['threads']} intra-op thread{'s' if torch_res['threads'] != 1 else ''} | {1e6 * t:.0f} | |"]


def _cpu():
    """The CPU model and count, as far as this machine tells."""
    model = platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} × {model}"


def markdown(dump, ours, torch_res):
    s = dump["settings"]
    same = all(r["identical"] for r in torch_res["runs"])
    head = [
        f"lbfgsnet ({ours['go_version']}, GOMAXPROCS {ours['gomaxprocs']}) beside PyTorch {torch_res['torch_version']} "
        f"(Python {torch_res['python']}, torch.get_num_threads() {torch_res['threads']}) on {_cpu()}, "
        f"{len(dump['seeds'])} seeds, history size {s['history_size']}, stop at ‖g‖₂ ≤ {s['gradient_tolerance']:g} "
        f"or {s['max_iterations']} iterations.",
        "",
        f"Checks: torch's loss and gradient norm at the {len(dump['seeds'])} initial points differ from lbfgsnet's by "
        f"≤ {torch_res['initial_relative_difference']:.1e} relative; torch's loss at lbfgsnet's final parameters differs "
        f"from the reported loss by ≤ {torch_res['final_loss_max_abs_difference']:.1e} absolute, accuracies "
        f"{'agree' if torch_res['final_accuracy_agrees'] else 'DISAGREE'}; torch's timed native runs "
        f"{'repeat the counting runs bit for bit' if same else 'DIFFER from the counting runs'}.",
        "",
    ]
    return "\n".join(head + _seed_rows(ours, torch_res, 1) + [""] + _sweep_rows(dump, ours, torch_res) + [""]
                     + _eval_rows(ours, torch_res))
