//go:build !amd64

package solver

// haveAVX is false: the AVX kernels exist on amd64 only.
const haveAVX = false

func axpyDotAVX(q []float64, a float64, x, v []float64, s *[4]float64) { panic("solver: no AVX") }
func copyDotAVX(dst, src, v []float64, s *[4]float64)                  { panic("solver: no AVX") }
func dotAVX(x, y []float64, s *[4]float64)                             { panic("solver: no AVX") }
