// Command burgersdump is lbfgsnet's half of bench/burgers_vs_torch.sh: it
// writes MATLAB's Burgers problem (initial learnables, training points,
// exact solution on the comparison grid) as JSON for the PyTorch half,
// trains the same network on it, and prints its figures as JSON.
//
//	burgersdump -dump burgers.json [-iterations 100,300,1000] [-seed 1] [-shards 0] >ours.json
//	burgersdump -time-only [-seed 1] [-shards 0]
//
// With -time-only it prints only the time of one loss-and-gradient
// evaluation at the initial learnables (the shortest of 10, in seconds),
// for the script's interleaved timing rounds.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// dumpFile is the problem handed to the PyTorch half.
type dumpFile struct {
	// Seed is the seed of the initial learnables and collocation points.
	Seed uint64 `json:"seed"`
	// Sizes are the layer widths, input first: 2, 20, …, 20, 1.
	Sizes []int `json:"sizes"`
	// Params are the initial learnables in lbfgsnet's flat layout: per
	// fully connected layer Weights (in, out) row-major, then Bias (out).
	Params []float64 `json:"params"`
	// Collocation and Data are rows (x, t); Targets the values u at Data.
	Collocation []float64 `json:"collocation"`
	Data        []float64 `json:"data"`
	Targets     []float64 `json:"targets"`
	Nu          float64   `json:"nu"`
	// GridX, GridTimes and Exact are the comparison grid (Exact[k][i] at
	// GridTimes[k], GridX[i]).
	GridX     []float64   `json:"grid_x"`
	GridTimes []float64   `json:"grid_times"`
	Exact     [][]float64 `json:"exact"`
	// Checkpoints are the iteration counts at which errors are reported.
	Checkpoints []int `json:"checkpoints"`
	HistorySize int   `json:"history_size"`
	// Loss and GradientNorm at Params, for the other side to check that it
	// computes the same loss.
	Loss         float64 `json:"loss"`
	GradientNorm float64 `json:"gradient_norm"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "burgersdump:", err)
		os.Exit(1)
	}
}

func run() error {
	dump := flag.String("dump", "", "write the problem to this JSON file (required)")
	iters := flag.String("iterations", "100,300,1000", "checkpoints: iteration counts at which to report the errors")
	seed := flag.Uint64("seed", 1, "seed of the initial learnables and of the collocation points")
	shards := flag.Int("shards", 0, "shards of the collocation points (0: nn.AutoShards)")
	timeOnly := flag.Bool("time-only", false, "print the time of one evaluation and exit")
	flag.Parse()
	if *timeOnly && flag.NArg() == 0 {
		p, err := newProblem(*seed, *shards)
		if err != nil {
			return err
		}
		t, err := p.timeEvaluation(10)
		if err != nil {
			return err
		}
		fmt.Println(t)
		return nil
	}
	if *dump == "" || flag.NArg() != 0 {
		return fmt.Errorf("usage: burgersdump -dump FILE [-iterations 100,300,1000] [-seed N] [-shards N]")
	}
	checkpoints, err := parseCheckpoints(*iters)
	if err != nil {
		return err
	}
	p, err := newProblem(*seed, *shards)
	if err != nil {
		return err
	}
	d, err := p.dump(checkpoints)
	if err != nil {
		return err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*dump, b, 0o644); err != nil {
		return err
	}
	res, err := p.train(checkpoints)
	if err != nil {
		return err
	}
	res.GoVersion, res.GOMAXPROCS = runtime.Version(), runtime.GOMAXPROCS(0)
	if res.EvalSeconds, err = p.timeEvaluation(10); err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	return enc.Encode(res)
}

// parseCheckpoints parses "100,300,1000": increasing positive counts.
func parseCheckpoints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || (len(out) > 0 && n <= out[len(out)-1]) {
			return nil, fmt.Errorf("-iterations %q: want increasing positive counts such as 100,300,1000", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// timeEvaluation returns the shortest of blocks timings of one
// loss-and-gradient evaluation at the initial learnables.
func (p *problem) timeEvaluation(blocks int) (float64, error) {
	x := p.net.Flat()
	g := make([]float64, len(x))
	best := 0.0
	for i := range blocks + 1 {
		start := time.Now()
		if _, _, err := p.loss.Evaluate(x, g); err != nil {
			return 0, err
		}
		if d := time.Since(start).Seconds(); i > 0 && (best == 0 || d < best) { // the first warms up
			best = d
		}
	}
	return best, nil
}

// newState returns the solver the benchmark runs: history 10 and strong
// Wolfe, as torch.optim.LBFGS(history_size=10, line_search_fn="strong_wolfe").
func newState() (*solver.LBFGSState, error) {
	opts := solver.DefaultOptions()
	opts.HistorySize = 10
	opts.LineSearchMethod = solver.StrongWolfe
	return solver.NewLBFGSState(opts)
}
