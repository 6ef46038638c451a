package solver

import "math"

// orthant is the geometry of OWL-QN (Andrew and Gao, Scalable training of
// L1-regularized log-linear models, ICML 2007), which minimises
// F(x) = f(x) + Σ λ_i|x_i|, λ_i = L1·L1Weights[i]. An iteration from x:
//
//  1. the pseudo-gradient ◇F(x) (orthant.go), which replaces the gradient
//     in the search direction d = −H·◇F (two-loop recursion, with the
//     fall-back to −λ·◇F), the curvature pairs keeping y = ∇f_{k+1} − ∇f_k
//     of the smooth part;
//  2. d aligned with −◇F: components that disagree in sign are zeroed;
//  3. the orthant ξ of the step (sign(x_i), or sign(−◇_iF) at zero);
//  4. a backtracking search over trial points π(x + α·d; ξ), coordinates
//     that would cross zero set to zero, accepted when
//     F(x⁺) ≤ F(x) + c₁·◇F(x)ᵀ(x⁺ − x).
//
// A coordinate with λ_i = 0 is neither aligned nor projected. With every
// λ_i = 0 the iteration is plain L-BFGS with backtracking, bit for bit: the
// decrease term is α·◇Fᵀd whenever no coordinate was projected, as plain
// backtracking computes it.
type orthant struct {
	lambda []float64 // n: λ_i
	pg, xi []float64 // n: ◇F at the start point, orthant signs
}

// newOrthant returns the geometry for λ_i = l1·w_i (w nil: every w_i = 1)
// of dimension n.
func newOrthant(l1 float64, w []float64, n int) *orthant {
	o := &orthant{lambda: make([]float64, n), pg: make([]float64, n), xi: make([]float64, n)}
	for i := range o.lambda {
		o.lambda[i] = l1
		if w != nil {
			o.lambda[i] = l1 * w[i]
		}
	}
	return o
}

func (o *orthant) start([]float64) bool { return false }

func (o *orthant) direction(s *LBFGSState, x0, g, d []float64) (float64, bool) {
	pseudoGradient(o.pg, x0, g, o.lambda)
	orthantSigns(o.xi, x0, o.pg)
	slope, reset, _ := s.descentDirection(d, o.pg, math.Inf(1))
	if slope == 0 && norm2(o.pg) == 0 {
		return 0, false // stationary
	}
	slope = alignDirection(d, o.pg, o.lambda)
	if !(slope < 0) || !finite(slope) {
		// Alignment removed all descent: take −λ·◇F, which is aligned.
		for i, v := range o.pg {
			d[i] = -s.own.InverseHessianFactor * v
		}
		slope, reset = dotProduct(o.pg, d), len(s.own.StepHistory) > 0
	}
	return slope, reset
}

func (o *orthant) maxStep([]float64, []float64) float64 { return math.Inf(1) }

func (o *orthant) firstStep(_ *LBFGSState, a0, _ float64, _ []float64, _ bool) float64 { return a0 }

// point sets x = π(x0 + α·d; ξ) and reports whether a coordinate was
// projected to zero.
func (o *orthant) point(x, x0, d []float64, alpha float64) bool {
	projected := false
	for i := range x {
		v := x0[i] + alpha*d[i]
		if o.lambda[i] > 0 && v*o.xi[i] <= 0 {
			projected = projected || v != 0
			v = 0
		}
		x[i] = v
	}
	return projected
}

// decrease returns ◇F(x0)ᵀ(x − x0).
func (o *orthant) decrease(x, x0 []float64) float64 {
	var s float64
	for i, v := range o.pg {
		s += v * (x[i] - x0[i])
	}
	return s
}

func (o *orthant) penalty(x []float64) float64 { return l1Penalty(x, o.lambda) }

// slope returns F'(x; d) = ∇fᵀd + Σ λ_i·(sign(x_i)·d_i, or |d_i| at x_i = 0),
// the right derivative of F along d.
func (o *orthant) slope(x, g, d []float64) float64 {
	var p float64
	for i, l := range o.lambda {
		switch {
		case l == 0 || d[i] == 0:
		case x[i] > 0:
			p += l * d[i]
		case x[i] < 0:
			p -= l * d[i]
		default:
			p += l * math.Abs(d[i])
		}
	}
	return dotProduct(g, d) + p
}

func (o *orthant) report(s *LBFGSState, x, g []float64) {
	pseudoGradient(o.pg, x, g, o.lambda)
	var m float64
	for _, v := range o.pg {
		m = math.Max(m, math.Abs(v))
	}
	s.own.ProjectedGradientNorm = m
	s.own.ZeroCoordinates = zeroCount(x, o.lambda)
	s.own.L1Penalty = l1Penalty(x, o.lambda)
}
