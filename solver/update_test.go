package solver

import (
	"errors"
	"math"
	"testing"
)

// TestNewLBFGSStateOptions checks that each option out of range, and each
// option set for a line search that does not use it, is rejected with an
// *OptionError naming it.
func TestNewLBFGSStateOptions(t *testing.T) {
	with := func(edit func(*Options)) Options {
		o := DefaultOptions()
		edit(&o)
		return o
	}
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name   string
		opts   Options
		option string // "" when valid
	}{
		{"defaults", DefaultOptions(), ""},
		{"strong-wolfe", with(func(o *Options) { o.LineSearchMethod = StrongWolfe; o.C2 = 0.1 }), ""},
		{"backtracking", with(func(o *Options) { o.LineSearchMethod = Backtracking; o.C1 = 0.5 }), ""},
		{"none", with(func(o *Options) { o.LineSearchMethod = NoLineSearch }), ""},
		{"clipping", with(func(o *Options) { o.GradientClipNorm = 1; o.GradientClipValue = 0.5 }), ""},
		{"HistorySize 0", with(func(o *Options) { o.HistorySize = 0 }), "HistorySize"},
		{"HistorySize -1", with(func(o *Options) { o.HistorySize = -1 }), "HistorySize"},
		{"HistorySize huge", with(func(o *Options) { o.HistorySize = maxHistorySize + 1 }), "HistorySize"},
		{"negative factor", with(func(o *Options) { o.InitialInverseHessianFactor = -1 }), "InitialInverseHessianFactor"},
		{"zero factor", with(func(o *Options) { o.InitialInverseHessianFactor = 0 }), "InitialInverseHessianFactor"},
		{"NaN factor", with(func(o *Options) { o.InitialInverseHessianFactor = nan }), "InitialInverseHessianFactor"},
		{"Inf factor", with(func(o *Options) { o.InitialInverseHessianFactor = inf }), "InitialInverseHessianFactor"},
		{"unknown method", with(func(o *Options) { o.LineSearchMethod = "wolfe" }), "LineSearchMethod"},
		{"empty method", with(func(o *Options) { o.LineSearchMethod = "" }), "LineSearchMethod"},
		{"zero line-search iterations", with(func(o *Options) { o.MaxNumLineSearchIterations = 0 }), "MaxNumLineSearchIterations"},
		{"C1 0", with(func(o *Options) { o.C1 = 0 }), "C1"},
		{"C1 NaN", with(func(o *Options) { o.C1 = nan }), "C1"},
		{"C1 above C2", with(func(o *Options) { o.C1 = 0.95 }), "C2"},
		{"C2 1", with(func(o *Options) { o.C2 = 1 }), "C2"},
		{"C2 NaN", with(func(o *Options) { o.C2 = nan }), "C2"},
		{"C1 1 backtracking", with(func(o *Options) { o.LineSearchMethod = Backtracking; o.C1 = 1 }), "C1"},
		{"C2 with backtracking", with(func(o *Options) { o.LineSearchMethod = Backtracking; o.C2 = 0.5 }), "C2"},
		{"C2 with none", with(func(o *Options) { o.LineSearchMethod = NoLineSearch; o.C2 = 0.5 }), "C2"},
		{"C1 with none", with(func(o *Options) { o.LineSearchMethod = NoLineSearch; o.C1 = 0.5 }), "C1"},
		{"iterations with none", with(func(o *Options) { o.LineSearchMethod = NoLineSearch; o.MaxNumLineSearchIterations = 5 }),
			"MaxNumLineSearchIterations"},
		{"negative epsilon", with(func(o *Options) { o.CurvatureEpsilon = -1e-16 }), "CurvatureEpsilon"},
		{"NaN epsilon", with(func(o *Options) { o.CurvatureEpsilon = nan }), "CurvatureEpsilon"},
		{"nil learning rate", with(func(o *Options) { o.LearningRate = nil }), "LearningRate"},
		{"zero learning rate", with(func(o *Options) { o.LearningRate = ConstantRate(0) }), "LearningRate"},
		{"NaN learning rate", with(func(o *Options) { o.LearningRate = ConstantRate(nan) }), "LearningRate"},
		{"negative clip norm", with(func(o *Options) { o.GradientClipNorm = -1 }), "GradientClipNorm"},
		{"Inf clip norm", with(func(o *Options) { o.GradientClipNorm = inf }), "GradientClipNorm"},
		{"NaN clip value", with(func(o *Options) { o.GradientClipValue = nan }), "GradientClipValue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewLBFGSState(tc.opts)
			if tc.option == "" {
				if err != nil || s == nil {
					t.Fatalf("NewLBFGSState = %v, %v; want a state", s, err)
				}
				if s.InverseHessianFactor != tc.opts.InitialInverseHessianFactor || s.LineSearchStatus != "" {
					t.Errorf("new state: λ = %v, status %q", s.InverseHessianFactor, s.LineSearchStatus)
				}
				return
			}
			var oe *OptionError
			if !errors.As(err, &oe) || !errors.Is(err, ErrInvalidOption) || s != nil {
				t.Fatalf("NewLBFGSState = %v, %v; want nil and an *OptionError", s, err)
			}
			if oe.Option != tc.option || oe.Valid == "" {
				t.Errorf("error names option %q (valid %q), want %q: %v", oe.Option, oe.Valid, tc.option, err)
			}
		})
	}
}

