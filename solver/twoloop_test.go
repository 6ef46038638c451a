package solver

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// denseSPD returns the random symmetric positive definite n×n matrix
// MᵀM/n + 0.1·I, where M has standard normal entries drawn from rng.
func denseSPD(rng *rand.Rand, n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			m[i][j] = rng.NormFloat64()
		}
	}
	a := make([][]float64, n)
	for i := range a {
		a[i] = make([]float64, n)
		for j := range a[i] {
			for k := range n {
				a[i][j] += m[k][i] * m[k][j] / float64(n)
			}
		}
		a[i][i] += 0.1
	}
	return a
}

// denseMul returns A·v.
func denseMul(a [][]float64, v []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		for j, aij := range a[i] {
			out[i] += aij * v[j]
		}
	}
	return out
}

// denseBFGSUpdate applies the BFGS update of the inverse Hessian
// approximation (Nocedal & Wright, eq. 6.17):
// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs).
func denseBFGSUpdate(h [][]float64, s, y []float64) {
	n := len(s)
	rho := 1 / dotProduct(s, y)
	hy := denseMul(h, y) // H y (H symmetric, so also yᵀH)
	yhy := dotProduct(y, hy)
	for i := range n {
		for j := range n {
			// Expanded: H − ρ(s (Hy)ᵀ + (Hy) sᵀ) + (ρ² yᵀHy + ρ) s sᵀ.
			h[i][j] += -rho*(s[i]*hy[j]+hy[i]*s[j]) + (rho*rho*yhy+rho)*s[i]*s[j]
		}
	}
}

// denseScaledIdentity returns λ·I.
func denseScaledIdentity(n int, lambda float64) [][]float64 {
	h := make([][]float64, n)
	for i := range h {
		h[i] = make([]float64, n)
		h[i][i] = lambda
	}
	return h
}

// TestTwoLoopMatchesDenseInverseHessian checks that direction(g) equals
// −H·g for the dense BFGS matrix H built from the same pairs on
// H₀ = λ·I, before the ring is full, when full, and after it wraps (when
// only the newest HistorySize pairs count).
func TestTwoLoopMatchesDenseInverseHessian(t *testing.T) {
	const n, m = 7, 5
	for _, pairs := range []int{0, 1, 3, m, 2*m + 1} {
		t.Run(fmt.Sprintf("%d pairs", pairs), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(pairs)))
			a := denseSPD(rng, n)
			opts := DefaultOptions()
			opts.HistorySize = m
			s := coreNewState(t, opts)
			s.init(n)
			s.own.InverseHessianFactor = 0.7
			var ss, ys [][]float64
			for k := range pairs {
				sv := make([]float64, n)
				for i := range sv {
					sv[i] = rng.NormFloat64()
				}
				yv := denseMul(a, sv) // y = A s: sᵀy > 0
				ss, ys = append(ss, sv), append(ys, yv)
				s.appendPair(sv, yv, 1/dotProduct(sv, yv), k+1)
			}
			if want := min(pairs, m); len(s.own.StepHistory) != want || len(s.own.HistoryIndices) != want {
				t.Fatalf("%d pairs kept, want %d", len(s.own.StepHistory), want)
			}
			for i, idx := range s.own.HistoryIndices {
				if want := pairs - len(s.own.HistoryIndices) + i + 1; idx != want {
					t.Fatalf("HistoryIndices = %v", s.own.HistoryIndices)
				}
			}
			h := denseScaledIdentity(n, 0.7)
			for k := max(0, pairs-m); k < pairs; k++ {
				denseBFGSUpdate(h, ss[k], ys[k])
			}
			g := make([]float64, n)
			for i := range g {
				g[i] = rng.NormFloat64()
			}
			d := make([]float64, n)
			s.direction(d, g)
			hg := denseMul(h, g)
			scale := infNorm(hg)
			for i := range d {
				if diff := math.Abs(d[i] + hg[i]); diff > 1e-10*scale {
					t.Errorf("d[%d] = %.15g, −(Hg)[%d] = %.15g", i, d[i], i, -hg[i])
				}
			}
		})
	}
}

