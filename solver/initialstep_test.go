package solver

import (
	"fmt"
	"math"
	"testing"
)

// offsetQuadratic returns ½‖x‖² + c: gradient x, loss shifted by c, so
// that the sign and size of the loss at a point can be chosen apart from
// its gradient.
func offsetQuadratic(c float64) LossFunc {
	return func(x, g []float64) (float64, any, error) {
		f := c
		for i, v := range x {
			f += 0.5 * v * v
			g[i] = v
		}
		return f, nil, nil
	}
}

// TestInitialStep checks the first trial step of an update along the
// scaled steepest-descent direction d = −λ₀·g (λ₀ = 1, learning rate
// lr = 0.5): lr·min(1, 1/‖d‖) for the Wolfe searches; for backtracking,
// with a positive loss, lr·min(1, max(1/‖d‖, f/|gᵀd|)) (Polyak's step);
// lr for NoLineSearch. At x = (3, 4), ‖d‖ = ‖g‖ = 5 and |gᵀd| = 25; at
// x = (0.3, 0.4), ‖d‖ = 0.5.
func TestInitialStep(t *testing.T) {
	const lr = 0.5
	for _, tc := range []struct {
		x        []float64
		offset   float64
		method   LineSearchMethod
		fraction float64 // the first step over lr
	}{
		{[]float64{3, 4}, 0, WeakWolfe, 0.2},       // 1/‖d‖
		{[]float64{3, 4}, 0, StrongWolfe, 0.2},     // 1/‖d‖
		{[]float64{3, 4}, 0, Backtracking, 0.5},    // f/|gᵀd| = 12.5/25
		{[]float64{3, 4}, 100, Backtracking, 1},    // f/|gᵀd| = 4.5, capped at 1
		{[]float64{3, 4}, -100, Backtracking, 0.2}, // f < 0: no Polyak step
		{[]float64{3, 4}, 0, NoLineSearch, 1},
		{[]float64{0.3, 0.4}, 0, WeakWolfe, 1}, // ‖d‖ < 1: not lengthened
		{[]float64{0.3, 0.4}, 0, StrongWolfe, 1},
		{[]float64{0.3, 0.4}, 0, Backtracking, 1},
	} {
		t.Run(fmt.Sprintf("%s/%v/%g", tc.method, tc.x, tc.offset), func(t *testing.T) {
			opts := DefaultOptions()
			opts.LineSearchMethod = tc.method
			opts.LearningRate = ConstantRate(lr)
			s := coreNewState(t, opts)
			x := append([]float64(nil), tc.x...)
			coreUpdates(t, s, x, offsetQuadratic(tc.offset), 1)
			if got, want := s.LineSearchTrials[0].Step, lr*tc.fraction; math.Abs(got-want) > 1e-15*want {
				t.Errorf("first trial step %v, want %v", got, want)
			}
		})
	}
	// With a stored pair the direction carries a step length: lr itself.
	opts := DefaultOptions()
	opts.LearningRate = ConstantRate(lr)
	s := coreNewState(t, opts)
	x := []float64{-1.2, 1}
	coreUpdates(t, s, x, coreRosenbrock, 1)
	if len(s.StepHistory) != 1 {
		t.Fatalf("%d pairs after the first update, want 1", len(s.StepHistory))
	}
	coreUpdates(t, s, x, coreRosenbrock, 1)
	if got := s.LineSearchTrials[0].Step; got != lr || s.DirectionReset {
		t.Errorf("second update: first trial step %v (reset %v), want %v", got, s.DirectionReset, lr)
	}
}
