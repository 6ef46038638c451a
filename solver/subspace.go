package solver

import "math"

// subspaceStep computes the point x̄ that L-BFGS-B searches towards from x:
// the minimiser of the quadratic model over the coordinates that are free
// at the Cauchy point x^c (w.free), the others held at their bounds, by the
// direct primal method of Byrd, Lu, Nocedal and Zhu (1995, §5.1), with
// the projection of Morales and Nocedal (2011).
//
// With Z the columns of I of the free coordinates, the reduced gradient at
// x^c is r = Zᵀ(g + θ(x^c − x) − W·M·c), c = Wᵀ(x^c − x), and the unconstrained
// subspace Newton step d^u = −(ZᵀBZ)⁻¹r is, by the Sherman–Morrison–Woodbury
// formula,
//
//	d^u = −r/θ − (1/θ²)·ZᵀW·N⁻¹·M·WᵀZ·r,   N = I − (1/θ)·M·WᵀZZᵀW  (2k×2k).
//
// Morales and Nocedal take x̂ = P(x^c + Z·d^u), the projection onto the box,
// when no coordinate is clamped or when x̂ − x is a descent direction
// (gᵀ(x̂ − x) ≤ 0); otherwise the step of the 1995 algorithm is used,
// x̄ = x^c + α*·Z·d^u with α* the largest step in [0, 1] that stays feasible.
//
// xbar receives x̄. It reports false when N is numerically singular; xbar
// then holds x^c.
func (cb *compactBFGS) subspaceStep(xbar, x, g, xc, lo, hi []float64, w *boxWork) bool {
	k, theta := cb.k, cb.theta
	m := 2 * k
	copy(xbar, xc)
	free := w.free
	if len(free) == 0 {
		return true
	}
	mc := w.mv[:m]
	cb.mulM(mc, w.c[:m]) // M·c
	r := w.r
	for _, i := range free {
		r[i] = g[i] + theta*(xc[i]-x[i]) - cb.rowDot(i, mc) // r = Zᵀ(g + θ(x^c − x) − WMc)
	}
	du := w.d // d^u, indexed by coordinate (only the free ones are used)
	if k == 0 {
		for _, i := range free {
			du[i] = -r[i] / theta
		}
	} else if !cb.reducedNewton(du, r, w) {
		return false
	}
	// x̂ = P(x^c + Z·d^u)
	clamped := false
	for _, i := range free {
		v := xc[i] + du[i]
		if v < lo[i] {
			v, clamped = lo[i], true
		} else if v > hi[i] {
			v, clamped = hi[i], true
		}
		xbar[i] = v
	}
	if !clamped {
		return true
	}
	var dd float64 // gᵀ(x̂ − x)
	for i := range x {
		dd += (xbar[i] - x[i]) * g[i]
	}
	if dd <= 0 {
		return true
	}
	// Truncated step: the largest α ≤ 1 keeping x^c + α·Z·d^u feasible.
	alpha, hit := 1.0, -1
	for _, i := range free {
		var a float64
		switch {
		case du[i] < 0:
			a = (lo[i] - xc[i]) / du[i]
		case du[i] > 0:
			a = (hi[i] - xc[i]) / du[i]
		default:
			continue
		}
		if a < alpha {
			alpha, hit = math.Max(a, 0), i
		}
	}
	for _, i := range free {
		xbar[i] = xc[i] + alpha*du[i]
	}
	if hit >= 0 { // exactly at its bound, against rounding
		if du[hit] > 0 {
			xbar[hit] = hi[hit]
		} else {
			xbar[hit] = lo[hit]
		}
	}
	return true
}