// TestLBFGSMatchesDenseBFGSOnQuadratic runs Update with strong Wolfe and
// HistorySize ≥ n on a convex quadratic ½xᵀAx − bᵀx beside a dense BFGS
// iteration written here, which takes the same step lengths: with no pair
// yet dropped, L-BFGS is BFGS, so the iterates must agree to 1e-10. H₀ is
// fixed (ScaleInitialHessian off): with rescaling, L-BFGS re-seeds H₀ every
// step, which dense BFGS does not.
func TestLBFGSMatchesDenseBFGSOnQuadratic(t *testing.T) {
	const n = 8
	rng := rand.New(rand.NewPCG(7, 11))
	a := denseSPD(rng, n)
	b := make([]float64, n)
	x0 := make([]float64, n)
	for i := range b {
		b[i], x0[i] = rng.NormFloat64(), 3*rng.NormFloat64()
	}
	f := func(x, g []float64) (float64, any, error) {
		ax := denseMul(a, x)
		var v float64
		for i := range x {
			g[i] = ax[i] - b[i]
			v += 0.5*x[i]*ax[i] - b[i]*x[i]
		}
		return v, nil, nil
	}
	opts := DefaultOptions()
	opts.LineSearchMethod = StrongWolfe
	opts.HistorySize = n + 2
	opts.ScaleInitialHessian = false
	opts.InitialInverseHessianFactor = 0.5
	s := coreNewState(t, opts)
	x := append([]float64(nil), x0...)
	xd := append([]float64(nil), x0...)
	h := denseScaledIdentity(n, 0.5)
	gd := make([]float64, n)
	f(xd, gd)
	for k := 1; k <= opts.HistorySize; k++ {
		coreUpdates(t, s, x, f, 1)
		if s.LineSearchStatus != LineSearchCompleted {
			t.Fatalf("iteration %d: line search %q", k, s.LineSearchStatus)
		}
		// Dense BFGS: d = −H g, x ← x + α d with L-BFGS's α.
		hg := denseMul(h, gd)
		xn := make([]float64, n)
		for i := range xn {
			xn[i] = xd[i] - s.LearningRate*hg[i]
		}
		gn := make([]float64, n)
		f(xn, gn)
		sv, yv := make([]float64, n), make([]float64, n)
		for i := range sv {
			sv[i], yv[i] = xn[i]-xd[i], gn[i]-gd[i]
		}
		if s.PairStatus == PairStored {
			denseBFGSUpdate(h, sv, yv)
		}
		xd, gd = xn, gn
		for i := range x {
			if d := math.Abs(x[i] - xd[i]); d > 1e-10*math.Max(1, math.Abs(xd[i])) {
				t.Fatalf("iteration %d: x[%d] = %.15g, dense BFGS %.15g", k, i, x[i], xd[i])
			}
		}
		if infNorm(gd) < 1e-9 {
			break // converged: later steps are rounding noise
		}
	}
	if s.Iteration < n/2 {
		t.Fatalf("only %d iterations compared", s.Iteration)
	}
	t.Logf("%d iterations agree; final ‖g‖∞ = %.3g", s.Iteration, infNorm(gd))
}

