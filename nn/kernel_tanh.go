package nn

import "math"

// tanhs sets y = tanh(z) elementwise (y may be z), bit for bit as
// math.Tanh computes it in float64 (then rounded to T). math.Tanh takes
// about 5 ns per element on the project's machine, most of it in
// mispredicted branches between its two formulas, and was half the time
// of a small tanh network's evaluation; with AVX2 and FMA, tanhFMA64
// computes four elements at a time without branches, both formulas per
// lane (kernel_tanh_amd64.s), in about a fifth of the time.
func tanhs[T float](z, y []T) {
	y = y[:len(z)]
	if haveTanhFMA {
		switch z := any(z).(type) {
		case []float64:
			tanh64(z, any(y).([]float64))
			return
		case []float32:
			tanh32(z, any(y).([]float32))
			return
		}
	}
	for i, v := range z {
		y[i] = T(math.Tanh(float64(v)))
	}
}

// tanh64 is tanhs for float64 with tanhAVX512 where the processor has
// AVX-512, tanhFMA64 for the rest: math.Tanh for a block of four holding a
// NaN and for the last len(z) mod 4 elements.
func tanh64(z, y []float64) {
	for len(z) >= 4 {
		if haveTanhAVX512 {
			n := tanhAVX512(y, z)
			z, y = z[n:], y[n:]
		}
		n := tanhFMA64(y, z)
		z, y = z[n:], y[n:]
		if len(z) >= 4 { // the block stopped at holds a NaN
			for i := range 4 {
				y[i] = math.Tanh(z[i])
			}
			z, y = z[4:], y[4:]
		}
	}
	for i, v := range z {
		y[i] = math.Tanh(v)
	}
}

// tanh32 is tanhs for float32: tanh64 on blocks of the values converted to
// float64, as math.Tanh(float64(v)) takes them.
func tanh32(z, y []float32) {
	var buf [64]float64
	for len(z) > 0 {
		b := buf[:min(len(z), len(buf))]
		for i := range b {
			b[i] = float64(z[i])
		}
		tanh64(b, b)
		for i, v := range b {
			y[i] = float32(v)
		}
		z, y = z[len(b):], y[len(b):]
	}
}

// tanhGrad sets dz = dy ⊙ (1 − y⊙y), tanh′ from tanh's output y: with
// tanhGradAVX where tanhs has its kernels, the rest in Go.
func tanhGrad[T float](y, dy, dz []T) {
	dy, dz = dy[:len(y)], dz[:len(y)]
	n := 0
	if haveTanhFMA {
		if y, ok := any(y).([]float64); ok {
			n = len(y) &^ 3
			tanhGradAVX(y[:n], any(dy).([]float64)[:n], any(dz).([]float64)[:n])
		}
	}
	for i := n; i < len(y); i++ {
		v := y[i]
		dz[i] = dy[i] * (1 - v*v) // tanh′ = 1 − tanh²
	}
}
