package solver

import (
	"math"
	"testing"
)

// TestUpdateCachesTheLastEvaluation checks that an Update at the point the
// previous one returned does not evaluate it again, and that any change of
// x, even in the last bit, does.
func TestUpdateCachesTheLastEvaluation(t *testing.T) {
	calls, total := 0, 0
	f := coreCounting(coreCounting(coreRosenbrock, &total), &calls)
	s := coreNewState(t, DefaultOptions())
	x := []float64{-1.2, 1}
	coreUpdates(t, s, x, f, 1)
	if want := 1 + len(s.LineSearchTrials); calls != want || s.IterationLossEvaluations != want {
		t.Fatalf("first update: %d calls, IterationLossEvaluations %d, want %d", calls, s.IterationLossEvaluations, want)
	}
	calls = 0
	coreUpdates(t, s, x, f, 1)
	if want := len(s.LineSearchTrials); calls != want || s.IterationLossEvaluations != want {
		t.Fatalf("cached update: %d calls, IterationLossEvaluations %d, want %d (trials only)", calls, s.IterationLossEvaluations, want)
	}
	calls = 0
	x[0] = math.Nextafter(x[0], 2)
	coreUpdates(t, s, x, f, 1)
	if want := 1 + len(s.LineSearchTrials); calls != want {
		t.Fatalf("after moving x by one ulp: %d calls, want %d", calls, want)
	}
	if s.NumLossEvaluations != total {
		t.Fatalf("NumLossEvaluations = %d, want the %d calls made", s.NumLossEvaluations, total)
	}
}

// TestDiscardEvaluation checks that an Update after DiscardEvaluation calls
// the new loss function at the unchanged start point instead of reusing the
// cached loss and gradient of the old one, and that without it the cache is
// used (no start-point evaluation).
func TestDiscardEvaluation(t *testing.T) {
	// f_c(x) = ½‖x − c‖²: a different loss for each c.
	calls := 0
	quad := func(c float64) LossFunc {
		return func(x, grad []float64) (float64, any, error) {
			calls++
			f := 0.0
			for i, v := range x {
				grad[i] = v - c
				f += 0.5 * (v - c) * (v - c)
			}
			return f, nil, nil
		}
	}
	s, err := NewLBFGSState(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{3, -2}
	if err := s.Update(x, quad(0)); err != nil {
		t.Fatal(err)
	}

	s.DiscardEvaluation()
	calls = 0
	q1 := quad(1)
	if err := s.Update(x, q1); err != nil {
		t.Fatal(err)
	}
	if want := len(s.LineSearchTrials) + 1; calls != want || s.IterationLossEvaluations != want {
		t.Errorf("after DiscardEvaluation: %d calls, IterationLossEvaluations %d; want %d (start point + trials)",
			calls, s.IterationLossEvaluations, want)
	}
	if s.LineSearchStatus != LineSearchCompleted {
		t.Errorf("LineSearchStatus = %q, want %q", s.LineSearchStatus, LineSearchCompleted)
	}

	calls = 0
	if err := s.Update(x, q1); err != nil {
		t.Fatal(err)
	}
	if want := len(s.LineSearchTrials); calls != want {
		t.Errorf("cached start point: %d calls, want %d (trials only)", calls, want)
	}
}
