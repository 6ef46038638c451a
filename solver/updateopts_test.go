package solver

import (
	"context"
	"errors"
	"math"
	"testing"
)

// TestUpdateWithChangesThatCallOnly checks that per-call options choose
// the search of that call, are recorded in the state, and leave the next
// Update to the state's options.
func TestUpdateWithChangesThatCallOnly(t *testing.T) {
	s := coreNewState(t, DefaultOptions())
	if s.LineSearchMethod() != 0 || s.LineSearchMethod().String() != "" || s.MaxNumLineSearchIterations() != 0 {
		t.Fatalf("before the first update: %q, %d; want \"\", 0 (as MATLAB)", s.LineSearchMethod(), s.MaxNumLineSearchIterations())
	}
	x := rosenbrockStart(2)
	for _, tc := range []struct {
		o          UpdateOptions
		method     LineSearchMethod
		maxTrials  int
		wantFailed bool
	}{
		{UpdateOptions{}, WeakWolfe, DefaultMaxNumLineSearchIterations, false},
		{UpdateOptions{LineSearchMethod: StrongWolfe, MaxNumLineSearchIterations: 7}, StrongWolfe, 7, false},
		{UpdateOptions{}, WeakWolfe, DefaultMaxNumLineSearchIterations, false},
		{UpdateOptions{LineSearchMethod: Backtracking}, Backtracking, DefaultMaxNumLineSearchIterations, false},
		{UpdateOptions{LineSearchMethod: NoLineSearch}, NoLineSearch, 1, false},
	} {
		if err := s.UpdateWith(x, rosenbrock, tc.o); err != nil {
			t.Fatal(err)
		}
		if s.LineSearchMethod() != tc.method || s.MaxNumLineSearchIterations() != tc.maxTrials {
			t.Errorf("iteration %d with %+v: recorded %v, %d; want %v, %d", s.Iteration, tc.o,
				s.LineSearchMethod(), s.MaxNumLineSearchIterations(), tc.method, tc.maxTrials)
		}
		if len(s.LineSearchTrials) > tc.maxTrials {
			t.Errorf("iteration %d: %d trials, budget %d", s.Iteration, len(s.LineSearchTrials), tc.maxTrials)
		}
	}
	// The same iterates as a state created with the method, for that call:
	// a strong Wolfe update from a fresh state equals UpdateWith(StrongWolfe).
	opts := DefaultOptions()
	opts.LineSearchMethod = StrongWolfe
	a, b := coreNewState(t, opts), coreNewState(t, DefaultOptions())
	xa, xb := rosenbrockStart(4), rosenbrockStart(4)
	for range 5 {
		if err := a.Update(xa, rosenbrock); err != nil {
			t.Fatal(err)
		}
		if err := b.UpdateWith(xb, rosenbrock, UpdateOptions{LineSearchMethod: StrongWolfe}); err != nil {
			t.Fatal(err)
		}
	}
	if !sameBits(xa, xb) || a.NumLossEvaluations != b.NumLossEvaluations {
		t.Errorf("UpdateWith(StrongWolfe) x %v (%d evaluations), strong-wolfe state %v (%d)", xb, b.NumLossEvaluations, xa, a.NumLossEvaluations)
	}
}

// TestUpdateWithInvalid checks that out-of-range per-call options are
// *OptionErrors naming the field, with the state and x unchanged.
func TestUpdateWithInvalid(t *testing.T) {
	s := coreNewState(t, DefaultOptions())
	x := rosenbrockStart(2)
	coreUpdates(t, s, x, rosenbrock, 2)
	before, x0 := coreSnap(s), append([]float64(nil), x...)
	for _, o := range []UpdateOptions{
		{LineSearchMethod: NoLineSearch + 1},
		{MaxNumLineSearchIterations: -1},
		{MaxNumLineSearchIterations: maxLineSearchIterations + 1},
		{LineSearchMethod: NoLineSearch, MaxNumLineSearchIterations: 3},
	} {
		err := s.UpdateWith(x, rosenbrock, o)
		var oe *OptionError
		if !errors.As(err, &oe) || !errors.Is(err, ErrInvalidOption) || oe.Option[:len("UpdateOptions.")] != "UpdateOptions." {
			t.Errorf("%+v: err = %v, want an *OptionError naming an UpdateOptions field", o, err)
		}
		if d := coreSameSnap(before, coreSnap(s)); d != "" || !sameBits(x, x0) {
			t.Errorf("%+v: the failed call changed the %s", o, d)
		}
	}
}

