package blas

import (
	"fmt"
	"testing"
)

// BenchmarkGemm measures square products on each backend and reports
// GFLOP/s (2·n³ flops per product):
//
//	go test -run XXX -bench Gemm ./internal/blas
func BenchmarkGemm(b *testing.B) {
	for _, n := range []int{16, 64, 256, 1024} {
		for _, be := range []Backend{Gonum, OpenBLAS} {
			for _, dt := range []string{"float64", "float32"} {
				b.Run(fmt.Sprintf("%d/%v/%s", n, be, dt), func(b *testing.B) {
					if err := Use(be); err != nil {
						b.Skip(err)
					}
					defer restore(b)()
					x := randSlice(n*n, 1)
					if dt == "float64" {
						a, c := randSlice(n*n, 1), make([]float64, n*n)
						bench(b, n, func() { Gemm(false, false, n, n, n, 1, a, x, 0, c) })
					} else {
						a, bb, c := toF32(randSlice(n*n, 2)), toF32(x), make([]float32, n*n)
						bench(b, n, func() { Gemm(false, false, n, n, n, 1, a, bb, 0, c) })
					}
				})
			}
		}
	}
}

func bench(b *testing.B, n int, f func()) {
	f()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f()
	}
	b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
