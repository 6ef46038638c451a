package nn

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkBackParts times the backward passes of the top layer of a
// 5000-row shard of the 784-256-10 float32 network: dY = dZ·Wᵀ, dW = Yᵀ·dZ
// and the ReLU gate with the bias sums as separate passes (GEMM or the
// kernel of kernel_back.go), and the one-pass backGated.
func BenchmarkBackParts(b *testing.B) {
	const n, h, k = 5000, 256, 10
	r := rand.New(rand.NewPCG(1, 2))
	f := func(m int) []float32 { return kernelValues[float32](r, m, false) }
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

// BenchmarkForwardParts times the forward ops of a 5000-row shard of the
// 784-256-10 float32 network (the first layer fused with ReLU, its bias
// copy and ReLU alone, the second layer on denseSmall) and the first
// layer's weight gradient, the other large product.
func BenchmarkForwardParts(b *testing.B) {
	const n, in, h, k = 5000, 784, 256, 10
	r := rand.New(rand.NewPCG(1, 2))
	f := func(m int) []float32 { return kernelValues[float32](r, m, false) }
	x, w1, b1, y, w2, b2, z := f(n*in), f(in*h), f(h), f(n*h), f(h*k), f(k), f(n*k)
	dz1, dw1 := f(n*h), f(in*h)
	b.Run("dense-relu", func(b *testing.B) {
		for range b.N {
			denseActForward(activation{kind: actReLU}, n, in, h, x, w1, b1, y, &buffer{})
		}
	})
	b.Run("fill", func(b *testing.B) {
		for range b.N {
			fillRows(y, b1)
		}
	})
	b.Run("relu", func(b *testing.B) {
		for range b.N {
			relu(y, y)
		}
	})
	var sb buffer
	b.Run("dense-small", func(b *testing.B) {
		for range b.N {
			denseForward(n, h, k, y, w2, b2, z, &sb)
		}
	})
	b.Run("dw1", func(b *testing.B) {
		for range b.N {
			gemm(true, false, in, h, n, 1, x, dz1, 0, dw1)
		}
	})
}
