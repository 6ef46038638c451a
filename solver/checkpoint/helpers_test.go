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
