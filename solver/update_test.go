package solver

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// failingAfter returns Rosenbrock, failing from the (k+1)-th call of the
// returned closure on: with err if non-nil, else with the loss replaced by
// loss and the first gradient component by grad.
func failingAfter(k int, loss, grad float64, err error) LossFunc {
	calls := 0
	return func(x, g []float64) (float64, any, error) {
		calls++
		f, _, _ := coreRosenbrock(x, g)
		if calls <= k {
			return f, nil, nil
		}
		if err != nil {
			return 0, nil, err
		}
		g[0] = grad
		return loss, nil, nil
	}
}

// nanThenError returns Rosenbrock whose second and third calls return a
// NaN loss and whose later calls fail with err.
func nanThenError(err error) LossFunc {
	calls := 0
	return func(x, g []float64) (float64, any, error) {
		calls++
		f, _, _ := coreRosenbrock(x, g)
		switch {
		case calls > 3:
			return 0, nil, err
		case calls > 1:
			return math.NaN(), nil, nil
		}
		return f, nil, nil
	}
}

// TestUpdateErrorsLeaveStateUnchanged checks every error of Update, on a
// fresh state and on one with a history, and that the state and x are left
// exactly as before.
func TestUpdateErrorsLeaveStateUnchanged(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		x       []float64
		f       func() LossFunc
		fresh   bool // also run on a fresh state
		search  bool // needs a line search: more than one trial
		wantErr []error
	}{
		{"nil loss", []float64{-1.2, 1}, func() LossFunc { return nil }, true, false, []error{ErrLossFunction}},
		{"empty x", []float64{}, func() LossFunc { return coreRosenbrock }, true, false, []error{ErrDimension}},
		{"wrong length", []float64{1, 2, 3}, func() LossFunc { return coreRosenbrock }, false, false, []error{ErrDimension}},
		{"NaN in x", []float64{math.NaN(), 1}, func() LossFunc { return coreRosenbrock }, true, false, []error{ErrNonFinite}},
		{"Inf in x", []float64{1, math.Inf(-1)}, func() LossFunc { return coreRosenbrock }, true, false, []error{ErrNonFinite}},
		{"NaN loss at start", []float64{-1, 1}, func() LossFunc { return failingAfter(0, math.NaN(), 1, nil) }, true, false, []error{ErrNonFinite}},
		{"Inf gradient at start", []float64{-1, 1}, func() LossFunc { return failingAfter(0, 1, math.Inf(1), nil) }, true, false, []error{ErrNonFinite}},
		{"error at start", []float64{-1, 1}, func() LossFunc { return failingAfter(0, 0, 0, errBoom) }, true, false, []error{ErrLossFunction, errBoom}},
		{"error at a trial", []float64{-1, 1}, func() LossFunc { return failingAfter(1, 0, 0, errBoom) }, true, false, []error{ErrLossFunction, errBoom}},
		// Two non-finite trials, then an error: the error comes from deep in
		// the search (the zoom of strong Wolfe, the bracket of weak Wolfe).
		{"error after non-finite trials", []float64{-1, 1}, func() LossFunc { return nanThenError(errBoom) }, true, true,
			[]error{ErrLossFunction, errBoom}},
	}
	for _, method := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking, NoLineSearch} {
		opts := DefaultOptions()
		opts.LineSearchMethod = method
		if method == NoLineSearch {
			opts.LearningRate = ConstantRate(1e-3) // a stable fixed step for Rosenbrock
		}
		for _, tc := range tests {
			for _, fresh := range []bool{false, true} {
				if (fresh && !tc.fresh) || (tc.search && method == NoLineSearch) {
					continue
				}
				t.Run(fmt.Sprintf("%s/%s/fresh=%v", method, tc.name, fresh), func(t *testing.T) {
					checkUpdateError(t, opts, fresh, tc.x, tc.f(), tc.wantErr)
				})
			}
		}
	}
}

