package nn

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkBackParts(b *testing.B) {
	const n, h, k = 5000, 256, 10
	r := rand.New(rand.NewPCG(1, 2))
	f := func(m int) []float32 {
		v := make([]float32, m)
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		return v
	}
	y, dz, w := f(n*h), f(n*k), f(h*k)
	dy, dz1, db, dw := f(n*h), f(n*h), f(h), f(h*k)
	s1, s2, s3 := f(k*h), f(k*h), f(k*h)
	b.Run("gemm-dy", func(b *testing.B) {
		for range b.N {
			gemm(false, true, n, h, k, 1, dz, w, 0, dy)
		}
	})
	b.Run("kernel-dy", func(b *testing.B) {
		for range b.N {
			backInput(n, h, k, dz, w, s1, dy)
		}
	})
	b.Run("gemm-dw", func(b *testing.B) {
		for range b.N {
			gemm(true, false, h, k, n, 1, y, dz, 0, dw)
		}
	})
	b.Run("kernel-dw", func(b *testing.B) {
		for range b.N {
			backWeights(n, h, k, y, dz, dw, s2, s3)
		}
	})
	b.Run("gate", func(b *testing.B) {
		for range b.N {
			actBiasGrad(activation{kind: actReLU}, n, h, y, dy, dz1, db)
		}
	})
	b.Run("fused", func(b *testing.B) {
		for range b.N {
			backGated(n, h, k, y, dz, w, dz1, db, dw, s1, s2, s3, 0)
		}
	})
}
