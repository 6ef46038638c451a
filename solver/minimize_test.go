package solver

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/optimize/functions"
)

// rosenbrock is gonum's ExtendedRosenbrock as a LossFunc, minimum 0 at
// (1, …, 1).
var rosenbrock = goldenLoss(functions.ExtendedRosenbrock{})

// quadratic is f(x) = ½ Σ scale_i x_i², minimum 0 at 0.
func quadratic(scale ...float64) LossFunc {
	return func(x, g []float64) (float64, any, error) {
		var f float64
		for i, xi := range x {
			f += 0.5 * scale[i] * xi * xi
			g[i] = scale[i] * xi
		}
		return f, nil, nil
	}
}

// noStop is StopOptions with every rule off but a high iteration limit, for
// tests that turn on one rule at a time.
func noStop() StopOptions { return StopOptions{MaxIterations: 10000} }

// minimizeFrom runs Minimize from a copy of x0 with opts and stop, failing
// the test on an error.
func minimizeFrom(t *testing.T, opts Options, f LossFunc, x0 []float64, stop StopOptions) ([]float64, *LBFGSState, Result) {
	t.Helper()
	s, err := NewLBFGSState(opts)
	if err != nil {
		t.Fatalf("NewLBFGSState: %v", err)
	}
	x := append([]float64(nil), x0...)
	res, err := Minimize(context.Background(), x, f, s, stop)
	if err != nil {
		t.Fatalf("Minimize: %v", err)
	}
	checkResult(t, x, f, s, res)
	return x, s, res
}

// checkResult checks the invariants of every Minimize result: the reported
// loss is the loss at the returned x, and the counts agree with the state.
func checkResult(t *testing.T, x []float64, f LossFunc, s *LBFGSState, res Result) {
	t.Helper()
	g := make([]float64, len(x))
	want, _, _ := f(append([]float64(nil), x...), g)
	if res.Loss != want || s.Loss != want {
		t.Errorf("Result.Loss = %v, state.Loss = %v, loss at the returned x = %v", res.Loss, s.Loss, want)
	}
	if res.Iterations != s.Iteration || res.LossEvaluations != s.NumLossEvaluations {
		t.Errorf("Result counts (%d, %d), state counts (%d, %d)", res.Iterations, res.LossEvaluations, s.Iteration, s.NumLossEvaluations)
	}
	if res.GradientsNorm != s.GradientsNorm {
		t.Errorf("Result.GradientsNorm = %v, state %v", res.GradientsNorm, s.GradientsNorm)
	}
}

func TestMinimizeGradientTolerance(t *testing.T) {
	stop := noStop()
	stop.GradientTolerance = 1e-8 // well below the default, to test convergence
	x, s, res := minimizeFrom(t, DefaultOptions(), rosenbrock, rosenbrockStart(2), stop)
	if res.Status != GradientTolerance || !res.Status.Converged() {
		t.Fatalf("Status = %v, want GradientTolerance", res.Status)
	}
	if s.GradientsNorm > 1e-8 {
		t.Errorf("GradientsNorm = %g, want <= 1e-8", s.GradientsNorm)
	}
	for i, xi := range x {
		if math.Abs(xi-1) > 1e-6 {
			t.Errorf("x[%d] = %v, want 1", i, xi)
		}
	}
}

func TestMinimizeConvergedAtStart(t *testing.T) {
	x, s, res := minimizeFrom(t, DefaultOptions(), rosenbrock, []float64{1, 1}, DefaultStopOptions())
	if res.Status != GradientTolerance || res.Iterations != 0 || res.LossEvaluations != 1 {
		t.Fatalf("got %v after %d iterations, %d evaluations; want GradientTolerance, 0, 1", res.Status, res.Iterations, res.LossEvaluations)
	}
	if x[0] != 1 || x[1] != 1 || s.LineSearchStatus != LineSearchNone {
		t.Errorf("x = %v, LineSearchStatus %q; want (1, 1) untouched and no update", x, s.LineSearchStatus)
	}
}

