package solver

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// tightStop stops on the projected gradient, or when an update leaves the
// loss exactly unchanged (at the rounding limit, where steps can no longer
// make a decrease the loss can show).
func tightStop(pgtol float64) StopOptions {
	return StopOptions{ProjectedGradientTolerance: pgtol, FunctionTolerance: 1e-16, MaxIterations: 5000}
}

// roundingLimited reports whether a run ended at the rounding limit rather
// than on its projected-gradient tolerance, with the projected gradient
// still below limit.
func roundingLimited(res Result, s *LBFGSState, limit float64) bool {
	return (res.Status == LineSearchFailure || res.Status == FunctionTolerance) && s.ProjectedGradientNorm < limit
}

// minimizeWith runs Minimize from a copy of x0 and fails the test on an
// error.
func minimizeWith(t *testing.T, opts Options, f LossFunc, x0 []float64, stop StopOptions) ([]float64, *LBFGSState, Result) {
	t.Helper()
	s, err := NewLBFGSState(opts)
	if err != nil {
		t.Fatalf("NewLBFGSState: %v", err)
	}
	x := slices.Clone(x0)
	res, err := Minimize(context.Background(), x, f, s, stop)
	if err != nil {
		t.Fatalf("Minimize: %v (status %v)", err, res.Status)
	}
	return x, s, res
}

// checkBoxKKT checks the first-order conditions of min f over the box at x
// with tolerance tol, independently of the package's projected gradient:
// x feasible; g_i >= −tol at a lower bound, g_i <= tol at an upper bound,
// |g_i| <= tol inside. It also checks that the state's reported loss and
// optimality fields are those at x.
func checkBoxKKT(t *testing.T, f LossFunc, x, lo, hi []float64, s *LBFGSState, tol float64) {
	t.Helper()
	g := make([]float64, len(x))
	loss, _, _ := f(slices.Clone(x), g)
	if loss != s.Loss {
		t.Errorf("state Loss %v, loss at the returned x %v", s.Loss, loss)
	}
	active := 0
	for i, v := range x {
		l, u := math.Inf(-1), math.Inf(1)
		if lo != nil {
			l = lo[i]
		}
		if hi != nil {
			u = hi[i]
		}
		switch {
		case v < l || v > u:
			t.Fatalf("x[%d] = %v outside [%v, %v]", i, v, l, u)
		case v == l && v == u:
			active++
		case v == l:
			active++
			if g[i] < -tol {
				t.Errorf("x[%d] at its lower bound with g = %v < −%v", i, g[i], tol)
			}
		case v == u:
			active++
			if g[i] > tol {
				t.Errorf("x[%d] at its upper bound with g = %v > %v", i, g[i], tol)
			}
		default:
			if math.Abs(g[i]) > tol {
				t.Errorf("x[%d] = %v inside its bounds with |g| = %v > %v", i, v, math.Abs(g[i]), tol)
			}
		}
	}
	if s.ActiveBounds != active {
		t.Errorf("ActiveBounds = %d, want %d", s.ActiveBounds, active)
	}
	if s.ProjectedGradientNorm > tol {
		t.Errorf("ProjectedGradientNorm = %v > %v", s.ProjectedGradientNorm, tol)
	}
}

func constant(n int, v float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}

