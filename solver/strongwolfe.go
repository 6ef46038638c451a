package solver

import "math"

// strongWolfe finds a step satisfying the strong Wolfe conditions
//
//	φ(α) ≤ φ(0) + c₁·α·φ'(0)   (sufficient decrease)
//	|φ'(α)| ≤ c₂·|φ'(0)|       (strong curvature)
//
// with Nocedal & Wright's Algorithm 3.5 (bracketing) and Algorithm 3.6
// (zoom). Bracketing extrapolates with the cubic through the last two steps
// (see extrapolate) until a step fails sufficient decrease, does not
// decrease the loss below the previous step, or has φ' ≥ 0; zoom then
// shrinks the bracket with safeguarded cubic interpolation (interpolate),
// keeping as lo the step with the lowest loss satisfying sufficient
// decrease. A non-finite trial closes the bracket like a step that fails
// sufficient decrease.
//
// Where Nocedal & Wright close the bracket at a trial whose loss equals
// that of lo (φ(α) ≥ φ(α_lo)), this search does so only when the loss is
// strictly higher: near a minimiser the loss is flat to rounding, equal
// values carry no information, and the curvature test and the sign of φ'
// decide instead (without this, Moré & Thuente's function 2 from α₀ = 1000
// never accepts a step satisfying |φ'| ≤ 5e-8 that it has found).
//
// With bounds, steps are capped at the largest feasible step, and a capped
// step that satisfies sufficient decrease with φ' < 0 is accepted, as Moré
// and Thuente's search does at its maximum step in L-BFGS-B.
func (s *LBFGSState) strongWolfe(alpha float64) (bool, error) {
	ls := &s.work.search
	prev, fprev, dprev := 0.0, ls.f0, ls.dg0
	for it := 0; it < s.work.maxTrials; it++ {
		phi, dphi, fin, err := s.evaluate(alpha)
		switch {
		case err != nil:
			return false, err
		case !fin:
			return s.zoom(bracket{prev, fprev, dprev, alpha, 0, 0, false}, it+1)
		case !s.armijo(alpha, phi):
			ls.label(TrialArmijo)
			return s.zoom(bracket{prev, fprev, dprev, alpha, phi, dphi, true}, it+1)
		case it > 0 && phi > fprev:
			ls.label(TrialRejected)
			s.consider()
			return s.zoom(bracket{prev, fprev, dprev, alpha, phi, dphi, true}, it+1)
		case math.Abs(dphi) <= -s.opts.C2*ls.dg0:
			return s.accept()
		}
		if dphi < 0 && alpha >= ls.maxStep {
			return s.accept() // at the bound: no longer step is feasible
		}
		ls.label(TrialCurvature)
		s.consider()
		if dphi >= 0 {
			return s.zoom(bracket{alpha, phi, dphi, prev, fprev, dprev, true}, it+1)
		}
		next := math.Min(ls.maxStep, extrapolate(prev, fprev, dprev, alpha, phi, dphi))
		prev, fprev, dprev = alpha, phi, dphi
		alpha = next
	}
	return false, nil
}

// bracket is the interval of Nocedal & Wright's zoom: lo is the step with
// the lowest loss among the trials satisfying sufficient decrease, and
// φ'(lo)·(hi − lo) < 0, so a strong Wolfe step lies between lo and hi. hi's
// values are known when hiFinite.
type bracket struct {
	lo, flo, dlo float64
	hi, fhi, dhi float64
	hiFinite     bool
}

// zoom is Nocedal & Wright's Algorithm 3.6 with safeguarded cubic
// interpolation; used counts the evaluations already spent.
func (s *LBFGSState) zoom(b bracket, used int) (bool, error) {
	ls := &s.work.search
	for it := used; it < s.work.maxTrials; it++ {
		alpha := interpolate(b.lo, b.flo, b.dlo, b.hi, b.fhi, b.dhi, b.hiFinite)
		if !(alpha > math.Min(b.lo, b.hi) && alpha < math.Max(b.lo, b.hi)) {
			return false, nil // the bracket has collapsed
		}
		phi, dphi, fin, err := s.evaluate(alpha)
		switch {
		case err != nil:
			return false, err
		case !fin:
			b.hi, b.hiFinite = alpha, false
			continue
		case !s.armijo(alpha, phi):
			ls.label(TrialArmijo)
			b.hi, b.fhi, b.dhi, b.hiFinite = alpha, phi, dphi, true
			continue
		case phi > b.flo:
			ls.label(TrialRejected)
			b.hi, b.fhi, b.dhi, b.hiFinite = alpha, phi, dphi, true
			continue
		case math.Abs(dphi) <= -s.opts.C2*ls.dg0:
			return s.accept()
		}
		ls.label(TrialCurvature)
		s.consider()
		if dphi*(b.hi-b.lo) >= 0 {
			b.hi, b.fhi, b.dhi, b.hiFinite = b.lo, b.flo, b.dlo, true
		}
		b.lo, b.flo, b.dlo = alpha, phi, dphi
	}
	return false, nil
}
