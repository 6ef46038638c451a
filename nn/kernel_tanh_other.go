//go:build !amd64 || amd64.v3

package nn

// haveTanhFMA is false: tanhFMA64 exists on amd64 only, below GOAMD64=v3.
const haveTanhFMA = false

func tanhFMA64(dst, src []float64) int { panic("nn: tanhFMA64 without AVX2 and FMA") }

// haveTanhAVX512 is false: tanhAVX512 exists on amd64 only. (A variable,
// as on amd64, where TestTanhs turns it off to check tanhFMA64.)
var haveTanhAVX512 = false

func tanhAVX512(dst, src []float64) int { panic("nn: tanhAVX512 without AVX-512") }

func tanhGradAVX(y, dy, dz []float64) { panic("nn: tanhGradAVX without AVX2") }