// KKT conditions at the returned point, on problems with active and
// inactive bounds, for every line search.
func TestBoundsKKT(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	a := randomMatrix(rng, 40, 25)
	b := make([]float64, 40)
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	ca, cy := classification(rng, 200, 12)
	inf := math.Inf(1)
	half := make([]float64, 10) // bounds on every other coordinate
	halfHi := make([]float64, 10)
	for i := range half {
		half[i], halfHi[i] = -inf, inf
		if i%2 == 0 {
			half[i], halfHi[i] = 1.5, 3
		}
	}
	problems := []struct {
		name       string
		f          LossFunc
		x0, lo, hi []float64
		minActive  int
	}{
		// Rosenbrock's minimiser (1, 1) is cut off by x₁ <= 0.5.
		{"rosenbrock upper", extRosenbrock, []float64{-1.2, 1}, nil, []float64{0.5, inf}, 1},
		// Every even coordinate is held in [1.5, 3], away from 1.
		{"extended rosenbrock half bounded", extRosenbrock, constant(10, -1), half, halfHi, 5},
		{"nnls", leastSquares(a, b, 1), constant(25, 1), constant(25, 0), nil, 5},
		{"box least squares", leastSquares(a, b, 1), constant(25, 0), constant(25, -0.1), constant(25, 0.1), 5},
		{"logistic in [-0.5, 0.5]", logistic(ca, cy), constant(12, 0), constant(12, -0.5), constant(12, 0.5), 1},
		{"fixed coordinates", extRosenbrock, []float64{-1.2, 1, 0.3, 0.3}, []float64{-inf, -inf, 0.3, -inf}, []float64{inf, inf, 0.3, inf}, 1},
	}
	for _, p := range problems {
		for _, m := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking} {
			t.Run(p.name+"/"+m.String(), func(t *testing.T) {
				opts := DefaultOptions()
				opts.LineSearchMethod, opts.Lower, opts.Upper = m, p.lo, p.hi
				x, s, res := minimizeWith(t, opts, p.f, p.x0, tightStop(1e-7))
				if res.Status != ProjectedGradientTolerance {
					t.Fatalf("status %v after %d iterations, ProjectedGradientNorm %v", res.Status, res.Iterations, s.ProjectedGradientNorm)
				}
				checkBoxKKT(t, p.f, x, p.lo, p.hi, s, 1e-7)
				if s.ActiveBounds < p.minActive {
					t.Errorf("ActiveBounds = %d, want >= %d", s.ActiveBounds, p.minActive)
				}
			})
		}
	}
}

// Non-negative least squares against Lawson and Hanson's active-set
// algorithm: the same solution and the same active set.
func TestBoundsNNLSMatchesLawsonHanson(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for _, dims := range [][2]int{{30, 10}, {60, 40}, {100, 60}} {
		m, n := dims[0], dims[1]
		a := randomMatrix(rng, m, n)
		b := make([]float64, m)
		for i := range b {
			b[i] = rng.NormFloat64()
		}
		want := lawsonHanson(a, b)
		opts := DefaultOptions()
		opts.Lower = make([]float64, n)
		f := leastSquares(a, b, 1)
		x, s, res := minimizeWith(t, opts, f, constant(n, 1), tightStop(1e-10))
		// Near 1e-7 the decrease a step can make, ~‖pg‖²/σ_min(A)², falls
		// below the rounding of a loss of order 10.
		if res.Status != ProjectedGradientTolerance && !roundingLimited(res, s, 1e-6) {
			t.Fatalf("%d×%d: %v with ProjectedGradientNorm %v", m, n, res.Status, s.ProjectedGradientNorm)
		}
		checkBoxKKT(t, f, x, opts.Lower, nil, s, math.Max(1e-10, s.ProjectedGradientNorm))
		zeros := 0
		for j := range x {
			if (x[j] == 0) != (want[j] == 0) {
				t.Errorf("%d×%d: x[%d] = %v, Lawson–Hanson %v: different active sets", m, n, j, x[j], want[j])
			}
			if math.Abs(x[j]-want[j]) > 1e-7*(1+math.Abs(want[j])) {
				t.Errorf("%d×%d: x[%d] = %v, Lawson–Hanson %v", m, n, j, x[j], want[j])
			}
			if want[j] == 0 {
				zeros++
			}
		}
		if zeros == 0 || zeros == n {
			t.Errorf("%d×%d: %d of %d coordinates active: the problem tests too little", m, n, zeros, n)
		}
	}
}

// With every bound infinite, L-BFGS-B's Cauchy point and subspace step
// reproduce the two-loop direction, and the iterates follow plain L-BFGS's
// to rounding: within 1e-9 relative at every iteration here.
func TestBoundsInfiniteEqualsPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	ca, cy := classification(rng, 150, 8)
	for _, tc := range []struct {
		name string
		f    LossFunc
		x0   []float64
	}{
		{"logistic", logistic(ca, cy), constant(8, 0.1)},
		{"rosenbrock", extRosenbrock, []float64{-1.2, 1, -1.2, 1}},
	} {
		for _, m := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking} {
			t.Run(tc.name+"/"+m.String(), func(t *testing.T) {
				plain := DefaultOptions()
				plain.LineSearchMethod = m
				boxed := plain
				boxed.Lower, boxed.Upper = constant(len(tc.x0), math.Inf(-1)), constant(len(tc.x0), math.Inf(1))
				sp, _ := NewLBFGSState(plain)
				sb, _ := NewLBFGSState(boxed)
				xp, xb := slices.Clone(tc.x0), slices.Clone(tc.x0)
				for it := 0; it < 25; it++ {
					if err := sp.Update(xp, tc.f); err != nil {
						t.Fatal(err)
					}
					if err := sb.Update(xb, tc.f); err != nil {
						t.Fatal(err)
					}
					if sp.GradientsNorm < 1e-6 {
						break // beyond here rounding dominates the steps
					}
					for i := range xp {
						if d := math.Abs(xp[i] - xb[i]); d > 1e-9*(1+math.Abs(xp[i])) {
							t.Fatalf("iteration %d: x[%d] plain %v, L-BFGS-B %v", it+1, i, xp[i], xb[i])
						}
					}
					if sp.PairStatus != sb.PairStatus || sp.IterationLossEvaluations != sb.IterationLossEvaluations {
						t.Fatalf("iteration %d: plain %v/%d evaluations, L-BFGS-B %v/%d", it+1,
							sp.PairStatus, sp.IterationLossEvaluations, sb.PairStatus, sb.IterationLossEvaluations)
					}
				}
			})
		}
	}
}

