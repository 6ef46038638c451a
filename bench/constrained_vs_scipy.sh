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
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's interpreter, where apt installs SciPy and scikit-learn.
py=/usr/bin/python3
if ! "$py" -c 'import scipy, sklearn' 2>/dev/null; then
	echo "constrained_vs_scipy.sh: $py cannot import scipy and sklearn: apt-get install python3-scipy python3-sklearn" >&2
	exit 1
fi
if [ $# -gt 1 ]; then
	echo "usage: bench/constrained_vs_scipy.sh [OUTDIR]" >&2
	exit 2
fi
if [ $# -eq 1 ]; then
	out=$1
	mkdir -p "$out"
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi

go build -o "$out/constrained" ./bench/constrained
"$out/constrained" -dump "$out/problems.json" -repeats "${REPEATS:-5}" >"$out/ours.json"
"$py" bench/constrained_report.py --dump "$out/problems.json" --ours "$out/ours.json"
