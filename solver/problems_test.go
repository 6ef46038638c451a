package solver

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/optimize/functions"
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

// rosenbrockStart returns the standard start (−1.2, 1, −1.2, 1, …) of
// dimension n (Moré, Garbow & Hillstrom, problem 21).
func rosenbrockStart(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = -1.2
		if i%2 == 1 {
			x[i] = 1
		}
	}
	return x
}

// goldenOnes returns a vector of n ones.
func goldenOnes(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 1
	}
	return x
}

// goldenProblems returns the golden table. Minimisers and minima are those
// of gonum's functions.*.Minima.
func goldenProblems() []goldenProblem {
	return []goldenProblem{
		{name: "ExtendedRosenbrock2", fn: functions.ExtendedRosenbrock{}, x0: rosenbrockStart(2), xmin: goldenOnes(2), xtol: 1e-5},
		{name: "ExtendedRosenbrock100", fn: functions.ExtendedRosenbrock{}, x0: rosenbrockStart(100), xmin: goldenOnes(100), xtol: 1e-5},
		{name: "Beale", fn: functions.Beale{}, x0: []float64{1, 1}, xmin: []float64{3, 0.5}, xtol: 1e-5},
		{name: "PowellBadlyScaled", fn: functions.PowellBadlyScaled{}, x0: []float64{0, 1},
			xmin: []float64{1.0981593296997149e-05, 9.106146739867375}, xtol: 1e-4},
		{name: "BrownBadlyScaled", fn: functions.BrownBadlyScaled{}, x0: []float64{1, 1}, xmin: []float64{1e6, 2e-6}, xtol: 1e-6},
		{name: "Watson6", fn: functions.Watson{}, x0: make([]float64, 6), fmin: 0.0022876700535523838,
			xmin: []float64{-0.01572508644590686, 1.012434869244884, -0.23299162372002916,
				1.2604300800978554, -1.51372891341701, 0.9929964286340117}, xtol: 1e-3},
		{name: "Wood", fn: functions.Wood{}, x0: []float64{-3, -1, -3, -1}, xmin: goldenOnes(4), xtol: 1e-5},
		{name: "HelicalValley", fn: functions.HelicalValley{}, x0: []float64{-1, 0, 0}, xmin: []float64{1, 0, 0}, xtol: 1e-6},
		{name: "Gaussian", fn: functions.Gaussian{}, x0: []float64{0.4, 1, 0}, fmin: 1.12793276961912e-08,
			xmin: []float64{0.398956137837997, 1.0000190844805048, 0}, xtol: 1e-3},
		{name: "Box3D", fn: functions.Box3D{}, x0: []float64{0, 10, 20}, xmin: []float64{1, 10, 1}, xtol: 1e-4},
		{name: "PenaltyI4", fn: functions.PenaltyI{}, x0: []float64{1, 2, 3, 4}, fmin: 2.2499775008999372e-05,
			xmin: []float64{0.2500074995875379, 0.2500074995875379, 0.2500074995875379, 0.2500074995875379}, xtol: 1e-3},
		{name: "BrownAndDennis", fn: functions.BrownAndDennis{}, x0: []float64{25, 5, -5, -1}, fmin: 85822.20162635634,
			xmin: []float64{-11.594439904762162, 13.203630051207202, -0.4034394881768612, 0.2367787744557347}, xtol: 1e-4},
		// A singular Hessian at the minimiser (f ~ ‖x‖⁴): a gradient of
		// 1e-6 leaves x off by about 1e-2.
		{name: "ExtendedPowellSingular", fn: functions.ExtendedPowellSingular{}, x0: []float64{3, -1, 0, 1},
			xmin: make([]float64, 4), xtol: 5e-2, extra: true},
		{name: "VariablyDimensioned10", fn: functions.VariablyDimensioned{}, x0: variablyDimensionedStart(10),
			xmin: goldenOnes(10), xtol: 1e-6, extra: true},
		// From the standard start the local minimum listed second in
		// gonum's Minima is reached (as by gonum's own solvers).
		{name: "Trigonometric10", fn: functions.Trigonometric{}, x0: trigonometricStart(10), fmin: 2.795056121876575e-05,
			xmin: []float64{0.05515090434047145, 0.05684061730812344, 0.05876400231100774, 0.060990608903034337,
				0.06362621381044778, 0.06684318087364617, 0.2081615177172172, 0.16436309604419047,
				0.08500689695564931, 0.09143145386293675}, xtol: 1e-4, extra: true},
		{name: "BiggsEXP6", fn: functions.BiggsEXP6{}, x0: []float64{1, 2, 1, 1, 1, 1}, fmin: 0.005655649925499929,
			xmin: []float64{1.7114159947956764, 17.68319817846745, 1.1631436609697268, 5.1865615510738605,
				1.7114159947949301, 1.1631436609697998}, xtol: 1e-3, extra: true},
		{name: "BiggsEXP3", fn: functions.BiggsEXP3{}, x0: []float64{1, 2, 1}, xmin: []float64{1, 10, 5}, xtol: 1e-5, extra: true},
		{name: "GulfResearchAndDevelopment", fn: functions.GulfResearchAndDevelopment{}, x0: []float64{5, 2.5, 0.15},
			xmin: []float64{50, 25, 1.5}, xtol: 1e-3, extra: true},
		// So ill-conditioned that a gradient of 1e-6 leaves x off by
		// 10%: only the minimum is checked (gonum's minimiser is
		// (0.19999933335, 0.19131670128566283, 0.4801014860897,
		// 0.5188454026659)).
		{name: "PenaltyII4", fn: functions.PenaltyII{}, x0: []float64{0.5, 0.5, 0.5, 0.5}, fmin: 9.376293007355449e-06,
			extra: true},
	}
}

