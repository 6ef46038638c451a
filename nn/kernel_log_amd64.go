package nn

import "golang.org/x/sys/cpu"

// haveLogAVX2 reports whether logAVX2 may run. (math.Log is assembly on
// amd64 at every GOAMD64 level, without fused operations.)
var haveLogAVX2 = cpu.X86.HasAVX2

// logAVX2 sets dst[i] = math.Log(src[i]), bit for bit, four elements at a
// time, for the first elements of src up to the last multiple of four,
// stopping before a block of four that holds an element that is not
// positive and finite; it returns the number of elements done.
//
//go:noescape
func logAVX2(dst, src []float64) int
