package nn

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"gorgonia.org/tensor"
)

// TestGatedGrad checks the branchless derivatives of ReLU, LeakyReLU and
// ELU against the definition, in float64 and float32, on values of both
// signs, zeros, infinities in y, and z = ±0.
func TestGatedGrad(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 1000
	z, y, dy := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range z {
		z[i], dy[i] = r.NormFloat64(), r.NormFloat64()
	}
	z[0], z[1], z[2] = 0, math.Copysign(0, -1), math.Inf(-1)
	for _, tc := range []struct {
		name string
		s, c float64
		f    func(float64) float64 // the activation
		d    func(z, y float64) float64
	}{
		{"relu", 0, 0, func(v float64) float64 { return max(v, 0) }, func(v, _ float64) float64 { return b2f(v > 0) }},
		{"leakyrelu", 0.2, 0, func(v float64) float64 { return max(v, 0.2*v) },
			func(v, _ float64) float64 { return b2f(v > 0) + 0.2*b2f(v <= 0) }},
		{"elu", 0.7, 1, func(v float64) float64 { return max(v, 0) + min(0, 0.7*math.Expm1(v)) },
			func(v, y float64) float64 { return b2f(v > 0) + (y+0.7)*b2f(v <= 0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i, v := range z {
				y[i] = tc.f(v)
			}
			dz := make([]float64, n)
			gatedGrad(z, y, dy, dz, tc.s, tc.c)
			z32, y32, dy32, dz32 := to32(z), to32(y), to32(dy), make([]float32, n)
			gatedGrad(z32, y32, dy32, dz32, tc.s, tc.c)
			for i := range z {
				want := dy[i] * tc.d(z[i], y[i])
				if dz[i] != want {
					t.Fatalf("float64: z = %v, dy = %v: dz = %v, want %v", z[i], dy[i], dz[i], want)
				}
				want32 := float64(dy32[i]) * tc.d(float64(z32[i]), float64(y32[i]))
				if math.Abs(float64(dz32[i])-want32) > 1e-6*math.Abs(float64(dy32[i])) { // float32 rounding of s and y
					t.Fatalf("float32: z = %v, dy = %v: dz = %v, want %v", z32[i], dy32[i], dz32[i], want32)
				}
				if math.IsNaN(dz[i]) || math.IsNaN(float64(dz32[i])) {
					t.Fatalf("z = %v, y = %v: NaN derivative", z[i], y[i])
				}
			}
		})
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func to32(v []float64) []float32 {
	w := make([]float32, len(v))
	for i, x := range v {
		w[i] = float32(x)
	}
	return w
}

// TestColSum compares the four-rows-at-a-time column sum with a plain
// one for every remainder of rows modulo 4.
func TestColSum(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for n := 0; n <= 9; n++ {
		const m = 7
		a := make([]float64, n*m)
		for i := range a {
			a[i] = r.NormFloat64()
		}
		s := []float64{9, 9, 9, 9, 9, 9, 9} // overwritten, not added to
		colSum(n, m, a, s)
		for j := range m {
			want := 0.0
			for i := range n {
				want += a[i*m+j]
			}
			if math.Abs(s[j]-want) > 1e-14*float64(n+1) {
				t.Errorf("n = %d: s[%d] = %v, want %v", n, j, s[j], want)
			}
		}
	}
}

// TestNewSkewed: large buffers are zeroed, of the right shape, and start
// at offsets that differ modulo 4 KiB; small ones are plain.
func TestNewSkewed(t *testing.T) {
	offsets := map[uintptr]bool{}
	for range 8 {
		d := newSkewed(tensor.Float64, []int{512, 256}) // 1 MiB
		v := d.Float64s()
		if len(v) != 512*256 || !d.Shape().Eq(tensor.Shape{512, 256}) {
			t.Fatalf("shape %v, %d values", d.Shape(), len(v))
		}
		for _, x := range v {
			if x != 0 {
				t.Fatal("not zeroed")
			}
		}
		offsets[uintptr(unsafe.Pointer(&v[0]))%4096] = true
		f := newSkewed(tensor.Float32, []int{3, 4})
		if len(f.Float32s()) != 12 || f.Dtype() != tensor.Float32 {
			t.Fatalf("small float32 buffer: %v %v", f.Shape(), f.Dtype())
		}
	}
	if len(offsets) < 6 {
		t.Errorf("8 large buffers start at %d distinct offsets modulo 4096, want them to differ", len(offsets))
	}
}

// TestFillRows: every row equals b, for 0 to 40 rows of widths 1 to 3 (so
// that the doubling copies end on every remainder).
func TestFillRows(t *testing.T) {
	for width := 1; width <= 3; width++ {
		b := make([]float64, width)
		for j := range b {
			b[j] = float64(j) + 0.5
		}
		for rows := 0; rows <= 40; rows++ {
			z := make([]float64, rows*width)
			fillRows(z, b)
			for i, v := range z {
				if v != b[i%width] {
					t.Fatalf("width %d, %d rows: z[%d] = %v, want %v", width, rows, i, v, b[i%width])
				}
			}
		}
	}
}
