package solver

import "math"

// compactBFGS is the compact limited-memory representation of the BFGS
// Hessian approximation that L-BFGS-B works with (Byrd, Nocedal and
// Schnabel 1994; Byrd, Lu, Nocedal and Zhu 1995, §3):
//
//	B = θI − W·M·Wᵀ,   W = [Y  θS]  (n×2k),
//	M = K⁻¹,           K = [ −D   Lᵀ  ]
//	                       [  L   θSᵀS ]  (2k×2k),
//
// where S and Y hold the k stored pairs as columns (oldest first),
// D = diag(s_iᵀy_i), and L is the strictly lower triangle of SᵀY,
// L_ij = s_iᵀy_j for i > j. θ is the scale of B₀ = θI; the solver uses
// θ = 1/λ with λ its InverseHessianFactor (yᵀy/sᵀy of the newest pair).
//
// W is never formed: its row b is (y_0[b] … y_{k−1}[b], θs_0[b] …
// θs_{k−1}[b]) and is read from the pairs on demand. M·v is computed by
// block elimination of K v' = v (see mulM) with the Cholesky factor J of
// the k×k matrix θSᵀS + L·D⁻¹·Lᵀ, which is positive definite when every
// s_iᵀy_i > 0 and S has full column rank.
//
// The inner products SᵀY and SᵀS are kept between iterations keyed by the
// iterations that formed the pairs, so that after the history shifts by one
// pair only the newest row and column are computed: O(k·n) per iteration
// instead of O(k²·n).
type compactBFGS struct {
	k     int
	theta float64
	S, Y  [][]float64 // views of the stored pairs, oldest first
	ids   []int       // the iteration that formed each pair (HistoryIndices)

	sy, ss []float64    // k×k row-major: sy[i*k+j] = s_iᵀy_j, ss[i*k+j] = s_iᵀs_j
	spare  [2][]float64 // the previous sy and ss storage, reused by the next set
	chol   []float64    // k×k row-major lower Cholesky factor J, JJᵀ = θSᵀS + L·D⁻¹·Lᵀ

	tmp []float64 // k scratch for mulM
}

// set points the representation at the pairs S, Y (formed in the iterations
// ids, increasing) with scale θ > 0 and factors K. It reuses the inner
// products of pairs it already holds. It reports false when θSᵀS + L·D⁻¹·Lᵀ
// is not numerically positive definite (S nearly rank deficient); the
// representation is then unusable and the caller should drop the history.
func (c *compactBFGS) set(S, Y [][]float64, ids []int, theta float64) bool {
	k := len(S)
	// Reuse: the old pairs from offset off onwards are the new pairs
	// 0 … kept−1 (the history only drops its oldest and appends).
	off, kept := 0, 0
	for off < len(c.ids) && (k == 0 || c.ids[off] != ids[0]) {
		off++
	}
	for kept < k && off+kept < len(c.ids) && c.ids[off+kept] == ids[kept] {
		kept++
	}
	oldK, oldSY, oldSS := c.k, c.sy, c.ss
	sy, ss := resize(c.spare[0], k*k), resize(c.spare[1], k*k)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			if i < kept && j < kept {
				sy[i*k+j] = oldSY[(off+i)*oldK+off+j]
				ss[i*k+j] = oldSS[(off+i)*oldK+off+j]
				continue
			}
			sy[i*k+j] = dotProduct(S[i], Y[j])
			if j < i {
				ss[i*k+j] = ss[j*k+i]
			} else {
				ss[i*k+j] = dotProduct(S[i], S[j])
			}
		}
	}
	c.k, c.theta, c.S, c.Y = k, theta, S, Y
	c.ids = append(c.ids[:0], ids...)
	c.sy, c.ss, c.spare = sy, ss, [2][]float64{oldSY, oldSS}
	c.tmp = resize(c.tmp, k)
	return c.factor()
}

// factor computes the Cholesky factor J of θSᵀS + L·D⁻¹·Lᵀ.
func (c *compactBFGS) factor() bool {
	k := c.k
	a := resize(c.chol, k*k)
	for i := 0; i < k; i++ {
		for j := 0; j <= i; j++ {
			// (L·D⁻¹·Lᵀ)_ij = Σ_{l < min(i,j)} L_il L_jl / D_ll
			v := c.theta * c.ss[i*k+j]
			for l := 0; l < j; l++ {
				v += c.sy[i*k+l] * c.sy[j*k+l] / c.sy[l*k+l]
			}
			a[i*k+j] = v
		}
	}
	for i := 0; i < k; i++ {
		if !(c.sy[i*k+i] > 0) {
			return false
		}
	}
	c.chol = a
	return cholesky(a, k)
}

