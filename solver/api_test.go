package solver

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
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
	for _, group := range []func(*testing.T) []apiCall{stateCalls, optimizerCalls, traceCalls, checkpointCalls, valueCalls} {
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

// traceCalls misuse Recorder, WriteTrace and ReadTrace.
func traceCalls(t *testing.T) []apiCall {
	var (
		nilRec *Recorder
		buf    bytes.Buffer
	)
	return []apiCall{
		{"NewRecorder nil state", func() error { _, err := NewRecorder(&buf, nil); return err }, true},
		{"nil Recorder Record", func() error { return nilRec.Record(coreNewState(t, DefaultOptions())) }, true},
		{"nil Recorder Finish", func() error { return nilRec.Finish(Result{}) }, true},
		{"nil Recorder accessors", func() error {
			nilRec.SetKeepRecords(false)
			if nilRec.Records() != nil || nilRec.Trace().Summary != nil {
				return errors.New("nil Recorder has records")
			}
			return nil
		}, false},
		{"Record nil state", func() error { r, _ := NewRecorder(nil, coreNewState(t, DefaultOptions())); return r.Record(nil) }, true},
		{"zero Recorder", func() error { s, _ := usedState(t); return (&Recorder{}).Record(s) }, false},
		{"WriteTrace nil writer", func() error { return WriteTrace(nil, Trace{}) }, true},
		{"WriteTrace zero trace", func() error { return WriteTrace(&buf, Trace{}) }, false},
		{"WriteTrace unknown status", func() error { return WriteTrace(&buf, Trace{Summary: &Result{Status: Status(-3)}}) }, true},
		{"ReadTrace nil", func() error { _, err := ReadTrace(nil); return err }, true},
		{"ReadTrace garbage", func() error { _, err := ReadTrace(strings.NewReader("\x00\xff{[")); return err }, true},
	}
}

// checkpointCalls misuse the checkpoint functions.
func checkpointCalls(t *testing.T) []apiCall {
	var buf bytes.Buffer
	return []apiCall{
		{"WriteCheckpoint nil writer", func() error { s, x := usedState(t); return WriteCheckpoint(nil, s, x) }, true},
		{"WriteCheckpoint nil state", func() error { return WriteCheckpoint(&buf, nil, []float64{1}) }, true},
		{"WriteCheckpoint nil x", func() error { s, _ := usedState(t); return WriteCheckpoint(&buf, s, nil) }, true},
		{"WriteCheckpoint NaN x", func() error { s, _ := usedState(t); return WriteCheckpoint(&buf, s, nanPoint) }, true},
		{"ReadCheckpoint nil", func() error { _, _, err := ReadCheckpoint(nil, nil); return err }, true},
		{"ReadCheckpoint garbage", func() error {
			_, _, err := ReadCheckpoint(strings.NewReader(checkpointMagic+"\x01\x00\x00\x00garbage"), nil)
			return err
		}, true},
		{"SaveCheckpoint onto a directory", func() error { s, x := usedState(t); return SaveCheckpoint(t.TempDir(), s, x) }, true},
		{"LoadCheckpoint empty path", func() error { _, _, err := LoadCheckpoint("", nil); return err }, true},
		{"LoadCheckpoint a directory", func() error { _, _, err := LoadCheckpoint(filepath.Dir(t.TempDir()), nil); return err }, true},
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
