package solver

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// l1Options returns backtracking options with penalty weight l1.
func l1Options(l1 float64, weights []float64) Options {
	o := DefaultOptions()
	o.LineSearchMethod, o.L1, o.L1Weights = Backtracking, l1, weights
	return o
}

// checkL1KKT checks the subgradient optimality conditions of
// f(x) + Σ λ_i|x_i| per coordinate with tolerance tol, independently of the
// package's pseudo-gradient: g_i + λ_i·sign(x_i) = 0 where x_i ≠ 0 and
// |g_i| <= λ_i where x_i = 0; and that the state reports the penalised loss
// and the zero count at x.
func checkL1KKT(t *testing.T, f LossFunc, x, lambda []float64, s *LBFGSState, tol float64) {
	t.Helper()
	g := make([]float64, len(x))
	loss, _, _ := f(slices.Clone(x), g)
	var pen float64
	zeros := 0
	for i, v := range x {
		pen += lambda[i] * math.Abs(v)
		switch {
		case v == 0:
			if lambda[i] > 0 {
				zeros++
			}
			if math.Abs(g[i]) > lambda[i]+tol {
				t.Errorf("x[%d] = 0 with |g| = %v > λ + %v = %v", i, math.Abs(g[i]), tol, lambda[i]+tol)
			}
		default:
			if r := g[i] + math.Copysign(lambda[i], v); math.Abs(r) > tol {
				t.Errorf("x[%d] = %v: g + λ·sign(x) = %v, |·| > %v", i, v, r, tol)
			}
		}
	}
	if d := math.Abs(s.Loss - (loss + pen)); d > 1e-14*math.Abs(s.Loss) {
		t.Errorf("state Loss %v, f + λ‖x‖₁ at x = %v", s.Loss, loss+pen)
	}
	if s.ZeroCoordinates != zeros {
		t.Errorf("ZeroCoordinates = %d, want %d", s.ZeroCoordinates, zeros)
	}
	if s.ProjectedGradientNorm > tol {
		t.Errorf("ProjectedGradientNorm = %v > %v", s.ProjectedGradientNorm, tol)
	}
}

// The lasso against coordinate descent: the same objective to 1e-9
// relative and the same zero pattern, at three penalties.
func TestL1LassoMatchesCoordinateDescent(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	const m, n = 80, 30
	a := randomMatrix(rng, m, n)
	truth := make([]float64, n)
	for j := 0; j < n; j += 4 {
		truth[j] = rng.NormFloat64() * 3
	}
	b := make([]float64, m)
	a.residual(b, truth, make([]float64, m))
	for i := range b {
		b[i] += 0.5 * rng.NormFloat64()
	}
	f := leastSquares(a, b, 1.0/m)
	objective := func(x []float64, lambda float64) float64 {
		v, _, _ := f(slices.Clone(x), make([]float64, n))
		for _, xi := range x {
			v += lambda * math.Abs(xi)
		}
		return v
	}
	for _, lambda := range []float64{0.01, 0.1, 0.5} {
		want := coordinateDescent(a, b, lambda)
		x, s, res := minimizeWith(t, l1Options(lambda, nil), f, constant(n, 0), tightStop(1e-9))
		if res.Status != ProjectedGradientTolerance && !roundingLimited(res, s, 1e-7) {
			t.Fatalf("λ = %v: %v with ProjectedGradientNorm %v", lambda, res.Status, s.ProjectedGradientNorm)
		}
		checkL1KKT(t, f, x, constant(n, lambda), s, math.Max(1e-9, s.ProjectedGradientNorm))
		got, ref := objective(x, lambda), objective(want, lambda)
		if math.Abs(got-ref) > 1e-9*math.Abs(ref) {
			t.Errorf("λ = %v: objective %v, coordinate descent %v", lambda, got, ref)
		}
		zeros := 0
		for j := range x {
			if (x[j] == 0) != (want[j] == 0) {
				t.Errorf("λ = %v: x[%d] = %v, coordinate descent %v: zero patterns differ", lambda, j, x[j], want[j])
			}
			if x[j] == 0 {
				zeros++
			}
		}
		t.Logf("λ = %v: %d zeros of %d, %d iterations, %d evaluations, %v", lambda, zeros, n, res.Iterations, res.LossEvaluations, res.Status)
		if zeros == 0 || zeros == n {
			t.Errorf("λ = %v: %d zeros: the problem tests too little", lambda, zeros)
		}
	}
}

