package autodiff_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// The loss closure of a curve fit: y ≈ A·exp(−k·t) + C with three scalar
// parameters, as in examples/curvefit.
func ExampleNew() {
	ts := []float64{0, 1, 2, 3, 4}
	ys := make([]float64, len(ts))
	for i, t := range ts {
		ys[i] = 2*math.Exp(-0.5*t) + 1 // A = 2, k = 0.5, C = 1
	}

	g := gorgonia.NewGraph()
	t := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithName("t"), gorgonia.WithShape(len(ts)),
		gorgonia.WithValue(tensor.New(tensor.WithShape(len(ts)), tensor.WithBacking(ts))))
	y := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithName("y"), gorgonia.WithShape(len(ys)),
		gorgonia.WithValue(tensor.New(tensor.WithShape(len(ys)), tensor.WithBacking(ys))))
	a := gorgonia.NewScalar(g, tensor.Float64, gorgonia.WithName("A"), gorgonia.WithValue(1.0))
	k := gorgonia.NewScalar(g, tensor.Float64, gorgonia.WithName("k"), gorgonia.WithValue(1.0))
	c := gorgonia.NewScalar(g, tensor.Float64, gorgonia.WithName("C"), gorgonia.WithValue(0.0))

	// cost = ½ Σ (A·exp(−k·t) + C − y)²
	e := gorgonia.Must(gorgonia.Exp(gorgonia.Must(gorgonia.Neg(gorgonia.Must(gorgonia.Mul(k, t))))))
	pred := gorgonia.Must(gorgonia.Add(gorgonia.Must(gorgonia.Mul(a, e)), c))
	r := gorgonia.Must(gorgonia.Sub(pred, y))
	cost := gorgonia.Must(gorgonia.Mul(gorgonia.NewConstant(0.5), gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.Square(r))))))

	ev, err := autodiff.New(autodiff.Graph{Cost: cost, Params: []*gorgonia.Node{a, k, c}}, autodiff.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// ev.Evaluate has the solver's LossFunc signature; x is (A, k, C).
	grad := make([]float64, 3)
	for _, x := range [][]float64{{1, 1, 0}, {2, 0.5, 1}} {
		loss, _, err := ev.Evaluate(x, grad)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("x = %v: loss %.4f, gradient [%.4f %.4f %.4f]\n", x, loss, grad[0], grad[1], grad[2])
	}
	// Output:
	// x = [1 1 0]: loss 6.7423, gradient [-2.9879 1.4123 -8.0944]
	// x = [2 0.5 1]: loss 0.0000, gradient [0.0000 0.0000 0.0000]
}

// A network's forward pass inside a graph of one's own: the loss
// closure of a custom cost over the network's learnables, whose flat
// vector has the layout of net.Params().
func ExampleNew_network() {
	net, err := nn.New(nn.Config{InputSize: 1, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 8}, nn.Tanh{}, nn.FullyConnected{OutputSize: 1},
	}}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	g := gorgonia.NewGraph()
	xv := tensor.New(tensor.WithShape(3, 1), tensor.WithBacking([]float64{-1, 0, 1}))
	x := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(3, 1), gorgonia.WithName("x"), gorgonia.WithValue(xv))
	fn, err := net.Forward(x, nn.ForwardOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// cost = mean of the outputs squared: drive the network to zero
	sq, err := gorgonia.Square(fn.Output)
	if err != nil {
		fmt.Println(err)
		return
	}
	cost, err := gorgonia.Mean(sq)
	if err != nil {
		fmt.Println(err)
		return
	}
	ev, err := autodiff.New(autodiff.Graph{Cost: cost, Params: fn.Learnables}, autodiff.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("parameters:", ev.NumParams() == len(net.Params()))
	// Output:
	// parameters: true
}

// Checking a hand-written gradient before handing the function to the
// solver.
func ExampleCheckGradient() {
	// Rosenbrock's function and its gradient.
	f := func(x, grad []float64) (float64, any, error) {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		grad[0] = -2*a - 400*x[0]*b
		grad[1] = 200 * b
		return a*a + 100*b*b, nil, nil
	}
	opts := autodiff.DefaultCheckOptions()
	opts.Rand = rand.New(rand.NewPCG(1, 2))
	res, err := autodiff.CheckGradient(f, []float64{-1.2, 1}, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("checks:", len(res.Checks))
	fmt.Println("gradient correct:", res.MaxRelativeError < 1e-6)
	// Output:
	// checks: 12
	// gradient correct: true
}
