package nn

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkCrossEntropy times the softmax cross-entropy op's two kernels,
// lossValue (softmax, log-sum-exp and loss) and lossGrad, on one shard of
// the large benchmark network's output: 5000 rows of 10 logits of a
// network's scale (N(0, 3²)) with one-hot targets.
func BenchmarkCrossEntropy(b *testing.B) {
	const rows, cols = 5000, 10
	r := rand.New(rand.NewPCG(13, 14))
	z, t := make([]float64, rows*cols), make([]float64, rows*cols)
	for i := range z {
		z[i] = 3 * r.NormFloat64()
	}
	for i := range rows {
		t[i*cols+r.IntN(cols)] = 1
	}
	b.Run("float64", func(b *testing.B) { benchCrossEntropy(b, cols, z, t) })
	z32, t32 := make([]float32, len(z)), make([]float32, len(t))
	for i := range z {
		z32[i], t32[i] = float32(z[i]), float32(t[i])
	}
	b.Run("float32", func(b *testing.B) { benchCrossEntropy(b, cols, z32, t32) })
}

// BenchmarkCrossEntropyGo is BenchmarkCrossEntropy on the Go loops alone,
// as on a processor without AVX2 and FMA (or without AVX2).
func BenchmarkCrossEntropyGo(b *testing.B) {
	fma, log := haveExpFMA, haveLogAVX2
	haveExpFMA, haveLogAVX2 = false, false
	defer func() { haveExpFMA, haveLogAVX2 = fma, log }()
	BenchmarkCrossEntropy(b)
}

func benchCrossEntropy[T float](b *testing.B, cols int, z, t []T) {
	l := lossSpec{loss: CrossEntropy}
	p, dz := make([]T, len(z)), make([]T, len(z))
	b.Run("value", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			lossValue(l, cols, z, t, nil, p)
		}
	})
	b.Run("grad", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			lossGrad(l, cols, 1e-4, z, t, nil, p, dz)
		}
	})
}
