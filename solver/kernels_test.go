package solver

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAVXKernels compares copyDot, axpyDot and dotProduct, which run their
// first multiple of four elements on the AVX kernels where the processor
// has AVX, with the four-partial-sum loops written out in Go (each product
// rounded on its own, as the kernels do), bit for bit, for every length up
// to 70 and values of wide range.
func TestAVXKernels(t *testing.T) {
	if !haveAVX {
		t.Skip("no AVX: the Go loops run alone")
	}
	r := rand.New(rand.NewPCG(11, 12))
	vec := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(13)-6))
		}
		return v
	}
	same := func(what string, n int, got, want float64) {
		t.Helper()
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s n=%d: %v, want %v", what, n, got, want)
		}
	}
	for n := 0; n <= 70; n++ {
		q, x, v := vec(n), vec(n), vec(n)
		a := r.NormFloat64()

		want, wq := refAxpyDot(append([]float64(nil), q...), a, x, v)
		got := axpyDot(q, a, x, v)
		same("axpyDot", n, got, want)
		for i := range q {
			same("axpyDot q", n, q[i], wq[i])
		}

		dst := make([]float64, n)
		same("copyDot", n, copyDot(dst, x, v), refDot(x, v))
		for i := range x {
			same("copyDot dst", n, dst[i], x[i])
		}
		same("dotProduct", n, dotProduct(x, v), refDot(x, v))
	}
}

// refDot is dotProduct's loop without the kernels.
func refDot(x, y []float64) float64 {
	var s [4]float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		for j := range 4 {
			s[j] += float64(x[i+j] * y[i+j])
		}
	}
	for ; i < len(x); i++ {
		s[0] += float64(x[i] * y[i])
	}
	return (s[0] + s[1]) + (s[2] + s[3])
}

// refAxpyDot is axpyDot's loop without the kernels; it returns vᵀq and q.
func refAxpyDot(q []float64, a float64, x, v []float64) (float64, []float64) {
	for i := range q {
		q[i] += float64(a * x[i])
	}
	return refDot(v, q), q
}