// Subgradient conditions for L1 logistic regression with the first
// coordinate (an intercept) exempt, and on Rosenbrock with a penalty.
func TestL1KKT(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	ca, cy := classification(rng, 300, 15)
	for i := 0; i < ca.m; i++ {
		ca.a[i*ca.n] = 1 // intercept column
	}
	w := constant(15, 1)
	w[0] = 0
	for _, tc := range []struct {
		name    string
		f       LossFunc
		x0      []float64
		l1      float64
		weights []float64
	}{
		{"logistic", logistic(ca, cy), constant(15, 0), 0.02, w},
		{"logistic from a dense start", logistic(ca, cy), constant(15, 0.7), 0.05, w},
		{"rosenbrock", extRosenbrock, []float64{-1.2, 1, -1.2, 1}, 0.5, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, s, res := minimizeWith(t, l1Options(tc.l1, tc.weights), tc.f, tc.x0, tightStop(1e-8))
			if res.Status != ProjectedGradientTolerance {
				t.Fatalf("%v after %d iterations, ProjectedGradientNorm %v", res.Status, res.Iterations, s.ProjectedGradientNorm)
			}
			lambda := constant(len(x), tc.l1)
			for i := range tc.weights {
				lambda[i] = tc.l1 * tc.weights[i]
			}
			checkL1KKT(t, tc.f, x, lambda, s, 1e-8)
			if tc.weights != nil && x[0] == 0 {
				t.Error("the exempt intercept is zero")
			}
		})
	}
}

// With every λ_i = 0 the OWL-QN machinery (pseudo-gradient, alignment,
// orthant projection, projected decrease) runs and must reproduce plain
// L-BFGS with backtracking bit for bit.
func TestL1ZeroWeightsEqualPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	ca, cy := classification(rng, 100, 6)
	for _, tc := range []struct {
		name string
		f    LossFunc
		x0   []float64
	}{
		{"logistic", logistic(ca, cy), constant(6, 0)},
		{"rosenbrock", extRosenbrock, []float64{-1.2, 1, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain := DefaultOptions()
			plain.LineSearchMethod = Backtracking
			sp, _ := NewLBFGSState(plain)
			so, _ := NewLBFGSState(l1Options(3, make([]float64, len(tc.x0))))
			xp, xo := slices.Clone(tc.x0), slices.Clone(tc.x0)
			for it := 0; it < 60; it++ {
				if err := sp.Update(xp, tc.f); err != nil {
					t.Fatal(err)
				}
				if err := so.Update(xo, tc.f); err != nil {
					t.Fatal(err)
				}
				if !sameBits(xp, xo) || math.Float64bits(sp.Loss) != math.Float64bits(so.Loss) ||
					sp.NumLossEvaluations != so.NumLossEvaluations {
					t.Fatalf("iteration %d: plain x %v loss %v, OWL-QN x %v loss %v", it+1, xp, sp.Loss, xo, so.Loss)
				}
			}
		})
	}
}

// Every accepted OWL-QN point stays in the orthant of its start
// (coordinates only reach zero, never cross it, within an iteration), and
// the penalised loss never increases.
func TestL1OrthantInvariant(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 38))
	ca, cy := classification(rng, 200, 20)
	s, _ := NewLBFGSState(l1Options(0.03, nil))
	x := make([]float64, 20)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	f := logistic(ca, cy)
	prevLoss := math.Inf(1)
	for it := 0; it < 40; it++ {
		prev := slices.Clone(x)
		if err := s.Update(x, f); err != nil {
			t.Fatal(err)
		}
		for i := range x {
			if x[i]*prev[i] < 0 {
				t.Fatalf("iteration %d: x[%d] crossed zero from %v to %v", it+1, i, prev[i], x[i])
			}
		}
		if s.Loss > prevLoss {
			t.Fatalf("iteration %d: loss rose from %v to %v", it+1, prevLoss, s.Loss)
		}
		prevLoss = s.Loss
	}
	if s.ZeroCoordinates == 0 {
		t.Error("no coordinate reached zero: the test checks too little")
	}
}
