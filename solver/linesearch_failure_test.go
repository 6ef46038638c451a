package solver

import (
	"fmt"
	"math"
	"testing"
)

// coreWrongSign is ½‖x‖² with its gradient negated: the search direction
// is uphill, so every trial fails sufficient decrease.
func coreWrongSign(x, g []float64) (float64, any, error) {
	var f float64
	for i, v := range x {
		f += 0.5 * v * v
		g[i] = -v
	}
	return f, nil, nil
}

// coreLinear is −Σx: unbounded below, so sufficient decrease always holds
// and the curvature condition never does.
func coreLinear(x, g []float64) (float64, any, error) {
	var f float64
	for i, v := range x {
		f -= v
		g[i] = -1
	}
	return f, nil, nil
}

// TestLineSearchFailure checks what a failed search does: with no trial
// better than the start it stays, with some it moves to the best one with
// sufficient decrease; it never stores a pair, never exceeds its budget, and
// labels its trials.
func TestLineSearchFailure(t *testing.T) {
	for _, method := range goldenSearches {
		t.Run(method.String()+"/uphill", func(t *testing.T) { checkUphillFailure(t, method) })
		t.Run(method.String()+"/unbounded", func(t *testing.T) { checkUnboundedFailure(t, method) })
	}
}

// checkUphillFailure runs a search along an uphill direction, where no
// trial satisfies sufficient decrease: the search fails after exactly its
// budget, x stays, and the history is untouched.
func checkUphillFailure(t *testing.T, method LineSearchMethod) {
	opts := DefaultOptions()
	opts.LineSearchMethod = method
	opts.MaxNumLineSearchIterations = 4
	s := coreNewState(t, opts)
	x := []float64{-1.2, 1}
	coreUpdates(t, s, x, coreRosenbrock, 5)
	before := coreSnap(s)
	x[0] += 1e-3 // not the cached point: the start is evaluated
	start := append([]float64(nil), x...)
	coreUpdates(t, s, x, coreWrongSign, 1)
	after := coreSnap(s)
	if s.LineSearchStatus != LineSearchFailed || !sameBits(x, start) || s.StepNorm != 0 || s.LearningRate != 0 {
		t.Fatalf("status %q, x %v (start %v), step %v, rate %v", s.LineSearchStatus, x, start, s.StepNorm, s.LearningRate)
	}
	if s.IterationLossEvaluations != 1+opts.MaxNumLineSearchIterations || len(s.LineSearchTrials) != opts.MaxNumLineSearchIterations {
		t.Errorf("%d evaluations, %d trials; want %d and %d", s.IterationLossEvaluations, len(s.LineSearchTrials),
			1+opts.MaxNumLineSearchIterations, opts.MaxNumLineSearchIterations)
	}
	for _, tr := range s.LineSearchTrials {
		if tr.Outcome != TrialArmijo {
			t.Errorf("trial %+v, want outcome %q", tr, TrialArmijo)
		}
	}
	if s.PairStatus != PairNone || !coreSameVecs(before.s, after.s) || !coreSameVecs(before.y, after.y) ||
		s.InverseHessianFactor != before.fields.InverseHessianFactor {
		t.Errorf("pair %q; history or λ changed by a failed search", s.PairStatus)
	}
	if want, _, _ := coreWrongSign(start, make([]float64, 2)); s.Loss != want || s.Iteration != 6 {
		t.Errorf("loss %v, iteration %d; want the start's loss %v and iteration 6", s.Loss, s.Iteration, want)
	}
}

