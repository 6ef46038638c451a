package nn

import "math"

// logs sets y = log x elementwise (y may be x), bit for bit as math.Log
// computes it: with AVX2, four elements at a time by logAVX2 with the
// operations of math.Log's assembly (kernel_log_amd64.s), leaving to
// math.Log the blocks holding a special case (x <= 0, +Inf, NaN) and the
// last len(x) mod 4 elements. The softmax takes one logarithm a row:
// math.Log's (about 5.5 ns) was a fifth of a 10-class cross-entropy's
// time once its exponentials were computed by exps.
func logs(x, y []float64) {
	y = y[:len(x)]
	for haveLogAVX2 && len(x) >= 4 {
		n := logAVX2(y, x)
		x, y = x[n:], y[n:]
		if len(x) >= 4 { // the block stopped at holds a special case
			for i := range 4 {
				y[i] = math.Log(x[i])
			}
			x, y = x[4:], y[4:]
		}
	}
	for i, v := range x {
		y[i] = math.Log(v)
	}
}
