package nn_test

import (
	"math"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// reproLoss builds the reproduction of gorgonia's wrong double
// differentiation with a Jet: x = (0.1, 0.5, −0.3) as a 3×1 input,
// u = tanh(x·w1)·w2 with w1 1×4 and w2 4×1 (no biases), loss =
// Σ (∂u/∂x)². It returns the loss closure over (w1, w2).
func reproLoss(t *testing.T) func(p, g []float64) (float64, any, error) {
	t.Helper()
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(3, 1), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(3, 1), tensor.WithBacking([]float64{0.1, 0.5, -0.3}))))
	w1 := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(1, 4), gorgonia.WithName("w1"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(1, 4), tensor.WithBacking(make([]float64, 4)))))
	w2 := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(4, 1), gorgonia.WithName("w2"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(4, 1), tensor.WithBacking(make([]float64, 4)))))
	j, err := nn.NewJet(x, nn.Derivatives{First: []int{0}})
	if err != nil {
		t.Fatal(err)
	}
	if j, err = j.Dense(w1, nil, false); err != nil {
		t.Fatal(err)
	}
	if j, err = j.Apply(nn.Tanh{}, nil); err != nil {
		t.Fatal(err)
	}
	if j, err = j.Dense(w2, nil, true); err != nil {
		t.Fatal(err)
	}
	gx, err := j.D(0)
	if err != nil {
		t.Fatal(err)
	}
	sq, err := gorgonia.Square(gx)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := gorgonia.Sum(sq)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := autodiff.New(autodiff.Graph{Cost: loss, Params: []*gorgonia.Node{w1, w2}}, autodiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ev.Evaluate
}

// TestGorgoniaDoubleGradReproduction: the reproduction in which
// gorgonia.Grad of a gorgonia.Grad gives ∂loss/∂w1 =
// (−1.5193, −3.0565, 1.4915, −0.7259) gives the central-difference values
// (−1.4873, −3.0277, 1.4063, −0.6475) through a Jet.
func TestGorgoniaDoubleGradReproduction(t *testing.T) {
	f := reproLoss(t)
	p := []float64{0.3, -0.2, 0.5, 0.7, 1, 2, -1, 0.5} // w1, then w2
	grad := make([]float64, len(p))
	loss, _, err := f(p, grad)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss-0.1965484887) > 1e-10 {
		t.Errorf("loss = %.10f, want 0.1965484887", loss)
	}
	want := []float64{-1.4873, -3.0277, 1.4063, -0.6475} // central differences, 4 decimals
	for i, w := range want {
		if math.Abs(grad[i]-w) > 5e-5 {
			t.Errorf("dloss/dw1[%d] = %.5f, central differences give %.4f", i, grad[i], w)
		}
	}
	res, err := autodiff.CheckGradient(f, p, autodiff.CheckOptions{Step: 1e-5, Coordinates: -1, Floor: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxRelativeError > 1e-8 {
		t.Errorf("%v", res)
	}
}
