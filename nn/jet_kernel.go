package nn

import "math"

// The kernels of the jet activation ops. A jet of C blocks of m values
// each is processed in chunks of jetChunk values of every block, so that a
// chunk's C blocks and scratch stay in the first-level cache, and each
// chunk in passes: first f and its derivatives at the values (into
// float64 scratch, whatever T), then each derivative block by a plain
// loop, which the compiler keeps free of the per-element work of the
// first pass.

// jetChunk is the number of values of each block processed together:
// with 4 blocks in and out and 3 scratch slices, 11 × 512 × 8 bytes =
// 45 KiB.
const jetChunk = 512

// derivScratch holds f′, f″ (and f‴) at the m values of block 0.
type derivScratch struct{ d1, d2, d3 []float64 }

// get returns scratch slices of length m, f‴'s only if third.
func (s *derivScratch) get(m int, third bool) (d1, d2, d3 []float64) {
	grow := func(v []float64) []float64 {
		if cap(v) < m {
			return make([]float64, m)
		}
		return v[:m]
	}
	s.d1, s.d2 = grow(s.d1), grow(s.d2)
	if third {
		s.d3 = grow(s.d3)
	}
	return s.d1, s.d2, s.d3
}

// jetActivate applies f to the jet z of blocks of m values each (see
// jetActOp), with d1 and d2 as scratch.
func jetActivate[T float](act activation, l jetLayout, m int, z, a []T, d1, d2 []float64) {
	for lo := 0; lo < m; lo += jetChunk {
		hi := min(m, lo+jetChunk)
		jetActivateRange(act, l, m, lo, hi, z, a, d1[lo:hi], d2[lo:hi])
	}
}

// jetActivateRange is jetActivate on values [lo, hi) of every block.
func jetActivateRange[T float](act activation, l jetLayout, m, lo, hi int, z, a []T, d1, d2 []float64) {
	z0, a0 := z[lo:hi], a[lo:hi]
	if act.kind == actTanh {
		for e, v := range z0 {
			t := math.Tanh(float64(v))
			s := 1 - t*t
			a0[e], d1[e], d2[e] = T(t), s, -2*t*s
		}
	} else {
		for e, v := range z0 {
			f, p1, p2, _ := act.derivs(float64(v))
			a0[e], d1[e], d2[e] = T(f), p1, p2
		}
	}
	blk := func(v []T, k int) []T { return v[k*m+lo : k*m+hi] }
	nf := len(l.first)
	for k := 1; k <= nf; k++ {
		zk, ak := blk(z, k), blk(a, k)
		for e, v := range zk {
			ak[e] = T(d1[e] * float64(v)) // a_i = f′·z_i
		}
	}
	for s, pq := range l.second {
		c := 1 + nf + s
		zp, zq := blk(z, 1+pq[0]), blk(z, 1+pq[1])
		zc, ac := blk(z, c), blk(a, c)
		for e := range ac {
			ac[e] = T(d2[e]*float64(zp[e])*float64(zq[e]) + d1[e]*float64(zc[e])) // a_ij = f″ z_i z_j + f′ z_ij
		}
	}
}

// jetActivateGrad sets dz from the jet z, the output jet a and its
// gradient g, blocks of m values each (see jetActGradOp), with d1, d2, d3
// as scratch. tanh and σ take their derivatives from the output values.
func jetActivateGrad[T float](act activation, l jetLayout, m int, z, a, g, dz []T, d1, d2, d3 []float64) {
	for lo := 0; lo < m; lo += jetChunk {
		hi := min(m, lo+jetChunk)
		jetActivateGradRange(act, l, m, lo, hi, z, a, g, dz, d1[lo:hi], d2[lo:hi], d3[lo:hi])
	}
}

// jetActivateGradRange is jetActivateGrad on values [lo, hi) of every
// block.
func jetActivateGradRange[T float](act activation, l jetLayout, m, lo, hi int, z, a, g, dz []T, d1, d2, d3 []float64) {
	blk := func(v []T, k int) []T { return v[k*m+lo : k*m+hi] }
	switch act.kind {
	case actTanh:
		for e, v := range blk(a, 0) {
			t := float64(v)
			s := 1 - t*t
			d1[e], d2[e], d3[e] = s, -2*t*s, s*(6*t*t-2)
		}
	case actSigmoid:
		for e, v := range blk(a, 0) {
			s := float64(v)
			q := s * (1 - s)
			d1[e], d2[e], d3[e] = q, q*(1-2*s), q*(1-6*s+6*s*s)
		}
	default:
		for e, v := range blk(z, 0) {
			_, d1[e], d2[e], d3[e] = act.derivs(float64(v))
		}
	}
	// dz = g·f′, then the terms of each derivative block
	g0, dz0 := blk(g, 0), blk(dz, 0)
	for e, v := range g0 {
		dz0[e] = T(float64(v) * d1[e])
	}
	nf := len(l.first)
	for k := 1; k <= nf; k++ {
		gk, zk, dzk := blk(g, k), blk(z, k), blk(dz, k)
		for e, v := range gk {
			dz0[e] += T(float64(v) * d2[e] * float64(zk[e])) // g_i·f″·z_i
			dzk[e] = T(float64(v) * d1[e])                   // g_i·f′
		}
	}
	for s, pq := range l.second {
		c := 1 + nf + s
		ip, iq := 1+pq[0], 1+pq[1]
		zp, zq, dzp, dzq := blk(z, ip), blk(z, iq), blk(dz, ip), blk(dz, iq)
		gc, zc, dzc := blk(g, c), blk(z, c), blk(dz, c)
		for e, v := range gc {
			gs, vp, vq := float64(v), float64(zp[e]), float64(zq[e])
			dz0[e] += T(gs * (d3[e]*vp*vq + d2[e]*float64(zc[e]))) // g_ij·(f‴ z_i z_j + f″ z_ij)
			dzp[e] += T(gs * d2[e] * vq)                           // g_ij·f″·z_j
			dzq[e] += T(gs * d2[e] * vp)                           // g_ij·f″·z_i
			dzc[e] = T(gs * d1[e])                                 // g_ij·f′
		}
	}
}