// resize returns v with length n, reusing its storage when it is large
// enough.
func resize(v []float64, n int) []float64 {
	if cap(v) < n {
		return make([]float64, n)
	}
	return v[:n]
}

// cholesky overwrites the lower triangle of the k×k row-major symmetric
// matrix a with its Cholesky factor, reporting false when a pivot is not
// positive or is below k·ε relative to the largest diagonal entry.
func cholesky(a []float64, k int) bool {
	var dmax float64
	for i := 0; i < k; i++ {
		dmax = math.Max(dmax, a[i*k+i])
	}
	tol := float64(k) * 2.220446049250313e-16 * dmax
	for j := 0; j < k; j++ {
		d := a[j*k+j]
		for l := 0; l < j; l++ {
			d -= a[j*k+l] * a[j*k+l]
		}
		if !(d > tol) || !finite(d) {
			return false
		}
		d = math.Sqrt(d)
		a[j*k+j] = d
		for i := j + 1; i < k; i++ {
			v := a[i*k+j]
			for l := 0; l < j; l++ {
				v -= a[i*k+l] * a[j*k+l]
			}
			a[i*k+j] = v / d
		}
	}
	return true
}

// mulM sets p = M·v = K⁻¹v for v of length 2k (p and v must not overlap).
// With v = (v₁, v₂) and p = (p₁, p₂), K p = v reads
//
//	−D p₁ + Lᵀp₂ = v₁,   L p₁ + θSᵀS p₂ = v₂,
//
// so (θSᵀS + L·D⁻¹·Lᵀ) p₂ = v₂ + L·D⁻¹·v₁ and p₁ = D⁻¹(Lᵀp₂ − v₁).
func (c *compactBFGS) mulM(p, v []float64) {
	k := c.k
	v1, v2 := v[:k], v[k:2*k]
	p1, p2 := p[:k], p[k:2*k]
	// t = v₂ + L·D⁻¹·v₁
	t := c.tmp
	for i := 0; i < k; i++ {
		s := v2[i]
		for j := 0; j < i; j++ {
			s += c.sy[i*k+j] * v1[j] / c.sy[j*k+j]
		}
		t[i] = s
	}
	// J z = t, then Jᵀ p₂ = z.
	for i := 0; i < k; i++ {
		s := t[i]
		for j := 0; j < i; j++ {
			s -= c.chol[i*k+j] * t[j]
		}
		t[i] = s / c.chol[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		s := t[i]
		for j := i + 1; j < k; j++ {
			s -= c.chol[j*k+i] * t[j]
		}
		t[i] = s / c.chol[i*k+i]
	}
	copy(p2, t)
	// p₁ = D⁻¹(Lᵀp₂ − v₁), (Lᵀp₂)_j = Σ_{i > j} s_iᵀy_j p₂_i
	for j := 0; j < k; j++ {
		s := -v1[j]
		for i := j + 1; i < k; i++ {
			s += c.sy[i*k+j] * p2[i]
		}
		p1[j] = s / c.sy[j*k+j]
	}
}

// mulWt sets out = Wᵀv = (Yᵀv, θSᵀv) for an n-vector v.
func (c *compactBFGS) mulWt(out, v []float64) {
	k := c.k
	for j := 0; j < k; j++ {
		out[j] = dotProduct(c.Y[j], v)
		out[k+j] = c.theta * dotProduct(c.S[j], v)
	}
}

// row sets out to row b of W, (y_0[b] … y_{k−1}[b], θs_0[b] … θs_{k−1}[b]).
func (c *compactBFGS) row(out []float64, b int) {
	k := c.k
	for j := 0; j < k; j++ {
		out[j] = c.Y[j][b]
		out[k+j] = c.theta * c.S[j][b]
	}
}

// rowDot returns (row b of W)ᵀv for a 2k-vector v.
func (c *compactBFGS) rowDot(b int, v []float64) float64 {
	k := c.k
	var s float64
	for j := 0; j < k; j++ {
		s += c.Y[j][b]*v[j] + c.theta*c.S[j][b]*v[k+j]
	}
	return s
}
