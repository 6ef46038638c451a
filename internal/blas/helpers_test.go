package blas

import (
	"math/rand/v2"
	"testing"
)

// restore returns a func that reinstates the backend current now.
func restore(tb testing.TB) func() {
	tb.Helper()
	s := cur()
	return func() { current.Store(s) }
}

// randSlice returns n uniform values in [-1, 1) from seed.
func randSlice(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	v := make([]float64, n)
	for i := range v {
		v[i] = 2*r.Float64() - 1
	}
	return v
}

func toF32(v []float64) []float32 {
	w := make([]float32, len(v))
	for i, x := range v {
		w[i] = float32(x)
	}
	return w
}