// checkUnboundedFailure runs a search on a loss unbounded below: the Wolfe
// searches fail and move to the best trial; backtracking accepts the first.
func checkUnboundedFailure(t *testing.T, method LineSearchMethod) {
	opts := DefaultOptions()
	opts.LineSearchMethod = method
	opts.MaxNumLineSearchIterations = 5
	s := coreNewState(t, opts)
	x := []float64{0, 0}
	coreUpdates(t, s, x, coreLinear, 1)
	if method == Backtracking {
		// Sufficient decrease at the first trial; y = 0, so
		// sᵀy = 0 is not > ε·yᵀy = 0 and the pair is skipped.
		if s.LineSearchStatus != LineSearchCompleted || s.PairStatus != PairSkipped || len(s.StepHistory) != 0 {
			t.Fatalf("status %q, pair %q, %d pairs", s.LineSearchStatus, s.PairStatus, len(s.StepHistory))
		}
		return
	}
	if s.LineSearchStatus != LineSearchFailed || s.PairStatus != PairNone || len(s.StepHistory) != 0 {
		t.Fatalf("status %q, pair %q, %d pairs; want failed, none, 0", s.LineSearchStatus, s.PairStatus, len(s.StepHistory))
	}
	best := s.LineSearchTrials[0]
	for _, tr := range s.LineSearchTrials {
		if tr.Loss < best.Loss {
			best = tr
		}
	}
	if best.Outcome != TrialBestOfFail || s.LearningRate != best.Step || s.Loss != best.Loss || s.Loss >= 0 {
		t.Fatalf("moved to α = %v (loss %v); best trial %+v", s.LearningRate, s.Loss, best)
	}
	// d = −λ₀·g = (1, 1) and α₀ = 1/‖d‖: x = α·(1, 1).
	if want := best.Step; x[0] != want || x[1] != want {
		t.Errorf("x = %v, want %v·(1, 1)", x, want)
	}
	if s.IterationLossEvaluations > opts.MaxNumLineSearchIterations+1 {
		t.Errorf("%d evaluations, budget %d+1", s.IterationLossEvaluations, opts.MaxNumLineSearchIterations)
	}
}

// TestLineSearchEvaluationBudget checks on the golden problems, with a
// budget of one and of two trials, that no update evaluates the loss more
// than MaxNumLineSearchIterations + 1 times (coreMinimize checks each
// update).
func TestLineSearchEvaluationBudget(t *testing.T) {
	for _, method := range goldenSearches {
		for _, budget := range []int{1, 2} {
			for _, p := range goldenProblems()[:8] {
				t.Run(fmt.Sprintf("%s/%d/%s", method, budget, p.name), func(t *testing.T) {
					opts := DefaultOptions()
					opts.LineSearchMethod = method
					opts.MaxNumLineSearchIterations = budget
					calls := 0
					r := coreMinimize(t, opts, coreCounting(goldenLoss(p.fn), &calls), p.x0, coreRelTol(goldenGradTol), 200)
					if calls != r.state.NumLossEvaluations+1 { // +1: coreMinimize's own look at x₀
						t.Errorf("%d closure calls, NumLossEvaluations %d", calls, r.state.NumLossEvaluations)
					}
				})
			}
		}
	}
}

