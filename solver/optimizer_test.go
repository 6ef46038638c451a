package solver

import (
	"errors"
	"math"
	"testing"
)

// updateIterates returns the iterates x_1 … x_n of n Updates from x0.
func updateIterates(t *testing.T, opts Options, f LossFunc, x0 []float64, n int) [][]float64 {
	t.Helper()
	s, err := NewLBFGSState(opts)
	if err != nil {
		t.Fatal(err)
	}
	x := append([]float64(nil), x0...)
	var out [][]float64
	for range n {
		if err := s.Update(x, f); err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]float64(nil), x...))
	}
	return out
}

// split registers x0 as two parameter slices of a model.
func split(x0 []float64) (a, b []float64) {
	a = append([]float64(nil), x0[:3]...)
	b = append([]float64(nil), x0[3:]...)
	return a, b
}

// userStep evaluates f at the optimizer's parameters, as a caller computing
// its own gradients would, and calls Step.
func userStep(t *testing.T, o *Optimizer, f LossFunc, withValueFn bool) {
	t.Helper()
	x := append([]float64(nil), o.Params()...)
	g := make([]float64, len(x))
	v, _, err := f(x, g)
	if err != nil {
		t.Fatal(err)
	}
	var fn LossFunc
	if withValueFn {
		fn = f
	}
	if err := o.Step(g, v, fn); err != nil {
		t.Fatalf("Step at iteration %d: %v", o.State().Iteration+1, err)
	}
}

func TestOptimizerMatchesUpdate(t *testing.T) {
	fixed := func() Options {
		o := DefaultOptions()
		o.LineSearchMethod = NoLineSearch
		o.LearningRate = StepDecay{Initial: 2e-3, Factor: 0.5, Every: 10}
		o.HistorySize = 4
		o.GradientClipNorm = 100
		return o
	}
	for _, tc := range []struct {
		name  string
		opts  func() Options
		modes func(k int) bool // whether Step k gets a valueFn
	}{
		{"weak-wolfe with valueFn", DefaultOptions, func(int) bool { return true }},
		{"strong-wolfe with valueFn", func() Options { o := DefaultOptions(); o.LineSearchMethod = StrongWolfe; return o }, func(int) bool { return true }},
		{"fixed step without valueFn", fixed, func(int) bool { return false }},
		{"fixed step with valueFn", fixed, func(int) bool { return true }},
		{"fixed step mixed", fixed, func(k int) bool { return k%3 == 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x0 := rosenbrockStart(6)
			want := updateIterates(t, tc.opts(), rosenbrock, x0, 30)
			s, _ := NewLBFGSState(tc.opts())
			a, b := split(x0)
			o, err := NewOptimizer(s, a, b)
			if err != nil {
				t.Fatal(err)
			}
			for k := range 30 {
				userStep(t, o, rosenbrock, tc.modes(k))
				got := append(append([]float64(nil), a...), b...)
				if !sameBits(got, want[k]) {
					t.Fatalf("iteration %d: Optimizer at %v, Update at %v", k+1, got, want[k])
				}
			}
		})
	}
}

