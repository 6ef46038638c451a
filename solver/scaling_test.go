package solver

import (
	"fmt"
	"math"
	"testing"
)

// TestHugeGradients minimises f(x) = σ·Σ c_i·(x_i − 1)², c = (1, 3, 10),
// with every line search, from starts where ‖g‖ is 10¹⁶⁰ to 10³⁰⁰: there
// gᵀd = −λ₀‖g‖² of the first direction, and yᵀy of the pairs, overflow.
// The first direction is shortened to the first-step limit before gᵀd is
// formed, and a pair's sᵀy and yᵀy are taken on y/max|y_i| when yᵀy
// overflows, so every update completes, every reported value stays finite
// and x reaches the minimiser (1, 1, 1). With σ = 10¹³ and x₀ ~ 10¹⁴² the
// curvature (at most 2·10¹⁴) still passes sᵀy > ε·yᵀy while yᵀy ~ 10³¹²
// overflows, so pairs are stored through
// the scaled path; with σ ≥ 10¹⁶⁰ it does not (λ would be below ε), and
// the run is scaled steepest descent, as the pair test intends.
func TestHugeGradients(t *testing.T) {
	for _, tc := range []struct {
		sigma, x0 float64
		pairs     bool
	}{
		{1, 1, true},
		{1e13, 1e142, true},
		{1e160, 1, false},
		{1e250, 1, false},
		{1e300, 1, false},
	} {
		f := func(x, g []float64) (float64, any, error) {
			var v float64
			for i := range x {
				c := []float64{1, 3, 10}[i]
				g[i] = tc.sigma * 2 * c * (x[i] - 1)
				v += c * (x[i] - 1) * (x[i] - 1)
			}
			return tc.sigma * v, nil, nil
		}
		for _, m := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking} {
			t.Run(fmt.Sprintf("%g/%g/%v", tc.sigma, tc.x0, m), func(t *testing.T) {
				opts := DefaultOptions()
				opts.LineSearchMethod = m
				s := coreNewState(t, opts)
				x := []float64{-2 * tc.x0, 5 * tc.x0, 0.5 * tc.x0}
				stored := false
				for s.Iteration < 100 && !(s.Iteration > 0 && s.GradientsInfNorm <= 1e-9*tc.sigma) {
					coreUpdates(t, s, x, f, 1)
					if s.LineSearchStatus != LineSearchCompleted {
						t.Fatalf("iteration %d: %v; trials %v", s.Iteration, s.LineSearchStatus, s.LineSearchTrials)
					}
					for _, v := range []float64{s.Loss, s.GradientsNorm, s.DirectionalDerivative, s.CurvatureProduct, s.InverseHessianFactor, s.StepNorm} {
						if math.IsNaN(v) || math.IsInf(v, 0) {
							t.Fatalf("iteration %d: a reported value is %v", s.Iteration, v)
						}
					}
					stored = stored || s.PairStatus == PairStored
				}
				for i, v := range x {
					if math.Abs(v-1) > 1e-6 {
						t.Errorf("x[%d] = %v after %d iterations, want 1", i, v, s.Iteration)
					}
				}
				if stored != tc.pairs {
					t.Errorf("pairs stored: %v, want %v", stored, tc.pairs)
				}
			})
		}
	}
}
