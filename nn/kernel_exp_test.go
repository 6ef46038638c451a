package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expInputs returns n values for exps: the special values of simdInputs
// and, as often, values next to the points where math.Exp's exponent
// k = round(x·log₂e) changes (every k from −1080 to 1030, so both ends
// of the range the kernels compute: overflow beyond 709.78…, subnormal
// results below −708.39…, zero below −745.13…), next to its overflow bound,
// arguments of several scales and signs, the arguments of a softmax
// (x − max ≤ 0, down to −10³⁰⁰), and zeros of either sign.
func expInputs(r *rand.Rand, n int) []float64 {
	const overflow = 7.09782712893384e+02 // exp_amd64.s's Overflow
	edges := []float64{overflow, -745.1332191019412, -708.3964185322641, 0}
	for k := -1080; k <= 1030; k++ {
		edges = append(edges, (float64(k)+0.5)*math.Ln2)
	}
	v := simdInputs(r, n)
	for i := range v {
		switch r.IntN(8) {
		case 0, 1:
			e := edges[r.IntN(len(edges))]
			for range r.IntN(3) {
				e = math.Nextafter(e, math.Inf(r.IntN(2)*2-1))
			}
			v[i] = e
		case 2:
			v[i] = r.NormFloat64() * math.Exp2(float64(r.IntN(70)-60))
		case 3:
			v[i] = 300 * r.NormFloat64()
		case 4:
			v[i] = -math.Abs(5 * r.NormFloat64()) // a softmax's x − max
		case 5:
			v[i] = -math.Exp2(float64(r.IntN(1000))) * (1 + r.Float64())
		}
	}
	return v
}

// TestExps checks exps against math.Exp bit for bit (NaN for NaN, with
// its bits), on every length up to 70 and on 10⁵ values, out of place and
// in place: with the widest kernel the processor has, with AVX2 where it
// has AVX-512 too, and with the Go loop alone (as on a processor without
// AVX2 or FMA).
func TestExps(t *testing.T) {
	t.Run("widest", testExps)
	if haveExpAVX512 {
		t.Run("AVX2", func(t *testing.T) {
			haveExpAVX512 = false
			defer func() { haveExpAVX512 = true }()
			testExps(t)
		})
	}
	if haveExpFMA {
		t.Run("Go", func(t *testing.T) {
			haveExpFMA = false
			defer func() { haveExpFMA = true }()
			testExps(t)
		})
	}
}

func testExps(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for n := 0; n <= 70; n++ {
		checkExps(t, expInputs(r, n))
	}
	checkExps(t, expInputs(r, 100000))
	// Every k of math.Exp at once: whole blocks of normal results, then
	// each block with one lane moved to each edge.
	var x []float64
	for k := -1022; k <= 1023; k++ {
		x = append(x, float64(k)*math.Ln2, (float64(k)+0.4999)*math.Ln2, (float64(k)-0.4999)*math.Ln2)
	}
	checkExps(t, x)
	for _, e := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 709.79, 709.5, -708.8, -745.2, -1e300} {
		for i := range 16 {
			y := append([]float64(nil), x[:16]...)
			y[i] = e
			checkExps(t, y)
		}
	}
}

func checkExps(t *testing.T, x []float64) {
	t.Helper()
	y := make([]float64, len(x))
	exps(x, y)
	in := append([]float64(nil), x...)
	exps(in, in)
	for i, v := range x {
		want := math.Exp(v)
		if math.Float64bits(y[i]) != math.Float64bits(want) || math.Float64bits(in[i]) != math.Float64bits(want) {
			t.Fatalf("n = %d: exp(%v) = %v (in place %v), math.Exp gives %v", len(x), v, y[i], in[i], want)
		}
	}
}

// BenchmarkExps times exps against the math.Exp loop it replaces on 1024
// arguments of a softmax (x − max: −|N(0, 5²)|).
func BenchmarkExps(b *testing.B) {
	r := rand.New(rand.NewPCG(17, 18))
	x, y := make([]float64, 1024), make([]float64, 1024)
	for i := range x {
		x[i] = -math.Abs(5 * r.NormFloat64())
	}
	b.Run("exps", func(b *testing.B) {
		for range b.N {
			exps(x, y)
		}
	})
	b.Run("math.Exp", func(b *testing.B) {
		for range b.N {
			for i, v := range x {
				y[i] = math.Exp(v)
			}
		}
	})
}
