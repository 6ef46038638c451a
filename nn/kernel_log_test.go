package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// logInputs returns n values for logs: the special values of simdInputs
// (±0, ±Inf, NaN, subnormals, extremes, negative numbers) and, as often,
// values next to the point √2/2·2^k where math.Log's reduction doubles
// its fraction (equal to it among them), next to 1 (f = x − 1 tiny),
// positive numbers of every exponent, subnormal ones, random bits, and
// the sums of a softmax's exponentials (1 to 10).
func logInputs(r *rand.Rand, n int) []float64 {
	v := simdInputs(r, n)
	for i := range v {
		switch r.IntN(8) {
		case 0, 1:
			e := math.Ldexp(math.Sqrt2/2, r.IntN(2098)-1074)
			if r.IntN(2) == 0 {
				e = 1
			}
			for range r.IntN(3) {
				e = math.Nextafter(e, math.Inf(r.IntN(2)*2-1))
			}
			v[i] = e
		case 2:
			v[i] = (1 + r.Float64()) * math.Exp2(float64(r.IntN(2046)-1022))
		case 3:
			v[i] = math.Float64frombits(r.Uint64N(1 << 52))
		case 4:
			v[i] = math.Float64frombits(r.Uint64())
		case 5:
			v[i] = 1 + 9*r.Float64()
		}
	}
	return v
}

// TestLogs checks logs against math.Log bit for bit (NaN for NaN, with
// its bits), on every length up to 70 and on 10⁵ values, out of place and
// in place: with AVX2 where the processor has it, and with the Go loop
// alone.
func TestLogs(t *testing.T) {
	t.Run("widest", testLogs)
	if haveLogAVX2 {
		t.Run("Go", func(t *testing.T) {
			haveLogAVX2 = false
			defer func() { haveLogAVX2 = true }()
			testLogs(t)
		})
	}
}

func testLogs(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for n := 0; n <= 70; n++ {
		checkLogs(t, logInputs(r, n))
	}
	checkLogs(t, logInputs(r, 100000))
	// Each special case in each lane of a block of normal values.
	x := []float64{0.3, 1.5, 7, 1e-300, 2, 3, 1e300, 0.7}
	for _, e := range []float64{0, math.Copysign(0, -1), -1, math.Inf(1), math.Inf(-1), math.NaN(), 5e-324} {
		for i := range x {
			y := append([]float64(nil), x...)
			y[i] = e
			checkLogs(t, y)
		}
	}
}

func checkLogs(t *testing.T, x []float64) {
	t.Helper()
	y := make([]float64, len(x))
	logs(x, y)
	in := append([]float64(nil), x...)
	logs(in, in)
	for i, v := range x {
		want := math.Log(v)
		if math.Float64bits(y[i]) != math.Float64bits(want) || math.Float64bits(in[i]) != math.Float64bits(want) {
			t.Fatalf("n = %d: log(%v) = %v (in place %v), math.Log gives %v", len(x), v, y[i], in[i], want)
		}
	}
}

// BenchmarkLogs times logs against the math.Log loop it replaces on 1024
// sums of a 10-class softmax's exponentials (1 to 10).
func BenchmarkLogs(b *testing.B) {
	r := rand.New(rand.NewPCG(23, 24))
	x, y := make([]float64, 1024), make([]float64, 1024)
	for i := range x {
		x[i] = 1 + 9*r.Float64()
	}
	b.Run("logs", func(b *testing.B) {
		for range b.N {
			logs(x, y)
		}
	})
	b.Run("math.Log", func(b *testing.B) {
		for range b.N {
			for i, v := range x {
				y[i] = math.Log(v)
			}
		}
	})
}