// TestCacheKeyedOnFunction checks that the cached evaluation of one loss
// function is never handed to another at the same x: Update(x, g) after
// Update(x, f) evaluates g at x and reports g's loss.
func TestCacheKeyedOnFunction(t *testing.T) {
	var fCalls, gCalls int
	f := func(x, grad []float64) (float64, any, error) { fCalls++; return rosenbrock(x, grad) }
	// g is f shifted by 10 with the same gradient: a reused evaluation
	// would report f's loss.
	g := func(x, grad []float64) (float64, any, error) {
		gCalls++
		v, _, err := rosenbrock(x, grad)
		return v + 10, nil, err
	}
	s := coreNewState(t, DefaultOptions())
	x := rosenbrockStart(2)
	coreUpdates(t, s, x, f, 1)
	at := append([]float64(nil), x...)
	if err := s.Update(x, g); err != nil {
		t.Fatal(err)
	}
	if want := len(s.LineSearchTrials) + 1; gCalls != want || s.IterationLossEvaluations != want {
		t.Errorf("g: %d calls, IterationLossEvaluations %d; want %d (the start point, then the trials)", gCalls, s.IterationLossEvaluations, want)
	}
	if s.LineSearchStatus != LineSearchCompleted {
		t.Errorf("LineSearchStatus = %v after a change of function", s.LineSearchStatus)
	}
	want, _, _ := rosenbrock(x, make([]float64, len(x)))
	if s.Loss != want+10 {
		t.Errorf("Loss = %v, want g's %v", s.Loss, want+10)
	}
	// The same g again: its own evaluation is reused.
	gCalls = 0
	if err := s.Update(x, g); err != nil {
		t.Fatal(err)
	}
	if gCalls != len(s.LineSearchTrials) {
		t.Errorf("g again: %d calls for %d trials, want the start point reused", gCalls, len(s.LineSearchTrials))
	}
	// Minimize with f from a point g evaluated: f is evaluated there.
	fCalls = 0
	copy(x, at)
	if _, err := Minimize(context.Background(), x, f, s, StopOptions{MaxIterations: s.Iteration + 1}); err != nil {
		t.Fatal(err)
	}
	if fCalls < 1 {
		t.Error("Minimize with f reused g's evaluation")
	}
}

// TestReportFieldsAreNotRead checks that a caller who overwrites the
// reported fields between updates changes nothing the solver does: the
// iterates equal those of an untouched state, and the fields are rewritten.
func TestReportFieldsAreNotRead(t *testing.T) {
	opts := DefaultOptions()
	opts.HistorySize = 3
	a, b := coreNewState(t, opts), coreNewState(t, opts)
	xa, xb := rosenbrockStart(4), rosenbrockStart(4)
	for k := range 12 {
		coreUpdates(t, a, xa, rosenbrock, 1)
		coreUpdates(t, b, xb, rosenbrock, 1)
		// Vandalise b's report.
		b.Loss, b.GradientsNorm, b.Iteration, b.NumLossEvaluations = -1, -1, 1000, -7
		b.InverseHessianFactor = 1e9
		b.Gradients[0] = math.NaN()
		b.StepHistory, b.HistoryIndices = nil, []int{42}
		if len(b.GradientsDifferenceHistory) > 0 {
			b.GradientsDifferenceHistory[0] = nil
		}
		b.LineSearchStatus, b.PairStatus = LineSearchFailed, PairSkipped
		if k == 6 {
			continue
		}
	}
	coreUpdates(t, a, xa, rosenbrock, 1)
	coreUpdates(t, b, xb, rosenbrock, 1)
	if !sameBits(xa, xb) || stateString(a) != stateString(b) {
		t.Errorf("after overwriting the report: x %v, untouched %v\n%s\n%s", xb, xa, stateString(b), stateString(a))
	}
	if b.HistorySize() != 3 || b.InitialInverseHessianFactor() != 1 {
		t.Errorf("settings %d, %v", b.HistorySize(), b.InitialInverseHessianFactor())
	}
}

