package solver

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/optimize"
)

// BenchmarkCompare runs, side by side on each golden problem, this
// package's Minimize with each line search and gonum's optimize.LBFGS with
// its default line search (Bisection, as set by LBFGS.initLocal in gonum
// v0.17.0) and with MoreThuente, from the same start to the same stopping
// test: ‖g‖∞ <= 1e-6·max(1, |f*|), f* the known minimum. Both keep 10
// curvature pairs. One op is one whole minimisation; evals/op counts the
// points where the loss and gradient were evaluated, f-evals/op and
// g-evals/op gonum's separate counts, and converged is 1 when the
// tolerance was reached. docs/benchmarks.md has the table and the command.
func BenchmarkCompare(b *testing.B) {
	for _, p := range goldenProblems() {
		tol := 1e-6 * math.Max(1, math.Abs(p.fmin))
		b.Run(p.name, func(b *testing.B) {
			for _, method := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking} {
				b.Run("lbfgsnet-"+method.String(), func(b *testing.B) { benchOurs(b, p, method, tol) })
			}
			b.Run("gonum-bisection", func(b *testing.B) { benchGonum(b, p, &optimize.Bisection{}, tol) })
			b.Run("gonum-morethuente", func(b *testing.B) { benchGonum(b, p, &optimize.MoreThuente{}, tol) })
		})
	}
}

// benchOurs minimises p with Minimize, stopping through the hook when
// ‖g‖∞ <= tol.
func benchOurs(b *testing.B, p goldenProblem, method LineSearchMethod, tol float64) {
	opts := DefaultOptions()
	opts.LineSearchMethod = method
	// The loss without extra outputs (goldenLoss boxes one per call).
	f := func(x, g []float64) (float64, any, error) {
		p.fn.Grad(g, x)
		return p.fn.Func(x), nil, nil
	}
	x := make([]float64, len(p.x0))
	var evals, converged float64
	b.ReportAllocs()
	for b.Loop() {
		s, err := NewLBFGSState(opts)
		if err != nil {
			b.Fatal(err)
		}
		copy(x, p.x0)
		stop := StopOptions{MaxIterations: 10000, OnLineSearchFailure: ResetAndRetry}
		stop.Hook = func(s *LBFGSState) error {
			if infNorm(s.Gradients) <= tol {
				return ErrStop
			}
			return nil
		}
		res, err := Minimize(context.Background(), x, f, s, stop)
		if err != nil {
			b.Fatal(err)
		}
		evals = float64(res.LossEvaluations)
		converged = 0
		if res.Status == HookStopped {
			converged = 1
		}
	}
	b.ReportMetric(evals, "evals/op")
	b.ReportMetric(converged, "converged")
}

// benchGonum minimises p with gonum's LBFGS and the given line search.
func benchGonum(b *testing.B, p goldenProblem, ls optimize.Linesearcher, tol float64) {
	x := make([]float64, len(p.x0))
	last := make([]float64, len(p.x0))
	var points, fevals, gevals, converged float64
	// seen counts a new evaluation point when x differs from the last one.
	seen := func(x []float64) {
		if !sameBits(x, last) {
			points++
			copy(last, x)
		}
	}
	prob := optimize.Problem{
		Func: func(x []float64) float64 { seen(x); return p.fn.Func(x) },
		Grad: func(g, x []float64) { seen(x); p.fn.Grad(g, x) },
	}
	b.ReportAllocs()
	for b.Loop() {
		copy(x, p.x0)
		for i := range last {
			last[i] = math.NaN() // no point seen yet
		}
		points = 0
		set := &optimize.Settings{GradientThreshold: tol, Converger: optimize.NeverTerminate{}, MajorIterations: 10000}
		res, err := optimize.Minimize(prob, x, set, &optimize.LBFGS{Linesearcher: ls, Store: 10})
		converged = 0
		if err == nil && res.Status == optimize.GradientThreshold {
			converged = 1
		}
		fevals, gevals = float64(res.Stats.FuncEvaluations), float64(res.Stats.GradEvaluations)
	}
	b.ReportMetric(points, "evals/op")
	b.ReportMetric(fevals, "f-evals/op")
	b.ReportMetric(gevals, "g-evals/op")
	b.ReportMetric(converged, "converged")
}