// TestAscentDirectionReset checks the guard against a non-descent
// direction: a stored pair with sᵀy < 0 (which the curvature test would
// have rejected) makes H indefinite, and the update must fall back to
// steepest descent and say so.
func TestAscentDirectionReset(t *testing.T) {
	s := coreNewState(t, DefaultOptions())
	s.init(1)
	// n = 1, λ = 1, s = 1, y = −1: H = (1 − ρsy)²λ + ρs² = −1, so d = −Hg = g.
	s.appendPair([]float64{1}, []float64{-1}, -1, 1)
	d := make([]float64, 1)
	s.direction(d, []float64{2})
	if d[0] <= 0 {
		t.Fatalf("test setup: d = %v, want an ascent direction for g = 2", d)
	}
	square := func(x, g []float64) (float64, any, error) { g[0] = 2 * x[0]; return x[0] * x[0], nil, nil }
	x := []float64{1}
	coreUpdates(t, s, x, square, 1)
	if !s.DirectionReset || s.DirectionalDerivative != -4 { // d = −λg = −2, gᵀd = −4
		t.Errorf("DirectionReset %v, gᵀd = %v; want true, −4", s.DirectionReset, s.DirectionalDerivative)
	}
	// The reset direction −λ·g is tried at the learning rate, as a first
	// step (‖d‖ = 2 is within the safeguard of 10·max(1, ‖x‖)).
	if got := s.LineSearchTrials[0].Step; got != 1 {
		t.Errorf("first trial step after the reset %v, want 1", got)
	}
	if s.LineSearchStatus != LineSearchCompleted || s.Loss >= 1 {
		t.Errorf("status %q, loss %v; want a completed descent", s.LineSearchStatus, s.Loss)
	}
}

// TestScaleInitialHessian checks that λ follows sᵀy/yᵀy of the newest
// stored pair when scaling is on, and stays λ₀ when it is off.
func TestScaleInitialHessian(t *testing.T) {
	for _, scale := range []bool{true, false} {
		opts := DefaultOptions()
		opts.ScaleInitialHessian = scale
		opts.InitialInverseHessianFactor = 0.5
		s := coreNewState(t, opts)
		x := []float64{-1.2, 1}
		for range 6 {
			coreUpdates(t, s, x, coreRosenbrock, 1)
			want := 0.5
			if scale && len(s.own.StepHistory) > 0 {
				k := len(s.own.StepHistory) - 1
				sv, yv := s.own.StepHistory[k], s.own.GradientsDifferenceHistory[k]
				want = dotProduct(sv, yv) / dotProduct(yv, yv)
			}
			if s.InverseHessianFactor != want {
				t.Fatalf("scale %v, iteration %d: λ = %v, want %v", scale, s.Iteration, s.InverseHessianFactor, want)
			}
		}
	}
}

// TestResetHistory checks that ResetHistory empties the history, restores
// λ₀, and that the next update starts a fresh history.
func TestResetHistory(t *testing.T) {
	opts := DefaultOptions()
	opts.HistorySize = 3
	s := coreNewState(t, opts)
	x := []float64{-1.2, 1}
	coreUpdates(t, s, x, coreRosenbrock, 6)
	if len(s.own.StepHistory) != 3 {
		t.Fatalf("history length %d, want 3 before the reset", len(s.own.StepHistory))
	}
	s.ResetHistory()
	if len(s.own.StepHistory) != 0 || len(s.own.GradientsDifferenceHistory) != 0 || len(s.own.HistoryIndices) != 0 ||
		s.InverseHessianFactor != opts.InitialInverseHessianFactor {
		t.Fatalf("after reset: %d pairs, indices %v, λ = %v", len(s.own.StepHistory), s.own.HistoryIndices, s.InverseHessianFactor)
	}
	g := append([]float64(nil), s.Gradients...)
	// Steepest descent after the reset: gᵀd = −c·λ₀‖g‖², c shortening d to
	// the first-step limit 10·max(1, ‖x‖) when longer.
	c := math.Min(1, maxFirstStep*math.Max(1, norm2(x))/norm2(g))
	coreUpdates(t, s, x, coreRosenbrock, 1)
	if want := -c * dotProduct(g, g); math.Abs(s.DirectionalDerivative-want) > 1e-12*math.Abs(want) {
		t.Errorf("first direction after reset: gᵀd = %v, want %v", s.DirectionalDerivative, want)
	}
	if s.PairStatus == PairStored && (len(s.own.HistoryIndices) != 1 || s.own.HistoryIndices[0] != 7) {
		t.Errorf("HistoryIndices = %v, want [7]", s.own.HistoryIndices)
	}
	coreUpdates(t, s, x, coreRosenbrock, 5)
	if len(s.own.StepHistory) > 3 {
		t.Errorf("history length %d after the reset, want <= 3", len(s.own.StepHistory))
	}
}
