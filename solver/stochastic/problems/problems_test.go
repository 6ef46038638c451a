package problems

import (
	"math"
	"math/rand/v2"
	"testing"
)

type objective interface {
	EvaluateRows(rows []int, x, grad []float64) (float64, any, error)
	HessianVectorRows(rows []int, x, v, hv []float64) error
}

// Gradients and Hessian-vector products agree with central differences of
// the loss and of the gradient, on a subset of rows.
func TestDerivativesAgainstFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, obj := range map[string]objective{
		"least squares": NewLeastSquares(rng, 30, 4),
		"logistic":      NewLogistic(rng, 30, 4, 0.1),
	} {
		t.Run(name, func(t *testing.T) {
			rows := []int{0, 5, 7, 29}
			x, v := []float64{0.3, -0.2, 0.5, 0.1}, []float64{1, -2, 0.5, 0.25}
			g, hv := make([]float64, 4), make([]float64, 4)
			f0, _, err := obj.EvaluateRows(rows, x, g)
			if err != nil {
				t.Fatal(err)
			}
			if f, _, _ := obj.EvaluateRows(rows, x, nil); f != f0 {
				t.Errorf("loss without gradient %v, with %v", f, f0)
			}
			if err := obj.HessianVectorRows(rows, x, v, hv); err != nil {
				t.Fatal(err)
			}
			const h = 1e-5 // central differences: error O(h²) ≈ 1e-10
			xp, xm, gp, gm := make([]float64, 4), make([]float64, 4), make([]float64, 4), make([]float64, 4)
			for j := range x {
				copy(xp, x)
				copy(xm, x)
				xp[j] += h
				xm[j] -= h
				fp, _, _ := obj.EvaluateRows(rows, xp, nil)
				fm, _, _ := obj.EvaluateRows(rows, xm, nil)
				if fd := (fp - fm) / (2 * h); math.Abs(fd-g[j]) > 1e-7 {
					t.Errorf("gradient[%d] = %v, finite difference %v", j, g[j], fd)
				}
			}
			for j := range x {
				xp[j], xm[j] = x[j]+h*v[j], x[j]-h*v[j]
			}
			obj.EvaluateRows(rows, xp, gp)
			obj.EvaluateRows(rows, xm, gm)
			for j := range hv {
				if fd := (gp[j] - gm[j]) / (2 * h); math.Abs(fd-hv[j]) > 1e-7 {
					t.Errorf("Hv[%d] = %v, finite difference %v", j, hv[j], fd)
				}
			}
			if _, _, err := obj.EvaluateRows(rows, x[:3], nil); err == nil {
				t.Error("x of the wrong length: no error")
			}
		})
	}
}

// The logistic loss and gradient, computed in chunks of rows, agree with
// the formulas evaluated row by row, on row counts around the chunk size
// and margins of both signs, large ones included (where a naive
// log(1 + e^{−m}) overflows or loses all digits).
func TestLogisticAgreesRowByRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lg := NewLogistic(rng, 40, 5, 0.01)
	w := []float64{30, -20, 10, 5, -1} // margins up to a few hundred
	for _, n := range []int{1, 7, 8, 9, 17, 40} {
		rows := rng.Perm(40)[:n]
		g := make([]float64, 5)
		f, _, err := lg.EvaluateRows(rows, w, g)
		if err != nil {
			t.Fatal(err)
		}
		wantF, wantG := 0.0, make([]float64, 5)
		for _, i := range rows {
			m := lg.Z[i] * serialDot(lg.Row(i), w)
			// log(1 + e^{−m}) = max(−m, 0) + log(1 + e^{−|m|})
			wantF += math.Max(-m, 0) + math.Log1p(math.Exp(-math.Abs(m)))
			for j, a := range lg.Row(i) {
				wantG[j] -= lg.Z[i] * sigmoid(-m) * a
			}
		}
		wantF = wantF/float64(n) + 0.5*lg.Lambda*serialDot(w, w)
		for j := range wantG {
			wantG[j] = wantG[j]/float64(n) + lg.Lambda*w[j]
		}
		if math.Abs(f-wantF) > 1e-12*math.Abs(wantF) {
			t.Errorf("%d rows: loss %v, row by row %v", n, f, wantF)
		}
		for j := range g {
			if math.Abs(g[j]-wantG[j]) > 1e-12*(1+math.Abs(wantG[j])) {
				t.Errorf("%d rows: gradient[%d] %v, row by row %v", n, j, g[j], wantG[j])
			}
		}
	}
}
