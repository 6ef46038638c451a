package solver

import "math"

// Gradient clipping (braintools' grad_clip_norm and grad_clip_value).
//
// Clipping is applied to every gradient right after it is evaluated: first
// by global norm (g ← g·c/‖g‖₂ when ‖g‖₂ > c = GradientClipNorm), then by
// value (each component limited to [−v, v], v = GradientClipValue). The
// clipped gradient is the one the solver works with everywhere: the search
// direction, the directional derivatives and Wolfe tests of the line
// search, and the gradient differences y of the curvature pairs. The state
// reports the raw gradient (LBFGSState.Gradients, GradientsNorm), so that
// stopping tests see the true gradient.
//
// A clipped gradient is not the gradient of the loss, so the curvature
// condition of the Wolfe searches may be unattainable (the directional
// derivative of the clipped gradient need not rise to c₂ times its initial
// value): the search then fails and keeps the best point with sufficient
// decrease. Backtracking, which tests only the loss, is the safer choice
// with aggressive clipping.

// clipping reports whether any clipping option is on.
func (s *LBFGSState) clipping() bool {
	return s.opts.GradientClipNorm > 0 || s.opts.GradientClipValue > 0
}

// clipGradient returns g clipped as described above. With clipping off it
// returns g itself; otherwise it writes the clipped gradient into dst
// (len(dst) == len(g)) and returns dst. g must be finite.
func (s *LBFGSState) clipGradient(dst, g []float64) []float64 {
	if !s.clipping() {
		return g
	}
	scale := 1.0
	if c := s.opts.GradientClipNorm; c > 0 {
		if nrm := norm2(g); nrm > c {
			scale = c / nrm
		}
	}
	v := s.opts.GradientClipValue
	if v <= 0 {
		v = math.Inf(1)
	}
	for i, gi := range g {
		dst[i] = math.Max(-v, math.Min(v, scale*gi))
	}
	return dst
}
