package solver

import "math"

// direction writes d = −H·g, where H is the L-BFGS approximation of the
// inverse Hessian built from the stored pairs (s_i, y_i), i = 0 (oldest) …
// k−1 (newest), on top of H₀ = λ·I with λ = InverseHessianFactor: the
// two-loop recursion of Nocedal & Wright, Numerical Optimization, 2nd ed.,
// Algorithm 7.4. d and g must have length n and must not overlap.
//
//	q = g
//	for i = k−1 … 0:  α_i = ρ_i s_iᵀq;  q = q − α_i y_i
//	r = λ q
//	for i = 0 … k−1:  β_i = ρ_i y_iᵀr;  r = r + (α_i − β_i) s_i
//	d = −r
//
// The recursion is memory bound, so each vector update is fused with the
// dot product that follows it: every pass over memory reads the two history
// vectors it needs and q (or r) once and writes q (or r) once, which makes
// k+1 passes per loop instead of 2k. The sums are accumulated in float64 in a
// fixed order, so the result is deterministic; on processors with AVX the
// four partial sums of copyDot, axpyDot and dotProduct are the four lanes
// of a vector register (kernels_amd64.s), with the same bits. From splitMin
// elements on, each pass runs in fixed blocks shared by two goroutines,
// with the same bits on any number of cores (split.go).
func (s *LBFGSState) direction(d, g []float64) {
	S, Y, rho, alpha := s.own.StepHistory, s.own.GradientsDifferenceHistory, s.work.rho, s.work.alpha
	lambda := s.own.InverseHessianFactor
	k := len(S)
	if k == 0 {
		for i, gi := range g {
			d[i] = -lambda * gi // d = −λ g
		}
		return
	}
	t := s.work.team
	t.begin()
	defer t.end()
	q := d
	// q = g and α_{k−1} = ρ_{k−1} s_{k−1}ᵀq in one pass.
	alpha[k-1] = rho[k-1] * t.run(pass{kind: passCopyDot, q: q, x: g, v: S[k-1]})
	// q −= α_{i+1} y_{i+1}, then α_i = ρ_i s_iᵀq, for i = k−2 … 0.
	for i := k - 2; i >= 0; i-- {
		alpha[i] = rho[i] * t.run(pass{kind: passAxpyDot, q: q, a: -alpha[i+1], x: Y[i+1], v: S[i]})
	}
	// q −= α_0 y_0; r = λ q; β_0 = ρ_0 y_0ᵀr.
	beta := rho[0] * t.run(pass{kind: passAxpyScaleDot, q: q, a: -alpha[0], x: Y[0], c: lambda, v: Y[0]})
	// r += (α_i − β_i) s_i, then β_{i+1} = ρ_{i+1} y_{i+1}ᵀr.
	for i := 0; i < k-1; i++ {
		beta = rho[i+1] * t.run(pass{kind: passAxpyDot, q: q, a: alpha[i] - beta, x: S[i], v: Y[i+1]})
	}
	// r += (α_{k−1} − β_{k−1}) s_{k−1}; d = −r.
	t.run(pass{kind: passAxpyNegate, q: q, a: alpha[k-1] - beta, x: S[k-1]})
}

// copyDot sets dst = src and returns vᵀsrc.
func copyDot(dst, src, v []float64) float64 {
	var s [4]float64
	copyDotLanes(dst, src, v, &s)
	return (s[0] + s[1]) + (s[2] + s[3])
}

// copyDotLanes sets dst = src and adds v⊙src to the four partial sums s:
// element i to s[i mod 4], the elements after the last multiple of 4 to
// s[0].
func copyDotLanes(dst, src, v []float64, s *[4]float64) {
	dst, v = dst[:len(src)], v[:len(src)]
	i := 0
	if haveAVX {
		i = len(src) &^ 3
		copyDotAVX(dst, src[:i], v, s)
	}
	s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
	for ; i+4 <= len(src); i += 4 {
		a0, a1, a2, a3 := src[i], src[i+1], src[i+2], src[i+3]
		dst[i], dst[i+1], dst[i+2], dst[i+3] = a0, a1, a2, a3
		s0 += v[i] * a0
		s1 += v[i+1] * a1
		s2 += v[i+2] * a2
		s3 += v[i+3] * a3
	}
	for ; i < len(src); i++ {
		dst[i] = src[i]
		s0 += v[i] * src[i]
	}
	*s = [4]float64{s0, s1, s2, s3}
}

// axpyDot sets q = q + a·x and returns vᵀq (the updated q).
func axpyDot(q []float64, a float64, x, v []float64) float64 {
	var s [4]float64
	axpyDotLanes(q, a, x, v, &s)
	return (s[0] + s[1]) + (s[2] + s[3])
}

// axpyDotLanes sets q = q + a·x and adds v⊙q (the updated q) to the four
// partial sums s, as copyDotLanes does.
func axpyDotLanes(q []float64, a float64, x, v []float64, s *[4]float64) {
	x, v = x[:len(q)], v[:len(q)]
	i := 0
	if haveAVX {
		i = len(q) &^ 3
		axpyDotAVX(q[:i], a, x, v, s)
	}
	s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
	for ; i+4 <= len(q); i += 4 {
		q0 := q[i] + a*x[i]
		q1 := q[i+1] + a*x[i+1]
		q2 := q[i+2] + a*x[i+2]
		q3 := q[i+3] + a*x[i+3]
		q[i], q[i+1], q[i+2], q[i+3] = q0, q1, q2, q3
		s0 += v[i] * q0
		s1 += v[i+1] * q1
		s2 += v[i+2] * q2
		s3 += v[i+3] * q3
	}
	for ; i < len(q); i++ {
		q[i] += a * x[i]
		s0 += v[i] * q[i]
	}
	*s = [4]float64{s0, s1, s2, s3}
}

