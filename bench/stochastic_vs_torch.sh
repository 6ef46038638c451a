#!/usr/bin/env bash
# stochastic_vs_torch.sh: lbfgsnet's stochastic L-BFGS (SQN as oneDAL, SQN
# with the recommended settings, multi-batch and progressive batching
# L-BFGS), full-batch L-BFGS, Adam and SGD beside PyTorch 1.13's full-batch
# LBFGS and Adam, in one run, on a logistic regression (200,000 × 100) and a
# 64-128-10 network (100,000 rows labelled by a teacher network); prints
# Markdown tables (see bench/README.md).
#
#   bench/stochastic_vs_torch.sh [OUTDIR]
#
# PROBLEMS (default "logistic mlp"), SEEDS (default 1,2,3) and EPOCHS
# (default 20) narrow the run.
. "$(dirname "$0")/setup.sh"
need_python torch,numpy python3-torch
output_dir "$@"
# PyTorch's OpenMP threads must not busy-wait against ours (see docs/benchmarks.md).
export OMP_WAIT_POLICY=PASSIVE

go build -o "$out/stochasticdump" ./bench/stochasticdump
# Ours, then PyTorch's, one after the other (never at the same time, which
# would make their times incomparable), with the load average around each.
for p in ${PROBLEMS:-logistic mlp}; do
	echo "$name: $p: before: $(uptime)" >&2
	"$out/stochasticdump" -problem "$p" -seeds "${SEEDS:-1,2,3}" -epochs "${EPOCHS:-20}" -dump "$out/$p" >"$out/$p-ours.json"
	"$py" bench/stochastic_torch.py --dump "$out/$p" --seeds "${SEEDS:-1,2,3}" --epochs "${EPOCHS:-20}" --json "$out/$p-torch.json"
	rm -f "$out/$p"/*.f64
	echo "$name: $p: after: $(uptime)" >&2
done
"$py" bench/stochastic_report.py "$out"/*-ours.json "$out"/*-torch.json
