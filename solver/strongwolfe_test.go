package solver

import (
	"math"
	"testing"
)

// kinked is f(x) = 0.5·(1 − x) for x < 1 and 2·(x − 1) beyond: a V with
// its vertex at 1, where f' jumps from −0.5 to 2 (a ReLU network's loss has
// such kinks). From x = 0 along d = −g = 0.5, φ'(α) is −0.25 before α = 2
// and +1 after, so no step satisfies the strong curvature condition
// |φ'| ≤ 0.9·0.25, while every α in (2, 2.5) satisfies sufficient decrease
// and the weak one.
func kinked(x, g []float64) (float64, any, error) {
	if x[0] < 1 {
		g[0] = -0.5
		return 0.5 * (1 - x[0]), nil, nil
	}
	g[0] = 2
	return 2 * (x[0] - 1), nil, nil
}

// TestStrongWolfeAcceptsWeakAtKink checks that strong Wolfe, facing a kink
// where no strong Wolfe step exists, accepts a weak Wolfe step labelled
// TrialAcceptedWeak instead of failing, and that the step does satisfy
// sufficient decrease and weak curvature, and its pair is stored.
func TestStrongWolfeAcceptsWeakAtKink(t *testing.T) {
	opts := DefaultOptions()
	opts.LineSearchMethod = StrongWolfe
	s := coreNewState(t, opts)
	x := []float64{0}
	coreUpdates(t, s, x, kinked, 1)
	if s.LineSearchStatus != LineSearchCompleted || s.PairStatus != PairStored {
		t.Fatalf("status %v, pair %v; want completed, stored; trials %v", s.LineSearchStatus, s.PairStatus, s.LineSearchTrials)
	}
	var acc *LineSearchTrial
	for i := range s.LineSearchTrials {
		tr := &s.LineSearchTrials[i]
		switch tr.Outcome {
		case TrialAcceptedWeak:
			if acc != nil {
				t.Fatalf("two accepted trials: %v", s.LineSearchTrials)
			}
			acc = tr
		case TrialAccepted:
			t.Fatalf("trial %d accepted as strong Wolfe: %+v", i, *tr)
		}
	}
	if acc == nil {
		t.Fatalf("no trial accepted-weak: %v", s.LineSearchTrials)
	}
	const f0, dg0, c1, c2 = 0.5, -0.25, DefaultC1, DefaultC2
	switch {
	case acc.Step != s.LearningRate || x[0] != 0.5*acc.Step || acc.Loss != s.Loss:
		t.Errorf("accepted %+v, state α %v, x %v, loss %v", *acc, s.LearningRate, x[0], s.Loss)
	case acc.Loss > f0+c1*acc.Step*dg0:
		t.Errorf("accepted %+v fails sufficient decrease", *acc)
	case acc.Derivative < c2*dg0:
		t.Errorf("accepted %+v fails weak curvature", *acc)
	case math.Abs(acc.Derivative) <= -c2*dg0:
		t.Errorf("accepted %+v meets the strong condition: not a kink", *acc)
	}
	if len(s.LineSearchTrials) >= DefaultMaxNumLineSearchIterations {
		t.Errorf("%d trials: the kink was not recognised before the budget ran out", len(s.LineSearchTrials))
	}
}