// axpyScaleDot sets q = c·(q + a·x) and returns vᵀq (the updated q).
func axpyScaleDot(q []float64, a float64, x []float64, c float64, v []float64) float64 {
	var s [4]float64
	axpyScaleDotLanes(q, a, x, c, v, &s)
	return (s[0] + s[1]) + (s[2] + s[3])
}

// axpyScaleDotLanes sets q = c·(q + a·x) and adds v⊙q (the updated q) to
// two partial sums, element i to s[i mod 2] and an odd last element to
// s[0]; s[2] and s[3] stay as they are.
func axpyScaleDotLanes(q []float64, a float64, x []float64, c float64, v []float64, s *[4]float64) {
	x, v = x[:len(q)], v[:len(q)]
	s0, s1 := s[0], s[1]
	i := 0
	for ; i+2 <= len(q); i += 2 {
		q0 := c * (q[i] + a*x[i])
		q1 := c * (q[i+1] + a*x[i+1])
		q[i], q[i+1] = q0, q1
		s0 += v[i] * q0
		s1 += v[i+1] * q1
	}
	for ; i < len(q); i++ {
		q[i] = c * (q[i] + a*x[i])
		s0 += v[i] * q[i]
	}
	s[0], s[1] = s0, s1
}

// axpyNegate sets q = −(q + a·x).
func axpyNegate(q []float64, a float64, x []float64) {
	x = x[:len(q)]
	for i := range q {
		q[i] = -(q[i] + a*x[i])
	}
}

// dotProduct returns xᵀy, accumulated in a fixed order.
func dotProduct(x, y []float64) float64 {
	y = y[:len(x)]
	var s [4]float64
	i := 0
	if haveAVX {
		i = len(x) &^ 3
		dotAVX(x[:i], y, &s)
	}
	s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// norm2 returns ‖x‖₂ without overflow or underflow for finite x: the sum of
// squares is rescaled by the largest magnitude only when it leaves the safe
// range.
func norm2(x []float64) float64 {
	ss := dotProduct(x, x)
	if ss > 1e-280 && ss < 1e280 {
		return math.Sqrt(ss)
	}
	var big float64
	for _, v := range x {
		big = math.Max(big, math.Abs(v))
	}
	if big == 0 || math.IsInf(big, 0) || math.IsNaN(big) {
		return big
	}
	var t float64
	for _, v := range x {
		r := v / big
		t += r * r
	}
	return big * math.Sqrt(t)
}

// descentDirection writes d = −H·g and returns gᵀd, replacing d by −λ·g
// (reset = true when pairs were stored) when it is not a descent direction,
// as Update and the fixed-step Optimizer do. A zero g (a stationary point,
// where d = 0 and no direction descends) is not a reset.
//
// A direction that carries no step length (−λ·g, with no pairs or after a
// reset) longer than limit is scaled down to that length first, and c < 1
// returns the factor (1 otherwise): besides the first-step safeguard of
// initialStep, this keeps gᵀd finite for gradients up to about 10³⁰⁰, whose
// −λ₀·‖g‖² would overflow. limit is +Inf where no step may be cut.
func (s *LBFGSState) descentDirection(d, g []float64, limit float64) (dg float64, reset bool, c float64) {
	s.direction(d, g)
	c = 1
	if len(s.own.StepHistory) == 0 {
		c = scaleTo(d, limit)
	}
	dg = dotProduct(g, d)
	if dg == 0 && norm2(g) == 0 {
		return 0, false, c
	}
	if !(dg < 0) || !finite(dg) {
		reset = len(s.own.StepHistory) > 0
		for i, gi := range g {
			d[i] = -s.own.InverseHessianFactor * gi // d = −λ g
		}
		c = scaleTo(d, limit)
		dg = dotProduct(g, d)
	}
	return dg, reset, c
}

// scaleTo scales v to Euclidean length limit when it is longer, and
// returns the factor applied (1 when it is not).
func scaleTo(v []float64, limit float64) float64 {
	n := norm2(v)
	if !(n > limit) || math.IsInf(n, 0) {
		return 1
	}
	c := limit / n
	for i := range v {
		v[i] *= c
	}
	return c
}

// normInf returns ‖x‖∞ = max |x_i| (NaN if any element is NaN). The
// magnitudes are compared as integers: for |x_i| (the sign bit cleared)
// the order of the bit patterns is the order of the values, and every NaN
// lies above +Inf; four running maxima let the processor compare four
// elements at a time.
func normInf(x []float64) float64 {
	const abs = 1<<63 - 1
	var m0, m1, m2, m3 uint64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		m0 = max(m0, math.Float64bits(x[i])&abs)
		m1 = max(m1, math.Float64bits(x[i+1])&abs)
		m2 = max(m2, math.Float64bits(x[i+2])&abs)
		m3 = max(m3, math.Float64bits(x[i+3])&abs)
	}
	for ; i < len(x); i++ {
		m0 = max(m0, math.Float64bits(x[i])&abs)
	}
	m := max(max(m0, m1), max(m2, m3))
	if m > math.Float64bits(math.Inf(1)) {
		return math.NaN()
	}
	return math.Float64frombits(m)
}
