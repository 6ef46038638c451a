//go:build !amd64

package nn

// haveBack is false: the kernels of kernel_back_amd64.s exist on amd64
// only, and the products run on the BLAS backend instead.
var haveBack = false

func back32AVX512(n, h, k int, dz, wt, y, out, dwt *float32, s float32, flags int) {
	panic("nn: back32AVX512 without AVX-512")
}

func back64AVX512(n, h, k int, dz, wt, y, out, dwt *float64, s float64, flags int) {
	panic("nn: back64AVX512 without AVX-512")
}

func back32x4(groups, h, k int, dz4, wt, y, out, dwt *float32, s float32, flags int) {
	panic("nn: back32x4 without AVX-512")
}

func back64x4(groups, h, k int, dz4, wt, y, out, dwt *float64, s float64, flags int) {
	panic("nn: back64x4 without AVX-512")
}

func fwd32Small(n, h, k int, y, wt, b, z *float32, mask int) { panic("nn: fwd32Small without AVX-512") }
func fwd64Small(n, h, k int, y, wt, b, z *float64, mask int) { panic("nn: fwd64Small without AVX-512") }
