package nn

import "math"

// expBlock is the number of exponentials softmaxRows gathers for one call
// of exps: the arguments of several short rows at once (a 10-class row
// alone would leave most of it to math.Exp's tail), a long row in parts.
const expBlock = 512

// softmaxRows sets each row of p (len(lse) rows of cols entries) to
// exp(z − max z) / Σ exp(z − max z) of the same row of z, and lse[r] to
// the row's log-sum-exp m + log Σ exp(z − m), m = max z, computed
// stably. Each exponential is math.Exp's (exps), summed in column order
// and stored in p before it is scaled by 1/Σ, and each logarithm is
// math.Log's (logs), so that p and lse have the bits of the row-by-row
// loop whatever T is.
func softmaxRows[T float](cols int, z, p []T, lse []float64) {
	var buf [expBlock]float64
	var sbuf [64]float64 // the rows' sums of exponentials
	if cols > len(buf) {
		for r := range lse {
			lse[r] = softmaxLongRow(z[r*cols:(r+1)*cols], p[r*cols:(r+1)*cols], buf[:])
		}
		return
	}
	per := min(len(buf)/cols, len(sbuf))
	for r0 := 0; r0 < len(lse); r0 += per {
		rows := lse[r0:min(r0+per, len(lse))]
		zb, pb := z[r0*cols:(r0+len(rows))*cols], p[r0*cols:(r0+len(rows))*cols]
		d := buf[:len(zb)]
		rowMaxes(cols, zb, rows)
		for r, m := range rows {
			for j, v := range zb[r*cols : (r+1)*cols] {
				d[r*cols+j] = float64(v) - m
			}
		}
		exps(d, d)
		sums := sbuf[:len(rows)]
		for r := range rows {
			pr := pb[r*cols : (r+1)*cols]
			sums[r] = storeExps(d[r*cols:(r+1)*cols], pr, 0)
			scale(pr, 1/sums[r])
		}
		logs(sums, sums)
		for r, l := range sums {
			rows[r] += l // m + log s
		}
	}
}

// softmaxLongRow is softmaxRows for one row longer than buf, its
// exponentials computed buf's length at a time; it returns the row's
// log-sum-exp.
func softmaxLongRow[T float](z, p []T, buf []float64) float64 {
	m := rowMax(z)
	s := 0.0
	for lo := 0; lo < len(z); lo += len(buf) {
		zc := z[lo:min(lo+len(buf), len(z))]
		d := buf[:len(zc)]
		for j, v := range zc {
			d[j] = float64(v) - m
		}
		exps(d, d)
		s = storeExps(d, p[lo:lo+len(zc)], s)
	}
	scale(p, 1/s)
	return m + math.Log(s)
}

// rowMax returns max z in float64 (NaN if z holds one).
func rowMax[T float](z []T) float64 {
	m := float64(z[0])
	for _, v := range z[1:] {
		m = max(m, float64(v))
	}
	return m
}

// rowMaxes sets m[r] = rowMax of row r of z (rows of cols entries, len(m)
// rows), four rows at a time: max's chain of dependent operations per
// element is long, and four rows' chains overlap.
func rowMaxes[T float](cols int, z []T, m []float64) {
	r := 0
	for ; r+4 <= len(m); r += 4 {
		z0, z1, z2, z3 := z[r*cols:(r+1)*cols], z[(r+1)*cols:(r+2)*cols], z[(r+2)*cols:(r+3)*cols], z[(r+3)*cols:(r+4)*cols]
		m0, m1, m2, m3 := float64(z0[0]), float64(z1[0]), float64(z2[0]), float64(z3[0])
		for j := 1; j < len(z0); j++ {
			m0 = max(m0, float64(z0[j]))
			m1 = max(m1, float64(z1[j]))
			m2 = max(m2, float64(z2[j]))
			m3 = max(m3, float64(z3[j]))
		}
		m[r], m[r+1], m[r+2], m[r+3] = m0, m1, m2, m3
	}
	for ; r < len(m); r++ {
		m[r] = rowMax(z[r*cols : (r+1)*cols])
	}
}

// storeExps sets p = e (rounded to T) and returns s + Σ e, summed in order.
func storeExps[T float](e []float64, p []T, s float64) float64 {
	for j, v := range e {
		p[j] = T(v)
		s += v
	}
	return s
}

// scale sets p = p·inv, each product rounded to T: a row of
// exponentials times 1/Σ.
func scale[T float](p []T, inv float64) {
	for j := range p {
		p[j] = T(float64(p[j]) * inv)
	}
}

// softmax sets each row of p (rows of cols entries) to the softmax of the
// same row of z.
func softmax[T float](cols int, z, p []T) {
	var lse [64]float64
	for lo := 0; cols > 0 && lo < len(z); lo += len(lse) * cols {
		hi := min(lo+len(lse)*cols, len(z))
		softmaxRows(cols, z[lo:hi], p[lo:hi], lse[:(hi-lo)/cols])
	}
}