// checkUpdateError runs one Update at x with f, on a fresh state or one
// after four updates on Rosenbrock, and checks that it fails with every
// error of wantErr and leaves the state and x exactly as they were.
func checkUpdateError(t *testing.T, opts Options, fresh bool, x0 []float64, f LossFunc, wantErr []error) {
	s := coreNewState(t, opts)
	if !fresh {
		coreUpdates(t, s, []float64{-1.2, 1}, coreRosenbrock, 4)
	}
	before := coreSnap(s)
	x := append([]float64(nil), x0...)
	err := s.Update(x, f)
	for _, want := range wantErr {
		if !errors.Is(err, want) {
			t.Errorf("Update error = %v, want one wrapping %v", err, want)
		}
	}
	if d := coreSameSnap(before, coreSnap(s)); d != "" {
		t.Errorf("state changed in %s", d)
	}
	if !coreSameVecs([][]float64{x}, [][]float64{x0}) {
		t.Errorf("x = %v, want %v unchanged", x, x0)
	}
	if fresh && s.work.n != 0 {
		t.Errorf("a failed first Update fixed the dimension %d", s.work.n)
	}
}

// TestUpdateZeroState checks that a state not made by NewLBFGSState gives
// an error, not a panic.
func TestUpdateZeroState(t *testing.T) {
	var s LBFGSState
	if err := s.Update([]float64{1, 2}, coreRosenbrock); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("Update on a zero state = %v, want ErrInvalidOption", err)
	}
	var nilState *LBFGSState
	if err := nilState.Update([]float64{1, 2}, coreRosenbrock); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("Update on a nil state = %v, want ErrInvalidOption", err)
	}
}

// TestUpdateBadSchedule checks a schedule that turns invalid mid-run.
func TestUpdateBadSchedule(t *testing.T) {
	opts := DefaultOptions()
	opts.LearningRate = coreScheduleFunc(func(k int) float64 {
		if k >= 2 {
			return math.NaN()
		}
		return 1
	})
	s := coreNewState(t, opts)
	x := []float64{-1.2, 1}
	coreUpdates(t, s, x, coreRosenbrock, 2)
	before := coreSnap(s)
	var oe *OptionError
	if err := s.Update(x, coreRosenbrock); !errors.As(err, &oe) || oe.Option != "LearningRate" {
		t.Fatalf("Update = %v, want an *OptionError for LearningRate", err)
	}
	if d := coreSameSnap(before, coreSnap(s)); d != "" {
		t.Errorf("state changed in %s", d)
	}
}

// coreScheduleFunc adapts a func to a Schedule.
type coreScheduleFunc func(int) float64

func (f coreScheduleFunc) LearningRate(k int) float64 { return f(k) }

