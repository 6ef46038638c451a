package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// fmaOf returns a·b + c rounded once to T: math.FMA for float64; for
// float32 the exact a·b (a float64 product of two float32 values is
// exact) plus c rounded to odd in float64, then to float32, which rounds
// the exact sum correctly (float64 has more than 24 + 2 bits).
func fmaOf[T float](a, b, c T) T {
	if _, ok := any(a).(float64); ok {
		return T(math.FMA(float64(a), float64(b), float64(c)))
	}
	p, q := float64(a)*float64(b), float64(c)
	s := p + q
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return T(s)
	}
	bb := s - p
	e := (p - (s - bb)) + (q - bb) // the exact error of s (TwoSum)
	if e != 0 && math.Float64bits(s)&1 == 0 {
		s = math.Nextafter(s, math.Copysign(math.Inf(1), e))
	}
	return T(s)
}

// TestFmaOf checks the float32 fmaOf on cases where rounding a·b + c to
// float64 first, then to float32, would round twice the wrong way.
func TestFmaOf(t *testing.T) {
	// a·b = 1 + 2⁻²⁴ (halfway between two float32 values) and c = 2⁻⁷⁰
	// just above it: correctly rounded upwards; through float64, the tiny
	// c is lost and the halfway case rounds to even, downwards.
	a := float32(1 + 1.0/(1<<12))
	b := float32(1 + 1.0/(1<<12))
	// a·b = 1 + 2⁻¹¹ + 2⁻²⁴
	c := float32(math.Ldexp(1, -70))
	want := math.Nextafter32(float32(1+1.0/(1<<11)), 2)
	if got := fmaOf(a, b, c); got != want {
		t.Errorf("fmaOf(%v, %v, %v) = %v, want %v", a, b, c, got, want)
	}
	if got := fmaOf(a, b, -c); got != float32(1+1.0/(1<<11)) {
		t.Errorf("fmaOf(%v, %v, %v) = %v, want %v", a, b, -c, got, float32(1+1.0/(1<<11)))
	}
	if got := fmaOf[float32](2, 3, 1); got != 7 {
		t.Errorf("fmaOf(2, 3, 1) = %v", got)
	}
}

// kernelLanes returns the number of T in a 64-byte vector.
func kernelLanes[T float]() int {
	if _, ok := any(T(0)).(float32); ok {
		return 16
	}
	return 8
}

// kernelValues returns n normal values; with special, about one in 40 is
// one of simdInputs' values (zeros, infinities, NaN, extremes).
func kernelValues[T float](r *rand.Rand, n int, special bool) []T {
	v := make([]T, n)
	for i := range v {
		v[i] = T(r.NormFloat64())
		if special && r.IntN(40) == 0 {
			v[i] = T(simdInputs(r, 1)[0])
		}
	}
	return v
}

// backReference is backKernel in Go, with each multiply-add rounded once.
func backReference[T float](n, h, k int, dz, wt, y, out, dwt []T, s T, flags int) {
	for i := range n {
		for j := range h {
			if flags&backDot != 0 {
				var acc T
				for c := range k {
					acc = fmaOf(wt[c*h+j], dz[i*k+c], acc)
				}
				if flags&backGate != 0 {
					g := s
					if y[i*h+j] > 0 {
						g = 1
					}
					acc *= g
				}
				out[i*h+j] = acc
			}
			if flags&backWeight != 0 {
				for c := range k {
					dwt[c*h+j] = fmaOf(y[i*h+j], dz[i*k+c], dwt[c*h+j])
				}
			}
		}
	}
}

// TestBackKernel compares the kernel with backReference bit for bit, on
// random values with zeros, infinities and NaNs among them, every k up to
// backMaxK, several widths and row counts, each combination of flags, in
// float32 and float64.
func TestBackKernel(t *testing.T) {
	if !haveBack {
		t.Skip("no AVX-512")
	}
	testBackKernel[float32](t)
	testBackKernel[float64](t)
}

