package solver

import (
	"context"
	"errors"
	"math"
	"testing"
)

// apiCall is one call of TestAPINoPanic.
type apiCall struct {
	name string
	call func() error // its error, nil where none is expected
	err  bool         // an error is expected
}

// TestAPINoPanic calls every exported function and method with nil, zero,
// empty, mismatched and garbage arguments. None may panic; each call that
// can report misuse must return an error.
func TestAPINoPanic(t *testing.T) {
	var calls []apiCall
	for _, group := range []func(*testing.T) []apiCall{stateCalls, optimizerCalls, valueCalls} {
		calls = append(calls, group(t)...)
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			if err := c.call(); (err != nil) != c.err {
				t.Errorf("err = %v, want an error: %v", err, c.err)
			}
		})
	}
}

// usedState returns a state after two updates on Rosenbrock, and its x.
func usedState(t *testing.T) (*LBFGSState, []float64) {
	s := coreNewState(t, DefaultOptions())
	x := rosenbrockStart(2)
	coreUpdates(t, s, x, rosenbrock, 2)
	return s, x
}

// nanPoint is a point with a NaN coordinate.
var nanPoint = []float64{math.NaN(), 1}

// stateCalls misuse LBFGSState, NewLBFGSState and Minimize.
func stateCalls(t *testing.T) []apiCall {
	ctx := context.Background()
	var nilState *LBFGSState
	return []apiCall{
		{"nil state Update", func() error { return nilState.Update([]float64{1}, rosenbrock) }, true},
		{"zero state Update", func() error { return (&LBFGSState{}).Update([]float64{1}, rosenbrock) }, true},
		{"nil state methods", func() error {
			nilState.DiscardEvaluation()
			nilState.ResetHistory()
			if nilState.Options().LearningRate != nil {
				return errors.New("nil state has options")
			}
			return nil
		}, false},
		{"zero state methods", func() error {
			z := &LBFGSState{}
			z.DiscardEvaluation()
			z.ResetHistory()
			_ = z.Options()
			return nil
		}, false},
		{"Update nil x", func() error { s, _ := usedState(t); return s.Update(nil, rosenbrock) }, true},
		{"Update NaN x", func() error { s, _ := usedState(t); return s.Update(nanPoint, rosenbrock) }, true},
		{"Update nil f", func() error { s, x := usedState(t); return s.Update(x, nil) }, true},
		{"Minimize nil x", func() error {
			s, _ := usedState(t)
			_, err := Minimize(ctx, nil, rosenbrock, s, DefaultStopOptions())
			return err
		}, true},
		{"Minimize fresh, empty x", func() error {
			_, err := Minimize(ctx, []float64{}, rosenbrock, coreNewState(t, DefaultOptions()), DefaultStopOptions())
			return err
		}, true},
		{"Minimize NaN x", func() error {
			s, _ := usedState(t)
			_, err := Minimize(ctx, nanPoint, rosenbrock, s, DefaultStopOptions())
			return err
		}, true},
		{"Minimize all nil", func() error { _, err := Minimize(nil, nil, nil, nil, StopOptions{}); return err }, true},
		{"NewLBFGSState zero options", func() error { _, err := NewLBFGSState(Options{}); return err }, true},
	}
}

// optimizerCalls misuse NewOptimizer and Optimizer.
func optimizerCalls(t *testing.T) []apiCall {
	var nilOpt *Optimizer
	return []apiCall{
		{"NewOptimizer nil", func() error { _, err := NewOptimizer(nil); return err }, true},
		{"nil Optimizer Step", func() error { return nilOpt.Step([]float64{1}, 1, rosenbrock) }, true},
		{"zero Optimizer Step", func() error { return (&Optimizer{}).Step(nil, 0, nil) }, true},
		{"nil Optimizer Flatten", func() error { _, err := nilOpt.Flatten([]float64{1}); return err }, true},
		{"zero Optimizer Flatten", func() error { _, err := (&Optimizer{}).Flatten(); return err }, true},
		{"nil Optimizer accessors", func() error {
			if nilOpt.Len() != 0 || nilOpt.Params() != nil || nilOpt.State() != nil || (&Optimizer{}).Params() != nil {
				return errors.New("nil Optimizer reports parameters")
			}
			return nil
		}, false},
		{"Optimizer Step nil grads", func() error {
			o, err := NewOptimizer(coreNewState(t, DefaultOptions()), []float64{1, 2})
			if err != nil {
				return nil // reported as missing error below
			}
			return o.Step(nil, 1, rosenbrock)
		}, true},
		{"Optimizer Step NaN value, nil valueFn", func() error {
			opts := DefaultOptions()
			opts.LineSearchMethod = NoLineSearch
			o, _ := NewOptimizer(coreNewState(t, opts), []float64{1, 2})
			return o.Step([]float64{1, 1}, math.NaN(), nil)
		}, true},
	}
}

// valueCalls misuse schedules, statuses and hooks.
func valueCalls(*testing.T) []apiCall {
	return []apiCall{
		{"zero schedules", func() error {
			for _, s := range []Schedule{ExponentialDecay{}, StepDecay{}, CosineDecay{}, ScheduleFunc(nil), ConstantRate(0)} {
				for _, k := range []int{-1, 0, 3} {
					_ = s.LearningRate(k)
				}
				if v, ok := s.(interface{ Validate() error }); !ok || v.Validate() == nil {
					return errors.New("zero schedule validates")
				}
			}
			return nil
		}, false},
		{"unknown status", func() error {
			_, _ = Status(-1).String(), Status(-1).Converged()
			_, err := Status(100).MarshalText()
			return err
		}, true},
		{"ChainHooks nil state", func() error { return ChainHooks(nil, nil)(nil) }, false},
	}
}
