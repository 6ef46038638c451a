package solver

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// TestErrorsNamePackageOnce checks that errors built in layers (Minimize
// over Update, a sentinel at the end) say
// "solver:" once, read as the want text, and still match their sentinel
// or type with errors.Is and errors.As.
func TestErrorsNamePackageOnce(t *testing.T) {
	s := coreNewState(t, DefaultOptions())
	x := rosenbrockStart(2)
	coreUpdates(t, s, x, rosenbrock, 2)
	boom := errors.New("boom")
	failAfter := func(k int) LossFunc {
		calls := 0
		return func(x, g []float64) (float64, any, error) {
			if calls++; calls > k {
				return 0, nil, boom
			}
			return rosenbrock(x, g)
		}
	}
	// A schedule that turns NaN after the first update.
	nanLater := DefaultOptions()
	nanLater.LearningRate = coreScheduleFunc(func(k int) float64 { return []float64{1, math.NaN()}[min(k, 1)] })
	noSearch := nanLater
	noSearch.LineSearchMethod = NoLineSearch

	for _, tc := range []struct {
		name   string
		run    func() error
		want   string // the whole message, or its start when it ends in "…"
		target error  // errors.Is target; nil for an *OptionError
	}{
		{"update NaN x", func() error {
			return coreNewState(t, DefaultOptions()).Update([]float64{1, math.NaN()}, rosenbrock)
		}, "solver: update: x[1] = NaN: non-finite value", ErrNonFinite},
		{"update dimension", func() error {
			return s.Update([]float64{1, 2, 3}, rosenbrock)
		}, "solver: update: len(x) = 3, state has dimension 2: dimension mismatch", ErrDimension},
		{"update loss error", func() error {
			return coreNewState(t, DefaultOptions()).Update(rosenbrockStart(2), failAfter(0))
		}, "solver: update: loss at the starting point: loss function failed: boom", ErrLossFunction},
		{"update schedule NaN", func() error {
			st := coreNewState(t, nanLater)
			xs := rosenbrockStart(2)
			coreUpdates(t, st, xs, rosenbrock, 1)
			return st.Update(xs, rosenbrock)
		}, "solver: update: option LearningRate = NaN out of range (valid: finite and > 0 (at iteration 1))", nil},
		{"minimize first evaluation", func() error {
			_, err := Minimize(context.Background(), rosenbrockStart(2), failAfter(0), coreNewState(t, DefaultOptions()), DefaultStopOptions())
			return err
		}, "solver: minimize: loss at the starting point: loss function failed: boom", ErrLossFunction},
		{"minimize trial step", func() error {
			_, err := Minimize(context.Background(), rosenbrockStart(2), failAfter(3), coreNewState(t, DefaultOptions()), DefaultStopOptions())
			return err
		}, "solver: minimize: iteration …", ErrLossFunction},
		{"minimize stop option", func() error {
			stop := DefaultStopOptions()
			stop.MaxIterations = -1
			_, err := Minimize(context.Background(), rosenbrockStart(2), rosenbrock, coreNewState(t, DefaultOptions()), stop)
			return err
		}, "solver: minimize: option MaxIterations = -1 out of range (valid: >= 0 (0 = no limit))", nil},
		{"minimize hook error", func() error {
			stop := DefaultStopOptions()
			stop.Hook = func(*LBFGSState) error { return boom }
			_, err := Minimize(context.Background(), rosenbrockStart(2), rosenbrock, coreNewState(t, DefaultOptions()), stop)
			return err
		}, "solver: minimize: hook at iteration 1: boom", boom},
		{"optimizer fixed step schedule", func() error {
			st := coreNewState(t, noSearch)
			p := []float64{-1.2, 1}
			o, err := NewOptimizer(st, p)
			if err != nil {
				return err
			}
			g := make([]float64, 2)
			for range 2 {
				f, _, _ := rosenbrock(p, g)
				if err := o.Step(g, f, nil); err != nil {
					return err
				}
			}
			return nil
		}, "solver: step: option LearningRate = NaN out of range …", nil},
		{"new optimizer nil state", func() error {
			_, err := NewOptimizer(nil, []float64{1})
			return err
		}, "solver: new optimizer: nil *LBFGSState: invalid option", ErrInvalidOption},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if n := strings.Count(msg, "solver:"); n != 1 {
				t.Errorf("err = %q names the package %d times, want 1", msg, n)
			}
			if start, ok := strings.CutSuffix(tc.want, "…"); ok {
				if !strings.HasPrefix(msg, start) {
					t.Errorf("err = %q, want it to start %q", msg, start)
				}
			} else if msg != tc.want {
				t.Errorf("err = %q\nwant  %q", msg, tc.want)
			}
			var oe *OptionError
			switch {
			case tc.target != nil && !errors.Is(err, tc.target):
				t.Errorf("errors.Is(err, %v) = false", tc.target)
			case tc.target == nil && strings.Contains(tc.want, "option ") && !errors.As(err, &oe):
				t.Errorf("errors.As(err, *OptionError) = false")
			}
		})
	}
}
