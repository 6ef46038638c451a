//go:build !amd64

package nn

// haveExpFMA is false: expFMA64 exists on amd64 only. (Variables, as on
// amd64, where the tests turn them off to check the Go loop.)
var haveExpFMA = false

func expFMA64(dst, src []float64) int { panic("nn: expFMA64 without AVX2 and FMA") }

// haveExpAVX512 is false: expAVX512 exists on amd64 only.
var haveExpAVX512 = false

func expAVX512(dst, src []float64) int { panic("nn: expAVX512 without AVX-512") }