// variablyDimensionedStart returns the standard start x_i = 1 − i/n,
// i = 1 … n (Moré, Garbow & Hillstrom, problem 25).
func variablyDimensionedStart(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 1 - float64(i+1)/float64(n)
	}
	return x
}

// trigonometricStart returns the standard start x_i = 1/n (Moré, Garbow &
// Hillstrom, problem 26).
func trigonometricStart(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 1 / float64(n)
	}
	return x
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

// coreRun is the result of coreMinimize.
type coreRun struct {
	x          []float64
	state      *LBFGSState
	iterations int
	evals      int
	converged  bool    // the stopping test was met
	failed     int     // number of failed line searches
	gInf       float64 // ‖g‖∞ at the end
}

// coreMinimize calls Update from x0 (copied) until conv(f, g) holds at the
// current point, maxIter updates, or two consecutive failed line
// searches (after a failure the history is reset once). It checks after
// every update the invariants every line search must keep, reporting
// violations through t: the history never exceeds HistorySize, indices are
// increasing and within the iteration count, the loss never increases, the
// evaluation count of the update is at most MaxNumLineSearchIterations+1.
func coreMinimize(t testing.TB, opts Options, f LossFunc, x0 []float64, conv func(f float64, g []float64) bool, maxIter int) coreRun {
	t.Helper()
	s, err := NewLBFGSState(opts)
	if err != nil {
		t.Fatalf("NewLBFGSState: %v", err)
	}
	x := append([]float64(nil), x0...)
	r := coreRun{x: x, state: s}
	// Test convergence at x0 first. This evaluation is not counted: the
	// first Update evaluates x0 again, and that one is.
	g := make([]float64, len(x))
	f0, _, err := f(append([]float64(nil), x...), g)
	if err != nil {
		t.Fatalf("loss at x0: %v", err)
	}
	if conv(f0, g) {
		r.converged, r.gInf = true, infNorm(g)
		r.evals = 1
		return r
	}
	prevLoss := math.Inf(1)
	prevX := append([]float64(nil), x...)
	var stored []int // iterations whose pair was stored since the last reset
	failures := 0
	for r.iterations < maxIter {
		if err := s.Update(x, f); err != nil {
			t.Fatalf("iteration %d: Update: %v", s.Iteration+1, err)
		}
		r.iterations++
		coreCheckInvariants(t, s, prevLoss)
		if s.PairStatus == PairStored {
			stored = append(stored, s.Iteration)
			coreCheckNewestPair(t, s, x, prevX)
		}
		coreCheckIndices(t, s, stored)
		prevLoss = s.Loss
		copy(prevX, x)
		if s.LineSearchStatus == LineSearchFailed {
			r.failed++
			failures++
			if failures == 2 {
				break
			}
			s.ResetHistory()
			stored = stored[:0]
		} else {
			failures = 0
		}
		if conv(s.Loss, s.Gradients) {
			r.converged = true
			break
		}
	}
	r.evals = s.NumLossEvaluations
	r.gInf = infNorm(s.Gradients)
	return r
}

