package refmlp

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// gemmer is the one BLAS routine the network needs, for one element type:
// C = alpha·op(A)·op(B) + beta·C on row-major matrices, op(A) m×k, op(B)
// k×n, C m×n, as blas.Float64Level3.Dgemm.
type gemmer[T Float] interface {
	gemm(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
}

type gemm64 struct{}

func (gemm64) gemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	blas64.Implementation().Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

type gemm32 struct{}

func (gemm32) gemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	blas32.Implementation().Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// newGemmer returns the gemmer for T. The type constraint admits only
// float32 and float64, so the assertion cannot fail.
func newGemmer[T Float]() gemmer[T] {
	var g any = gemm64{}
	if _, ok := any(T(0)).(float32); ok {
		g = gemm32{}
	}
	return g.(gemmer[T])
}

// forward computes A_l = H_{l-1}·W_l + 1·b_lᵀ for every layer into n.acts,
// applying ReLU in place to the hidden layers. H_0 is x.
func (n *Net[T]) forward(params, x []T) {
	in, inCols := x, n.sizes[0]
	for l, act := range n.acts {
		out := n.sizes[l+1]
		w, b := params[n.wOff[l]:n.bOff[l]], params[n.bOff[l]:n.bOff[l]+out]
		for i := 0; i < len(act); i += out {
			copy(act[i:i+out], b) // A = 1·bᵀ
		}
		// A += H·W: (batch × in)·(in × out).
		n.blas.gemm(blas.NoTrans, blas.NoTrans, n.batch, out, inCols, 1, in, inCols, w, out, 1, act, out)
		if l < len(n.acts)-1 {
			for i, v := range act {
				act[i] = max(v, 0)
			}
		}
		in, inCols = act, out
	}
}

// softmaxCrossEntropy returns (1/B) Σ_i [log Σ_k exp(z_ik) − z_{i,y_i}] for
// the B×K logits z, computed stably as m_i + log Σ_k exp(z_ik − m_i) with
// m_i = max_k z_ik. With wantGrad it writes ∂loss/∂z = (softmax(z) −
// onehot(y))/B into dz. Sums run in float64 for both element types.
func softmaxCrossEntropy[T Float](z []T, labels []int, classes int, dz []T, wantGrad bool) float64 {
	invB := 1 / float64(len(labels))
	var total float64
	for i, y := range labels {
		row := z[i*classes : (i+1)*classes]
		m := float64(row[0])
		for _, v := range row[1:] {
			m = max(m, float64(v))
		}
		var sum float64
		for _, v := range row {
			sum += math.Exp(float64(v) - m)
		}
		total += m + math.Log(sum) - float64(row[y])
		if !wantGrad {
			continue
		}
		d := dz[i*classes : (i+1)*classes]
		scale := invB / sum
		for k, v := range row {
			d[k] = T(math.Exp(float64(v)-m) * scale) // softmax_k / B
		}
		d[y] -= T(invB)
	}
	return total * invB
}

// backward propagates n.deltas[last] (∂loss/∂Z, set by the loss) down the
// layers, writing dW_l and db_l into grad.
func (n *Net[T]) backward(params, x, grad []T) {
	for l := len(n.acts) - 1; l >= 0; l-- {
		in, inCols := x, n.sizes[0]
		if l > 0 {
			in, inCols = n.acts[l-1], n.sizes[l]
		}
		out, delta := n.sizes[l+1], n.deltas[l]
		// dW = Hᵀ·Δ: (in × batch)·(batch × out).
		n.blas.gemm(blas.Trans, blas.NoTrans, inCols, out, n.batch, 1, in, inCols, delta, out, 0, grad[n.wOff[l]:n.bOff[l]], out)
		// db = Σ_i Δ_i, the column sums of Δ.
		db := grad[n.bOff[l] : n.bOff[l]+out]
		clear(db)
		for i := 0; i < len(delta); i += out {
			for j, v := range delta[i : i+out] {
				db[j] += v
			}
		}
		if l == 0 {
			break // no gradient with respect to x
		}
		// Δ_{l-1} = (Δ_l·W_lᵀ) ⊙ [A_{l-1} > 0]; acts[l-1] holds ReLU(A_{l-1}),
		// which is > 0 exactly where A_{l-1} is.
		prev := n.deltas[l-1]
		n.blas.gemm(blas.NoTrans, blas.Trans, n.batch, inCols, out, 1, delta, out, params[n.wOff[l]:n.bOff[l]], out, 0, prev, inCols)
		for i, h := range in {
			if !(h > 0) {
				prev[i] = 0
			}
		}
	}
}
