package solver

import "math"

// Kernels on the box l ≤ x ≤ u of L-BFGS-B. Bounds are per coordinate, −Inf
// and +Inf for none; l_i = u_i fixes x_i. The slices have equal lengths and
// have been validated (no NaN, l ≤ u).

// projectBox sets x = P(x), the projection onto the box: x_i clamped to
// [l_i, u_i]. It reports whether any coordinate changed.
func projectBox(x, lo, hi []float64) bool {
	lo, hi = lo[:len(x)], hi[:len(x)]
	moved := false
	for i, v := range x {
		if v < lo[i] {
			x[i], moved = lo[i], true
		} else if v > hi[i] {
			x[i], moved = hi[i], true
		}
	}
	return moved
}

// maxFeasibleStep returns the largest α ≥ 0 with l ≤ x + α·d ≤ u for a
// feasible x, +Inf when d is unbounded within the box:
//
//	α_max = min over i of (u_i − x_i)/d_i for d_i > 0, (l_i − x_i)/d_i for d_i < 0.
func maxFeasibleStep(x, d, lo, hi []float64) float64 {
	lo, hi, d = lo[:len(x)], hi[:len(x)], d[:len(x)]
	amax := math.Inf(1)
	for i, di := range d {
		var a float64
		switch {
		case di > 0:
			a = (hi[i] - x[i]) / di
		case di < 0:
			a = (lo[i] - x[i]) / di
		default:
			continue
		}
		if a < amax {
			amax = math.Max(a, 0)
		}
	}
	return amax
}

// projectedGradientNorm returns ‖P(x − g) − x‖∞, the ∞-norm of the
// projected gradient, which is zero exactly at the points satisfying the
// first-order (KKT) conditions of min f over the box: per coordinate
// min(x_i − l_i, g_i) for g_i > 0 and max(x_i − u_i, g_i) for g_i < 0, as
// SciPy's L-BFGS-B (projgr) computes it. It also returns the number of
// coordinates at a bound (x_i = l_i or x_i = u_i).
func projectedGradientNorm(x, g, lo, hi []float64) (norm float64, active int) {
	lo, hi, g = lo[:len(x)], hi[:len(x)], g[:len(x)]
	for i, xi := range x {
		if xi == lo[i] || xi == hi[i] {
			active++
		}
		pg := g[i]
		if pg > 0 {
			pg = math.Min(xi-lo[i], pg)
		} else if pg < 0 {
			pg = math.Max(xi-hi[i], pg)
		}
		norm = math.Max(norm, math.Abs(pg))
	}
	return norm, active
}

// boxIsInfinite reports whether every bound is infinite (lo = −Inf and
// hi = +Inf everywhere).
func boxIsInfinite(lo, hi []float64) bool {
	for i := range lo {
		if !math.IsInf(lo[i], -1) || !math.IsInf(hi[i], 1) {
			return false
		}
	}
	return true
}
