package solver

import "math"

// weakWolfe finds a step satisfying the weak Wolfe conditions
//
//	φ(α) ≤ φ(0) + c₁·α·φ'(0)   (sufficient decrease)
//	φ'(α) ≥ c₂·φ'(0)           (curvature)
//
// by the bracketing scheme of Lewis & Overton, "Nonsmooth optimization via
// quasi-Newton methods", Math. Program. 141 (2013): keep a lower end lo
// whose step satisfies sufficient decrease but not curvature and an upper
// end hi whose step fails sufficient decrease (or is non-finite); expand
// while no upper end is known, otherwise pick the next trial inside
// (lo, hi). Where Lewis & Overton double and bisect, this search
// extrapolates and interpolates with cubics on the known φ and φ'
// (safeguarded; see interpolate), which needs fewer evaluations on smooth
// losses. Once hi is known and finite the bracket contains a weak Wolfe
// step (for φ continuously differentiable), so the search fails only when
// it runs out of evaluations, φ is unbounded below along d, or the bracket
// collapses to adjacent floating-point numbers.
//
// With bounds, steps are capped at the largest feasible step, and a capped
// step that satisfies sufficient decrease but not curvature is accepted,
// as Moré and Thuente's search does at its maximum step in L-BFGS-B.
func (s *LBFGSState) weakWolfe(alpha float64) (bool, error) {
	ls := &s.work.search
	c2dg0 := s.opts.C2 * ls.dg0
	lo, flo, dlo := 0.0, ls.f0, ls.dg0
	hi, fhi, dhi, hiFinite := math.Inf(1), 0.0, 0.0, false
	prev, fprev, dprev := 0.0, ls.f0, ls.dg0 // the lower end before lo
	for it := 0; it < s.work.maxTrials; it++ {
		phi, dphi, fin, err := s.evaluate(alpha)
		switch {
		case err != nil:
			return false, err
		case !fin:
			hi, hiFinite = alpha, false
		case !s.armijo(alpha, phi):
			ls.label(TrialArmijo)
			hi, fhi, dhi, hiFinite = alpha, phi, dphi, true
		case dphi < c2dg0 && alpha >= ls.maxStep:
			return s.accept() // at the bound: no longer step is feasible
		case dphi < c2dg0:
			ls.label(TrialCurvature)
			s.consider()
			prev, fprev, dprev = lo, flo, dlo
			lo, flo, dlo = alpha, phi, dphi
		default:
			return s.accept()
		}
		if math.IsInf(hi, 1) {
			alpha = math.Min(ls.maxStep, extrapolate(prev, fprev, dprev, lo, flo, dlo))
		} else {
			alpha = interpolate(lo, flo, dlo, hi, fhi, dhi, hiFinite)
		}
		if !(alpha > lo && alpha < hi) {
			return false, nil // the bracket has collapsed
		}
	}
	return false, nil
}

// Limits of an extrapolated step beyond the last step a that satisfied
// sufficient decrease but not curvature: between expandMin·a and
// expandMax·a (the doubling of Lewis & Overton is the lower limit; 10 is
// the upper limit that PyTorch's and SciPy's strong Wolfe searches use).
const (
	expandMin = 2
	expandMax = 10
)

// extrapolate returns the next trial step beyond b > a ≥ 0, where the loss
// still decreases steeply at b: the minimiser of the cubic through (a, b)
// when it lies beyond b, clipped to [expandMin·b, expandMax·b].
func extrapolate(a, fa, da, b, fb, db float64) float64 {
	t, ok := cubicMin(a, fa, da, b, fb, db)
	if !ok || !(t > b) {
		t = expandMax * b
	}
	return math.Max(expandMin*b, math.Min(expandMax*b, t))
}
