package solver

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

// rosenbrockPath runs Minimize on the 2-D Rosenbrock function from the
// standard start for n iterations and returns the point after each
// iteration (path[k] after iteration k+1).
func rosenbrockPath(t *testing.T, n int) [][]float64 {
	t.Helper()
	x := rosenbrockStart(2)
	s, err := NewLBFGSState(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var path [][]float64
	stop := StopOptions{MaxIterations: n, Hook: func(*LBFGSState) error {
		path = append(path, slices.Clone(x))
		return nil
	}}
	if _, err := Minimize(context.Background(), x, rosenbrock, s, stop); err != nil {
		t.Fatal(err)
	}
	return path
}

// distanceTo is a validation loss ‖x − p‖², lowest (0) at p.
func distanceTo(p []float64) ValidationFunc {
	return func(x []float64) (float64, any, error) {
		d := 0.0
		for i := range x {
			d += (x[i] - p[i]) * (x[i] - p[i])
		}
		return d, len(x), nil
	}
}

// TestValidatorBestPoint validates a Rosenbrock run against a loss whose
// minimum is the point of iteration 10: the validator keeps exactly that
// point, and the run with the validator is bit-identical to the run
// without (the solver's state is not disturbed).
func TestValidatorBestPoint(t *testing.T) {
	const n, at = 25, 10
	path := rosenbrockPath(t, n)
	v, err := NewValidator(distanceTo(path[at-1]), 2, ValidationOptions{Frequency: 1, OutputNetwork: BestValidationLoss})
	if err != nil {
		t.Fatal(err)
	}
	x := rosenbrockStart(2)
	s, _ := NewLBFGSState(DefaultOptions())
	res, err := Minimize(context.Background(), x, rosenbrock, s, StopOptions{MaxIterations: n, Hook: v.Hook(x)})
	if err != nil || res.Status != IterationLimit {
		t.Fatalf("Minimize = %v, %v", res.Status, err)
	}
	if !slices.Equal(x, path[n-1]) {
		t.Errorf("x = %v, want %v as without a validator", x, path[n-1])
	}
	best, ok := v.BestValidation()
	if !ok || best.Iteration != at || best.Loss != 0 || best.Extra != 2 {
		t.Errorf("best = %+v, %v; want iteration %d, loss 0", best, ok, at)
	}
	if last := v.Last(); last.Iteration != n || !(last.Loss > best.Loss) {
		t.Errorf("last = %+v, want iteration %d with a loss above the best", last, n)
	}
	out := v.Output(x)
	if !slices.Equal(out, path[at-1]) {
		t.Errorf("Output = %v, want the point of iteration %d %v", out, at, path[at-1])
	}
	if st := v.State(); st.Validations != n || st.SinceBest != n-at {
		t.Errorf("state = %+v, want %d validations, %d since the best", st, n, n-at)
	}
	out[0] = 99
	if v.Output(x)[0] == 99 {
		t.Error("Output returned the validator's own copy")
	}
}

// TestValidatorPatience stops the run after Patience validations without
// improvement; with Frequency 2 the validations fall on even iterations.
func TestValidatorPatience(t *testing.T) {
	path := rosenbrockPath(t, 30)
	tests := []struct {
		name           string
		opts           ValidationOptions
		at, wantStopAt int
	}{
		{"every iteration, patience 3", ValidationOptions{Frequency: 1, Patience: 3}, 10, 13},
		{"every second iteration, patience 2", ValidationOptions{Frequency: 2, Patience: 2}, 10, 14},
		{"patience 1", ValidationOptions{Frequency: 1, Patience: 1}, 5, 6}, // the distance to x₅ falls at each of iterations 1 … 5
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewValidator(distanceTo(path[tt.at-1]), 2, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			x := rosenbrockStart(2)
			s, _ := NewLBFGSState(DefaultOptions())
			res, err := Minimize(context.Background(), x, rosenbrock, s, StopOptions{MaxIterations: 30, Hook: v.Hook(x)})
			if err != nil || res.Status != ValidationPatience || s.Iteration != tt.wantStopAt {
				t.Fatalf("Minimize = %v at iteration %d, %v; want ValidationPatience at %d", res.Status, s.Iteration, err, tt.wantStopAt)
			}
			if res.Status.Converged() || !errors.Is(res.Status.Err(), ValidationPatience.Err()) {
				t.Errorf("status %v converged or without its error", res.Status)
			}
			if !slices.Equal(x, path[tt.wantStopAt-1]) {
				t.Errorf("x = %v, want the point of iteration %d", x, tt.wantStopAt)
			}
		})
	}
}

