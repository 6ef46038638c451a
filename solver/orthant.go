package solver

import "math"

// Kernels of OWL-QN (Andrew and Gao, Scalable training of L1-regularized
// log-linear models, ICML 2007), which minimises F(x) = f(x) + Σ λ_i|x_i|
// with λ_i ≥ 0 per coordinate. A coordinate with λ_i = 0 is smooth: it is
// neither aligned nor projected, so with λ = 0 everywhere the method is
// plain L-BFGS.

// pseudoGradient sets pg to the pseudo-gradient ◇F(x), the minimum-norm
// element of the subdifferential of F at x:
//
//	◇_i F = g_i + λ_i·sign(x_i)   for x_i ≠ 0,
//	        g_i + λ_i             for x_i = 0 and g_i + λ_i < 0,
//	        g_i − λ_i             for x_i = 0 and g_i − λ_i > 0,
//	        0                     otherwise.
//
// pg is zero exactly where x satisfies the first-order conditions of F.
func pseudoGradient(pg, x, g, lambda []float64) {
	x, g, lambda = x[:len(pg)], g[:len(pg)], lambda[:len(pg)]
	for i, gi := range g {
		l := lambda[i]
		switch {
		case x[i] > 0:
			pg[i] = gi + l
		case x[i] < 0:
			pg[i] = gi - l
		case gi+l < 0:
			pg[i] = gi + l
		case gi-l > 0:
			pg[i] = gi - l
		default:
			pg[i] = 0
		}
	}
}

// l1Penalty returns Σ λ_i|x_i|.
func l1Penalty(x, lambda []float64) float64 {
	lambda = lambda[:len(x)]
	var s float64
	for i, v := range x {
		s += lambda[i] * math.Abs(v)
	}
	return s
}

// zeroCount returns the number of coordinates with λ_i > 0 and x_i = 0.
func zeroCount(x, lambda []float64) int {
	lambda = lambda[:len(x)]
	n := 0
	for i, v := range x {
		if v == 0 && lambda[i] > 0 {
			n++
		}
	}
	return n
}

// alignDirection zeroes the components of the search direction d that do
// not agree in sign with the steepest descent direction −◇F (d_i·pg_i ≥ 0),
// for the coordinates with λ_i > 0, so that d stays in the orthant that −pg
// points into. It returns the new pgᵀd.
func alignDirection(d, pg, lambda []float64) float64 {
	pg, lambda = pg[:len(d)], lambda[:len(d)]
	for i, di := range d {
		if lambda[i] > 0 && di*pg[i] >= 0 {
			d[i] = 0
		}
	}
	return dotProduct(pg, d)
}

// orthantSigns sets xi to the orthant the line search stays in: ξ_i =
// sign(x_i) for x_i ≠ 0, and sign(−pg_i) for x_i = 0 (0 when pg_i = 0 too).
func orthantSigns(xi, x, pg []float64) {
	x, pg = x[:len(xi)], pg[:len(xi)]
	for i, v := range x {
		if v == 0 {
			v = -pg[i]
		}
		switch {
		case v > 0:
			xi[i] = 1
		case v < 0:
			xi[i] = -1
		default:
			xi[i] = 0
		}
	}
}

// projectOrthant sets x = π(x; ξ): every coordinate with λ_i > 0 whose sign
// differs from ξ_i becomes zero.
func projectOrthant(x, xi, lambda []float64) {
	xi, lambda = xi[:len(x)], lambda[:len(x)]
	for i, v := range x {
		if lambda[i] > 0 && v*xi[i] <= 0 {
			x[i] = 0
		}
	}
}
