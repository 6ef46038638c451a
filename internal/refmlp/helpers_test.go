package refmlp

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomProblem returns a Net with Glorot-uniform weights and small random
// biases, standard-normal inputs and uniform labels, all from the seed.
func randomProblem[T Float](tb testing.TB, sizes []int, batch int, seed uint64) (*Net[T], []T, []T, []int) {
	tb.Helper()
	net, err := New[T](sizes, batch)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	params := make([]T, net.NumParams())
	for l := 0; l < len(sizes)-1; l++ {
		w, b, err := net.Layer(params, l)
		if err != nil {
			tb.Fatal(err)
		}
		a := math.Sqrt(6 / float64(sizes[l]+sizes[l+1])) // Glorot & Bengio 2010, uniform limit
		for i := range w {
			w[i] = T(a * (2*rng.Float64() - 1))
		}
		for i := range b {
			b[i] = T(0.1 * (2*rng.Float64() - 1))
		}
	}
	x := make([]T, batch*sizes[0])
	for i := range x {
		x[i] = T(rng.NormFloat64())
	}
	labels := make([]int, batch)
	for i := range labels {
		labels[i] = rng.IntN(sizes[len(sizes)-1])
	}
	return net, params, x, labels
}

// naiveLossGrad computes the loss and gradient with plain loops straight
// from the documented layout, as an independent check of LossGrad.
func naiveLossGrad(sizes []int, params, x []float64, labels []int) (float64, []float64) {
	batch, L := len(labels), len(sizes)-1
	offsets := make([]int, L+1)
	for l := 0; l < L; l++ {
		offsets[l+1] = offsets[l] + sizes[l]*sizes[l+1] + sizes[l+1]
	}
	weight := func(l, r, c int) float64 { return params[offsets[l]+r*sizes[l+1]+c] }
	bias := func(l, c int) float64 { return params[offsets[l]+sizes[l]*sizes[l+1]+c] }

	// h[l][i][j]: input of layer l (h[0] = x); pre[l][i][j]: A of layer l.
	h := make([][][]float64, L+1)
	pre := make([][][]float64, L)
	h[0] = make([][]float64, batch)
	for i := range batch {
		h[0][i] = x[i*sizes[0] : (i+1)*sizes[0]]
	}
	for l := 0; l < L; l++ {
		h[l+1], pre[l] = make([][]float64, batch), make([][]float64, batch)
		for i := range batch {
			h[l+1][i], pre[l][i] = make([]float64, sizes[l+1]), make([]float64, sizes[l+1])
			for c := range sizes[l+1] {
				s := bias(l, c)
				for r := range sizes[l] {
					s += h[l][i][r] * weight(l, r, c)
				}
				pre[l][i][c] = s
				h[l+1][i][c] = s
				if l < L-1 && s <= 0 {
					h[l+1][i][c] = 0
				}
			}
		}
	}
	grad := make([]float64, offsets[L])
	var loss float64
	delta := make([][]float64, batch)
	for i, y := range labels {
		z := h[L][i]
		var sum float64
		for _, v := range z {
			sum += math.Exp(v)
		}
		loss += math.Log(sum) - z[y]
		delta[i] = make([]float64, len(z))
		for k, v := range z {
			delta[i][k] = math.Exp(v) / sum / float64(batch)
		}
		delta[i][y] -= 1 / float64(batch)
	}
	for l := L - 1; l >= 0; l-- {
		prev := make([][]float64, batch)
		for i := range batch {
			prev[i] = make([]float64, sizes[l])
			for c := range sizes[l+1] {
				grad[offsets[l]+sizes[l]*sizes[l+1]+c] += delta[i][c]
				for r := range sizes[l] {
					grad[offsets[l]+r*sizes[l+1]+c] += h[l][i][r] * delta[i][c]
					prev[i][r] += delta[i][c] * weight(l, r, c)
				}
			}
			if l > 0 {
				for r := range prev[i] {
					if pre[l-1][i][r] <= 0 {
						prev[i][r] = 0
					}
				}
			}
		}
		delta = prev
	}
	return loss / float64(batch), grad
}

// closeSlices reports whether |a_i − b_i| <= tol·max(1, |b_i|) for all i.
func closeSlices(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol*max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

func toFloat32(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}
