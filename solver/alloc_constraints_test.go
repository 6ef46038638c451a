package solver

import (
	"math"
	"testing"
)

// Once the history is full, an L-BFGS-B or OWL-QN update allocates
// nothing outside the loss function, as a plain one does.
func TestConstrainedUpdatesDoNotAllocate(t *testing.T) {
	inf := math.Inf(1)
	bounded := DefaultOptions()
	bounded.HistorySize = 3
	bounded.Lower, bounded.Upper = make([]float64, 40), make([]float64, 40)
	for i := range bounded.Lower {
		bounded.Lower[i], bounded.Upper[i] = -inf, inf
		if i%4 == 0 {
			bounded.Lower[i], bounded.Upper[i] = 1.5, 3
		}
	}
	l1 := DefaultOptions()
	l1.HistorySize, l1.LineSearchMethod, l1.L1 = 3, Backtracking, 0.3
	for name, opts := range map[string]Options{"l-bfgs-b": bounded, "owl-qn": l1} {
		t.Run(name, func(t *testing.T) {
			s, err := NewLBFGSState(opts)
			if err != nil {
				t.Fatal(err)
			}
			x := make([]float64, 40)
			for i := range x {
				x[i] = float64(i%2) - 1.2*float64(1-i%2) // (−1.2, 1, …)
			}
			f := LossFunc(extRosenbrock)
			for range 5 {
				if err := s.Update(x, f); err != nil {
					t.Fatal(err)
				}
			}
			if len(s.StepHistory) != 3 {
				t.Skipf("history holds %d pairs, not full", len(s.StepHistory))
			}
			if n := testing.AllocsPerRun(20, func() { _ = s.Update(x, f) }); n != 0 {
				t.Errorf("an update allocates %v times", n)
			}
			if s.ProjectedGradientNorm < 1e-6 {
				t.Errorf("converged within the measured updates (‖pg‖∞ %v): the test measures too little", s.ProjectedGradientNorm)
			}
		})
	}
}
