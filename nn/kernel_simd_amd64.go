package nn

import "golang.org/x/sys/cpu"

// haveAVX reports whether the AVX kernels below may run: the processor has
// AVX and the operating system saves its registers.
var haveAVX = cpu.X86.HasAVX

// The AVX kernels of kernel_simd_amd64.s. Each treats len(dst) elements,
// a multiple of 8 (float32) or 4 (float64), and computes bit for bit what
// the Go loop it replaces computes: Go does not vectorise these loops,
// which took about 1.4 ns per element, several times a memory pass.

// reluAVX32 sets dst[i] = max(src[i], 0) + 0: max keeps a NaN of src (as
// Go's max does), and adding +0 turns −0 into +0 (as Go's max(−0, 0)).
//
//go:noescape
func reluAVX32(dst, src []float32)

// reluAVX64 is reluAVX32 for float64.
//
//go:noescape
func reluAVX64(dst, src []float64)

// gateAVX32 sets dz[i] = dy[i]·g, g = one where z[i] > 0 and s elsewhere
// (also where z[i] is NaN), for len(z) elements.
//
//go:noescape
func gateAVX32(z, dy, dz []float32, s, one float32)

// gateAVX64 is gateAVX32 for float64.
//
//go:noescape
func gateAVX64(z, dy, dz []float64, s, one float64)

// sum4AVX32 sets s[j] += (r0[j] + r1[j]) + (r2[j] + r3[j]) for the
// len(s) columns, each r at least as long as s.
//
//go:noescape
func sum4AVX32(s, r0, r1, r2, r3 []float32)

// sum4AVX64 is sum4AVX32 for float64.
//
//go:noescape
func sum4AVX64(s, r0, r1, r2, r3 []float64)
