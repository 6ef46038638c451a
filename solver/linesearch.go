package solver

import "math"

// The line searches share one contract. Along the search direction d from
// the start point x₀, let φ(α) = f(x₀ + α·d) and φ'(α) = ∇f(x₀ + α·d)ᵀd
// (with the clipped gradient when clipping is on). A search is a method
// func(α₀) (ok bool, err error) on the state that
//
//   - evaluates trials only through evaluate, at most
//     MaxNumLineSearchIterations times, and labels each recorded finite
//     trial with its Outcome (evaluate labels the non-finite ones);
//   - treats a non-finite trial as a step too long and shrinks;
//   - on success returns ok with the accepted trial kept as the best
//     (keep), which always satisfies the sufficient-decrease (Armijo)
//     condition φ(α) ≤ φ(0) + c₁·α·φ'(0);
//   - on failure returns !ok having offered every trial that satisfied the
//     Armijo condition to consider, so that commit can move to the best of
//     them if its loss is strictly below φ(0);
//   - returns an error only when the loss closure does, and then the update
//     is abandoned with the state unchanged.

// searchState is the scratch of one line search.
type searchState struct {
	f   LossFunc
	f0  float64 // φ(0)
	dg0 float64 // φ'(0) < 0
	// dirScale is the factor c ≤ 1 by which descentDirection shortened a
	// direction without step length (1 when it did not).
	dirScale float64
	// maxStep caps the trial steps (the largest feasible step with
	// bounds, +Inf otherwise). When the geometry projected the newest
	// trial point x⁺ (OWL-QN), projected is set and lin holds the
	// first-order decrease ◇F(x₀)ᵀ(x⁺ − x₀) that replaces α·φ'(0).
	maxStep   float64
	projected bool
	lin       float64
	extra0    any // extra outputs at the start point
	evals     int // loss evaluations in this update

	trials []LineSearchTrial

	// Current trial: its extra outputs (values are in the last trial).
	extrat any
	// Best trial kept: index into trials (−1: none), step, loss, extras.
	best   int
	ab, fb float64
	extrab any

	// The best trial of a strong Wolfe search that satisfied sufficient
	// decrease and the weak curvature condition but not the strong one
	// (−1: none), copied to the workspace's xw, gw.
	weak   int
	fw     float64
	extraw any
}

// release drops the references to the loss closure and its outputs, so
// that the state does not keep them alive between updates.
func (ls *searchState) release() {
	ls.f, ls.extra0, ls.extrab, ls.extrat, ls.extraw = nil, nil, nil, nil, nil
}

// lineSearch runs the configured search from the initial step alpha0.
func (s *LBFGSState) lineSearch(alpha0 float64) (bool, error) {
	switch s.work.method {
	case StrongWolfe:
		return s.strongWolfe(alpha0)
	case Backtracking:
		return s.backtracking(alpha0)
	case NoLineSearch:
		return s.fixedStep(alpha0)
	default:
		return s.weakWolfe(alpha0)
	}
}

// evaluate evaluates the loss at x₀ + α·d into the trial buffers, records
// the trial and returns φ(α), φ'(α) and whether both the loss and the whole
// gradient are finite. A non-finite trial is labelled TrialNonFinite; the
// search labels the others. After an error nothing is recorded.
func (s *LBFGSState) evaluate(alpha float64) (phi, dphi float64, fin bool, err error) {
	w := &s.work
	ls := &w.search
	geom := w.geom
	ls.projected = false
	if geom == nil {
		xt, d := w.xt[:len(w.x0)], w.d[:len(w.x0)]
		for i, x0 := range w.x0 {
			xt[i] = x0 + alpha*d[i] // x_t = x_0 + α·d
		}
	} else if geom.point(w.xt, w.x0, w.d, alpha) {
		ls.projected, ls.lin = true, geom.decrease(w.xt, w.x0)
	}
	ls.evals++
	phi, ls.extrat, err = ls.f(w.xt, w.gt)
	if err != nil {
		return 0, 0, false, errLossAt(alpha, err)
	}
	if geom != nil {
		phi += geom.penalty(w.xt)
	}
	fin = finite(phi) && allFinite(w.gt)
	if fin {
		if geom != nil {
			dphi = geom.slope(w.xt, s.clipGradient(w.gtc, w.gt), w.d)
		} else {
			dphi = dotProduct(s.clipGradient(w.gtc, w.gt), w.d)
		}
		fin = finite(dphi)
	} else {
		dphi = math.NaN()
	}
	t := LineSearchTrial{Step: alpha, Loss: phi, Derivative: dphi}
	if !fin {
		t.Outcome = TrialNonFinite
	}
	ls.trials = append(ls.trials, t)
	return phi, dphi, fin, nil
}

// label sets the Outcome of the newest trial.
func (ls *searchState) label(outcome Outcome) {
	ls.trials[len(ls.trials)-1].Outcome = outcome
}

// armijo reports whether φ(α), the newest trial's loss, satisfies
// sufficient decrease, φ(α) ≤ φ(0) + c₁·α·φ'(0), or with a projected trial
// point x⁺ (OWL-QN) φ(α) ≤ φ(0) + c₁·◇F(x₀)ᵀ(x⁺ − x₀).
func (s *LBFGSState) armijo(alpha, phi float64) bool {
	ls := &s.work.search
	if ls.projected {
		return phi <= ls.f0+s.opts.C1*ls.lin
	}
	return phi <= ls.f0+s.opts.C1*alpha*ls.dg0
}

