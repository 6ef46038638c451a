package solver

// haveAVX reports whether the AVX kernels of kernels_amd64.s may run: the
// processor has AVX (CPUID leaf 1, ECX bit 28) and the operating system
// saves the YMM registers (OSXSAVE, ECX bit 27, and XCR0 bits 1 and 2).
var haveAVX = func() bool {
	_, _, c, _ := cpuid(1, 0)
	if c&(1<<27) == 0 || c&(1<<28) == 0 {
		return false
	}
	return xgetbv0()&6 == 6
}()

func cpuid(leaf, sub uint32) (a, b, c, d uint32)
func xgetbv0() (eax uint32)

// The AVX kernels compute, four lanes at a time, what the Go loops of
// twoloop.go compute with their four partial sums s[0…3]: lane j holds
// s_j, and every operation is the Go loop's, separately rounded (no
// fused multiply-add), so the results are bit-identical. Each treats the
// first len(q) (len(src), len(x)) elements, a multiple of 4, and adds to
// the sums in s.

// axpyDotAVX sets q = q + a·x and adds v⊙q to the lanes of s.
//
//go:noescape
func axpyDotAVX(q []float64, a float64, x, v []float64, s *[4]float64)

// copyDotAVX sets dst = src and adds v⊙src to the lanes of s.
//
//go:noescape
func copyDotAVX(dst, src, v []float64, s *[4]float64)

// dotAVX adds x⊙y to the lanes of s.
//
//go:noescape
func dotAVX(x, y []float64, s *[4]float64)
