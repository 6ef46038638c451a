// Command rosenbrock minimises Rosenbrock's function with the solver
// alone: a plain Go function of a []float64, no graph and no network. It
// shows Minimize with a per-iteration hook that prints the state, a
// Recorder that keeps the trace, and then each line search on the
// 100-dimensional extended Rosenbrock function.
//
//	go run ./examples/rosenbrock
package main

import (
	"context"
	"fmt"
	"github.com/lbfgsnet/lbfgsnet/solver/trace"
	"io"
	"math"
	"os"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// rosenbrock is the extended Rosenbrock function of even dimension n,
//
//	f(x) = Σ_{i odd} 100·(x_{i+1} − x_i²)² + (1 − x_i)²,
//
// minimum 0 at (1, …, 1) (Moré, Garbow & Hillstrom, ACM TOMS 7 (1981),
// problem 21). It writes the gradient into grad and has the signature of
// solver.LossFunc.
func rosenbrock(x, grad []float64) (float64, any, error) {
	var f float64
	for i := 0; i+1 < len(x); i += 2 {
		a, b := x[i+1]-x[i]*x[i], 1-x[i]
		f += 100*a*a + b*b
		grad[i] = -400*a*x[i] - 2*b
		grad[i+1] = 200 * a
	}
	return f, nil, nil
}

// standardStart returns Moré, Garbow & Hillstrom's starting point
// (−1.2, 1, −1.2, 1, …) in n dimensions.
func standardStart(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = -1.2
		if i%2 == 1 {
			x[i] = 1
		}
	}
	return x
}

// stopOptions stops on the gradient alone, at a tolerance that pins the
// minimiser to about 1e-9.
func stopOptions() solver.StopOptions {
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance = 1e-9
	stop.StepTolerance = 0
	return stop
}

// outcome is one run, for the test.
type outcome struct {
	method      solver.LineSearchMethod
	dim         int
	res         solver.Result
	distance    float64 // ‖x − (1, …, 1)‖∞
	records     int     // iterations the Recorder kept
	trials      int     // line-search trials in the trace
	skipped     int     // curvature pairs skipped
	maxHistory  int     // the longest history seen by the hook
	historySize int
}

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rosenbrock:", err)
		os.Exit(1)
	}
}

// run minimises the 2-D function with the state printed after every
// iteration, then the 100-D function with each line search, and writes the
// report to w.
func run(w io.Writer) ([]outcome, error) {
	fmt.Fprintln(w, "Rosenbrock's function in 2 dimensions from (−1.2, 1), weak Wolfe line search")
	fmt.Fprintf(w, "%4s  %-10s  %-10s  %-10s  %-8s  %5s  %s\n", "iter", "loss", "|g|", "|step|", "rate", "evals", "pair")
	first, err := minimize(w, solver.WeakWolfe, 2, true)
	if err != nil {
		return nil, err
	}
	report(w, first)
	outs := []outcome{first}

	fmt.Fprintln(w, "\nExtended Rosenbrock in 100 dimensions, each line search:")
	fmt.Fprintf(w, "%-13s  %-17s  %5s  %5s  %6s  %7s  %s\n", "line search", "status", "iters", "evals", "trials", "skipped", "max |x_i − 1|")
	for _, method := range []solver.LineSearchMethod{solver.WeakWolfe, solver.StrongWolfe, solver.Backtracking} {
		o, err := minimize(w, method, 100, false)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "%-13s  %-17v  %5d  %5d  %6d  %7d  %.1e\n", method, o.res.Status, o.res.Iterations,
			o.res.LossEvaluations, o.trials, o.skipped, o.distance)
		outs = append(outs, o)
	}
	return outs, nil
}

// minimize runs Minimize on the n-dimensional function with the given line
// search; with verbose the hook prints every iteration to w.
func minimize(w io.Writer, method solver.LineSearchMethod, n int, verbose bool) (outcome, error) {
	opts := solver.DefaultOptions()
	opts.LineSearchMethod = method
	state, err := solver.NewLBFGSState(opts)
	if err != nil {
		return outcome{}, err
	}
	// The Recorder keeps every iteration in memory (a nil writer); give it
	// a file to stream the trace as JSON lines.
	rec, err := trace.NewRecorder(nil, state)
	if err != nil {
		return outcome{}, err
	}
	o := outcome{method: method, dim: n, historySize: state.HistorySize()}
	hook := func(s *solver.LBFGSState) error {
		o.maxHistory = max(o.maxHistory, len(s.StepHistory))
		if verbose {
			fmt.Fprintf(w, "%4d  %-10.3e  %-10.3e  %-10.3e  %-8.3g  %5d  %s\n", s.Iteration, s.Loss, s.GradientsNorm,
				s.StepNorm, s.LearningRate, s.IterationLossEvaluations, s.PairStatus)
		}
		return nil
	}
	stop := stopOptions()
	stop.Hook = solver.ChainHooks(rec.Record, hook)

	x := standardStart(n)
	o.res, err = solver.Minimize(context.Background(), x, rosenbrock, state, stop)
	if err != nil {
		return o, err
	}
	if err := rec.Finish(o.res); err != nil {
		return o, err
	}
	for _, xi := range x {
		o.distance = math.Max(o.distance, math.Abs(xi-1))
	}
	o.records = len(rec.Records())
	for _, r := range rec.Records() {
		o.trials += len(r.Trials)
		if r.PairStatus == solver.PairSkipped {
			o.skipped++
		}
	}
	return o, nil
}

// report writes the summary of a run.
func report(w io.Writer, o outcome) {
	fmt.Fprintf(w, "stopped: %v (converged: %v) after %d iterations, %d loss evaluations, %d line-search trials\n",
		o.res.Status, o.res.Status.Converged(), o.res.Iterations, o.res.LossEvaluations, o.trials)
	fmt.Fprintf(w, "loss %.3e, gradient norm %.3e, max |x_i − 1| = %.1e\n", o.res.Loss, o.res.GradientsNorm, o.distance)
}
