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

// TestNormInfAllFinite checks normInf and allFinite against their
// definitions on vectors of every length up to 40 holding one special value
// (±0, subnormals, ±Inf, NaN, the largest finite) at each position.
func TestNormInfAllFinite(t *testing.T) {
	specials := []float64{0, math.Copysign(0, -1), 5e-324, -5e-324, math.MaxFloat64, -math.MaxFloat64,
		math.Inf(1), math.Inf(-1), math.NaN(), 1, -3}
	r := rand.New(rand.NewPCG(5, 6))
	for n := 0; n <= 40; n++ {
		for pos := 0; pos < max(n, 1); pos++ {
			for _, sp := range specials {
				x := make([]float64, n)
				for i := range x {
					x[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(9)-4))
				}
				if n > 0 {
					x[pos] = sp
				}
				var want float64
				fin, nan := true, false
				for _, v := range x {
					fin = fin && !math.IsInf(v, 0) && !math.IsNaN(v)
					nan = nan || math.IsNaN(v)
					want = math.Max(want, math.Abs(v))
				}
				if got := allFinite(x); got != fin {
					t.Fatalf("n=%d, %v at %d: allFinite = %v, want %v", n, sp, pos, got, fin)
				}
				got := normInf(x)
				if nan != math.IsNaN(got) || (!nan && math.Float64bits(got) != math.Float64bits(want)) {
					t.Fatalf("n=%d, %v at %d: normInf = %v, want %v", n, sp, pos, got, want)
				}
			}
		}
	}
	// A non-finite element past the first 512-element block.
	x := make([]float64, 1500)
	x[1400] = math.Inf(-1)
	if allFinite(x) {
		t.Errorf("allFinite with -Inf at 1400 = true")
	}
}
