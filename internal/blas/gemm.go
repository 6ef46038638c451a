package blas

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's BLAS with its matrix products, Dgemm and
// Sgemm, computed by the current backend. It satisfies gonum's
// blas.Float64 and blas.Float32 and gorgonia's BLAS interface. Like
// gonum's, its routines panic on arguments that break the BLAS contract
// (a negative dimension, a leading dimension or slice too short).
type Implementation struct{ gonum.Implementation }

// Dgemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices,
// op(A) m×k, op(B) k×n, C m×n, as gonum's Dgemm does.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if o := openblasFor(tA, tB, m, n, k, lda, ldb, ldc); o != nil {
		checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
		o.dgemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gonum.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemm is Dgemm in float32.
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if o := openblasFor(tA, tB, m, n, k, lda, ldb, ldc); o != nil {
		checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
		o.sgemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gonum.Implementation{}.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// openblasFor returns OpenBLAS when it is the current backend and can
// take the product; nil sends it to gonum: an empty product (which gonum
// handles, and which has no element whose address OpenBLAS could be
// given), an invalid transpose flag (gonum panics with its message), or
// dimensions beyond OpenBLAS's 32-bit integers.
func openblasFor(tA, tB blas.Transpose, m, n, k, lda, ldb, ldc int) *openblas {
	if cur().backend != OpenBLAS || m <= 0 || n <= 0 || k <= 0 || !validTrans(tA) || !validTrans(tB) || !fits(m, n, k, lda, ldb, ldc) {
		return nil
	}
	o, _ := load()
	return o
}

func validTrans(t blas.Transpose) bool {
	return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans
}

// checkGemm panics, as gonum does, unless the slices hold the matrices
// their dimensions and leading dimensions describe (m, n, k > 0): memory
// handed to OpenBLAS is not bounds-checked.
func checkGemm(tA, tB blas.Transpose, m, n, k, lenA, lda, lenB, ldb, lenC, ldc int) {
	rowsA, colsA := m, k
	if tA != blas.NoTrans {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if tB != blas.NoTrans {
		rowsB, colsB = n, k
	}
	for _, mat := range [...]struct {
		name                  string
		rows, cols, ld, avail int
	}{{"a", rowsA, colsA, lda, lenA}, {"b", rowsB, colsB, ldb, lenB}, {"c", m, n, ldc, lenC}} {
		if mat.ld < mat.cols {
			panic(fmt.Sprintf("blas: bad leading dimension of %s: %d < %d", mat.name, mat.ld, mat.cols))
		}
		if mat.avail < mat.ld*(mat.rows-1)+mat.cols {
			panic(fmt.Sprintf("blas: insufficient length of %s: %d < %d", mat.name, mat.avail, mat.ld*(mat.rows-1)+mat.cols))
		}
	}
}

// Gemm computes C = alpha·op(A)·op(B) + beta·C on the current backend for
// contiguous row-major matrices: C is m×n, op(A) m×k, op(B) k×n, and tA, tB
// say whether A and B are stored transposed (A as k×m, B as n×k).
func Gemm[T float32 | float64](tA, tB bool, m, n, k int, alpha T, a, b []T, beta T, c []T) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 { // C = beta·C; gonum would ask for a leading dimension of at least 1
		for i := range c[:m*n] {
			c[i] *= beta
		}
		return
	}
	ta, lda := blas.NoTrans, k
	if tA {
		ta, lda = blas.Trans, m
	}
	tb, ldb := blas.NoTrans, n
	if tB {
		tb, ldb = blas.Trans, k
	}
	// The assertions cannot fail: T is exactly float32 or float64.
	switch c := any(c).(type) {
	case []float64:
		Implementation{}.Dgemm(ta, tb, m, n, k, float64(alpha), any(a).([]float64), lda,
			any(b).([]float64), ldb, float64(beta), c, n)
	case []float32:
		Implementation{}.Sgemm(ta, tb, m, n, k, float32(alpha), any(a).([]float32), lda,
			any(b).([]float32), ldb, float32(beta), c, n)
	}
}
