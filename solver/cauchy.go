package solver

import "math"

// boxWork is the scratch of the L-BFGS-B kernels, sized by grow for a
// dimension n and k pairs.
type boxWork struct {
	t, d, r []float64 // n: breakpoints, Cauchy direction, reduced gradient
	bps     []int     // n: coordinates with a finite positive breakpoint
	free    []int     // n: free coordinates at the Cauchy point
	c       []float64 // 2k: c = Wᵀ(x^c − x)
	p, wb   []float64 // 2k
	mv, mw  []float64 // 2k
	a, nmat []float64 // 2k×2k: WᵀZZᵀW and N of the subspace step
	piv     []int     // 2k
	cols    []float64 // 2k×|F|: the columns of ZᵀW, gathered
	rf, tmp []float64 // |F|
}

// grow sizes the scratch for dimension n and k pairs.
func (w *boxWork) grow(n, k int) {
	w.t, w.d, w.r = resize(w.t, n), resize(w.d, n), resize(w.r, n)
	if cap(w.bps) < n {
		w.bps, w.free = make([]int, 0, n), make([]int, 0, n)
	}
	m := 2 * k
	w.c, w.p, w.wb = resize(w.c, m), resize(w.p, m), resize(w.wb, m)
	w.mv, w.mw = resize(w.mv, m), resize(w.mw, m)
	w.a, w.nmat = resize(w.a, m*m), resize(w.nmat, m*m)
	if cap(w.piv) < m {
		w.piv = make([]int, m)
	}
	w.piv = w.piv[:m]
}

// cauchyPoint computes the generalized Cauchy point x^c of L-BFGS-B (Byrd,
// Lu, Nocedal and Zhu 1995, §4, Algorithm CP): the first local minimiser of
// the quadratic model
//
//	m(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x),   B = θI − W·M·Wᵀ,
//
// along the projected steepest-descent path x(t) = P(x − t·g), t ≥ 0. The
// path is piecewise linear with a breakpoint
//
//	t_i = (x_i − u_i)/g_i for g_i < 0,  (x_i − l_i)/g_i for g_i > 0,  ∞ for g_i = 0
//
// per coordinate; on each segment m is a quadratic in t whose slope f′ and
// curvature f″ are updated in O(k²) as each coordinate reaches its bound
// (the coordinates are visited in order of t_i). f″ is kept at least
// ε·f″(0) as in the reference implementation, so that rounding cannot make
// it non-positive.
//
// On return xc holds x^c, w.c holds Wᵀ(x^c − x), and w.free lists, in
// increasing order, the coordinates of x^c that are not at a bound.
func (cb *compactBFGS) cauchyPoint(xc, x, g, lo, hi []float64, w *boxWork) {
	k := cb.k
	m := 2 * k
	t, d := w.t, w.d
	bps := w.bps[:0]
	p, c := w.p[:m], w.c[:m]
	clear(c)
	copy(xc, x)
	var f1 float64 // f′(0) = gᵀd = −dᵀd
	for i, gi := range g {
		ti := math.Inf(1)
		switch {
		case gi < 0:
			ti = (x[i] - hi[i]) / gi
		case gi > 0:
			ti = (x[i] - lo[i]) / gi
		}
		t[i] = ti
		if !(ti > 0) || gi == 0 {
			d[i] = 0 // at the bound g points out of, or g_i = 0
			continue
		}
		d[i] = -gi
		f1 -= gi * gi
		if !math.IsInf(ti, 1) {
			bps = append(bps, i)
		}
	}
	if f1 == 0 {
		w.free = freeCoordinates(w.free, xc, lo, hi)
		return
	}
	cb.mulWt(p, d) // p = Wᵀd
	cb.mulM(w.mv, p)
	f2 := -cb.theta*f1 - dotProduct(p, w.mv[:m]) // f″(0) = θdᵀd − pᵀMp
	f2min := 2.220446049250313e-16 * f2
	// The breakpoints in a binary min-heap ordered by (t_i, i), a total
	// order, so equal inputs visit them in the same order: building it is
	// O(n), and only the breakpoints the path passes are popped (often a
	// few), as in the reference implementation.
	heapify(bps, t)
	told := 0.0
	for len(bps) > 0 {
		if f1 >= 0 {
			break
		}
		b := bps[0]
		dt := t[b] - told
		if dtm := -f1 / f2; dtm < dt {
			break // the minimiser lies inside this segment
		}
		// Coordinate b reaches its bound at t_b.
		gb := g[b]
		var zb float64
		if d[b] > 0 {
			zb = hi[b] - x[b]
			xc[b] = hi[b]
		} else {
			zb = lo[b] - x[b]
			xc[b] = lo[b]
		}
		for j := range c {
			c[j] += dt * p[j] // c = c + Δt·p
		}
		cb.row(w.wb, b)
		cb.mulM(w.mw, w.wb) // M·w_b
		mw := w.mw[:m]
		// f′ = f′ + Δt·f″ + g_b² + θ·g_b·z_b − g_b·w_bᵀMc
		f1 += dt*f2 + gb*gb + cb.theta*gb*zb - gb*dotProduct(mw, c)
		// f″ = f″ − θ·g_b² − 2·g_b·w_bᵀMp − g_b²·w_bᵀMw_b
		f2 -= cb.theta*gb*gb + 2*gb*dotProduct(mw, p) + gb*gb*dotProduct(mw, w.wb[:m])
		f2 = math.Max(f2min, f2)
		for j := range p {
			p[j] += gb * w.wb[j] // p = p + g_b·w_b
		}
		d[b] = 0
		told = t[b]
		bps = popMin(bps, t)
	}
	dtm := math.Max(-f1/f2, 0)
	if f1 >= 0 {
		dtm = 0
	}
	told += dtm
	for i, di := range d {
		if di != 0 {
			// Clamped against rounding: t ≤ t_i keeps x^c_i feasible.
			xc[i] = math.Min(hi[i], math.Max(lo[i], x[i]+told*di))
		}
	}
	for j := range c {
		c[j] += dtm * p[j]
	}
	w.free = freeCoordinates(w.free, xc, lo, hi)
}

// freeCoordinates returns in free (reused) the coordinates of x strictly
// inside their bounds, in increasing order.
func freeCoordinates(free []int, x, lo, hi []float64) []int {
	free = free[:0]
	for i, v := range x {
		if v != lo[i] && v != hi[i] {
			free = append(free, i)
		}
	}
	return free
}

// before orders breakpoints by (t_a, a).
func before(t []float64, a, b int) bool {
	return t[a] < t[b] || (t[a] == t[b] && a < b)
}

// heapify makes h a binary min-heap under before.
func heapify(h []int, t []float64) {
	for i := len(h)/2 - 1; i >= 0; i-- {
		siftDown(h, t, i)
	}
}

// popMin removes the minimum h[0] and returns the shorter heap.
func popMin(h []int, t []float64) []int {
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	siftDown(h, t, 0)
	return h
}

// siftDown restores the heap property below position i.
func siftDown(h []int, t []float64, i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && before(t, h[c+1], h[c]) {
			c++
		}
		if !before(t, h[c], h[i]) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