// reducedNewton sets du_F = −r_F/θ − (1/θ²)·ZᵀW·N⁻¹·M·WᵀZ·r_F (see
// subspaceStep) for the free coordinates F = w.free, k > 0. The 2k columns
// of ZᵀW are gathered once into contiguous storage, so that WᵀZ·r_F and
// WᵀZZᵀW are 2k and k(2k+1) unrolled dot products of length |F|.
func (cb *compactBFGS) reducedNewton(du, r []float64, w *boxWork) bool {
	k, theta := cb.k, cb.theta
	m, nf := 2*k, len(w.free)
	cols := resize(w.cols, m*nf)
	rf, tmp := resize(w.rf, nf), resize(w.tmp, nf)
	w.cols, w.rf, w.tmp = cols, rf, tmp
	for j := 0; j < k; j++ {
		yj, sj := cb.Y[j], cb.S[j]
		cy, cs := cols[j*nf:(j+1)*nf], cols[(k+j)*nf:(k+j+1)*nf]
		for p, i := range w.free {
			cy[p], cs[p] = yj[i], theta*sj[i] // columns of W = [Y θS], rows F
		}
	}
	for p, i := range w.free {
		rf[p] = r[i]
	}
	col := func(a int) []float64 { return cols[a*nf : (a+1)*nf] }
	v, a := w.p[:m], w.a[:m*m]
	// v = WᵀZ·r_F and a = WᵀZZᵀW.
	for x := 0; x < m; x++ {
		v[x] = dotProduct(col(x), rf)
		for y := x; y < m; y++ {
			a[x*m+y] = dotProduct(col(x), col(y))
			a[y*m+x] = a[x*m+y]
		}
	}
	mv := w.mv[:m]
	cb.mulM(mv, v) // M·WᵀZ·r
	// N = I − (1/θ)·M·A, column by column.
	nm := w.nmat[:m*m]
	c, mc := w.c[:m], w.mw[:m] // w.c is no longer needed
	for l := 0; l < m; l++ {
		for j := 0; j < m; j++ {
			c[j] = a[j*m+l]
		}
		cb.mulM(mc, c)
		for j := 0; j < m; j++ {
			nm[j*m+l] = -mc[j] / theta
		}
		nm[l*m+l]++
	}
	if !luSolve(nm, m, mv, w.piv) {
		return false
	}
	// tmp = ZᵀW·N⁻¹·M·WᵀZ·r, column by column.
	clear(tmp)
	for x := 0; x < m; x++ {
		cx, f := col(x), mv[x]
		for p := range tmp {
			tmp[p] += f * cx[p]
		}
	}
	for p, i := range w.free {
		du[i] = -r[i]/theta - tmp[p]/(theta*theta)
	}
	return true
}

// luSolve solves A·z = b in place (b becomes z) for the m×m row-major
// matrix a, which it overwrites with its LU factors (partial pivoting). It
// reports false when a pivot is zero or below m·ε times the largest entry.
func luSolve(a []float64, m int, b []float64, piv []int) bool {
	var amax float64
	for _, v := range a[:m*m] {
		amax = math.Max(amax, math.Abs(v))
	}
	tol := float64(m) * 2.220446049250313e-16 * amax
	for j := 0; j < m; j++ {
		p := j
		for i := j + 1; i < m; i++ {
			if math.Abs(a[i*m+j]) > math.Abs(a[p*m+j]) {
				p = i
			}
		}
		if !(math.Abs(a[p*m+j]) > tol) {
			return false
		}
		piv[j] = p
		if p != j {
			for l := 0; l < m; l++ {
				a[j*m+l], a[p*m+l] = a[p*m+l], a[j*m+l]
			}
			b[j], b[p] = b[p], b[j]
		}
		for i := j + 1; i < m; i++ {
			f := a[i*m+j] / a[j*m+j]
			a[i*m+j] = f
			for l := j + 1; l < m; l++ {
				a[i*m+l] -= f * a[j*m+l]
			}
			b[i] -= f * b[j]
		}
	}
	for i := m - 1; i >= 0; i-- {
		s := b[i]
		for l := i + 1; l < m; l++ {
			s -= a[i*m+l] * b[l]
		}
		b[i] = s / a[i*m+i]
	}
	if !allFinite(b[:m]) {
		return false
	}
	return true
}
