package nn

import "math"

// gatedGrad sets dz = dy·g, where g = 1 where z > 0 and g = s + c·y
// elsewhere: the derivatives of ReLU (s = c = 0), LeakyReLU (s = α,
// c = 0) and ELU (s = α, c = 1, since α·e^z = y + α for z ≤ 0).
//
// The factor is chosen by an integer select on its bits, which the
// compiler turns into a conditional move: a branch on the sign of z, which
// changes from element to element in a trained network, is mispredicted
// about half the time and made this pass 5 to 10 times slower. The
// float32 and float64 kernels are written out because a generic select
// compiles to a branch. With AVX (kernel_simd_amd64.s) the c = 0 case
// runs four float64 or eight float32 elements per instruction.
func gatedGrad[T float](z, y, dy, dz []T, s, c float64) {
	switch z := any(z).(type) {
	case []float64:
		gatedGrad64(z, any(y).([]float64), any(dy).([]float64), any(dz).([]float64), s, c)
	case []float32:
		gatedGrad32(z, any(y).([]float32), any(dy).([]float32), any(dz).([]float32), float32(s), float32(c))
	}
}

func gatedGrad64(z, y, dy, dz []float64, s, c float64) {
	y, dy, dz = y[:len(z)], dy[:len(z)], dz[:len(z)]
	one, alt := math.Float64bits(1), math.Float64bits(s)
	if c == 0 { // y is not read: an infinite y must not make 0·y a NaN
		if haveAVX {
			n := len(z) &^ 3
			gateAVX64(z[:n], dy[:n], dz[:n], s, 1)
			z, dy, dz = z[n:], dy[n:], dz[n:len(z)]
		}
		for i, v := range z {
			g := alt
			if v > 0 {
				g = one
			}
			dz[i] = dy[i] * math.Float64frombits(g)
		}
		return
	}
	for i, v := range z {
		g := math.Float64bits(s + c*y[i])
		if v > 0 {
			g = one
		}
		dz[i] = dy[i] * math.Float64frombits(g)
	}
}

func gatedGrad32(z, y, dy, dz []float32, s, c float32) {
	y, dy, dz = y[:len(z)], dy[:len(z)], dz[:len(z)]
	one, alt := math.Float32bits(1), math.Float32bits(s)
	if c == 0 { // y is not read: an infinite y must not make 0·y a NaN
		if haveAVX {
			n := len(z) &^ 7
			gateAVX32(z[:n], dy[:n], dz[:n], s, 1)
			z, dy, dz = z[n:], dy[n:], dz[n:len(z)]
		}
		for i, v := range z {
			g := alt
			if v > 0 {
				g = one
			}
			dz[i] = dy[i] * math.Float32frombits(g)
		}
		return
	}
	for i, v := range z {
		g := math.Float32bits(s + c*y[i])
		if v > 0 {
			g = one
		}
		dz[i] = dy[i] * math.Float32frombits(g)
	}
}

// relu sets y = max(z, 0) elementwise (y may be z): with AVX eight float32
// or four float64 at a time, the rest in Go.
func relu[T float](z, y []T) {
	y = y[:len(z)]
	n := 0
	if haveAVX {
		switch z := any(z).(type) {
		case []float64:
			n = len(z) &^ 3
			reluAVX64(any(y).([]float64)[:n], z[:n])
		case []float32:
			n = len(z) &^ 7
			reluAVX32(any(y).([]float32)[:n], z[:n])
		}
	}
	for i := n; i < len(z); i++ {
		y[i] = max(z[i], 0)
	}
}

// sum4 adds (r0 + r1) + (r2 + r3) to s with AVX, eight float32 or four
// float64 columns at a time, and returns the number of columns done.
func sum4[T float](s, r0, r1, r2, r3 []T) int {
	switch s := any(s).(type) {
	case []float64:
		n := len(s) &^ 3
		sum4AVX64(s[:n], any(r0).([]float64), any(r1).([]float64), any(r2).([]float64), any(r3).([]float64))
		return n
	case []float32:
		n := len(s) &^ 7
		sum4AVX32(s[:n], any(r0).([]float32), any(r1).([]float32), any(r2).([]float32), any(r3).([]float32))
		return n
	}
	return 0
}
