#!/usr/bin/env bash
# constrained_vs_scipy.sh: the solver's L-BFGS-B beside SciPy's and its
# OWL-QN beside scikit-learn's L1 solvers, in one run; prints Markdown
# tables (see bench/README.md).
#
#   bench/constrained_vs_scipy.sh [OUTDIR]
#
# With OUTDIR, the problems and our results are kept there (problems.json,
# ours.json); otherwise they go to a temporary directory removed at the end.
# REPEATS (default 5) sets how many times each run is timed.
. "$(dirname "$0")/setup.sh"
need_python scipy,sklearn "python3-scipy python3-sklearn"
output_dir "$@"

go build -o "$out/constrained" ./bench/constrained
"$out/constrained" -dump "$out/problems.json" -repeats "${REPEATS:-5}" >"$out/ours.json"
"$py" bench/constrained_report.py --dump "$out/problems.json" --ours "$out/ours.json"