func TestBoundsStartPointProjected(t *testing.T) {
	opts := DefaultOptions()
	opts.Lower, opts.Upper = []float64{-2, -2}, []float64{0.5, 2}
	s, _ := NewLBFGSState(opts)
	x := []float64{3, -5}
	var seen [][]float64
	f := func(x, g []float64) (float64, any, error) {
		seen = append(seen, slices.Clone(x))
		return extRosenbrock(x, g)
	}
	if err := s.Update(x, f); err != nil {
		t.Fatal(err)
	}
	if !s.StartPointProjected {
		t.Error("StartPointProjected = false after starting at (3, −5) outside [−2, 0.5]×[−2, 2]")
	}
	for _, p := range seen {
		if p[0] > 0.5 || p[0] < -2 || p[1] < -2 || p[1] > 2 {
			t.Fatalf("loss evaluated at %v, outside the bounds", p)
		}
	}
	if !slices.Equal(seen[0], []float64{0.5, -2}) {
		t.Errorf("first evaluation at %v, want the projection (0.5, −2)", seen[0])
	}
	if err := s.Update(x, f); err != nil {
		t.Fatal(err)
	}
	if s.StartPointProjected {
		t.Error("StartPointProjected = true for a feasible start")
	}
	// Minimize projects x in place before its first evaluation.
	s2, _ := NewLBFGSState(opts)
	y := []float64{3, -5}
	if _, err := Minimize(context.Background(), y, extRosenbrock, s2, StopOptions{MaxIterations: 1}); err != nil {
		t.Fatal(err)
	}
	if y[0] > 0.5 || y[1] < -2 {
		t.Errorf("Minimize left x = %v outside the bounds", y)
	}
	if !s2.StartPointProjected || s2.Iteration != 1 {
		t.Errorf("after Minimize's first update StartPointProjected = %v (iteration %d), want true", s2.StartPointProjected, s2.Iteration)
	}
}

func TestConstraintOptionErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name   string
		set    func(*Options)
		option string
	}{
		{"lengths differ", func(o *Options) { o.Lower, o.Upper = []float64{0, 0}, []float64{1} }, "Upper"},
		{"NaN lower", func(o *Options) { o.Lower = []float64{0, nan} }, "Lower[1]"},
		{"NaN upper", func(o *Options) { o.Upper = []float64{nan} }, "Upper[0]"},
		{"+Inf lower", func(o *Options) { o.Lower = []float64{inf} }, "Lower[0]"},
		{"−Inf upper", func(o *Options) { o.Upper = []float64{-inf} }, "Upper[0]"},
		{"lower above upper", func(o *Options) { o.Lower, o.Upper = []float64{0, 2}, []float64{1, 1} }, "Upper[1]"},
		{"negative L1", func(o *Options) { o.L1, o.LineSearchMethod = -1, Backtracking }, "L1"},
		{"NaN L1", func(o *Options) { o.L1, o.LineSearchMethod = nan, Backtracking }, "L1"},
		{"negative weight", func(o *Options) { o.L1, o.L1Weights, o.LineSearchMethod = 1, []float64{1, -1}, Backtracking }, "L1Weights[1]"},
		{"weights without L1", func(o *Options) { o.L1Weights = []float64{1} }, "L1Weights"},
		{"L1 with bounds", func(o *Options) { o.L1, o.Lower, o.LineSearchMethod = 1, []float64{0}, Backtracking }, "L1"},
		{"L1 with a Wolfe search", func(o *Options) { o.L1 = 1 }, "LineSearchMethod"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			tc.set(&o)
			_, err := NewLBFGSState(o)
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Option != tc.option || !errors.Is(err, ErrInvalidOption) {
				t.Fatalf("NewLBFGSState error %v, want an *OptionError naming %s", err, tc.option)
			}
		})
	}
	// Lengths against x are checked by the first Update, which leaves the
	// state without a dimension.
	for _, tc := range []struct {
		name   string
		set    func(*Options)
		option string
	}{
		{"short bounds", func(o *Options) { o.Lower = []float64{0} }, "Lower"},
		{"long upper", func(o *Options) { o.Upper = []float64{1, 1, 1} }, "Upper"},
		{"short weights", func(o *Options) { o.L1, o.L1Weights, o.LineSearchMethod = 1, []float64{1}, Backtracking }, "L1Weights"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			tc.set(&o)
			s, err := NewLBFGSState(o)
			if err != nil {
				t.Fatal(err)
			}
			x := []float64{0.5, 0.5}
			err = s.Update(x, extRosenbrock)
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Option != tc.option {
				t.Fatalf("Update error %v, want an *OptionError naming %s", err, tc.option)
			}
			if s.Iteration != 0 || s.NumLossEvaluations != 0 || !slices.Equal(x, []float64{0.5, 0.5}) {
				t.Errorf("failed Update changed the state or x")
			}
			if _, err := Minimize(context.Background(), x, extRosenbrock, s, DefaultStopOptions()); !errors.As(err, &oe) {
				t.Errorf("Minimize error %v, want an *OptionError", err)
			}
		})
	}
	// The state keeps its own copy of the bounds.
	o := DefaultOptions()
	lo := []float64{0, 0}
	o.Lower = lo
	s, _ := NewLBFGSState(o)
	lo[0] = 5
	if s.Options().Lower[0] != 0 {
		t.Error("changing the caller's Lower changed the state's")
	}
	if _, err := NewOptimizer(s, []float64{1, 2}); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("NewOptimizer with bounds: error %v, want ErrInvalidOption", err)
	}
}

// Two runs from the same start are bit-identical.
func TestBoundsDeterministic(t *testing.T) {
	opts := DefaultOptions()
	opts.Lower, opts.Upper = constant(10, 1.5), constant(10, 3)
	x1, s1, _ := minimizeWith(t, opts, extRosenbrock, constant(10, -1), tightStop(1e-9))
	x2, s2, _ := minimizeWith(t, opts, extRosenbrock, constant(10, -1), tightStop(1e-9))
	if !sameBits(x1, x2) || s1.NumLossEvaluations != s2.NumLossEvaluations || math.Float64bits(s1.Loss) != math.Float64bits(s2.Loss) {
		t.Error("two runs differ")
	}
}

// The first iteration with a finite bound, not every coordinate boxed,
// moves at most the learning rate in Euclidean distance, as the reference
// implementation's first step 1/‖d‖ does; a box on every coordinate keeps
// the plain rule (−λ₀·g at the learning rate; the bounds here are far
// enough that the first direction is −λ₀·g for both).
func TestBoundsFirstStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	a := randomMatrix(rng, 30, 10)
	b := make([]float64, 30)
	for i := range b {
		b[i] = 10 * rng.NormFloat64()
	}
	f := leastSquares(a, b, 1)
	for _, tc := range []struct {
		name   string
		upper  []float64
		within bool
	}{{"lower bounds only", nil, true}, {"boxed", constant(10, 1e6), false}} {
		t.Run(tc.name, func(t *testing.T) {
			opts := DefaultOptions()
			opts.LineSearchMethod, opts.Lower, opts.Upper = Backtracking, constant(10, -1e6), tc.upper
			s, _ := NewLBFGSState(opts)
			x := constant(10, 1)
			if err := s.Update(x, f); err != nil {
				t.Fatal(err)
			}
			first := s.LineSearchTrials[0].Step
			if tc.within && !(s.StepNorm <= 1+1e-12) {
				t.Errorf("first step moved %v, want at most the learning rate 1", s.StepNorm)
			}
			if !tc.within {
				plain := DefaultOptions()
				plain.LineSearchMethod = Backtracking
				p, _ := NewLBFGSState(plain)
				if err := p.Update(constant(10, 1), f); err != nil {
					t.Fatal(err)
				}
				if want := p.LineSearchTrials[0].Step; math.Abs(first-want) > 1e-12*want {
					t.Errorf("first trial step %v, plain L-BFGS's %v", first, want)
				}
			}
		})
	}
}