// A checkpoint taken between fixed steps resumes with the pending pair.
func TestOptimizerSnapshotResume(t *testing.T) {
	opts := DefaultOptions()
	opts.LineSearchMethod = NoLineSearch
	opts.LearningRate = ConstantRate(1e-3)
	x0 := rosenbrockStart(6)
	want := updateIterates(t, opts, rosenbrock, x0, 20)
	s, _ := NewLBFGSState(opts)
	a, b := split(x0)
	o, _ := NewOptimizer(s, a, b)
	for range 8 {
		userStep(t, o, rosenbrock, false)
	}
	s2, err := Restore(o.State().Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	a2, b2 := split(append([]float64(nil), o.Params()...))
	o2, err := NewOptimizer(s2, a2, b2)
	if err != nil {
		t.Fatal(err)
	}
	for k := 8; k < 20; k++ {
		userStep(t, o2, rosenbrock, false)
		if got := o2.Params(); !sameBits(got, want[k]) {
			t.Fatalf("iteration %d after resume: %v, want %v", k+1, got, want[k])
		}
	}
}

// The registered slices hold the trial point whenever valueFn runs.
func TestOptimizerValueFnSeesParams(t *testing.T) {
	s, _ := NewLBFGSState(DefaultOptions())
	a, b := split(rosenbrockStart(6))
	o, _ := NewOptimizer(s, a, b)
	f := func(x, g []float64) (float64, any, error) {
		model := append(append([]float64(nil), a...), b...)
		if !sameBits(model, x) {
			t.Errorf("valueFn at %v, parameters hold %v", x, model)
		}
		return rosenbrock(model, g)
	}
	for range 5 {
		userStep(t, o, f, true)
	}
}

func TestOptimizerErrors(t *testing.T) {
	s, _ := NewLBFGSState(DefaultOptions())
	a, b := split(rosenbrockStart(6))
	o, _ := NewOptimizer(s, a, b)
	userStep(t, o, rosenbrock, true)
	before, params := stateString(s), append([]float64(nil), o.Params()...)
	g := []float64{1, 1, 1, 1, 1, 1}
	nan := []float64{1, 2, 3, 4, 5, math.NaN()}
	for _, tc := range []struct {
		name  string
		grads []float64
		value float64
		fn    LossFunc
		want  error
	}{
		{"nil valueFn with a line search", g, 1, nil, ErrInvalidOption},
		{"short grads", g[:5], 1, rosenbrock, ErrDimension},
		{"NaN gradient", nan, 1, rosenbrock, ErrNonFinite},
		{"Inf loss", g, math.Inf(1), rosenbrock, ErrNonFinite},
		{"failing valueFn", g, 1, func([]float64, []float64) (float64, any, error) { return 0, nil, errors.New("oom") }, ErrLossFunction},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := o.Step(tc.grads, tc.value, tc.fn); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !sameBits(o.Params(), params) {
				t.Errorf("parameters moved to %v", o.Params())
			}
			if tc.name != "failing valueFn" && stateString(s) != before {
				t.Errorf("state changed")
			}
		})
	}
	for _, tc := range []struct {
		name   string
		state  *LBFGSState
		params [][]float64
	}{
		{"nil state", nil, [][]float64{a}},
		{"no parameters", s, nil},
		{"empty parameter", s, [][]float64{a, {}}},
		{"dimension", s, [][]float64{a}},
	} {
		if _, err := NewOptimizer(tc.state, tc.params...); err == nil {
			t.Errorf("NewOptimizer %s: nil error", tc.name)
		}
	}
	if _, err := o.Flatten(a); !errors.Is(err, ErrDimension) {
		t.Errorf("Flatten with one slice of two: err = %v", err)
	}
	if _, err := o.Flatten(a, b[:2]); !errors.Is(err, ErrDimension) {
		t.Errorf("Flatten with a wrong length: err = %v", err)
	}
	if flat, err := o.Flatten(b, a); err != nil || len(flat) != 6 || flat[0] != b[0] {
		t.Errorf("Flatten(b, a) = %v, %v", flat, err)
	}
}

// TestOptimizerRetryAfterValueFnError checks that a Step whose valueFn
// fails, retried at the same parameters, continues exactly as the run
// without the failure, also right after a fixed step (whose pair the
// failed call already stored).
func TestOptimizerRetryAfterValueFnError(t *testing.T) {
	opts := DefaultOptions()
	opts.LineSearchMethod = NoLineSearch
	opts.LearningRate = ConstantRate(1e-3)
	withFn := func(k int) bool { return k%2 == 1 } // fixed step, then a step with valueFn, …
	run := func(failAt int) []float64 {
		s, _ := NewLBFGSState(opts)
		a, b := split(rosenbrockStart(6))
		o, _ := NewOptimizer(s, a, b)
		for k := range 12 {
			if k == failAt {
				x := append([]float64(nil), o.Params()...)
				g := make([]float64, len(x))
				v, _, _ := rosenbrock(x, g)
				boom := func([]float64, []float64) (float64, any, error) { return 0, nil, errors.New("boom") }
				if err := o.Step(g, v, boom); !errors.Is(err, ErrLossFunction) || !sameBits(o.Params(), x) {
					t.Fatalf("failing valueFn: err = %v, parameters %v (were %v)", err, o.Params(), x)
				}
			}
			userStep(t, o, rosenbrock, withFn(k))
		}
		return append([]float64(nil), o.Params()...)
	}
	want := run(-1)
	for _, failAt := range []int{1, 5} { // each right after a fixed step
		if got := run(failAt); !sameBits(got, want) {
			t.Errorf("failure at step %d: ends at %v, want %v", failAt+1, got, want)
		}
	}
}
