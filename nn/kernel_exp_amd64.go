package nn

import "golang.org/x/sys/cpu"

// haveExpFMA reports whether expFMA64 may run: it needs AVX2, and FMA,
// with which math.Exp takes the path expFMA64 reproduces. (math.Exp is
// assembly on amd64 at every GOAMD64 level.)
var haveExpFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// expFMA64 sets dst[i] = math.Exp(src[i]), bit for bit, four elements at
// a time, for the first elements of src up to the last multiple of four,
// stopping before a block of four that holds an element whose e^x is not
// a normal product e^r·2^k (NaN, ±Inf, x > 709.78 or x < −708.74); it
// returns the number of elements done.
//
//go:noescape
func expFMA64(dst, src []float64) int

// haveExpAVX512 reports whether expAVX512 may run.
var haveExpAVX512 = haveExpFMA && cpu.X86.HasAVX512F

// expAVX512 is expFMA64 eight elements at a time.
//
//go:noescape
func expAVX512(dst, src []float64) int
