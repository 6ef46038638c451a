#!/usr/bin/env bash
# iris_vs_torch.sh: lbfgsnet beside PyTorch's torch.optim.LBFGS on MATLAB's
# iris network, in one run; prints Markdown tables (see bench/README.md).
#
#   bench/iris_vs_torch.sh [OUTDIR]
#
# With OUTDIR, the JSON files of both sides are kept there (iris.json,
# ours.json, torch.json); otherwise they go to a temporary directory that
# is removed at the end. SEEDS (default 20) sets the number of seeds.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's interpreter, where apt installs torch; not the python3 first in PATH.
py=/usr/bin/python3
if [ ! -x "$py" ]; then
	echo "iris_vs_torch.sh: $py not found: apt-get install python3 python3-torch" >&2
	exit 1
fi
if ! "$py" -c 'import torch' 2>/dev/null; then
	echo "iris_vs_torch.sh: $py cannot import torch: apt-get install python3-torch" >&2
	exit 1
fi

if [ $# -gt 1 ]; then
	echo "usage: bench/iris_vs_torch.sh [OUTDIR]" >&2
	exit 2
fi
if [ $# -eq 1 ]; then
	out=$1
	mkdir -p "$out"
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi

go build -o "$out/irisdump" ./bench/irisdump
"$out/irisdump" -seeds "${SEEDS:-20}" -dump "$out/iris.json" >"$out/ours.json"
"$py" bench/iris_torch.py --dump "$out/iris.json" --ours "$out/ours.json" --json "$out/torch.json"
