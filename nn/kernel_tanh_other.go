//go:build !amd64 || amd64.v3

package nn

// haveTanhFMA is false: tanhFMA64 exists on amd64 only, below GOAMD64=v3.
const haveTanhFMA = false

func tanhFMA64(dst, src []float64) int { panic("nn: tanhFMA64 without AVX2 and FMA") }