func TestMinimizeRelativeGradientTolerance(t *testing.T) {
	stop := noStop()
	stop.RelativeGradientTolerance = 1e-3
	// ‖g0‖ = ‖(100·10, 1·10)‖ ≈ 1000, far above an absolute tolerance.
	x0 := []float64{10, 10}
	f := quadratic(100, 1)
	_, s, res := minimizeFrom(t, DefaultOptions(), f, x0, stop)
	if res.Status != RelativeGradientTolerance {
		t.Fatalf("Status = %v, want RelativeGradientTolerance", res.Status)
	}
	g0 := math.Hypot(1000, 10)
	if s.GradientsNorm > 1e-3*g0 {
		t.Errorf("GradientsNorm = %g, want <= 1e-3 × %g", s.GradientsNorm, g0)
	}
}

func TestMinimizeStepTolerance(t *testing.T) {
	stop := noStop()
	stop.StepTolerance = 1e-3
	_, s, res := minimizeFrom(t, DefaultOptions(), rosenbrock, rosenbrockStart(2), stop)
	if res.Status != StepTolerance {
		t.Fatalf("Status = %v, want StepTolerance", res.Status)
	}
	if s.StepNorm > 1e-3 || s.LineSearchStatus != LineSearchCompleted {
		t.Errorf("StepNorm = %g (%s), want <= 1e-3 after a completed search", s.StepNorm, s.LineSearchStatus)
	}
}

func TestMinimizeFunctionTolerance(t *testing.T) {
	stop := noStop()
	stop.FunctionTolerance = 1e-4
	var losses []float64
	stop.Hook = func(s *LBFGSState) error { losses = append(losses, s.Loss); return nil }
	_, _, res := minimizeFrom(t, DefaultOptions(), rosenbrock, rosenbrockStart(2), stop)
	if res.Status != FunctionTolerance {
		t.Fatalf("Status = %v, want FunctionTolerance", res.Status)
	}
	k := len(losses)
	if k < 2 {
		t.Fatalf("%d iterations, want >= 2", k)
	}
	if c := relativeChange(losses[k-2], losses[k-1]); c > 1e-4 {
		t.Errorf("last relative change %g, want <= 1e-4", c)
	}
	for i := 1; i < k-1; i++ {
		if c := relativeChange(losses[i-1], losses[i]); c <= 1e-4 {
			t.Errorf("iteration %d: relative change %g already <= 1e-4", i+1, c)
		}
	}
}

func TestMinimizeIterationLimit(t *testing.T) {
	stop := DefaultStopOptions()
	stop.MaxIterations = 3
	_, s, res := minimizeFrom(t, DefaultOptions(), rosenbrock, rosenbrockStart(2), stop)
	if res.Status != IterationLimit || s.Iteration != 3 || res.Iterations != 3 {
		t.Fatalf("got %v at iteration %d (%d this call), want IterationLimit at 3", res.Status, s.Iteration, res.Iterations)
	}
	if !res.Status.Early() || !errors.Is(res.Status.Err(), IterationLimit.Err()) {
		t.Errorf("IterationLimit: Early %v, Err %v", res.Status.Early(), res.Status.Err())
	}
}

func TestMinimizeEvaluationLimit(t *testing.T) {
	stop := noStop()
	stop.MaxLossEvaluations = 10
	var before int // NumLossEvaluations before the last iteration
	stop.Hook = func(s *LBFGSState) error { before = s.NumLossEvaluations - s.IterationLossEvaluations; return nil }
	_, s, res := minimizeFrom(t, DefaultOptions(), rosenbrock, rosenbrockStart(2), stop)
	if res.Status != EvaluationLimit {
		t.Fatalf("Status = %v, want EvaluationLimit", res.Status)
	}
	if s.NumLossEvaluations < 10 || before >= 10 {
		t.Errorf("NumLossEvaluations = %d (%d before the last iteration), want the first iteration to reach 10", s.NumLossEvaluations, before)
	}
	if max := 10 + s.MaxNumLineSearchIterations() + 1; s.NumLossEvaluations > max {
		t.Errorf("NumLossEvaluations = %d, want <= %d", s.NumLossEvaluations, max)
	}
}

