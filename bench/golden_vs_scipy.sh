#!/usr/bin/env bash
# golden_vs_scipy.sh: loss evaluations to converge on the golden problems
# (internal/golden), lbfgsnet's three line searches beside gonum's L-BFGS,
# SciPy's L-BFGS-B (Moré–Thuente line search) and PyTorch's L-BFGS with
# strong Wolfe, in one run, every solver on the same functions (served by
# bench/goldendump) to the same stop: ‖g‖∞ ≤ 1e-6·max(1, |f*|), 10 pairs.
# Prints a Markdown table (see docs/benchmarks.md).
#
#   bench/golden_vs_scipy.sh
. "$(dirname "$0")/setup.sh"
need_python scipy,torch "python3-scipy python3-torch"
output_dir "$@"
go build -o "$out/goldendump" ./bench/goldendump
"$out/goldendump" -ours >"$out/ours.json"
"$py" bench/golden_reference.py "$out/goldendump" >"$out/ref.json"
"$py" - "$out/ours.json" "$out/ref.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1])) + json.load(open(sys.argv[2]))
cols = ["lbfgsnet-weak-wolfe", "lbfgsnet-strong-wolfe", "lbfgsnet-backtracking", "scipy-lbfgsb",
        "gonum-morethuente", "gonum-bisection", "torch-strong-wolfe"]
table, order = {}, []
for r in rows:
    if r["problem"] not in table:
        order.append(r["problem"])
    table.setdefault(r["problem"], {})[r["solver"]] = r
print("| problem | " + " | ".join(cols) + " |")
print("|---|" + "---:|" * len(cols))
total = {c: 0 for c in cols}
for p in order:
    cells = []
    for c in cols:
        r = table[p][c]
        total[c] += r["evaluations"]
        cells.append(str(r["evaluations"]) + ("" if r["converged"] else " (not converged)"))
    print(f"| {p} | " + " | ".join(cells) + " |")
print("| **total** | " + " | ".join(str(total[c]) for c in cols) + " |")
s = total["lbfgsnet-strong-wolfe"] / total["scipy-lbfgsb"]
print(f"\nstrong-wolfe / SciPy L-BFGS-B = {s:.3f}")
PY
