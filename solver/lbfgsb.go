package solver

import "math"

// box is the geometry of L-BFGS-B (Byrd, Lu, Nocedal and Zhu, A limited
// memory algorithm for bound constrained optimization, SIAM J. Sci.
// Comput. 16 (1995) 1190–1208; Morales and Nocedal, Remark on Algorithm
// 778, ACM Trans. Math. Softw. 38 (2011) 7). An iteration from a feasible
// x with gradient g:
//
//  1. the compact representation B = θI − W·M·Wᵀ of the stored pairs
//     (compact.go), θ = 1/InverseHessianFactor, so that B⁻¹ is exactly the
//     two-loop recursion's H;
//  2. the generalized Cauchy point x^c, the first minimiser of the
//     quadratic model along the projected gradient path (cauchy.go);
//  3. the subspace minimiser x̄ over the coordinates free at x^c, projected
//     onto the box (subspace.go);
//  4. a line search along d = x̄ − x with the state's method, its steps
//     capped at the largest feasible step, so every trial is feasible.
//
// When the compact factorisation fails or x̄ − x does not descend, the
// iteration falls back to the Cauchy point of B = θ₀·I (θ₀ = 1/λ₀), the
// projected steepest-descent step, and reports DirectionReset. Without any
// finite bound x^c is the model's minimiser along −g, every coordinate is
// free, x̄ − x = −B⁻¹g, and the method is plain L-BFGS up to rounding.
type box struct {
	lo, hi   []float64 // n: the bounds, ±Inf where there is none
	finite   bool      // some bound is finite
	boxed    bool      // every coordinate has two finite bounds
	cb       compactBFGS
	w        boxWork
	xc, xbar []float64 // n: Cauchy point and subspace minimiser
}

// newBox returns the geometry for bounds lo and hi (nil: none on that side)
// of dimension n.
func newBox(lo, hi []float64, n int) *box {
	b := &box{lo: make([]float64, n), hi: make([]float64, n), xc: make([]float64, n), xbar: make([]float64, n)}
	for i := 0; i < n; i++ {
		b.lo[i], b.hi[i] = math.Inf(-1), math.Inf(1)
		if lo != nil {
			b.lo[i] = lo[i]
		}
		if hi != nil {
			b.hi[i] = hi[i]
		}
	}
	b.finite = !boxIsInfinite(b.lo, b.hi)
	b.boxed = true
	for i := range b.lo {
		b.boxed = b.boxed && !math.IsInf(b.lo[i], 0) && !math.IsInf(b.hi[i], 0)
	}
	return b
}

func (b *box) start(x []float64) bool { return projectBox(x, b.lo, b.hi) }

func (b *box) direction(s *LBFGSState, x0, g, d []float64) (float64, bool) {
	if b.cb.set(s.own.StepHistory, s.own.GradientsDifferenceHistory, s.own.HistoryIndices, 1/s.own.InverseHessianFactor) {
		slope := b.step(x0, g, d)
		if slope < 0 || len(s.own.StepHistory) == 0 {
			return slope, false // descent, or no pairs: d = 0 at a stationary point
		}
	}
	// Fall back to the projected steepest-descent step of B = θ₀·I.
	b.cb.set(nil, nil, nil, 1/s.lambda0)
	return b.step(x0, g, d), true
}

// step computes x^c and x̄ with the current representation, sets d = x̄ − x0
// and returns gᵀd. When the subspace system is singular x̄ is x^c, which
// still descends.
func (b *box) step(x0, g, d []float64) float64 {
	b.w.grow(len(x0), b.cb.k)
	b.cb.cauchyPoint(b.xc, x0, g, b.lo, b.hi, &b.w)
	b.cb.subspaceStep(b.xbar, x0, g, b.xc, b.lo, b.hi, &b.w)
	for i := range d {
		d[i] = b.xbar[i] - x0[i]
	}
	return dotProduct(g, d)
}

func (b *box) maxStep(x0, d []float64) float64 { return maxFeasibleStep(x0, d, b.lo, b.hi) }

// firstStep applies the first-step rule of the reference implementation
// (Zhu, Byrd, Lu and Nocedal's lnsrlb, as in SciPy) to an iteration without
// curvature pairs when some bound is finite and not every coordinate has
// two: a first trial that moves a Euclidean distance of at most lr,
// lr·min(1, 1/‖d‖₂). The projected gradient's scale says nothing about a
// good step length there. With every bound infinite the plain rule holds,
// so that the iterates stay those of plain L-BFGS.
func (b *box) firstStep(s *LBFGSState, a0, lr float64, d []float64, reset bool) float64 {
	if (len(s.own.StepHistory) > 0 && !reset) || !b.finite || b.boxed || s.work.method == NoLineSearch {
		return a0
	}
	if dn := norm2(d); dn > 1 {
		return lr / dn
	}
	return lr
}

// point sets x = x0 + α·d, clamped to the box against rounding (α never
// exceeds maxStep).
func (b *box) point(x, x0, d []float64, alpha float64) bool {
	for i := range x {
		x[i] = x0[i] + alpha*d[i]
	}
	projectBox(x, b.lo, b.hi)
	return false
}

func (b *box) decrease([]float64, []float64) float64 { return math.NaN() } // unused: point never projects

func (b *box) penalty([]float64) float64 { return 0 }

func (b *box) slope(_, g, d []float64) float64 { return dotProduct(g, d) }

func (b *box) report(s *LBFGSState, x, g []float64) {
	s.own.ProjectedGradientNorm, s.own.ActiveBounds = projectedGradientNorm(x, g, b.lo, b.hi)
}
