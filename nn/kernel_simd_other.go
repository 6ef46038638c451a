//go:build !amd64

package nn

// haveAVX is false: the AVX kernels exist on amd64 only, and the Go loops
// run instead.
const haveAVX = false

func reluAVX32(dst, src []float32)                  { panic("nn: reluAVX32 without AVX") }
func reluAVX64(dst, src []float64)                  { panic("nn: reluAVX64 without AVX") }
func gateAVX32(z, dy, dz []float32, s, one float32) { panic("nn: gateAVX32 without AVX") }
func gateAVX64(z, dy, dz []float64, s, one float64) { panic("nn: gateAVX64 without AVX") }
func sum4AVX32(s, r0, r1, r2, r3 []float32)         { panic("nn: sum4AVX32 without AVX") }
func sum4AVX64(s, r0, r1, r2, r3 []float64)         { panic("nn: sum4AVX64 without AVX") }
