package autodiff_test

import (
	"math"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// curve holds noise-free samples of y = A·exp(−k·t) + C with A = 2,
// k = 0.5, C = 1 at t = 0, 0.5, …, 4.5: the examples/curvefit problem.
var curveT, curveY = func() ([]float64, []float64) {
	ts, ys := make([]float64, 10), make([]float64, 10)
	for i := range ts {
		ts[i] = 0.5 * float64(i)
		ys[i] = 2*math.Exp(-0.5*ts[i]) + 1
	}
	return ts, ys
}()

// curveGraph builds cost = ½ Σ (A·exp(−k·t) + C − y)² over the given
// samples, with scalar parameters A, k, C (in that order) of dtype dt.
func curveGraph(tb testing.TB, ts, ys []float64, dt tensor.Dtype) autodiff.Graph {
	tb.Helper()
	g := gorgonia.NewGraph()
	vec := func(name string, v []float64) *gorgonia.Node {
		var t *tensor.Dense
		if dt == tensor.Float32 {
			f := make([]float32, len(v))
			for i, x := range v {
				f[i] = float32(x)
			}
			t = tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(f))
		} else {
			t = tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(append([]float64(nil), v...)))
		}
		return gorgonia.NewVector(g, dt, gorgonia.WithShape(len(v)), gorgonia.WithName(name), gorgonia.WithValue(t))
	}
	scalar := func(name string) *gorgonia.Node {
		var v any = 1.0
		if dt == tensor.Float32 {
			v = float32(1)
		}
		return gorgonia.NewScalar(g, dt, gorgonia.WithName(name), gorgonia.WithValue(v))
	}
	t, y := vec("t", ts), vec("y", ys)
	a, k, c := scalar("A"), scalar("k"), scalar("C")
	kt := gorgonia.Must(gorgonia.Mul(k, t))
	e := gorgonia.Must(gorgonia.Exp(gorgonia.Must(gorgonia.Neg(kt))))
	pred := gorgonia.Must(gorgonia.Add(gorgonia.Must(gorgonia.Mul(a, e)), c))
	r := gorgonia.Must(gorgonia.Sub(pred, y))
	half := gorgonia.NewConstant(0.5)
	if dt == tensor.Float32 {
		half = gorgonia.NewConstant(float32(0.5))
	}
	cost := gorgonia.Must(gorgonia.Mul(half, gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.Square(r))))))
	return autodiff.Graph{Cost: cost, Params: []*gorgonia.Node{a, k, c}, Outputs: []*gorgonia.Node{pred}}
}

// curveLossGrad is the closed form of curveGraph's cost and gradient.
func curveLossGrad(x []float64, ts, ys []float64) (float64, []float64) {
	a, k, c := x[0], x[1], x[2]
	loss := 0.0
	g := make([]float64, 3)
	for i, t := range ts {
		e := math.Exp(-k * t)
		r := a*e + c - ys[i]
		loss += 0.5 * r * r
		g[0] += r * e          // ∂/∂A
		g[1] += -r * a * t * e // ∂/∂k
		g[2] += r              // ∂/∂C
	}
	return loss, g
}
