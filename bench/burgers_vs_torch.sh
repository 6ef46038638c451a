#!/usr/bin/env bash
# burgers_vs_torch.sh: lbfgsnet beside PyTorch's torch.optim.LBFGS on MATLAB's
# Burgers' equation example (a physics-informed network), in one run; prints
# Markdown tables (see bench/README.md).
#
#   bench/burgers_vs_torch.sh [OUTDIR]
#   SEEDS=1,2,3,4,5 bench/burgers_vs_torch.sh [OUTDIR]
#
# With OUTDIR, the JSON files of both sides are kept there (burgers.json,
# ours.json, torch.json; with several seeds, in OUTDIR/seedN for each seed
# N); otherwise they go to a temporary directory that is removed at the end.
# ITERATIONS (default 100,300,1000) sets the checkpoints, THREADS (default 2)
# PyTorch's threads in training, ROUNDS (default 5; 0 for none) the
# interleaved timing rounds of one evaluation, SEED (default 1) the seed of
# the initial weights and collocation points. SEEDS, a comma-separated list,
# trains every seed in turn, prints each seed's tables, then a table of all
# seeds with the ratios' median and geometric mean and how often each side
# ended lower (bench/burgers_report.py); the timing rounds run once, on the
# first seed.
. "$(dirname "$0")/setup.sh"
need_python torch python3-torch
output_dir "$@"

seeds=${SEEDS:-${SEED:-1}}
if ! [[ $seeds =~ ^[0-9]+(,[0-9]+)*$ ]]; then
	echo "$name: SEEDS=$seeds: want seeds separated by commas, such as 1,2,3" >&2
	exit 2
fi
IFS=, read -r -a seeds <<<"$seeds"
if [ "$(printf '%s\n' "${seeds[@]}" | sort -u | wc -l)" -ne ${#seeds[@]} ]; then
	echo "$name: SEEDS=${SEEDS}: a seed is repeated" >&2
	exit 2
fi

# PyTorch's OpenMP threads busy-wait by default, which on two cores fights
# the other side's threads; passive waiting is the fair setting.
export OMP_WAIT_POLICY=PASSIVE
go build -o "$out/burgersdump" ./bench/burgersdump

# train SEED DIR trains both sides from the seed's problem and prints the
# seed's tables; the timing rounds in DIR/rounds.txt, if any, are reported
# after them.
train() {
	"$out/burgersdump" -seed "$1" -iterations "${ITERATIONS:-100,300,1000}" -dump "$2/burgers.json" >"$2/ours.json"
	if [ ! -e "$2/rounds.txt" ]; then
		rounds "$1" "$2"
	fi
	"$py" bench/burgers_torch.py --dump "$2/burgers.json" --ours "$2/ours.json" --json "$2/torch.json" \
		--threads "${THREADS:-2}" --rounds "$2/rounds.txt"
}

# rounds SEED DIR times one evaluation, ours and PyTorch's on 1 and 2
# threads one after the other, ROUNDS times: on a shared machine the load
# changes between the two training runs, less between neighbouring
# measurements.
rounds() {
	: >"$2/rounds.txt"
	for _ in $(seq "${ROUNDS:-5}"); do
		o=$("$out/burgersdump" -seed "$1" -time-only)
		t1=$("$py" bench/burgers_torch.py --dump "$2/burgers.json" --ours "$2/ours.json" --time-only --threads 1)
		t2=$("$py" bench/burgers_torch.py --dump "$2/burgers.json" --ours "$2/ours.json" --time-only --threads 2)
		echo "$o $t1 $t2" >>"$2/rounds.txt"
	done
}

if [ ${#seeds[@]} -eq 1 ]; then
	train "${seeds[0]}" "$out"
	exit
fi
dirs=()
for s in "${seeds[@]}"; do
	d="$out/seed$s"
	mkdir -p "$d"
	rm -f "$d/rounds.txt"
	if [ ${#dirs[@]} -gt 0 ]; then
		: >"$d/rounds.txt" # the rounds run on the first seed only
	fi
	echo "## Seed $s"
	echo
	train "$s" "$d"
	echo
	dirs+=("$d")
done
"$py" bench/burgers_report.py "${dirs[@]}"
