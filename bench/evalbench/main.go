// Command evalbench is lbfgsnet's half of bench/eval_vs_torch.sh: it
// writes the benchmark problems for the PyTorch side, times one
// loss-and-gradient evaluation of each, the matrix products alone, and 100
// iterations of training, printing one JSON object per line.
//
//	evalbench -dir DIR -dump              write DIR/manifest.json and the data
//	evalbench -dir DIR -eval              time evaluations on the current BLAS
//	evalbench -dir DIR -gemm              time the products of an evaluation on OpenBLAS
//	evalbench -dir DIR -train             train digits-shaped 64-256-256-10, 100 iterations
//
// -problem NAME and -dtype float64|float32 time one network or dtype only, -shards N sets
// ObjectiveOptions.Shards (default: nn.AutoShards), -cpuprofile FILE writes
// a CPU profile (go tool pprof). LBFGSNET_BLAS=openblas|gonum selects the
// backend as for any lbfgsnet program; every line names the one used.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// seed generates every problem's data and parameters.
const seed = 20261204

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "evalbench:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", "", "directory of the dumped problems")
	doDump := flag.Bool("dump", false, "write the problems to -dir")
	doEval := flag.Bool("eval", false, "time one loss-and-gradient evaluation per network and dtype")
	doGemm := flag.Bool("gemm", false, "time the matrix products of one evaluation on OpenBLAS")
	doTrain := flag.Bool("train", false, "time 100 iterations of training")
	budget := flag.Float64("seconds", 1, "time spent measuring each case (at least 5 evaluations)")
	repeats := flag.Int("repeats", 1, "with -train: runs per dtype")
	onlyProblem := flag.String("problem", "", "with -eval or -gemm: time only this network (iris, digits or large)")
	only := flag.String("dtype", "", "time only this dtype (float64 or float32); both when empty")
	flag.IntVar(&shards, "shards", 0, "ObjectiveOptions.Shards of every evaluation (0: nn.AutoShards)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the timed work to this file")
	digits := flag.String("digits", "", "with -dump: use the digits data PREFIX.x.bin, PREFIX.labels.bin (eval_torch.py --dump-digits) for the 1797×64 problems")
	flag.Parse()
	if *dir == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	switch *only {
	case "":
	case "float64":
		dtypes = dtypes[:1]
	case "float32":
		dtypes = dtypes[1:]
	default:
		return fmt.Errorf("-dtype %q: want float64 or float32", *only)
	}
	info, err := nn.BLAS()
	if err != nil {
		return err
	}
	var ps []*problem
	for _, s := range append(evalShapes, trainShape) {
		p, err := newProblem(s, seed)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		ps = append(ps, p)
	}
	if *doDump && *digits != "" {
		if err := useDigits(ps, *digits); err != nil {
			return err
		}
	}
	if !*doDump {
		// Read the problems as dumped, digits included.
		if err := readDumped(*dir, ps); err != nil {
			return err
		}
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	out := json.NewEncoder(os.Stdout)
	emit := func(v map[string]any) error {
		v["side"], v["backend"], v["blas_threads"] = "lbfgsnet", info.Backend.String(), info.Threads
		v["gomaxprocs"] = runtime.GOMAXPROCS(0)
		return out.Encode(v)
	}
	if *doDump {
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			return err
		}
		if err := dump(*dir, ps); err != nil {
			return err
		}
	}
	evals := ps[:len(evalShapes)]
	if *onlyProblem != "" {
		evals = slices.DeleteFunc(slices.Clone(evals), func(p *problem) bool { return p.Name != *onlyProblem })
		if len(evals) == 0 {
			return fmt.Errorf("-problem %q: want iris, digits or large", *onlyProblem)
		}
	}
	if *doEval {
		if err := timeEvals(evals, *budget, emit); err != nil {
			return err
		}
	}
	if *doGemm {
		if err := timeGemms(evals, *budget, emit); err != nil {
			return err
		}
	}
	if *doTrain {
		return trainAll(ps[len(evalShapes)], *repeats, emit)
	}
	return nil
}
