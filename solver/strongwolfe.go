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
// A loss with kinks (a ReLU network's) may have no strong Wolfe step at
// all: φ' jumps across a kink from below −c₂·|φ'(0)| to above +c₂·|φ'(0)|,
// and the bracket closes on the kink without end. The search keeps the best
// trial that satisfied sufficient decrease and the weak curvature condition
// φ'(α) ≥ c₂·φ'(0) (see keepWeak). Once the bracket has evidently closed on
// a kink (see kink), or when the evaluations run out or the bracket
// collapses, it accepts that trial instead of failing, labelled
// TrialAcceptedWeak:
// the step is a weak Wolfe step, so its pair has sᵀy > 0 and the update is
// as sound as a weak Wolfe update; the label says which conditions hold.
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
			s.keepWeak(phi, dphi) // before consider, which may swap the trial buffers
			s.consider()
			return s.zoom(bracket{prev, fprev, dprev, alpha, phi, dphi, true}, it+1)
		case math.Abs(dphi) <= -s.opts.C2*ls.dg0:
			return s.accept()
		}
		if dphi < 0 && alpha >= ls.maxStep {
			return s.accept() // at the bound: no longer step is feasible
		}
		ls.label(TrialCurvature)
		s.keepWeak(phi, dphi) // before consider, which may swap the trial buffers
		s.consider()
		if dphi >= 0 {
			return s.zoom(bracket{alpha, phi, dphi, prev, fprev, dprev, true}, it+1)
		}
		next := math.Min(ls.maxStep, extrapolate(prev, fprev, dprev, alpha, phi, dphi))
		prev, fprev, dprev = alpha, phi, dphi
		alpha = next
	}
	return s.acceptWeak(), nil
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
	ref := kinkRef{math.NaN(), math.NaN()} // see kink
	for it := used; it < s.work.maxTrials; it++ {
		if s.kink(b, &ref) && ls.weak >= 0 {
			return s.acceptWeak(), nil // closing on a kink: no strong Wolfe step
		}
		alpha := interpolate(b.lo, b.flo, b.dlo, b.hi, b.fhi, b.dhi, b.hiFinite)
		if !(alpha > math.Min(b.lo, b.hi) && alpha < math.Max(b.lo, b.hi)) {
			return s.acceptWeak(), nil // the bracket has collapsed
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
			s.keepWeak(phi, dphi)
			b.hi, b.fhi, b.dhi, b.hiFinite = alpha, phi, dphi, true
			continue
		case math.Abs(dphi) <= -s.opts.C2*ls.dg0:
			return s.accept()
		}
		ls.label(TrialCurvature)
		s.keepWeak(phi, dphi) // before consider, which may swap the trial buffers
		s.consider()
		if dphi*(b.hi-b.lo) >= 0 {
			b.hi, b.fhi, b.dhi, b.hiFinite = b.lo, b.flo, b.dlo, true
		}
		b.lo, b.flo, b.dlo = alpha, phi, dphi
	}
	return s.acceptWeak(), nil
}

// kinkRef is a bracket of a zoom that straddles a possible kink: φ' of
// opposite signs at its ends and too large in magnitude at both for the
// strong condition. width is its width, jump = |φ'(lo)| + |φ'(hi)| (NaN
// before such a bracket is seen).
type kinkRef struct{ width, jump float64 }

// kink reports whether the bracket has closed on a kink of φ'. Where φ' is
// continuous, |φ'(lo)| + |φ'(hi)| across a bracket around its root shrinks
// with the bracket (as φ”·width); across a jump of φ' it stays the size of
// the jump however narrow the bracket. So the search takes φ' for
// discontinuous when the straddling bracket has shrunk kinkShrink times
// since ref while that sum stayed within kinkJumpTol of ref's; a bracket
// whose sum moved farther becomes the new ref.
func (s *LBFGSState) kink(b bracket, ref *kinkRef) bool {
	lim := -s.opts.C2 * s.work.search.dg0
	if !b.hiFinite || !(b.dlo*b.dhi < 0) || math.Abs(b.dlo) <= lim || math.Abs(b.dhi) <= lim {
		return false
	}
	width, jump := math.Abs(b.hi-b.lo), math.Abs(b.dlo)+math.Abs(b.dhi)
	if math.IsNaN(ref.width) || math.Abs(jump-ref.jump) > kinkJumpTol*ref.jump {
		ref.width, ref.jump = width, jump
		return false
	}
	return width <= ref.width/kinkShrink
}

// kinkShrink and kinkJumpTol: a bracket ten times narrower across
// which the derivatives still differ as much (within 10%) marks a kink.
const (
	kinkShrink  = 10
	kinkJumpTol = 0.1
)

// keepWeak records the newest trial, which satisfies sufficient decrease
// but not the strong curvature condition (or was rejected for a loss above
// the bracket's low end), as the best weak Wolfe trial when it satisfies
// φ'(α) ≥ c₂·φ'(0) and its loss is below the one recorded.
func (s *LBFGSState) keepWeak(phi, dphi float64) {
	w := &s.work
	ls := &w.search
	if dphi < s.opts.C2*ls.dg0 || (ls.weak >= 0 && phi >= ls.fw) {
		return
	}
	copy(w.xw, w.xt)
	copy(w.gw, w.gt)
	ls.weak, ls.fw, ls.extraw = len(ls.trials)-1, phi, ls.extrat
}

// acceptWeak accepts the best weak Wolfe trial as the step, labelled
// TrialAcceptedWeak, and reports whether there was one.
func (s *LBFGSState) acceptWeak() bool {
	w := &s.work
	ls := &w.search
	if ls.weak < 0 {
		return false
	}
	copy(w.xb, w.xw)
	copy(w.gb, w.gw)
	ls.best, ls.ab, ls.fb, ls.extrab = ls.weak, ls.trials[ls.weak].Step, ls.fw, ls.extraw
	ls.trials[ls.weak].Outcome = TrialAcceptedWeak
	return true
}