// TestLineSearchBudgetAndFailure checks, for every search and several
// budgets, on losses that turn non-finite or uphill at trial points, the
// promises an update keeps however its search ends: the closure is called
// at most MaxNumLineSearchIterations + 1 times (the start point included),
// exactly as counted; nothing non-finite is committed; a failed search
// stores no pair, leaves the history and λ as they were, and leaves x at
// the start or moves it to a trial with a lower loss; the reported loss and
// gradient are those at the returned x.
func TestLineSearchBudgetAndFailure(t *testing.T) {
	start := []float64{-1.2 + 1e-3, 1} // not the cached point: evaluated
	patterns := []struct {
		name string
		// poison returns whether call (1 = the start point) at x is
		// poisoned, and then the loss to return (the gradient's first
		// component is set to grad).
		poison func(call int, x []float64) (bool, float64, float64)
	}{
		{"NaN loss off the start", func(_ int, x []float64) (bool, float64, float64) {
			return !sameBits(x, start), math.NaN(), 0
		}},
		{"-Inf loss off the start", func(_ int, x []float64) (bool, float64, float64) {
			return !sameBits(x, start), math.Inf(-1), 0
		}},
		{"Inf gradient on even calls", func(call int, _ []float64) (bool, float64, float64) {
			return call%2 == 0, 1, math.Inf(1)
		}},
		{"NaN for the first three trials", func(call int, _ []float64) (bool, float64, float64) {
			return call >= 2 && call <= 4, math.NaN(), 0
		}},
		{"NaN gradient beyond 1e-6", func(_ int, x []float64) (bool, float64, float64) {
			return math.Abs(x[0]-start[0]) > 1e-6, 1, math.NaN()
		}},
	}
	for _, method := range append(goldenSearches, NoLineSearch) {
		budgets := []int{1, 2, 3, 7}
		if method == NoLineSearch {
			budgets = []int{DefaultMaxNumLineSearchIterations}
		}
		for _, budget := range budgets {
			for _, p := range patterns {
				t.Run(fmt.Sprintf("%s/%d/%s", method, budget, p.name), func(t *testing.T) {
					opts := DefaultOptions()
					opts.LineSearchMethod = method
					opts.MaxNumLineSearchIterations = budget
					if method == NoLineSearch {
						opts.LearningRate = ConstantRate(1e-3)
					}
					s := coreNewState(t, opts)
					x := []float64{-1.2, 1}
					coreUpdates(t, s, x, coreRosenbrock, 3)
					copy(x, start)
					calls := 0
					f := func(x, g []float64) (float64, any, error) {
						calls++
						v, _, _ := coreRosenbrock(x, g)
						if bad, loss, grad := p.poison(calls, x); bad {
							g[0] = grad
							return loss, nil, nil
						}
						return v, nil, nil
					}
					checkBoundedUpdate(t, s, x, f, &calls)
				})
			}
		}
	}
}

// checkBoundedUpdate runs one Update of s at x with f, whose calls are
// counted in *calls, and checks the promises listed in
// TestLineSearchBudgetAndFailure.
func checkBoundedUpdate(t *testing.T, s *LBFGSState, x []float64, f LossFunc, calls *int) {
	t.Helper()
	before := coreSnap(s)
	x0 := append([]float64(nil), x...)
	f0, _, _ := coreRosenbrock(x0, make([]float64, 2))
	coreUpdates(t, s, x, f, 1)
	budget := s.MaxNumLineSearchIterations()
	if *calls > budget+1 || *calls != s.IterationLossEvaluations || len(s.LineSearchTrials) != *calls-1 {
		t.Fatalf("%d calls, IterationLossEvaluations %d, %d trials; budget %d+1", *calls, s.IterationLossEvaluations,
			len(s.LineSearchTrials), budget)
	}
	if !allFinite(x) || !finite(s.Loss) || !allFinite(s.Gradients) || !finite(s.InverseHessianFactor) {
		t.Fatalf("non-finite value committed: x %v, loss %v, gradient %v", x, s.Loss, s.Gradients)
	}
	g := make([]float64, 2)
	if want, _, _ := coreRosenbrock(append([]float64(nil), x...), g); !coreSameFloat(s.Loss, want) || !sameBits(s.Gradients, g) {
		t.Errorf("reported loss %v, gradient %v; at the returned x %v, %v", s.Loss, s.Gradients, want, g)
	}
	for i := range s.StepHistory {
		if !allFinite(s.StepHistory[i]) || !allFinite(s.GradientsDifferenceHistory[i]) {
			t.Fatalf("non-finite pair %d stored", i)
		}
	}
	t.Logf("%s after %d calls, moved %v", s.LineSearchStatus, *calls, !sameBits(x, x0))
	if s.LineSearchStatus != LineSearchFailed {
		return
	}
	after := coreSnap(s)
	if s.PairStatus != PairNone || !coreSameVecs(before.s, after.s) || !coreSameVecs(before.y, after.y) ||
		!coreSameVecs([][]float64{before.rho}, [][]float64{after.rho}) || fmt.Sprint(before.idx) != fmt.Sprint(after.idx) ||
		!coreSameFloat(before.fields.InverseHessianFactor, s.InverseHessianFactor) {
		t.Errorf("failed search: pair %q, history or λ changed", s.PairStatus)
	}
	if !sameBits(x, x0) && !(s.Loss < f0) {
		t.Errorf("failed search moved x to %v with loss %v, not below the start's %v", x, s.Loss, f0)
	}
}
