package nn

import (
	"gonum.org/v1/gonum/blas"
	"gorgonia.org/gorgonia"
)

// gemm computes C = alpha·op(A)·op(B) + beta·C with gorgonia's BLAS
// (gonum's pure-Go implementation unless the program called gorgonia.Use;
// nn imports gonum/blas only for the interface's Transpose flags). C is
// m×n, op(A) m×k, op(B) k×n, all row-major and contiguous; tA and tB say
// whether A and B are stored transposed.
func gemm[T float](tA, tB bool, m, n, k int, alpha T, a, b []T, beta T, c []T) {
	ta, lda := blas.NoTrans, k
	if tA {
		ta, lda = blas.Trans, m
	}
	tb, ldb := blas.NoTrans, n
	if tB {
		tb, ldb = blas.Trans, k
	}
	impl := gorgonia.WhichBLAS()
	switch c := any(c).(type) {
	case []float64:
		impl.Dgemm(ta, tb, m, n, k, float64(alpha), any(a).([]float64), lda,
			any(b).([]float64), ldb, float64(beta), c, n)
	case []float32:
		impl.Sgemm(ta, tb, m, n, k, float32(alpha), any(a).([]float32), lda,
			any(b).([]float32), ldb, float32(beta), c, n)
	}
}
