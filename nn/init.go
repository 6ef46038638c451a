package nn

import (
	"math"
	"math/rand/v2"
)

// An Initializer fills dst, a learnable parameter in row-major order, with
// initial values drawn from r (and from nothing else, so that the same
// seed gives the same network). fanIn and fanOut are the layer's input and
// output sizes. Values are produced in float64 and rounded once for a
// float32 network.
type Initializer func(r *rand.Rand, fanIn, fanOut int, dst []float64)

// GlorotUniform draws from U(−√(6/(fanIn+fanOut)), √(6/(fanIn+fanOut))):
// zero mean, variance 2/(fanIn+fanOut) (Glorot & Bengio 2010; MATLAB's
// default "glorot" weights initializer).
func GlorotUniform(r *rand.Rand, fanIn, fanOut int, dst []float64) {
	bound := math.Sqrt(6 / float64(fanIn+fanOut))
	for i := range dst {
		dst[i] = bound * (2*r.Float64() - 1)
	}
}

// HeNormal draws from N(0, 2/fanIn) (He et al. 2015; MATLAB's "he").
func HeNormal(r *rand.Rand, fanIn, _ int, dst []float64) {
	sd := math.Sqrt(2 / float64(fanIn))
	for i := range dst {
		dst[i] = sd * r.NormFloat64()
	}
}

// NarrowNormal draws from N(0, 0.01²) (MATLAB's "narrow-normal").
func NarrowNormal(r *rand.Rand, _, _ int, dst []float64) {
	for i := range dst {
		dst[i] = 0.01 * r.NormFloat64()
	}
}

// Zeros sets every value to 0 (MATLAB's default bias initializer).
func Zeros(_ *rand.Rand, _, _ int, dst []float64) { clear(dst) }

// Ones sets every value to 1.
func Ones(_ *rand.Rand, _, _ int, dst []float64) {
	for i := range dst {
		dst[i] = 1
	}
}
