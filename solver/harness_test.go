package solver

import (
	"math"
	"testing"
)

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
	if k > s.HistorySize() || len(s.GradientsDifferenceHistory) != k || len(s.HistoryIndices) != k {
		t.Fatalf("iteration %d: history lengths %d, %d, %d; want equal and <= %d",
			s.Iteration, k, len(s.GradientsDifferenceHistory), len(s.HistoryIndices), s.HistorySize())
	}
	for i, idx := range s.HistoryIndices {
		if idx < 1 || idx > s.Iteration || (i > 0 && idx <= s.HistoryIndices[i-1]) {
			t.Fatalf("iteration %d: HistoryIndices = %v, want increasing in [1, %d]", s.Iteration, s.HistoryIndices, s.Iteration)
		}
	}
	if s.Loss > prevLoss {
		t.Fatalf("iteration %d: loss rose from %v to %v", s.Iteration, prevLoss, s.Loss)
	}
	if max := s.MaxNumLineSearchIterations() + 1; s.IterationLossEvaluations > max {
		t.Fatalf("iteration %d: %d evaluations, want <= %d", s.Iteration, s.IterationLossEvaluations, max)
	}
	if len(s.LineSearchTrials) > s.MaxNumLineSearchIterations() {
		t.Fatalf("iteration %d: %d trials, want <= %d", s.Iteration, len(s.LineSearchTrials), s.MaxNumLineSearchIterations())
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
	want := stored[max(0, len(stored)-s.HistorySize()):]
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

// coreNewState returns a state for opts or stops the test.
func coreNewState(t testing.TB, opts Options) *LBFGSState {
	t.Helper()
	s, err := NewLBFGSState(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// coreUpdates performs k updates of s at x with f, stopping the test on
// an error.
func coreUpdates(t testing.TB, s *LBFGSState, x []float64, f LossFunc, k int) {
	t.Helper()
	for range k {
		if err := s.Update(x, f); err != nil {
			t.Fatalf("Update %d: %v", s.Iteration+1, err)
		}
	}
}
