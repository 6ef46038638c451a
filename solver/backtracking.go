package solver

import "math"

// backtracking finds a step satisfying the sufficient-decrease (Armijo)
// condition φ(α) ≤ φ(0) + c₁·α·φ'(0) by backtracking from α₀ (Nocedal &
// Wright, Algorithm 3.1, with the interpolating step selection of §3.5).
// Every trial also yields φ'(α), so each new step is chosen by interpolate
// from φ(0), φ'(0), φ(α), φ'(α) — the cubic, or for a loss rising steeply
// beyond α the mean of the cubic and the quadratic step — and safeguarded to
// [backtrackMin·α, backtrackMax·α]. A non-finite trial is shrunk by
// nonFiniteShrink.
//
// The search never tests curvature, so the pair of a short step may be
// skipped by the sᵀy > ε·yᵀy test, and a first step that is too short is not
// lengthened: prefer a Wolfe search unless evaluations must stop at the first
// acceptable loss.
func (s *LBFGSState) backtracking(alpha float64) (bool, error) {
	ls := &s.work.search
	for it := 0; it < s.work.maxTrials; it++ {
		phi, dphi, fin, err := s.evaluate(alpha)
		switch {
		case err != nil:
			return false, err
		case !fin:
			alpha *= nonFiniteShrink
		case s.armijo(alpha, phi):
			return s.accept()
		default:
			ls.label(TrialArmijo)
			t := interpolate(0, ls.f0, ls.dg0, alpha, phi, dphi, true)
			alpha = math.Max(backtrackMin*alpha, math.Min(backtrackMax*alpha, t))
		}
		if !(alpha > 0) {
			return false, nil
		}
	}
	return false, nil
}

// Safeguards of a backtracking step relative to the rejected one (Nocedal &
// Wright, §3.5: the new step within [0.1, 0.5] of the old).
const (
	backtrackMin = 0.1
	backtrackMax = 0.5
)
