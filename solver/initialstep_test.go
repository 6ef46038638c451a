package solver

import (
	"errors"
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
// lr = 0.5): lr·‖d‖, as in MATLAB, unless the trial would move farther
// than maxFirstStep·max(1, ‖x₀‖₂)·lr, when it is shortened to that length;
// for backtracking, so shortened with a positive loss, the longer of that
// and Polyak's step f/|gᵀd|, up to lr·‖d‖; lr·‖d‖ for NoLineSearch. Each
// case gives the move as a fraction of lr·‖d‖. The gradient
// of ½‖x‖² + c is x, so at x = (3, 4) ‖d‖ = 5 (no cap: 5 < 10·5), and at
// x = (3e3, 4e3)·(1, 1) scaled by 1e3 through λ₀ the cap binds.
func TestInitialStep(t *testing.T) {
	const lr = 0.5
	for _, tc := range []struct {
		x        []float64
		lambda0  float64
		offset   float64
		method   LineSearchMethod
		fraction float64 // the first step over lr
	}{
		{[]float64{3, 4}, 1, 0, WeakWolfe, 1},
		{[]float64{3, 4}, 1, 0, StrongWolfe, 1},
		{[]float64{3, 4}, 1, 0, Backtracking, 1},
		{[]float64{3, 4}, 1, 0, NoLineSearch, 1},
		{[]float64{0.3, 0.4}, 1, 0, WeakWolfe, 1},
		// λ₀ = 1000: ‖d‖ = 5000 > 10·‖x₀‖ = 50: cut to 50/5000.
		{[]float64{3, 4}, 1000, 0, WeakWolfe, 0.01},
		{[]float64{3, 4}, 1000, 0, StrongWolfe, 0.01},
		{[]float64{3, 4}, 1000, 0, Backtracking, 0.01},     // f/|gᵀd| = 12.5/25000 is shorter
		{[]float64{3, 4}, 1000, 987.5, Backtracking, 0.04}, // f/|gᵀd| = 1000/25000
		{[]float64{3, 4}, 1000, 1e9, Backtracking, 1},      // Polyak's step capped at 1
		{[]float64{3, 4}, 1000, -1e9, Backtracking, 0.01},  // f < 0: no Polyak step
		{[]float64{3, 4}, 1000, 0, NoLineSearch, 1},        // a fixed step is never cut
		// Near the origin the cap is 10·max(1, ‖x₀‖) = 10: ‖d‖ = 50.
		{[]float64{0.03, 0.04}, 1000, 0, WeakWolfe, 0.2},
	} {
		t.Run(fmt.Sprintf("%s/%v/%g/%g", tc.method, tc.x, tc.lambda0, tc.offset), func(t *testing.T) {
			opts := DefaultOptions()
			opts.LineSearchMethod = tc.method
			opts.LearningRate = ConstantRate(lr)
			opts.InitialInverseHessianFactor = tc.lambda0
			s := coreNewState(t, opts)
			x := append([]float64(nil), tc.x...)
			g0 := math.Hypot(tc.x[0], tc.x[1]) // ‖g₀‖ of ½‖x‖² + c
			coreUpdates(t, s, x, offsetQuadratic(tc.offset), 1)
			// The first trial moves α·‖d‖, d ∥ g, ‖d‖ = |gᵀd|/‖g‖.
			moved := s.LineSearchTrials[0].Step * math.Abs(s.DirectionalDerivative) / g0
			if want := lr * tc.fraction * tc.lambda0 * g0; math.Abs(moved-want) > 1e-14*want {
				t.Errorf("first trial moves %v, want %v", moved, want)
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

// TestInitialInverseHessianFactorShapesFirstStep checks, for λ₀ ∈ {0.1, 1,
// 1.1, 10}, that the first update moves x by exactly −λ₀·g when the search
// accepts its first trial (MATLAB's H₀ = λ₀·I at learning rate 1), on
// f(x) = Σ c_i·(x_i − 1)² with curvatures below 1/λ₀ so that the first
// trial decreases the loss enough.
func TestInitialInverseHessianFactorShapesFirstStep(t *testing.T) {
	f := func(x, g []float64) (float64, any, error) {
		var v float64
		for i := range x {
			c := 0.001 * float64(i+1) // 2c·λ₀ < 1 for every λ₀ tested
			g[i] = 2 * c * (x[i] - 1)
			v += c * (x[i] - 1) * (x[i] - 1)
		}
		return v, nil, nil
	}
	x0 := []float64{3, -2, 0.5, 4}
	g0 := make([]float64, len(x0))
	f(x0, g0)
	for _, lambda0 := range []float64{0.1, 1, 1.1, 10} {
		for _, m := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking, NoLineSearch} {
			opts := DefaultOptions()
			opts.InitialInverseHessianFactor = lambda0
			opts.LineSearchMethod = m
			if m == WeakWolfe || m == StrongWolfe {
				opts.C2 = 0.9999 // the curvature condition accepts the short first trials too
			}
			s := coreNewState(t, opts)
			x := append([]float64(nil), x0...)
			coreUpdates(t, s, x, f, 1)
			if s.LineSearchStatus != LineSearchCompleted || len(s.LineSearchTrials) != 1 {
				t.Fatalf("λ₀ %v, %v: %v after %d trials, want the first accepted", lambda0, m, s.LineSearchStatus, len(s.LineSearchTrials))
			}
			for i := range x {
				if want := x0[i] - lambda0*g0[i]; x[i] != want {
					t.Errorf("λ₀ %v, %v: x[%d] = %v, want x₀ − λ₀·g = %v", lambda0, m, i, x[i], want)
				}
			}
			if s.InitialInverseHessianFactor() != lambda0 {
				t.Errorf("InitialInverseHessianFactor() = %v, want %v", s.InitialInverseHessianFactor(), lambda0)
			}
		}
	}
}

// TestInitialStepSize checks that InitialStepSize s₀ sets λ₀ = s₀/‖g₀‖∞ at
// the first update, so that the first step moves no parameter by more
// than s₀ (exactly s₀ for the largest component), and that the λ₀ so
// fixed is kept, reported, reused by ResetHistory and saved in a Snapshot.
func TestInitialStepSize(t *testing.T) {
	opts := DefaultOptions()
	opts.InitialStepSize = 0.01
	opts.LineSearchMethod = Backtracking
	s := coreNewState(t, opts)
	if s.InitialInverseHessianFactor() != 0 || s.InverseHessianFactor != 0 {
		t.Errorf("before the first update: λ₀ %v, λ %v; want 0, 0 (not fixed yet)", s.InitialInverseHessianFactor(), s.InverseHessianFactor)
	}
	x := []float64{-1.2, 1}
	x0 := append([]float64(nil), x...)
	g0 := make([]float64, 2)
	coreRosenbrock(x0, g0)
	coreUpdates(t, s, x, coreRosenbrock, 1)
	want := 0.01 / infNorm(g0)
	if got := s.InitialInverseHessianFactor(); got != want {
		t.Errorf("λ₀ = %v, want s₀/‖g₀‖∞ = %v", got, want)
	}
	if len(s.LineSearchTrials) != 1 || math.Abs(math.Abs(x[0]-x0[0])-0.01) > 1e-15 || math.Abs(x[1]-x0[1]) > 0.01 {
		t.Errorf("first step %v (%d trials), want the largest move 0.01", []float64{x[0] - x0[0], x[1] - x0[1]}, len(s.LineSearchTrials))
	}
	coreUpdates(t, s, x, coreRosenbrock, 3)
	s.ResetHistory()
	if s.InverseHessianFactor != want || s.InitialInverseHessianFactor() != want {
		t.Errorf("after ResetHistory: λ %v, λ₀ %v; want %v", s.InverseHessianFactor, s.InitialInverseHessianFactor(), want)
	}
	r, err := Restore(s.Snapshot())
	if err != nil || r.InitialInverseHessianFactor() != want {
		t.Errorf("restored: %v, λ₀ %v", err, r.InitialInverseHessianFactor())
	}
	// With a non-default λ₀ the two options would disagree.
	opts.InitialInverseHessianFactor = 2
	var oe *OptionError
	if _, err := NewLBFGSState(opts); !errors.As(err, &oe) || oe.Option != "InitialInverseHessianFactor" {
		t.Errorf("InitialStepSize with λ₀ = 2: err = %v, want an *OptionError naming InitialInverseHessianFactor", err)
	}
	opts.InitialInverseHessianFactor, opts.InitialStepSize = 1, -1
	if _, err := NewLBFGSState(opts); !errors.As(err, &oe) || oe.Option != "InitialStepSize" {
		t.Errorf("InitialStepSize −1: err = %v, want an *OptionError naming it", err)
	}
}