// TestValidatorResume splits a run at iteration 7 and resumes it with the
// validator's state restored: the best point and the patience count are
// those of the unbroken run.
func TestValidatorResume(t *testing.T) {
	path := rosenbrockPath(t, 30)
	f := distanceTo(path[4]) // best at iteration 5, before the split
	opts := ValidationOptions{Frequency: 1, Patience: 5, OutputNetwork: BestValidationLoss}
	first, _ := NewValidator(f, 2, opts)
	x := rosenbrockStart(2)
	s, _ := NewLBFGSState(DefaultOptions())
	if _, err := Minimize(context.Background(), x, rosenbrock, s, StopOptions{MaxIterations: 7, Hook: first.Hook(x)}); err != nil {
		t.Fatal(err)
	}
	second, _ := NewValidator(f, 2, opts)
	if err := second.Restore(first.State()); err != nil {
		t.Fatal(err)
	}
	res, err := Minimize(context.Background(), x, rosenbrock, s, StopOptions{MaxIterations: 30, Hook: second.Hook(x)})
	if err != nil || res.Status != ValidationPatience || s.Iteration != 10 {
		t.Fatalf("resumed run = %v at %d, %v; want ValidationPatience at 10 (5 + patience 5)", res.Status, s.Iteration, err)
	}
	if got := second.Output(x); !slices.Equal(got, path[4]) {
		t.Errorf("Output = %v, want the point of iteration 5 %v", got, path[4])
	}
}

func TestValidatorEdges(t *testing.T) {
	calls := 0
	nan := func(x []float64) (float64, any, error) { calls++; return math.NaN(), nil, nil }
	v, err := NewValidator(nan, 1, ValidationOptions{Frequency: 1, OutputNetwork: BestValidationLoss})
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{3}
	if err := v.Validate(1, x); err != nil {
		t.Fatal(err)
	}
	if _, ok := v.BestValidation(); ok {
		t.Error("a NaN loss became the best")
	}
	if out := v.Output(x); &out[0] != &x[0] {
		t.Error("Output without a best must be x itself")
	}
	if err := v.Finish(1, x); err != nil || calls != 1 {
		t.Errorf("Finish at a validated iteration evaluated again (calls %d, %v)", calls, err)
	}
	if err := v.Finish(2, x); err != nil || calls != 2 {
		t.Errorf("Finish at a new iteration did not validate (calls %d, %v)", calls, err)
	}
	if err := v.Validate(3, []float64{1, 2}); !errors.Is(err, ErrDimension) {
		t.Errorf("wrong dimension: %v", err)
	}
	boom := errors.New("boom")
	failing, _ := NewValidator(func([]float64) (float64, any, error) { return 0, nil, boom }, 1, DefaultValidationOptions())
	if err := failing.Validate(4, x); !errors.Is(err, boom) {
		t.Errorf("error of the function: %v", err)
	}
	for _, o := range []ValidationOptions{{Frequency: 0}, {Frequency: 1, Patience: -1}, {Frequency: 1, OutputNetwork: 5}} {
		var oe *OptionError
		if _, err := NewValidator(nan, 1, o); !errors.As(err, &oe) {
			t.Errorf("options %+v: %v, want an *OptionError", o, err)
		}
	}
	if _, err := NewValidator(nil, 1, DefaultValidationOptions()); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("nil function: %v", err)
	}
	if err := v.Restore(ValidationState{Validations: 1, SinceBest: 2}); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("bad state restored: %v", err)
	}
	for _, o := range []OutputNetwork{LastIteration, BestValidationLoss} {
		if got, err := ParseOutputNetwork(o.String()); err != nil || got != o {
			t.Errorf("ParseOutputNetwork(%q) = %v, %v", o, got, err)
		}
	}
}