// coreRelTol returns the stopping test ‖g‖∞ ≤ gtol·max(1, |f|).
func coreRelTol(gtol float64) func(float64, []float64) bool {
	return func(f float64, g []float64) bool { return infNorm(g) <= gtol*math.Max(1, math.Abs(f)) }
}

// coreAbsTol returns the stopping test ‖g‖∞ ≤ tol.
func coreAbsTol(tol float64) func(float64, []float64) bool {
	return func(_ float64, g []float64) bool { return infNorm(g) <= tol }
}

// coreCheckInvariants checks the state after one Update.
func coreCheckInvariants(t testing.TB, s *LBFGSState, prevLoss float64) {
	t.Helper()
	k := len(s.StepHistory)
	if k > s.HistorySize || len(s.GradientsDifferenceHistory) != k || len(s.HistoryIndices) != k {
		t.Fatalf("iteration %d: history lengths %d, %d, %d; want equal and <= %d",
			s.Iteration, k, len(s.GradientsDifferenceHistory), len(s.HistoryIndices), s.HistorySize)
	}
	for i, idx := range s.HistoryIndices {
		if idx < 1 || idx > s.Iteration || (i > 0 && idx <= s.HistoryIndices[i-1]) {
			t.Fatalf("iteration %d: HistoryIndices = %v, want increasing in [1, %d]", s.Iteration, s.HistoryIndices, s.Iteration)
		}
	}
	if s.Loss > prevLoss {
		t.Fatalf("iteration %d: loss rose from %v to %v", s.Iteration, prevLoss, s.Loss)
	}
	if max := s.MaxNumLineSearchIterations + 1; s.IterationLossEvaluations > max {
		t.Fatalf("iteration %d: %d evaluations, want <= %d", s.Iteration, s.IterationLossEvaluations, max)
	}
	if len(s.LineSearchTrials) > s.MaxNumLineSearchIterations {
		t.Fatalf("iteration %d: %d trials, want <= %d", s.Iteration, len(s.LineSearchTrials), s.MaxNumLineSearchIterations)
	}
}

// coreCheckNewestPair checks that the newest stored step is x − prevX,
// bit for bit.
func coreCheckNewestPair(t testing.TB, s *LBFGSState, x, prevX []float64) {
	t.Helper()
	sv := s.StepHistory[len(s.StepHistory)-1]
	for i := range x {
		if want := x[i] - prevX[i]; !coreSameFloat(sv[i], want) {
			t.Fatalf("iteration %d: newest step[%d] = %v, want x−x_prev = %v", s.Iteration, i, sv[i], want)
		}
	}
}

// coreCheckIndices checks HistoryIndices against the iterations whose pairs
// were stored: the newest min(len, HistorySize) of them, oldest first.
func coreCheckIndices(t testing.TB, s *LBFGSState, stored []int) {
	t.Helper()
	want := stored[max(0, len(stored)-s.HistorySize):]
	if len(s.HistoryIndices) != len(want) {
		t.Fatalf("iteration %d: HistoryIndices = %v, want %v", s.Iteration, s.HistoryIndices, want)
	}
	for i := range want {
		if s.HistoryIndices[i] != want[i] {
			t.Fatalf("iteration %d: HistoryIndices = %v, want %v", s.Iteration, s.HistoryIndices, want)
		}
	}
}

