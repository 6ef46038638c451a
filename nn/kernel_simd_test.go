package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// simdInputs returns n values mixing normal values of both signs with ±0,
// ±Inf, NaN, subnormals and the extremes, so that every lane of the AVX
// kernels meets the special cases.
func simdInputs(r *rand.Rand, n int) []float64 {
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(),
		5e-324, -5e-324, 1e-40, -1e-40, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat32, 1, -1}
	v := make([]float64, n)
	for i := range v {
		if r.IntN(3) == 0 {
			v[i] = special[r.IntN(len(special))]
		} else {
			v[i] = r.NormFloat64()
		}
	}
	return v
}

// sameBits reports whether a and b have the same bits, or are both NaN.
func sameBits[T float](a, b T) bool {
	if a != a && b != b {
		return true
	}
	switch a := any(a).(type) {
	case float64:
		return math.Float64bits(a) == math.Float64bits(any(b).(float64))
	case float32:
		return math.Float32bits(a) == math.Float32bits(any(b).(float32))
	}
	return false
}

// TestAVXKernels compares relu, the gated derivative (c = 0) and addRows,
// which use
// the AVX kernels where the processor has them, with the Go loops they
// replace, bit for bit, on every length up to 70 (full vectors and every
// tail) and on special values; in place (y = z) too.
func TestAVXKernels(t *testing.T) {
	if !haveAVX {
		t.Skip("no AVX: relu and gatedGrad run the Go loops only")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for n := 0; n <= 70; n++ {
		z64, dy64 := simdInputs(r, n), simdInputs(r, n)
		checkKernels(t, n, z64, dy64)
		z32, dy32 := make([]float32, n), make([]float32, n)
		for i := range z32 {
			z32[i], dy32[i] = float32(z64[i]), float32(dy64[i])
		}
		checkKernels(t, n, z32, dy32)
	}
}

func checkKernels[T float](t *testing.T, n int, z, dy []T) {
	t.Helper()
	y, inPlace := make([]T, n), append([]T(nil), z...)
	relu(z, y)
	relu(inPlace, inPlace)
	for i, v := range z {
		want := max(v, 0)
		if !sameBits(y[i], want) || !sameBits(inPlace[i], want) {
			t.Fatalf("%T n=%d: relu(%v) = %v (in place %v), want %v", v, n, v, y[i], inPlace[i], want)
		}
	}
	a := append(append(append(append([]T(nil), z...), dy...), y...), z...) // rows z, dy, y, z
	sum := append([]T(nil), dy...)
	addRows(4, n, a, sum)
	for j := range sum {
		if want := dy[j] + ((z[j] + dy[j]) + (y[j] + z[j])); !sameBits(sum[j], want) {
			t.Fatalf("%T n=%d: addRows column %d: %v, want %v", z[j], n, j, sum[j], want)
		}
	}
	for _, s := range []float64{0, 0.2, 0.01} {
		dz := make([]T, n)
		gatedGrad(z, y, dy, dz, s, 0)
		for i, v := range z {
			g := T(s)
			if v > 0 {
				g = 1
			}
			if want := dy[i] * g; !sameBits(dz[i], want) {
				t.Fatalf("%T n=%d s=%v: gated derivative at z=%v, dy=%v: %v, want %v", v, n, s, v, dy[i], dz[i], want)
			}
		}
	}
}
