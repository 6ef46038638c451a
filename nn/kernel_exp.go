package nn

import "math"

// exps sets y = e^x elementwise (y may be x), bit for bit as math.Exp
// computes it. math.Exp takes about 5 ns per element in a loop, most of a
// 10-class softmax's time; with AVX2 and FMA, expFMA64 computes four
// elements at a time (expAVX512 eight, about 0.6 ns each) with the
// operations of math.Exp's own FMA path (kernel_exp_amd64.s), leaving to
// math.Exp the blocks holding a NaN, an infinity, an overflow or a result
// below the normal range, and the last len(x) mod 4 elements.
func exps(x, y []float64) {
	y = y[:len(x)]
	for haveExpFMA && len(x) >= 4 {
		if haveExpAVX512 {
			n := expAVX512(y, x)
			x, y = x[n:], y[n:]
		}
		n := expFMA64(y, x)
		x, y = x[n:], y[n:]
		if len(x) >= 4 { // the block stopped at holds a special case
			for i := range 4 {
				y[i] = math.Exp(x[i])
			}
			x, y = x[4:], y[4:]
		}
	}
	for i, v := range x {
		y[i] = math.Exp(v)
	}
}
