package checkpoint

import (
	"math"

	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// stateString is testprob.StateString.
var stateString = testprob.StateString

// sameBits reports whether a and b hold the same float64 bit patterns.
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// maxHistory is the largest HistorySize the solver accepts.
const maxHistory = 1 << 16

// craftOptimality writes the version 3 fields that follow GradientsInfNorm:
// ProjectedGradientNorm 1, ActiveBounds 0, ZeroCoordinates 0, L1Penalty 0,
// StartPointProjected false (a plain L-BFGS state).
func craftOptimality(e *encoder) {
	e.f64(1)
	e.i64(0)
	e.i64(0)
	e.f64(0)
	e.boolean(false)
}
