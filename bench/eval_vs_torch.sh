#!/usr/bin/env bash
# eval_vs_torch.sh: one loss-and-gradient evaluation of lbfgsnet (OpenBLAS and
# gonum backends) beside PyTorch (1 and 2 threads) on six network/dtype rows,
# the time of the products alone on OpenBLAS, and 100 iterations of training
# digits beside torch.optim.LBFGS; prints Markdown tables (bench/README.md).
#
#   bench/eval_vs_torch.sh [OUTDIR]
#
# ROUNDS (default 3) rounds, each running every side once in turn, so that
# ours and PyTorch's figures of a round share the machine's load; SECONDS
# (default 1) is the time spent measuring each case per round. With OUTDIR the
# data and results.jsonl are kept there.
. "$(dirname "$0")/setup.sh"
need_python torch,numpy python3-torch
output_dir "$@"
rounds=${ROUNDS:-3}
secs=${SECONDS_PER_CASE:-1}

go build -o "$out/evalbench" ./bench/evalbench
digits=()
if "$py" -c 'import sklearn' 2>/dev/null; then
	"$py" bench/eval_torch.py --dir "$out" --dump-digits "$out/sk-digits"
	digits=(-digits "$out/sk-digits")
else
	echo "eval_vs_torch.sh: no scikit-learn: the digits-shaped problems use synthetic data" >&2
fi
"$out/evalbench" -dir "$out" -dump "${digits[@]}"
sync # the dumped data (about 100 MB) written back now, not while round 1 is timed

export OMP_WAIT_POLICY=PASSIVE # torch's busy-waiting threads would fight OpenBLAS's
res=$out/results.jsonl
: >"$res"
tag() { "$py" -c 'import json,sys; r=sys.argv[1]
for l in sys.stdin:
    d=json.loads(l); d["round"]=int(r); print(json.dumps(d))' "$1" >>"$res"; }
for r in $(seq "$rounds"); do
	echo "round $r of $rounds: $(uptime | sed 's/.*load/load/')" >&2
	LBFGSNET_BLAS=openblas "$out/evalbench" -dir "$out" -eval -seconds "$secs" | tag "$r"
	LBFGSNET_BLAS=gonum "$out/evalbench" -dir "$out" -eval -seconds "$secs" | tag "$r"
	for th in 1 2; do "$py" bench/eval_torch.py --dir "$out" --threads "$th" --seconds "$secs" | tag "$r"; done
	LBFGSNET_BLAS=openblas "$out/evalbench" -dir "$out" -gemm -seconds "$secs" | tag "$r"
	LBFGSNET_BLAS=openblas "$out/evalbench" -dir "$out" -train | tag "$r"
	LBFGSNET_BLAS=gonum "$out/evalbench" -dir "$out" -train | tag "$r"
	for th in 1 2; do "$py" bench/eval_torch.py --dir "$out" --threads "$th" --train | tag "$r"; done
done
echo "load after the run: $(uptime | sed 's/.*load/load/')" >&2
"$py" bench/eval_report.py "$res"