// TestEnumerationNames checks the text forms of the enumerations: MATLAB's
// and the trace's names, parsed back, with unknown names rejected.
func TestEnumerationNames(t *testing.T) {
	for _, m := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking, NoLineSearch} {
		got, err := ParseLineSearchMethod(m.String())
		if err != nil || got != m {
			t.Errorf("ParseLineSearchMethod(%q) = %v, %v", m.String(), got, err)
		}
	}
	for _, bad := range []string{"strong_wolfe", "", "Weak-Wolfe"} {
		if _, err := ParseLineSearchMethod(bad); err == nil {
			t.Errorf("ParseLineSearchMethod(%q): nil error", bad)
		}
	}
	for v, want := range map[any]string{
		LineSearchNone: "", LineSearchCompleted: "completed", LineSearchFailed: "failed",
		PairNone: "", PairStored: "stored", PairSkipped: "skipped",
		TrialAccepted: "accepted", TrialNonFinite: "non-finite", TrialArmijo: "armijo",
		TrialCurvature: "curvature", TrialBestOfFail: "best-of-fail", TrialRejected: "rejected",
		TwoNorm: "2", InfNorm: "inf", LineSearchMethod(9): "LineSearchMethod(9)",
	} {
		if got := v.(interface{ String() string }).String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", v, got, want)
		}
	}
	var o Outcome
	if err := o.UnmarshalText([]byte("best-of-fail")); err != nil || o != TrialBestOfFail {
		t.Errorf("Outcome.UnmarshalText = %v, %v", o, err)
	}
	if _, err := Outcome(0).MarshalText(); err == nil {
		t.Error("the zero Outcome marshals")
	}
}

// TestInfNormTolerance checks that a gradient tolerance in the ∞-norm,
// absolute or relative, stops the run as converged.
func TestInfNormTolerance(t *testing.T) {
	for _, tc := range []struct {
		name string
		stop StopOptions
		want Status
		ok   func(s *LBFGSState, g0 float64) bool
	}{
		{"absolute", StopOptions{GradientTolerance: 1e-6, GradientNorm: InfNorm, MaxIterations: 2000}, GradientTolerance,
			func(s *LBFGSState, _ float64) bool { return s.GradientsInfNorm <= 1e-6 && s.GradientsNorm > 1e-6 }},
		{"relative", StopOptions{RelativeGradientTolerance: 1e-4, GradientNorm: InfNorm, MaxIterations: 2000}, RelativeGradientTolerance,
			func(s *LBFGSState, g0 float64) bool { return s.GradientsInfNorm <= 1e-4*g0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Many equal coordinates: ‖g‖₂ = √n·‖g‖∞ near the minimum.
			x := rosenbrockStart(100)
			s := coreNewState(t, DefaultOptions())
			g0 := infNorm(func() []float64 { g := make([]float64, 100); rosenbrock(x, g); return g }())
			stop := tc.stop
			var last float64
			stop.Hook = func(s *LBFGSState) error { last = s.GradientsInfNorm; return nil }
			res, err := Minimize(context.Background(), x, rosenbrock, s, stop)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.want || !res.Status.Converged() || !tc.ok(s, g0) || last != s.GradientsInfNorm {
				t.Errorf("status %v (converged %v), ‖g‖∞ %v, ‖g‖₂ %v, start ‖g‖∞ %v", res.Status, res.Status.Converged(),
					s.GradientsInfNorm, s.GradientsNorm, g0)
			}
			if got := infNorm(s.Gradients); got != s.GradientsInfNorm {
				t.Errorf("GradientsInfNorm %v, ‖Gradients‖∞ %v", s.GradientsInfNorm, got)
			}
		})
	}
	if err := (StopOptions{GradientNorm: InfNorm + 1}).Validate(); err == nil {
		t.Error("GradientNorm out of range validates")
	}
}
