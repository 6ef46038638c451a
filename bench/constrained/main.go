// Command constrained is the Go half of bench/constrained_vs_scipy.sh,
// which compares the solver's L-BFGS-B with SciPy's
// scipy.optimize.minimize(method="L-BFGS-B") on five bound-constrained
// problems, and its OWL-QN with scikit-learn's L1 solvers on L1 logistic
// regression and the lasso at three penalties each.
//
//	go run ./bench/constrained -dump problems.json > ours.json
//
// It generates the problems from a fixed seed, writes them with the
// settings to -dump as JSON (so that the Python side computes the same
// objectives), solves each with history size 10 and prints, as one JSON
// object on standard output, per problem: the status, iterations, loss
// evaluations (each one loss and gradient, the start point included), the
// final objective, the projected-gradient ∞-norm, the solution and the
// shortest wall time of -repeats runs (the runs must agree bit for bit).
//
// Stopping, the same test as SciPy's: the projected-gradient ∞-norm <=
// -pgtol (SciPy's gtol), or a relative decrease of the objective
// (f_k − f_{k+1})/max(|f_k|, |f_{k+1}|, 1) <= -ftol (SciPy's ftol; our
// FunctionTolerance), or 15000 iterations. The L-BFGS-B runs use the
// default weak Wolfe search, the OWL-QN runs backtracking.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// settings are shared with the Python side through the dump.
type settings struct {
	HistorySize   int     `json:"history_size"`
	PGTol         float64 `json:"pgtol"`
	FTol          float64 `json:"ftol"`
	L1PGTol       float64 `json:"l1_pgtol"`
	L1FTol        float64 `json:"l1_ftol"`
	MaxIterations int     `json:"max_iterations"`
	Repeats       int     `json:"repeats"`
}

type dump struct {
	Settings settings   `json:"settings"`
	Problems []*problem `json:"problems"`
}

// outcome is one problem's result on our side.
type outcome struct {
	Name                  string    `json:"name"`
	Method                string    `json:"method"`
	L1                    float64   `json:"l1"`
	Status                string    `json:"status"`
	Iterations            int       `json:"iterations"`
	Evaluations           int       `json:"evaluations"`
	Objective             float64   `json:"objective"`
	ProjectedGradientNorm float64   `json:"projected_gradient_norm"`
	ActiveBounds          int       `json:"active_bounds"`
	ZeroCoordinates       int       `json:"zero_coordinates"`
	Seconds               float64   `json:"seconds"`
	X                     []float64 `json:"x"`
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "constrained:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("constrained", flag.ContinueOnError)
	fs.SetOutput(stderr)
	s := settings{HistorySize: 10, MaxIterations: 15000}
	var dumpPath string
	fs.StringVar(&dumpPath, "dump", "", "write the problems and settings as JSON to `FILE` (required)")
	fs.Float64Var(&s.PGTol, "pgtol", 1e-8, "L-BFGS-B: stop when the projected gradient's ∞-norm <= `TOL`")
	fs.Float64Var(&s.FTol, "ftol", 1e-13, "L-BFGS-B: stop when the relative decrease of the objective <= `TOL`")
	fs.Float64Var(&s.L1PGTol, "l1-pgtol", 1e-9, "OWL-QN: stop when the pseudo-gradient's ∞-norm <= `TOL`")
	fs.Float64Var(&s.L1FTol, "l1-ftol", 1e-15, "OWL-QN: stop when the relative decrease of the objective <= `TOL`")
	fs.IntVar(&s.Repeats, "repeats", 5, "time each run `N` times and report the shortest")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if dumpPath == "" || s.Repeats < 1 || fs.NArg() > 0 {
		return fmt.Errorf("usage: constrained -dump FILE [-pgtol TOL] [-ftol TOL] [-repeats N]")
	}
	rng := rand.New(rand.NewPCG(13, 1))
	problems := append(boundedProblems(rng), l1Problems(rng)...)
	f, err := os.Create(dumpPath)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(f).Encode(dump{s, problems}); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	var out []outcome
	for _, p := range problems {
		o, err := solve(p, s)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
		out = append(out, o)
	}
	return json.NewEncoder(stdout).Encode(out)
}

// solve runs the problem s.Repeats times and returns the result of the
// fastest run, after checking that every run gave the same point.
func solve(p *problem, s settings) (outcome, error) {
	opts := solver.DefaultOptions()
	opts.HistorySize = s.HistorySize
	stop := solver.StopOptions{ProjectedGradientTolerance: s.PGTol, FunctionTolerance: s.FTol, MaxIterations: s.MaxIterations}
	if p.L1 > 0 {
		opts.L1, opts.LineSearchMethod = p.L1, solver.Backtracking
		stop.ProjectedGradientTolerance, stop.FunctionTolerance = s.L1PGTol, s.L1FTol
	} else {
		opts.Lower, opts.Upper = p.lo, p.hi
	}
	o := outcome{Name: p.Name, Method: p.Method, L1: p.L1, Seconds: math.Inf(1)}
	for r := 0; r < s.Repeats; r++ {
		state, err := solver.NewLBFGSState(opts)
		if err != nil {
			return o, err
		}
		x := append([]float64(nil), p.X0...)
		f := p.loss()
		start := time.Now()
		res, err := solver.Minimize(context.Background(), x, f, state, stop)
		sec := time.Since(start).Seconds()
		if err != nil {
			return o, err
		}
		if r > 0 && !same(x, o.X) {
			return o, fmt.Errorf("run %d differs from run 1", r+1)
		}
		o.Seconds = math.Min(o.Seconds, sec)
		o.Status, o.Iterations, o.Evaluations = res.Status.String(), res.Iterations, res.LossEvaluations
		o.Objective, o.ProjectedGradientNorm = state.Loss, state.ProjectedGradientNorm
		o.ActiveBounds, o.ZeroCoordinates, o.X = state.ActiveBounds, state.ZeroCoordinates, x
	}
	return o, nil
}

func same(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}
