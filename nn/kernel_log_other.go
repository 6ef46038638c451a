//go:build !amd64

package nn

// haveLogAVX2 is false: logAVX2 exists on amd64 only. (A variable, as on
// amd64, where the tests turn it off to check the Go loop.)
var haveLogAVX2 = false

func logAVX2(dst, src []float64) int { panic("nn: logAVX2 without AVX2") }