// coreNewState returns a state for opts or stops the test.
func coreNewState(t testing.TB, opts Options) *LBFGSState {
	t.Helper()
	s, err := NewLBFGSState(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// coreUpdates performs k updates of s at x with f, stopping the test on
// an error.
func coreUpdates(t testing.TB, s *LBFGSState, x []float64, f LossFunc, k int) {
	t.Helper()
	for range k {
		if err := s.Update(x, f); err != nil {
			t.Fatalf("Update %d: %v", s.Iteration+1, err)
		}
	}
}

// TestUpdateErrorsLeaveStateUnchanged checks every error of Update, on a
// fresh state and on one with a history, and that the state and x are left
// exactly as before.
func TestUpdateErrorsLeaveStateUnchanged(t *testing.T) {
	errBoom := errors.New("boom")
	calls := 0
	// failAfter fails from the (k+1)-th call of the returned closure on:
	// with err if non-nil, else with the loss replaced by loss and the
	// first gradient component by grad.
	failAfter := func(k int, loss, grad float64, err error) LossFunc {
		calls = 0
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
	tests := []struct {
		name    string
		x       []float64
		f       func() LossFunc
		fresh   bool // also run on a fresh state
		wantErr []error
	}{
		{"nil loss", []float64{-1.2, 1}, func() LossFunc { return nil }, true, []error{ErrLossFunction}},
		{"empty x", []float64{}, func() LossFunc { return coreRosenbrock }, true, []error{ErrDimension}},
		{"wrong length", []float64{1, 2, 3}, func() LossFunc { return coreRosenbrock }, false, []error{ErrDimension}},
		{"NaN in x", []float64{math.NaN(), 1}, func() LossFunc { return coreRosenbrock }, true, []error{ErrNonFinite}},
		{"Inf in x", []float64{1, math.Inf(-1)}, func() LossFunc { return coreRosenbrock }, true, []error{ErrNonFinite}},
		{"NaN loss at start", []float64{-1, 1}, func() LossFunc { return failAfter(0, math.NaN(), 1, nil) }, true, []error{ErrNonFinite}},
		{"Inf gradient at start", []float64{-1, 1}, func() LossFunc { return failAfter(0, 1, math.Inf(1), nil) }, true, []error{ErrNonFinite}},
		{"error at start", []float64{-1, 1}, func() LossFunc { return failAfter(0, 0, 0, errBoom) }, true, []error{ErrLossFunction, errBoom}},
		{"error at a trial", []float64{-1, 1}, func() LossFunc { return failAfter(1, 0, 0, errBoom) }, true, []error{ErrLossFunction, errBoom}},
	}
	for _, tc := range tests {
		for _, fresh := range []bool{false, true} {
			if fresh && !tc.fresh {
				continue
			}
			name := tc.name + "/used"
			if fresh {
				name = tc.name + "/fresh"
			}
			t.Run(name, func(t *testing.T) {
				s := coreNewState(t, DefaultOptions())
				if !fresh {
					coreUpdates(t, s, []float64{-1.2, 1}, coreRosenbrock, 4)
				}
				before := coreSnap(s)
				x := append([]float64(nil), tc.x...)
				err := s.Update(x, tc.f())
				for _, want := range tc.wantErr {
					if !errors.Is(err, want) {
						t.Errorf("Update error = %v, want one wrapping %v", err, want)
					}
				}
				if d := coreSameSnap(before, coreSnap(s)); d != "" {
					t.Errorf("state changed in %s", d)
				}
				if !coreSameVecs([][]float64{x}, [][]float64{tc.x}) {
					t.Errorf("x = %v, want %v unchanged", x, tc.x)
				}
				if fresh && s.work.n != 0 {
					t.Errorf("a failed first Update fixed the dimension %d", s.work.n)
				}
			})
		}
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

// TestUpdateCachesTheLastEvaluation checks that an Update at the point the
// previous one returned does not evaluate it again, and that any change of
// x, even in the last bit, does.
func TestUpdateCachesTheLastEvaluation(t *testing.T) {
	calls, total := 0, 0
	f := coreCounting(coreCounting(coreRosenbrock, &total), &calls)
	s := coreNewState(t, DefaultOptions())
	x := []float64{-1.2, 1}
	coreUpdates(t, s, x, f, 1)
	if want := 1 + len(s.LineSearchTrials); calls != want || s.IterationLossEvaluations != want {
		t.Fatalf("first update: %d calls, IterationLossEvaluations %d, want %d", calls, s.IterationLossEvaluations, want)
	}
	calls = 0
	coreUpdates(t, s, x, f, 1)
	if want := len(s.LineSearchTrials); calls != want || s.IterationLossEvaluations != want {
		t.Fatalf("cached update: %d calls, IterationLossEvaluations %d, want %d (trials only)", calls, s.IterationLossEvaluations, want)
	}
	calls = 0
	x[0] = math.Nextafter(x[0], 2)
	coreUpdates(t, s, x, f, 1)
	if want := 1 + len(s.LineSearchTrials); calls != want {
		t.Fatalf("after moving x by one ulp: %d calls, want %d", calls, want)
	}
	if s.NumLossEvaluations != total {
		t.Fatalf("NumLossEvaluations = %d, want the %d calls made", s.NumLossEvaluations, total)
	}
}

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

// TestGradientClipping checks that the clipped gradient drives the
// direction, the directional derivative and y, while Gradients stays raw.
func TestGradientClipping(t *testing.T) {
	tests := []struct {
		name      string
		norm, val float64
		clipped   func(g []float64) []float64
	}{
		{"norm", 1, 0, func(g []float64) []float64 {
			n := math.Hypot(g[0], g[1])
			return []float64{g[0] / n, g[1] / n}
		}},
		{"value", 0, 3, func(g []float64) []float64 {
			return []float64{math.Max(-3, math.Min(3, g[0])), math.Max(-3, math.Min(3, g[1]))}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := DefaultOptions()
			opts.GradientClipNorm, opts.GradientClipValue = tc.norm, tc.val
			opts.LineSearchMethod = Backtracking // clipping can defeat the curvature test
			s := coreNewState(t, opts)
			x := []float64{-1.2, 1}
			g0 := make([]float64, 2)
			coreRosenbrock(x, g0) // raw ‖g‖ ≈ 232: both clips are active
			gc0 := tc.clipped(g0)
			coreUpdates(t, s, x, coreRosenbrock, 1)
			// First direction: d = −λ₀·clip(g₀) with λ₀ = 1.
			if want := -(gc0[0]*gc0[0] + gc0[1]*gc0[1]); math.Abs(s.DirectionalDerivative-want) > 1e-12*math.Abs(want) {
				t.Errorf("DirectionalDerivative = %v, want −‖clip(g)‖² = %v", s.DirectionalDerivative, want)
			}
			g1 := make([]float64, 2)
			coreRosenbrock(x, g1)
			if !sameBits(s.Gradients, g1) {
				t.Errorf("Gradients = %v, want the raw gradient %v", s.Gradients, g1)
			}
			if s.PairStatus == PairStored {
				gc1 := tc.clipped(g1)
				y := s.GradientsDifferenceHistory[0]
				for i := range y {
					if want := gc1[i] - gc0[i]; math.Abs(y[i]-want) > 1e-12*math.Abs(want) {
						t.Errorf("y[%d] = %v, want clip(g₁) − clip(g₀) = %v", i, y[i], want)
					}
				}
			}
		})
	}
}

// TestUpdateAtStationaryPoint checks that a zero gradient completes the
// update without moving or evaluating anything but the start.
func TestUpdateAtStationaryPoint(t *testing.T) {
	s := coreNewState(t, DefaultOptions())
	x := []float64{1, 1} // the minimiser of Rosenbrock: g = 0 exactly
	coreUpdates(t, s, x, coreRosenbrock, 1)
	if s.LineSearchStatus != LineSearchCompleted || x[0] != 1 || x[1] != 1 || s.StepNorm != 0 ||
		s.IterationLossEvaluations != 1 || len(s.LineSearchTrials) != 0 || s.PairStatus != PairNone {
		t.Errorf("status %q, x %v, step %v, %d evaluations, trials %v, pair %q",
			s.LineSearchStatus, x, s.StepNorm, s.IterationLossEvaluations, s.LineSearchTrials, s.PairStatus)
	}
}

// TestUpdateAllocatesNothingOnceFull checks that, once the history is full,
// Update allocates nothing (the loss closure used does not allocate).
func TestUpdateAllocatesNothingOnceFull(t *testing.T) {
	for _, method := range []string{WeakWolfe, StrongWolfe, Backtracking, NoLineSearch} {
		t.Run(method, func(t *testing.T) {
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

// TestDiscardEvaluation checks that an Update after DiscardEvaluation calls
// the new loss function at the unchanged start point instead of reusing the
// cached loss and gradient of the old one, and that without it the cache is
// used (no start-point evaluation).
func TestDiscardEvaluation(t *testing.T) {
	// f_c(x) = ½‖x − c‖²: a different loss for each c.
	calls := 0
	quad := func(c float64) LossFunc {
		return func(x, grad []float64) (float64, any, error) {
			calls++
			f := 0.0
			for i, v := range x {
				grad[i] = v - c
				f += 0.5 * (v - c) * (v - c)
			}
			return f, nil, nil
		}
	}
	s, err := NewLBFGSState(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{3, -2}
	if err := s.Update(x, quad(0)); err != nil {
		t.Fatal(err)
	}

	s.DiscardEvaluation()
	calls = 0
	if err := s.Update(x, quad(1)); err != nil {
		t.Fatal(err)
	}
	if want := len(s.LineSearchTrials) + 1; calls != want || s.IterationLossEvaluations != want {
		t.Errorf("after DiscardEvaluation: %d calls, IterationLossEvaluations %d; want %d (start point + trials)",
			calls, s.IterationLossEvaluations, want)
	}
	if s.LineSearchStatus != LineSearchCompleted {
		t.Errorf("LineSearchStatus = %q, want %q", s.LineSearchStatus, LineSearchCompleted)
	}

	calls = 0
	if err := s.Update(x, quad(1)); err != nil {
		t.Fatal(err)
	}
	if want := len(s.LineSearchTrials); calls != want {
		t.Errorf("cached start point: %d calls, want %d (trials only)", calls, want)
	}
}