// keep makes the newest trial the best one by swapping the trial and best
// buffers (no copy). Keeping the same trial twice is a no-op.
func (s *LBFGSState) keep() {
	w := &s.work
	ls := &w.search
	i := len(ls.trials) - 1
	if ls.best == i {
		return
	}
	w.xt, w.xb = w.xb, w.xt
	w.gt, w.gb = w.gb, w.gt
	ls.best, ls.ab, ls.fb, ls.extrab = i, ls.trials[i].Step, ls.trials[i].Loss, ls.extrat
}

// consider keeps the newest trial, which must satisfy the Armijo
// condition, if its loss is below that of the best trial kept so far.
func (s *LBFGSState) consider() {
	ls := &s.work.search
	if ls.best < 0 || ls.trials[len(ls.trials)-1].Loss < ls.fb {
		s.keep()
	}
}

// accept labels the newest trial accepted and keeps it.
func (s *LBFGSState) accept() (bool, error) {
	s.work.search.label(TrialAccepted)
	s.keep()
	return true, nil
}

// fixedStep is NoLineSearch: one trial at α₀, accepted if finite.
func (s *LBFGSState) fixedStep(alpha0 float64) (bool, error) {
	_, _, fin, err := s.evaluate(alpha0)
	if err != nil || !fin {
		return false, err
	}
	return s.accept()
}

// Interpolation safeguards, as fractions of the bracket width: a new trial
// inside a bracket [a, b] stays at least sigmaIn·|b − a| from both ends, and
// a non-finite trial is replaced by one a tenth of the way from the last
// good step (Nocedal & Wright §3.5 recommend keeping interpolated steps away
// from the ends of the interval).
const (
	sigmaIn         = 0.1
	nonFiniteShrink = 0.1
)

// sigmaNearA is the margin kept from the end a of a bracket whose other end
// has the higher loss: the minimiser is then near a, and Moré & Thuente's
// trial-value selection (case 1) lets the trial come close to it; a margin
// of 0.1 would shrink a far too long step only tenfold per evaluation.
const sigmaNearA = 0.01

// cubicMin returns the minimiser of the cubic that interpolates φ(a) = fa,
// φ'(a) = da, φ(b) = fb, φ'(b) = db (Nocedal & Wright, eq. 3.59), and false
// when the cubic has no finite minimiser.
func cubicMin(a, fa, da, b, fb, db float64) (float64, bool) {
	d1 := da + db - 3*(fa-fb)/(a-b)
	disc := d1*d1 - da*db
	if !(disc >= 0) || !finite(disc) {
		return 0, false
	}
	d2 := math.Sqrt(disc)
	if b < a {
		d2 = -d2
	}
	den := db - da + 2*d2
	if den == 0 {
		return 0, false
	}
	t := b - (b-a)*(db+d2-d1)/den
	return t, finite(t)
}

// quadMin returns the minimiser of the quadratic that interpolates
// φ(a) = fa, φ'(a) = da and φ(b) = fb, and false when the quadratic is not
// convex.
func quadMin(a, fa, da, b, fb float64) (float64, bool) {
	h := b - a
	c := (fb - fa - da*h) / (h * h) // curvature / 2
	if !(c > 0) || !finite(c) {
		return 0, false
	}
	t := a - da/(2*c)
	return t, finite(t)
}

// interpolate returns a trial step strictly inside the bracket with ends a
// (φ, φ' known and finite) and b, choosing between models as Moré &
// Thuente's trial-value selection does (ACM TOMS 20 (1994), cases 1 and 2):
//
//   - φ(b) > φ(a): the cubic through both ends (values and slopes) if it
//     lies closer to a than the quadratic through φ(a), φ'(a), φ(b), else
//     the midpoint of the two. A loss growing faster than quadratically
//     beyond the minimum (a quartic, say) makes the cubic overshoot; the
//     quadratic, which ignores φ'(b), does not.
//   - φ(b) ≤ φ(a) and φ' changes sign: the cubic if it lies farther from b
//     than the secant step on φ', else the secant step.
//   - otherwise the cubic.
//
// The step is then clipped to stay sigmaIn of the width away from the ends
// (sigmaNearA from a when φ(b) > φ(a)).
// A model without a minimiser falls back to the next model, finally to
// bisection. When b's values are not finite, the step is a nonFiniteShrink
// of the way from a to b.
func interpolate(a, fa, da, b, fb, db float64, bFinite bool) float64 {
	if !bFinite {
		return a + nonFiniteShrink*(b-a)
	}
	t, ok := cubicMin(a, fa, da, b, fb, db)
	switch {
	case fb > fa:
		if q, qok := quadMin(a, fa, da, b, fb); qok {
			if !ok {
				t, ok = q, true
			} else if math.Abs(t-a) >= math.Abs(q-a) {
				t = (t + q) / 2
			}
		}
	case da*db < 0:
		if sec, sok := secantMin(a, da, b, db); sok && (!ok || math.Abs(t-b) < math.Abs(sec-b)) {
			t, ok = sec, true
		}
	}
	if !ok {
		t = (a + b) / 2
	}
	lo, hi := math.Min(a, b), math.Max(a, b)
	w := hi - lo
	sa, sb := sigmaIn, sigmaIn // the margins kept from a and b
	if fb > fa {
		sa = sigmaNearA
	}
	if a < b {
		return math.Max(lo+sa*w, math.Min(hi-sb*w, t))
	}
	return math.Max(lo+sb*w, math.Min(hi-sa*w, t))
}

// secantMin returns the zero of the line through φ'(a) = da and φ'(b) = db.
func secantMin(a, da, b, db float64) (float64, bool) {
	if da == db {
		return 0, false
	}
	t := a - da*(b-a)/(db-da)
	return t, finite(t)
}