func testBackKernel[T float](t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	lanes := kernelLanes[T]()
	vals := func(n int, special bool) []T { return kernelValues[T](r, n, special) }
	for _, flags := range []int{backDot, backDot | backGate, backWeight, backDot | backGate | backWeight} {
		for k := 1; k <= backMaxK; k++ {
			for _, h := range []int{lanes, 2 * lanes, 5 * lanes} {
				for _, n := range []int{1, 3, 4, 8, 37, 70} {
					special := r.IntN(2) == 0
					dz, wt, y := vals(n*k, special), vals(k*h, special), vals(n*h, special)
					s := T(0)
					if r.IntN(2) == 0 {
						s = T(0.3)
					}
					out, dwt := vals(n*h, false), vals(k*h, false)
					wantOut, wantDwt := append([]T(nil), out...), append([]T(nil), dwt...)
					for i := 0; i < n; i += backRows {
						r := min(backRows, n-i)
						backKernel(r, h, k, dz[i*k:], wt, y[i*h:], out[i*h:], dwt, s, flags)
					}
					backReference(n, h, k, dz, wt, y, wantOut, wantDwt, s, flags)
					name := fmt.Sprintf("%T flags %d k %d h %d n %d", T(0), flags, k, h, n)
					for i := range out {
						if !sameBits(out[i], wantOut[i]) {
							t.Fatalf("%s: out[%d] = %v, want %v", name, i, out[i], wantOut[i])
						}
					}
					for i := range dwt {
						if !sameBits(dwt[i], wantDwt[i]) {
							t.Fatalf("%s: dwt[%d] = %v, want %v", name, i, dwt[i], wantDwt[i])
						}
					}
				}
			}
		}
	}
}

// denseSmallReference is denseSmall in Go: per row and class, lane l of
// the kernel's vectors sums y[i, j]·w[j, c] over the columns j ≡ l, one
// fused multiply-add each, in order; the lanes are added in the kernel's
// tree, then b.
func denseSmallReference[T float](n, h, k int, y, w, b, z []T) {
	lanes := kernelLanes[T]()
	for i := range n {
		for c := range k {
			s := make([]T, lanes)
			for j := 0; j < h; j += lanes {
				for l := range lanes {
					s[l] = fmaOf(y[i*h+j+l], w[(j+l)*k+c], s[l])
				}
			}
			var sum T
			if lanes == 16 {
				var v [8]T
				for l := range 8 {
					v[l] = s[l] + s[l+8]
				}
				var u [4]T
				for l := range 4 {
					u[l] = v[l] + v[l+4]
				}
				sum = (u[0] + u[1]) + (u[2] + u[3])
			} else {
				var u [4]T
				for l := range 4 {
					u[l] = s[l] + s[l+4]
				}
				sum = (u[0] + u[1]) + (u[2] + u[3])
			}
			z[i*k+c] = sum + b[c]
		}
	}
}

// TestDenseSmall compares denseSmall with denseSmallReference bit for
// bit, every k up to backMaxK, in float32 and float64, with special
// values among the inputs, and checks that it writes nothing past z.
func TestDenseSmall(t *testing.T) {
	if !haveBack {
		t.Skip("no AVX-512")
	}
	testDenseSmall[float32](t)
	testDenseSmall[float64](t)
}

func testDenseSmall[T float](t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	lanes := kernelLanes[T]()
	vals := func(n int, special bool) []T { return kernelValues[T](r, n, special) }
	for k := 1; k <= backMaxK; k++ {
		for _, h := range []int{lanes, 3 * lanes} {
			for _, n := range []int{1, 5, 33} {
				special := r.IntN(2) == 0
				y, w, b := vals(n*h, special), vals(h*k, special), vals(k, special)
				z := vals(n*k+3, false)
				want := append([]T(nil), z...)
				denseSmall(n, h, k, y, w, b, z[:n*k], make([]T, ((k+3)&^3)*(h+1)))
				denseSmallReference(n, h, k, y, w, b, want)
				for i := range z {
					if !sameBits(z[i], want[i]) {
						t.Fatalf("%T k %d h %d n %d: z[%d] = %v, want %v", T(0), k, h, n, i, z[i], want[i])
					}
				}
			}
		}
	}
}
