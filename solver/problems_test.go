package solver

import (
	"github.com/lbfgsnet/lbfgsnet/internal/golden"
)

// goldenFunction is the part of a gonum optimize/functions problem the
// tests use.
type goldenFunction interface {
	Func(x []float64) float64
	Grad(grad, x []float64)
}

// goldenProblem is a test problem with a known minimum, from gonum's
// optimize/functions (whose minima come from Moré, Garbow & Hillstrom,
// "Testing unconstrained optimization software", ACM TOMS 7 (1981), with
// the standard starting points given there).
type goldenProblem struct {
	name string
	fn   goldenFunction
	x0   []float64
	xmin []float64 // a known minimiser, nil when only fmin is checked
	fmin float64
	// xtol is the tolerance of |x − xmin|∞ relative to max(1, |xmin_i|):
	// loose where the minimum is flat (a gradient of 1e-6 allows an error
	// of about 1e-6/λmin(∇²f)).
	xtol  float64
	extra bool // beyond the list of issue 2 (see TestEvaluationsVersusGonum)
}

// rosenbrockStart returns the standard start (−1.2, 1, −1.2, 1, …).
func rosenbrockStart(n int) []float64 { return golden.RosenbrockStart(n) }

// goldenProblems returns the golden table (internal/golden).
func goldenProblems() []goldenProblem {
	var ps []goldenProblem
	for _, p := range golden.Problems() {
		ps = append(ps, goldenProblem{name: p.Name, fn: p.Fn, x0: p.X0, xmin: p.Xmin, fmin: p.Fmin, xtol: p.Xtol, extra: p.Extra})
	}
	return ps
}

// goldenLoss adapts a gonum test function to a LossFunc. The extra output
// is the loss again, so that tests can check that the extra value travels
// with the point it came from.
func goldenLoss(fn goldenFunction) LossFunc {
	return func(x, grad []float64) (float64, any, error) {
		fn.Grad(grad, x)
		v := fn.Func(x)
		return v, v, nil
	}
}

// coreQuadratic returns the loss ½·Σ h_i·(x_i − c_i)² with h_i = i+1 and
// c_i = 1/(i+1): convex, minimum 0 at c, condition number len(c).
func coreQuadratic(n int) LossFunc {
	return func(x, grad []float64) (float64, any, error) {
		var f float64
		for i := range x {
			h, c := float64(i+1), 1/float64(i+1)
			grad[i] = h * (x[i] - c)
			f += 0.5 * h * (x[i] - c) * (x[i] - c)
		}
		return f, nil, nil
	}
}

// coreRosenbrock is the 2-D Rosenbrock function 100(y − x²)² + (1 − x)²,
// allocation-free (no extra output).
func coreRosenbrock(x, grad []float64) (float64, any, error) {
	a, b := x[1]-x[0]*x[0], 1-x[0]
	grad[0] = -400*a*x[0] - 2*b
	grad[1] = 200 * a
	return 100*a*a + b*b, nil, nil
}
