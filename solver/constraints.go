package solver

import (
	"fmt"
	"math"
	"slices"
)

// geometry is what bounds (L-BFGS-B, lbfgsb.go) and an L1 penalty (OWL-QN,
// owlqn.go) change in an iteration; a nil geometry is plain L-BFGS. The
// loop, the line searches, the history and the state are shared: a
// geometry replaces the search direction, the trial points along it and
// the optimality measure the state reports.
type geometry interface {
	// start moves the starting point x into the feasible set, reporting
	// whether it moved.
	start(x []float64) bool
	// direction writes the search direction at x0 for the gradient g
	// (clipped when clipping is on) into d and returns the slope the
	// line search uses (negative unless x0 is stationary) and whether it
	// fell back to the scaled steepest-descent direction.
	direction(s *LBFGSState, x0, g, d []float64) (slope float64, reset bool)
	// maxStep caps the step α along d (+Inf when nothing does).
	maxStep(x0, d []float64) float64
	// firstStep returns the first trial step, given the plain rule's a0,
	// the learning rate lr and whether the direction was reset.
	firstStep(s *LBFGSState, a0, lr float64, d []float64, reset bool) float64
	// point writes the trial point x at step α along d from x0 and
	// reports whether it differs from x0 + α·d by more than rounding (a
	// coordinate projected onto an orthant boundary).
	point(x, x0, d []float64, alpha float64) bool
	// decrease returns the first-order decrease predicted for the trial
	// point x, projected: the sufficient-decrease test reads
	// φ(α) ≤ φ(0) + c₁·decrease.
	decrease(x, x0 []float64) float64
	// penalty returns the non-smooth part of the objective at x (added to
	// the loss closure's value).
	penalty(x []float64) float64
	// slope returns the directional derivative of the objective along d
	// at the trial point x with the closure's gradient g.
	slope(x, g, d []float64) float64
	// report writes ProjectedGradientNorm, ActiveBounds, ZeroCoordinates
	// and L1Penalty for the raw gradient g at x.
	report(s *LBFGSState, x, g []float64)
}

// validateConstraints checks Lower, Upper, L1 and L1Weights (the lengths
// against the dimension are checked by newGeometry at the first Update).
func (o Options) validateConstraints() error {
	if o.Lower != nil && o.Upper != nil && len(o.Lower) != len(o.Upper) {
		return &OptionError{"Upper", fmt.Sprintf("length %d", len(o.Upper)), fmt.Sprintf("length %d, that of Lower", len(o.Lower))}
	}
	for i, v := range o.Lower {
		if math.IsNaN(v) || math.IsInf(v, 1) {
			return &OptionError{fmt.Sprintf("Lower[%d]", i), v, "a number or −Inf"}
		}
	}
	for i, v := range o.Upper {
		if math.IsNaN(v) || math.IsInf(v, -1) {
			return &OptionError{fmt.Sprintf("Upper[%d]", i), v, "a number or +Inf"}
		}
		if o.Lower != nil && v < o.Lower[i] {
			return &OptionError{fmt.Sprintf("Upper[%d]", i), v, fmt.Sprintf(">= Lower[%d] = %v", i, o.Lower[i])}
		}
	}
	if !finite(o.L1) || o.L1 < 0 {
		return &OptionError{"L1", o.L1, "finite and >= 0 (0 = off)"}
	}
	if o.L1Weights != nil && o.L1 == 0 {
		return &OptionError{"L1Weights", fmt.Sprintf("length %d", len(o.L1Weights)), "nil while L1 = 0 (the weights scale L1)"}
	}
	for i, v := range o.L1Weights {
		if !finite(v) || v < 0 {
			return &OptionError{fmt.Sprintf("L1Weights[%d]", i), v, "finite and >= 0"}
		}
	}
	if o.L1 > 0 {
		if o.Lower != nil || o.Upper != nil {
			return &OptionError{"L1", o.L1, "0 when Lower or Upper is set (bounds and an L1 penalty cannot be combined)"}
		}
		if o.LineSearchMethod != Backtracking {
			return &OptionError{"LineSearchMethod", fmt.Sprintf("%q", o.LineSearchMethod),
				fmt.Sprintf("%q when L1 > 0 (OWL-QN's orthant-wise search backtracks)", Backtracking)}
		}
	}
	return nil
}

// cloneConstraints gives o its own copies of the constraint slices, so that
// a caller changing its slices afterwards changes nothing in the state.
func (o Options) cloneConstraints() Options {
	o.Lower, o.Upper, o.L1Weights = slices.Clone(o.Lower), slices.Clone(o.Upper), slices.Clone(o.L1Weights)
	return o
}

// newGeometry returns the geometry of the options for dimension n (nil for
// plain L-BFGS), or an *OptionError when a slice does not have length n.
func (o Options) newGeometry(n int) (geometry, error) {
	for _, c := range []struct {
		name string
		v    []float64
	}{{"Lower", o.Lower}, {"Upper", o.Upper}, {"L1Weights", o.L1Weights}} {
		if c.v != nil && len(c.v) != n {
			return nil, &OptionError{c.name, fmt.Sprintf("length %d", len(c.v)), fmt.Sprintf("length %d, that of x", n)}
		}
	}
	switch {
	case o.Lower != nil || o.Upper != nil:
		return newBox(o.Lower, o.Upper, n), nil
	case o.L1 > 0:
		return newOrthant(o.L1, o.L1Weights, n), nil
	}
	return nil, nil
}

// report fills the optimality fields of the state for the raw gradient g at
// x: through the geometry, or, for plain L-BFGS, ‖g‖∞, which the caller
// has stored in GradientsInfNorm.
func (s *LBFGSState) report(x, g []float64) {
	if s.work.geom != nil {
		s.work.geom.report(s, x, g)
		return
	}
	s.own.ProjectedGradientNorm = s.own.GradientsInfNorm // ‖g‖∞, set by the caller
}
