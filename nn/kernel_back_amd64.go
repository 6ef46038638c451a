package nn

import "golang.org/x/sys/cpu"

// haveBack reports whether the kernels of kernel_back_amd64.s may run:
// they need AVX-512 F and VL (masked stores of four lanes) and the
// operating system's support for them.
var haveBack = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL

// back32AVX512 is the float32 kernel of backKernel (kernel_back.go).
//
//go:noescape
func back32AVX512(n, h, k int, dz, wt, y, out, dwt *float32, s float32, flags int)

// back64AVX512 is back32AVX512 for float64.
//
//go:noescape
func back64AVX512(n, h, k int, dz, wt, y, out, dwt *float64, s float64, flags int)

// back32x4 is back32AVX512 on groups of four rows, dz rearranged in dz4
// (see backKernel).
//
//go:noescape
func back32x4(groups, h, k int, dz4, wt, y, out, dwt *float32, s float32, flags int)

// back64x4 is back32x4 for float64.
//
//go:noescape
func back64x4(groups, h, k int, dz4, wt, y, out, dwt *float64, s float64, flags int)

// fwd32Small computes a dense layer's output with few classes (see
// denseSmall).
//
//go:noescape
func fwd32Small(n, h, k int, y, wt, b, z *float32, mask int)

// fwd64Small is fwd32Small for float64.
//
//go:noescape
func fwd64Small(n, h, k int, y, wt, b, z *float64, mask int)
