#!/usr/bin/env bash
# burgers_vs_torch.sh: lbfgsnet beside PyTorch's torch.optim.LBFGS on MATLAB's
# Burgers' equation example (a physics-informed network), in one run; prints
# Markdown tables (see bench/README.md).
#
#   bench/burgers_vs_torch.sh [OUTDIR]
#
# With OUTDIR, the JSON files of both sides are kept there (burgers.json,
# ours.json, torch.json); otherwise they go to a temporary directory that is
# removed at the end. ITERATIONS (default 100,300,1000) sets the checkpoints,
# THREADS (default 2) PyTorch's threads in training, ROUNDS (default 5) the
# interleaved timing rounds of one evaluation, SEED (default 1) the seed of the
# initial weights and collocation points.
. "$(dirname "$0")/setup.sh"
need_python torch python3-torch
output_dir "$@"

# PyTorch's OpenMP threads busy-wait by default, which on two cores fights
# the other side's threads; passive waiting is the fair setting.
export OMP_WAIT_POLICY=PASSIVE
go build -o "$out/burgersdump" ./bench/burgersdump
"$out/burgersdump" -seed "${SEED:-1}" -iterations "${ITERATIONS:-100,300,1000}" -dump "$out/burgers.json" >"$out/ours.json"
# The time of one evaluation, ours and PyTorch's on 1 and 2 threads one
# after the other, ROUNDS times: on a shared machine the load changes
# between the two training runs, less between neighbouring measurements.
: >"$out/rounds.txt"
for _ in $(seq "${ROUNDS:-5}"); do
	o=$("$out/burgersdump" -time-only)
	t1=$("$py" bench/burgers_torch.py --dump "$out/burgers.json" --ours "$out/ours.json" --time-only --threads 1)
	t2=$("$py" bench/burgers_torch.py --dump "$out/burgers.json" --ours "$out/ours.json" --time-only --threads 2)
	echo "$o $t1 $t2" >>"$out/rounds.txt"
done
"$py" bench/burgers_torch.py --dump "$out/burgers.json" --ours "$out/ours.json" --json "$out/torch.json" \
	--threads "${THREADS:-2}" --rounds "$out/rounds.txt"