// TestNoLineSearchTakesTheStep checks NoLineSearch: one trial at exactly
// the learning rate, accepted even if the loss rises, and a non-finite trial
// that fails the update without moving.
func TestNoLineSearchTakesTheStep(t *testing.T) {
	opts := DefaultOptions()
	opts.LineSearchMethod = NoLineSearch
	opts.LearningRate = ConstantRate(0.25)
	s := coreNewState(t, opts)
	x := []float64{-1.2, 1}
	g := make([]float64, 2)
	coreRosenbrock(x, g)
	want := []float64{x[0] - 0.25*g[0], x[1] - 0.25*g[1]} // λ₀ = 1: d = −g
	coreUpdates(t, s, x, coreRosenbrock, 1)
	if x[0] != want[0] || x[1] != want[1] {
		t.Fatalf("x = %v, want x₀ − 0.25·g = %v", x, want)
	}
	if len(s.LineSearchTrials) != 1 || s.LineSearchTrials[0].Step != 0.25 || s.LearningRate != 0.25 ||
		s.LineSearchStatus != LineSearchCompleted || s.IterationLossEvaluations != 2 {
		t.Fatalf("trials %v, rate %v, status %q, %d evaluations", s.LineSearchTrials, s.LearningRate,
			s.LineSearchStatus, s.IterationLossEvaluations)
	}
	if s.Loss <= 24.2 { // f(−1.2, 1) = 24.2: the long step must overshoot
		t.Fatalf("loss %v: the test needs a step that raises the loss", s.Loss)
	}
	// A non-finite trial fails and leaves x where it was.
	nanBeyond := func(x, g []float64) (float64, any, error) {
		f, _, _ := coreRosenbrock(x, g)
		if math.Abs(x[0]) > 1e3 {
			return math.NaN(), nil, nil
		}
		return f, nil, nil
	}
	s = coreNewState(t, opts)
	x = []float64{-1.2, 1e3}
	start := append([]float64(nil), x...)
	coreUpdates(t, s, x, nanBeyond, 1)
	if s.LineSearchStatus != LineSearchFailed || !sameBits(x, start) || s.StepNorm != 0 ||
		s.LineSearchTrials[0].Outcome != TrialNonFinite || s.PairStatus != PairNone {
		t.Fatalf("status %q, x %v, trials %v, pair %q; want failed at %v", s.LineSearchStatus, x, s.LineSearchTrials, s.PairStatus, start)
	}
}

// TestUpdateAtStationaryPoint checks that a zero gradient completes the
// update without moving or evaluating anything but the start.
func TestUpdateAtStationaryPoint(t *testing.T) {
	for _, pairs := range []int{0, 1} {
		t.Run(fmt.Sprintf("%d pairs", pairs), func(t *testing.T) {
			s := coreNewState(t, DefaultOptions())
			if pairs > 0 {
				s.init(2)
				s.appendPair([]float64{1, 0}, []float64{2, 0}, 0.5, 1) // sᵀy = 2
			}
			x := []float64{1, 1} // the minimiser of Rosenbrock: g = 0 exactly
			coreUpdates(t, s, x, coreRosenbrock, 1)
			if s.LineSearchStatus != LineSearchCompleted || x[0] != 1 || x[1] != 1 || s.StepNorm != 0 ||
				s.IterationLossEvaluations != 1 || len(s.LineSearchTrials) != 0 || s.PairStatus != PairNone {
				t.Errorf("status %q, x %v, step %v, %d evaluations, trials %v, pair %q",
					s.LineSearchStatus, x, s.StepNorm, s.IterationLossEvaluations, s.LineSearchTrials, s.PairStatus)
			}
			// d = 0 is no ascent direction: nothing to reset.
			if s.DirectionReset || s.DirectionalDerivative != 0 {
				t.Errorf("DirectionReset %v, gᵀd = %v; want false, 0", s.DirectionReset, s.DirectionalDerivative)
			}
		})
	}
}

// TestUpdateAllocatesNothingOnceFull checks that, once the history is full,
// Update allocates nothing (the loss closure used does not allocate).
func TestUpdateAllocatesNothingOnceFull(t *testing.T) {
	for _, method := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking, NoLineSearch} {
		t.Run(method.String(), func(t *testing.T) {
			opts := DefaultOptions()
			opts.LineSearchMethod = method
			opts.HistorySize = 3
			if method == NoLineSearch {
				opts.LearningRate = ConstantRate(1e-3)
			}
			s := coreNewState(t, opts)
			n := 50
			f := coreQuadratic(n)
			x := make([]float64, n)
			for i := range x {
				x[i] = 3
			}
			coreUpdates(t, s, x, f, 10)
			if len(s.StepHistory) != 3 {
				t.Fatalf("history has %d pairs, want 3", len(s.StepHistory))
			}
			allocs := testing.AllocsPerRun(20, func() {
				x[0] += 1e-3 // keep the updates evaluating the start too
				if err := s.Update(x, f); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("Update allocates %v times per call, want 0", allocs)
			}
		})
	}
}
