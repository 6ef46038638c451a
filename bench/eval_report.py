#!/usr/bin/python3
"""Markdown tables from the JSON lines of bench/eval_vs_torch.sh.

    /usr/bin/python3 bench/eval_report.py results.jsonl

Every figure is the median over the rounds of the run. A ratio is computed
within each round (ours and PyTorch measured minutes apart, under the same
load) and its median over rounds is reported, so that load that changes
between rounds cancels as far as it can.
"""

import json
import statistics
import sys

ORDER = [("iris", "float64"), ("iris", "float32"), ("digits", "float64"), ("digits", "float32"),
         ("large", "float64"), ("large", "float32")]


def side(r):
    if r["side"] == "pytorch":
        return f"torch{r['threads']}"
    return r["backend"]


def med(v):
    return statistics.median(v) if v else float("nan")


def fmt_ms(v):
    if v != v:
        return "–"
    return f"{v:.3g}" if v < 100 else f"{v:.0f}"


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    rounds = sorted({r["round"] for r in rows})
    # t[(kind, problem, dtype, side)][round] = ms
    t, loss, extra = {}, {}, {}
    for r in rows:
        s = "gemm" if r["kind"] == "gemm" else side(r)
        key = (r["kind"], r["problem"], r["dtype"], s)
        t.setdefault(key, {})[r["round"]] = r["ms"] if r["kind"] != "train" else r["ms_per_iteration"]
        if "loss" in r:
            loss.setdefault(key, r["loss"])
        if r["kind"] == "train":
            extra.setdefault(key, []).append(r)
        if "shape" in r:
            extra[(r["problem"], "shape")] = r["shape"]

    def ratio(a, b, kind, p, d):
        """Median over rounds of side a over the per-round best of sides b
        (a side "gemm" is the GEMM-only time)."""
        vs = []
        for rd in rounds:
            num = t.get((kind, p, d, a), {}).get(rd)
            dens = [t.get(("gemm" if x == "gemm" else kind, p, d, x), {}).get(rd) for x in b]
            dens = [x for x in dens if x is not None]
            if num is not None and dens:
                vs.append(num / min(dens))
        return med(vs)

    def m(kind, p, d, s):
        return med(list(t.get((kind, p, d, s), {}).values()))

    print(f"One loss-and-gradient evaluation, ms (median of {len(rounds)} rounds; ratios per round, then median)\n")
    print("| network | dtype | lbfgsnet OpenBLAS | lbfgsnet gonum | PyTorch 1 thread | PyTorch 2 threads | GEMM-only limit "
          "| OpenBLAS ÷ best PyTorch | gonum ÷ best PyTorch | OpenBLAS ÷ GEMM limit | losses agree |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for p, d in ORDER:
        o, g, t1, t2 = (m("eval", p, d, s) for s in ("openblas", "gonum", "torch1", "torch2"))
        lim = m("gemm", p, d, "gemm")
        ls = [loss.get(("eval", p, d, s)) for s in ("openblas", "gonum", "torch1")]
        ls = [x for x in ls if x is not None]
        tol = 1e-12 if d == "float64" else 1e-5
        agree = "yes" if ls and max(ls) - min(ls) <= tol * max(abs(x) for x in ls) else "NO"
        print(f"| {extra.get((p, 'shape'), p)} | {d} | {fmt_ms(o)} | {fmt_ms(g)} | {fmt_ms(t1)} | {fmt_ms(t2)} | {fmt_ms(lim)} "
              f"| {ratio('openblas', ['torch1', 'torch2'], 'eval', p, d):.2f} | {ratio('gonum', ['torch1', 'torch2'], 'eval', p, d):.2f} "
              f"| {ratio('openblas', ['gemm'], 'eval', p, d):.2f} | {agree} |")
    print()
    print("Training digits (1797×64-256-256-10, L2 1e-3), 100 iterations, strong Wolfe, history 10: ms per iteration "
          "(evaluations per run in brackets)\n")
    print("| dtype | lbfgsnet OpenBLAS | lbfgsnet gonum | PyTorch 1 thread | PyTorch 2 threads | OpenBLAS ÷ best PyTorch "
          "| CPU ms per iteration (OpenBLAS, gonum, PyTorch 1, 2 threads) | final loss (ours, PyTorch) |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for d in ("float64", "float32"):
        cells = []
        for s in ("openblas", "gonum", "torch1", "torch2"):
            runs = extra.get(("train", "digits-train", d, s), [])
            ev = "/".join(sorted({str(r["evaluations"]) for r in runs}))
            cells.append(f"{fmt_ms(m('train', 'digits-train', d, s))} ({ev})" if runs else "–")
        lo = loss.get(("train", "digits-train", d, "openblas"), float("nan"))
        lt = loss.get(("train", "digits-train", d, "torch1"), float("nan"))
        r = ratio("openblas", ["torch1", "torch2"], "train", "digits-train", d)
        cpu = ", ".join(fmt_ms(med([x["cpu_ms_per_iteration"] for x in extra.get(("train", "digits-train", d, s), [])
                                    if "cpu_ms_per_iteration" in x])) for s in ("openblas", "gonum", "torch1", "torch2"))
        print(f"| {d} | " + " | ".join(cells) + f" | {r:.2f} | {cpu} | {lo:.4g}, {lt:.4g} |")


if __name__ == "__main__":
    main()
