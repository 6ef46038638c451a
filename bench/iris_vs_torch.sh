#!/usr/bin/env bash
# iris_vs_torch.sh: lbfgsnet beside PyTorch's torch.optim.LBFGS on MATLAB's
# iris network, in one run; prints Markdown tables (see bench/README.md).
#
#   bench/iris_vs_torch.sh [OUTDIR]
#
# With OUTDIR, the JSON files of both sides are kept there (iris.json,
# ours.json, torch.json); otherwise they go to a temporary directory that
# is removed at the end. SEEDS (default 20) sets the number of seeds.
. "$(dirname "$0")/setup.sh"
need_python torch python3-torch
output_dir "$@"

go build -o "$out/irisdump" ./bench/irisdump
"$out/irisdump" -seeds "${SEEDS:-20}" -dump "$out/iris.json" >"$out/ours.json"
"$py" bench/iris_torch.py --dump "$out/iris.json" --ours "$out/ours.json" --json "$out/torch.json"