// infNorm returns ‖v‖∞.
func infNorm(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// coreCounting wraps f and counts its calls in *n.
func coreCounting(f LossFunc, n *int) LossFunc {
	return func(x, grad []float64) (float64, any, error) {
		*n++
		return f(x, grad)
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

// coreSnapshot is a deep copy of the exported fields of a state, for
// checking that a failed call changed nothing.
type coreSnapshot struct {
	fields LBFGSState
	s, y   [][]float64
	idx    []int
	grad   []float64
	trials []LineSearchTrial
	lastX  []float64
	n      int
}

// coreSnap copies the exported fields of s and the cached point.
func coreSnap(s *LBFGSState) coreSnapshot {
	c := coreSnapshot{fields: *s, n: s.work.n}
	c.fields.work = workspace{}
	for i := range s.StepHistory {
		c.s = append(c.s, append([]float64(nil), s.StepHistory[i]...))
		c.y = append(c.y, append([]float64(nil), s.GradientsDifferenceHistory[i]...))
	}
	c.idx = append([]int(nil), s.HistoryIndices...)
	c.grad = append([]float64(nil), s.Gradients...)
	c.trials = append([]LineSearchTrial(nil), s.LineSearchTrials...)
	c.lastX = append([]float64(nil), s.work.lastX...)
	return c
}

// coreSameSnap reports the first difference between two snapshots, or "".
func coreSameSnap(a, b coreSnapshot) string {
	fa, fb := a.fields, b.fields
	switch {
	case a.n != b.n:
		return "dimension"
	case fa.Iteration != fb.Iteration || fa.NumLossEvaluations != fb.NumLossEvaluations ||
		fa.IterationLossEvaluations != fb.IterationLossEvaluations:
		return "counters"
	case !coreSameFloat(fa.Loss, fb.Loss) || !coreSameFloat(fa.GradientsNorm, fb.GradientsNorm) ||
		!coreSameFloat(fa.StepNorm, fb.StepNorm) || !coreSameFloat(fa.LearningRate, fb.LearningRate) ||
		!coreSameFloat(fa.InverseHessianFactor, fb.InverseHessianFactor) ||
		!coreSameFloat(fa.CurvatureProduct, fb.CurvatureProduct) ||
		!coreSameFloat(fa.DirectionalDerivative, fb.DirectionalDerivative):
		return "scalars"
	case fa.LineSearchStatus != fb.LineSearchStatus || fa.PairStatus != fb.PairStatus ||
		fa.DirectionReset != fb.DirectionReset || fa.AdditionalLossFunctionOutputs != fb.AdditionalLossFunctionOutputs:
		return "status"
	case !coreSameVecs(a.s, b.s) || !coreSameVecs(a.y, b.y) || len(a.idx) != len(b.idx):
		return "history"
	case !coreSameVecs([][]float64{a.grad, a.lastX}, [][]float64{b.grad, b.lastX}):
		return "gradients or cached point"
	case len(a.trials) != len(b.trials):
		return "trials"
	}
	for i := range a.idx {
		if a.idx[i] != b.idx[i] {
			return "history indices"
		}
	}
	for i := range a.trials {
		ta, tb := a.trials[i], b.trials[i]
		if !coreSameFloat(ta.Step, tb.Step) || !coreSameFloat(ta.Loss, tb.Loss) ||
			!coreSameFloat(ta.Derivative, tb.Derivative) || ta.Outcome != tb.Outcome {
			return "trials"
		}
	}
	return ""
}

// coreSameFloat compares bit patterns (so NaN equals NaN).
func coreSameFloat(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// coreSameVecs compares two lists of vectors bit for bit.
func coreSameVecs(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) || !sameBits(a[i], b[i]) {
			return false
		}
	}
	return true
}
