//go:build !amd64.v3

package nn

import "golang.org/x/sys/cpu"

// haveTanhFMA reports whether tanhFMA64 may run: it needs AVX2, and FMA,
// with which math.Exp takes the path tanhFMA64 reproduces. (Under
// GOAMD64=v3 the compiler fuses math.tanh's own multiply-adds, which
// tanhFMA64 does not reproduce: the file is not built then.)
var haveTanhFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// tanhFMA64 sets dst[i] = math.Tanh(src[i]), bit for bit, four elements
// at a time, for the first elements of src up to the last multiple of
// four, stopping before a block of four that holds a NaN; it returns the
// number of elements done.
//
//go:noescape
func tanhFMA64(dst, src []float64) int

// haveTanhAVX512 reports whether tanhAVX512 may run.
var haveTanhAVX512 = haveTanhFMA && cpu.X86.HasAVX512F

// tanhAVX512 is tanhFMA64 eight elements at a time.
//
//go:noescape
func tanhAVX512(dst, src []float64) int

// tanhGradAVX sets dz[i] = dy[i]·(1 − y[i]·y[i]), tanh's derivative from
// its output, as the Go loop of activateGrad computes it, for len(y)
// elements (a multiple of 4); it runs where tanhFMA64 does.
//
//go:noescape
func tanhGradAVX(y, dy, dz []float64)
