// Command irisdump is the Go half of bench/iris_vs_torch.sh, which compares
// lbfgsnet with PyTorch's torch.optim.LBFGS on MATLAB's iris network.
//
//	go run ./bench/irisdump -dump iris.json > ours.json
//
// It prepares the problem exactly as "lbfgsnet train" does by default: the
// embedded iris data with standardised features (z-scores with the mean and
// population standard deviation of all 150 rows), one-hot targets, the
// 4-32-32-3 ReLU network with a softmax output and the mean cross-entropy
// loss in float64, its learnables drawn from
// rand.New(rand.NewPCG(seed, 1)) as the command's --seed draws them.
//
// For seeds 1 to -seeds it writes to -dump, as JSON, the standardised
// features, the labels, the layout of the flat parameter vector and each
// seed's initial parameters with the loss and gradient norm there (so that
// the other side can check that it computes the same function), together
// with the settings of the comparison. It then trains each seed with the
// solver's weak-Wolfe (default) and strong-Wolfe line searches, history
// size 10, until ‖g‖₂ <= -gradient-tolerance or -max-iterations, and
// prints its figures as one JSON object on standard output: per run the
// status, iterations, loss evaluations, final loss, gradient norm and
// training accuracy, the first iteration at which the training accuracy
// reached -accuracy (within -accuracy-iterations), and the wall time; and
// the time of one loss-and-gradient evaluation, the mean of
// -timing-evaluations calls. The machine is shared, so each timing is
// taken several times and the minimum reported: every run -repeats times
// (the repeated runs must agree bit for bit), the evaluations in
// -timing-blocks blocks.
//
// The run uses the solver's defaults except StepTolerance, which is turned
// off so that both solvers stop on the same test (the gradient norm).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

// settings are the parameters of the comparison, shared with the PyTorch
// side through the dump.
type settings struct {
	Seeds              int     `json:"seeds"`
	HistorySize        int     `json:"history_size"`
	GradientTolerance  float64 `json:"gradient_tolerance"`
	MaxIterations      int     `json:"max_iterations"`
	Accuracy           float64 `json:"accuracy"`
	AccuracyIterations int     `json:"accuracy_iterations"`
	TimingEvaluations  int     `json:"timing_evaluations"`
	// TimingBlocks is how many blocks of TimingEvaluations are timed; the
	// shortest mean is reported, the figure least disturbed by other work
	// on the machine.
	TimingBlocks int `json:"timing_blocks"`
	// Repeats is how many times each training run is timed; the shortest
	// is reported.
	Repeats int `json:"repeats"`
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "irisdump:", err)
		os.Exit(1)
	}
}

// run parses the flags, writes the dump and prints the results to stdout.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("irisdump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var dumpPath string
	s := settings{HistorySize: 10}
	fs.StringVar(&dumpPath, "dump", "", "write the data, initial parameters and settings as JSON to `FILE` (required)")
	fs.IntVar(&s.Seeds, "seeds", 20, "train seeds 1 to `N`; valid: 1 to 1000")
	fs.Float64Var(&s.GradientTolerance, "gradient-tolerance", 1e-5, "stop a run when ‖g‖₂ <= `TOL`; valid: > 0")
	fs.IntVar(&s.MaxIterations, "max-iterations", 1000, "stop a run after `N` iterations; valid: >= 1")
	fs.Float64Var(&s.Accuracy, "accuracy", 0.97, "training accuracy `FRACTION` counted by the robustness sweep; valid: 0 < f <= 1")
	fs.IntVar(&s.AccuracyIterations, "accuracy-iterations", 100, "iterations `N` within which -accuracy must be reached; valid: 1 to -max-iterations")
	fs.IntVar(&s.TimingEvaluations, "timing-evaluations", 200, "`N` loss-and-gradient evaluations per timed block, at seed 1's initial point; valid: >= 1")
	fs.IntVar(&s.TimingBlocks, "timing-blocks", 20, "time `N` blocks of -timing-evaluations and report the shortest mean; valid: 1 to 1000")
	fs.IntVar(&s.Repeats, "repeats", 5, "time every training run `N` times and report the shortest; valid: 1 to 100")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (irisdump takes flags only)", fs.Arg(0))
	}
	if err := s.validate(dumpPath); err != nil {
		return err
	}
	p, err := newProblem()
	if err != nil {
		return err
	}
	d, err := p.dump(s)
	if err != nil {
		return err
	}
	if err := writeJSONFile(dumpPath, d); err != nil {
		return err
	}
	res, err := p.benchmark(s, d)
	if err != nil {
		return err
	}
	return writeJSON(stdout, res)
}

// validate checks the flags.
func (s settings) validate(dumpPath string) error {
	bad := func(flag string, v any, valid string) error {
		return fmt.Errorf("invalid value %v for -%s (valid: %s)", v, flag, valid)
	}
	switch {
	case dumpPath == "":
		return fmt.Errorf("-dump FILE is required")
	case s.Seeds < 1 || s.Seeds > 1000:
		return bad("seeds", s.Seeds, "1 to 1000")
	case !(s.GradientTolerance > 0) || s.GradientTolerance > 1e300:
		return bad("gradient-tolerance", s.GradientTolerance, "finite and > 0")
	case s.MaxIterations < 1:
		return bad("max-iterations", s.MaxIterations, ">= 1")
	case !(s.Accuracy > 0 && s.Accuracy <= 1):
		return bad("accuracy", s.Accuracy, "0 < fraction <= 1")
	case s.AccuracyIterations < 1 || s.AccuracyIterations > s.MaxIterations:
		return bad("accuracy-iterations", s.AccuracyIterations, "1 to -max-iterations")
	case s.TimingEvaluations < 1:
		return bad("timing-evaluations", s.TimingEvaluations, ">= 1")
	case s.TimingBlocks < 1 || s.TimingBlocks > 1000:
		return bad("timing-blocks", s.TimingBlocks, "1 to 1000")
	case s.Repeats < 1 || s.Repeats > 100:
		return bad("repeats", s.Repeats, "1 to 100")
	}
	return nil
}