// wrongGradient is f(x) = Σ x² with the gradient's sign flipped: every
// direction is uphill, so every line search fails.
func wrongGradient(x, g []float64) (float64, any, error) {
	var f float64
	for i, xi := range x {
		f += xi * xi
		g[i] = -2 * xi
	}
	return f, nil, nil
}

func TestMinimizeLineSearchFailure(t *testing.T) {
	for _, policy := range []LineSearchFailurePolicy{StopOnFailure, ResetAndRetry} {
		t.Run(map[LineSearchFailurePolicy]string{StopOnFailure: "stop", ResetAndRetry: "retry"}[policy], func(t *testing.T) {
			stop := DefaultStopOptions()
			stop.OnLineSearchFailure = policy
			x, s, res := minimizeFrom(t, DefaultOptions(), wrongGradient, []float64{1, 2}, stop)
			// The history is empty at the first failure, so a retry would
			// repeat the same search: both policies stop at once.
			if res.Status != LineSearchFailure || s.Iteration != 1 {
				t.Fatalf("got %v at iteration %d, want LineSearchFailure at 1", res.Status, s.Iteration)
			}
			if x[0] != 1 || x[1] != 2 {
				t.Errorf("x = %v, want the start (1, 2): no trial decreased the loss", x)
			}
		})
	}
}

// TestMinimizeZeroGradient checks that an exactly zero gradient stops the
// run with GradientTolerance even with every rule off, where the updates
// could not move and the run would otherwise never end: at the start, and
// when an update lands on the minimiser.
func TestMinimizeZeroGradient(t *testing.T) {
	for _, tc := range []struct {
		name string
		x0   []float64
		opts func() Options
		iter int
	}{
		{"at the start", []float64{0, 0}, DefaultOptions, 0},
		// A fixed step of exactly 1 along −g lands on 0 (λ₀ = 1, f = ½‖x‖²).
		{"after a step", []float64{3, -4}, func() Options {
			o := DefaultOptions()
			o.LineSearchMethod = NoLineSearch
			return o
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := coreNewState(t, tc.opts())
			x := append([]float64(nil), tc.x0...)
			// Every rule off; the iteration limit only bounds a failing test.
			res, err := Minimize(context.Background(), x, quadratic(1, 1), s, StopOptions{MaxIterations: 100})
			if err != nil || res.Status != GradientTolerance || s.Iteration != tc.iter {
				t.Fatalf("got %v, %v at iteration %d; want GradientTolerance at %d", res.Status, err, s.Iteration, tc.iter)
			}
		})
	}
}

// TestMinimizeBadStartLeavesState checks that a start point whose loss or
// gradient is not finite, or where the loss function fails, gives an error
// with status Failure and leaves x and the state as they were, on a fresh
// state and on one with a history.
func TestMinimizeBadStartLeavesState(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		f    LossFunc
		want error
	}{
		{"NaN loss", func(x, g []float64) (float64, any, error) { rosenbrock(x, g); return math.NaN(), nil, nil }, ErrNonFinite},
		{"Inf gradient", func(x, g []float64) (float64, any, error) {
			v, _, _ := rosenbrock(x, g)
			g[1] = math.Inf(-1)
			return v, nil, nil
		}, ErrNonFinite},
		{"error", func(x, g []float64) (float64, any, error) { return 0, nil, boom }, boom},
	} {
		for _, used := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/used=%v", tc.name, used), func(t *testing.T) {
				s := coreNewState(t, DefaultOptions())
				x := rosenbrockStart(2)
				if used {
					coreUpdates(t, s, x, rosenbrock, 4)
					x[0] += 1e-3 // not the cached point
				}
				before, x0 := coreSnap(s), append([]float64(nil), x...)
				res, err := Minimize(context.Background(), x, tc.f, s, DefaultStopOptions())
				if !errors.Is(err, tc.want) || res.Status != Failure || res.Iterations != 0 {
					t.Fatalf("got %v, %v after %d iterations; want Failure and an error wrapping %v", res.Status, err, res.Iterations, tc.want)
				}
				if d := coreSameSnap(before, coreSnap(s)); d != "" || !sameBits(x, x0) {
					t.Errorf("state changed in %q, x %v (was %v)", d, x, x0)
				}
			})
		}
	}
}
