package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// tanhInputs returns n values for tanhs: normal values of several scales
// (both formulas of math.Tanh, and lanes of one block taking different
// ones), values next to its thresholds 0.625 and MAXLOG/2 and to the
// points where e^(2|x|)'s exponent k = round(2|x|·log₂e) changes, and the
// special values of simdInputs.
func tanhInputs(r *rand.Rand, n int) []float64 {
	const maxLog = 8.8029691931113054295988e+01 // math.tanh's MAXLOG
	edges := []float64{0.625, maxLog / 2}
	for k := 2; k <= 128; k++ {
		edges = append(edges, (float64(k)-0.5)*math.Ln2/2)
	}
	v := simdInputs(r, n)
	for i := range v {
		switch r.IntN(6) {
		case 0:
			e := edges[r.IntN(len(edges))]
			for range r.IntN(3) {
				e = math.Nextafter(e, math.Inf(r.IntN(2)*2-1))
			}
			v[i] = math.Copysign(e, r.NormFloat64())
		case 1:
			v[i] = r.NormFloat64() * math.Exp2(float64(r.IntN(80)-60))
		case 2:
			v[i] = 100 * r.NormFloat64()
		}
	}
	return v
}

// TestTanhs checks tanhs against math.Tanh bit for bit (NaN for NaN), in
// float64 and float32, on every length up to 70 and on 10⁵ values, out of
// place and in place: with the widest kernel the processor has, and with
// AVX2 where it has AVX-512 too. Where it lacks AVX2 or FMA it checks the
// Go loop.
func TestTanhs(t *testing.T) {
	t.Run("widest", testTanhs)
	if haveTanhAVX512 {
		t.Run("AVX2", func(t *testing.T) {
			haveTanhAVX512 = false
			defer func() { haveTanhAVX512 = true }()
			testTanhs(t)
		})
	}
}

func testTanhs(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	lengths := make([]int, 0, 72)
	for n := 0; n <= 70; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 100000)
	for _, n := range lengths {
		z := tanhInputs(r, n)
		checkTanhs(t, z)
		z32 := make([]float32, n)
		for i, v := range z {
			z32[i] = float32(v)
		}
		checkTanhs(t, z32)
	}
}

func checkTanhs[T float](t *testing.T, z []T) {
	t.Helper()
	y := make([]T, len(z))
	tanhs(z, y)
	in := append([]T(nil), z...)
	tanhs(in, in)
	for i, v := range z {
		want := T(math.Tanh(float64(v)))
		if !sameBits(y[i], want) || !sameBits(in[i], want) {
			t.Fatalf("%T, n = %d: tanh(%v) = %v (in place %v), math.Tanh gives %v", v, len(z), v, y[i], in[i], want)
		}
	}
}

// BenchmarkTanhs times tanhs against the math.Tanh loop it replaces on
// 1024 values of a trained tanh network's scale (N(0, 1.5²)).
func BenchmarkTanhs(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	z, y := make([]float64, 1024), make([]float64, 1024)
	for i := range z {
		z[i] = 1.5 * r.NormFloat64()
	}
	b.Run("tanhs", func(b *testing.B) {
		for range b.N {
			tanhs(z, y)
		}
	})
	b.Run("math.Tanh", func(b *testing.B) {
		for range b.N {
			for i, v := range z {
				y[i] = math.Tanh(v)
			}
		}
	})
}

// TestTanhGrad checks tanhGrad against the formula's Go loop bit for bit
// (NaN for NaN) on every length up to 70, in float64 (the kernel) and
// float32 (the loop), outputs of tanh and special values alike.
func TestTanhGrad(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for n := 0; n <= 70; n++ {
		y, dy := simdInputs(r, n), tanhInputs(r, n)
		for i := range y {
			if r.IntN(2) == 0 {
				y[i] = math.Tanh(y[i])
			}
		}
		checkTanhGrad(t, y, dy)
		y32, dy32 := make([]float32, n), make([]float32, n)
		for i := range y {
			y32[i], dy32[i] = float32(y[i]), float32(dy[i])
		}
		checkTanhGrad(t, y32, dy32)
	}
}

func checkTanhGrad[T float](t *testing.T, y, dy []T) {
	t.Helper()
	dz := make([]T, len(y))
	tanhGrad(y, dy, dz)
	for i, v := range y {
		if want := dy[i] * (1 - v*v); !sameBits(dz[i], want) {
			t.Fatalf("%T, n = %d: dy·(1 − y²) at y = %v, dy = %v: %v, want %v", v, len(y), v, dy[i], dz[i], want)
		}
	}
}
