// Package testprob holds the small test problems and helpers that the
// tests of the solver's format packages (trace, checkpoint) share.
package testprob

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/optimize/functions"

	"github.com/lbfgsnet/lbfgsnet/internal/golden"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// Rosenbrock is gonum's extended Rosenbrock function; its extra output is
// the loss again, so that tests can check that the extra value travels
// with the point it came from.
var Rosenbrock solver.LossFunc = func(x, grad []float64) (float64, any, error) {
	var fn functions.ExtendedRosenbrock
	fn.Grad(grad, x)
	v := fn.Func(x)
	return v, v, nil
}

// RosenbrockStart returns the standard start (−1.2, 1, −1.2, 1, …) of
// dimension n (Moré, Garbow & Hillstrom 1981).
func RosenbrockStart(n int) []float64 { return golden.RosenbrockStart(n) }

// Quadratic returns the loss ½·Σ h_i·(x_i − c_i)² with h_i = i+1 and
// c_i = 1/(i+1): convex, minimum 0 at c, condition number n.
func Quadratic(n int) solver.LossFunc {
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

// NewState returns a state for opts, stopping the test on an error.
func NewState(t testing.TB, opts solver.Options) *solver.LBFGSState {
	t.Helper()
	s, err := solver.NewLBFGSState(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Updates performs k updates of s at x with f, stopping the test on an
// error.
func Updates(t testing.TB, s *solver.LBFGSState, x []float64, f solver.LossFunc, k int) {
	t.Helper()
	for range k {
		if err := s.Update(x, f); err != nil {
			t.Fatalf("Update %d: %v", s.Iteration+1, err)
		}
	}
}

// StateString prints everything a state holds (its Snapshot, its published
// Report and its settings), without the extra outputs, for comparing two
// states.
func StateString(s *solver.LBFGSState) string {
	sn := s.Snapshot()
	sn.Report.AdditionalLossFunctionOutputs = nil
	pub := s.Report
	pub.AdditionalLossFunctionOutputs = nil
	return fmt.Sprintf("%+v|%+v|%v %v %v %v", sn, pub,
		s.HistorySize(), s.InitialInverseHessianFactor(), s.LineSearchMethod(), s.MaxNumLineSearchIterations())
}

// RunCall runs call as the subtest name of an API misuse test: it must
// not panic, and must return an error exactly when wantErr.
func RunCall(t *testing.T, name string, call func() error, wantErr bool) {
	t.Run(name, func(t *testing.T) {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v", r)
			}
		}()
		if err := call(); (err != nil) != wantErr {
			t.Errorf("err = %v, want an error: %v", err, wantErr)
		}
	})
}

// UsedState returns a state after two updates on Rosenbrock, and its x.
func UsedState(t *testing.T) (*solver.LBFGSState, []float64) {
	s := NewState(t, solver.DefaultOptions())
	x := RosenbrockStart(2)
	Updates(t, s, x, Rosenbrock, 2)
	return s, x
}
