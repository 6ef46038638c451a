// Command poisson solves a one-dimensional Poisson problem with a
// physics-informed network: the pattern of examples/burgers for a user's
// own equation, in one file.
//
//	−u″(x) = π²·sin(πx),  x ∈ (0, 1),  u(0) = u(1) = 0,
//
// whose solution is u(x) = sin(πx). The network 1 → [fully connected 16,
// tanh] × 2 → fully connected 1 is trained by minimising
//
//	loss = mean over collocation points of (u″ + π²·sin(πx))² + mean of u² at x = 0 and 1
//
// with the L-BFGS solver, u″ coming from nn.Network.ForwardDerivatives; it
// then prints the largest error against sin(πx) on 201 points.
//
//	go run ./examples/poisson
package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

func main() {
	if err := run(os.Stdout, 1000); err != nil {
		fmt.Fprintln(os.Stderr, "poisson:", err)
		os.Exit(1)
	}
}

// run trains for at most maxIterations and writes the report to w.
func run(w io.Writer, maxIterations int) error {
	net, err := nn.New(nn.Config{InputSize: 1, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 16}, nn.Tanh{},
		nn.FullyConnected{OutputSize: 16}, nn.Tanh{},
		nn.FullyConnected{OutputSize: 1},
	}}, rand.New(rand.NewPCG(1, 0)))
	if err != nil {
		return err
	}
	loss, err := poissonLoss(net, 64)
	if err != nil {
		return err
	}
	state, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		return err
	}
	stop := solver.DefaultStopOptions()
	stop.MaxIterations, stop.GradientTolerance, stop.StepTolerance = maxIterations, 1e-7, 0
	x := net.Flat()
	res, err := solver.Minimize(context.Background(), x, loss.Evaluate, state, stop)
	if err != nil {
		return err
	}
	if err := net.SetFlatLearnables(x); err != nil {
		return err
	}
	fmt.Fprintf(w, "%v after %d iterations (%d loss evaluations): loss %.3e, gradient norm %.3e\n",
		res.Status, res.Iterations, res.LossEvaluations, res.Loss, res.GradientsNorm)
	return printErrors(w, net)
}

// poissonLoss returns the loss closure over net's learnables, with n
// equally spaced collocation points in (0, 1).
func poissonLoss(net *nn.Network, n int) (*autodiff.Evaluator, error) {
	g := gorgonia.NewGraph()
	xs, f := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i] = (float64(i) + 0.5) / float64(n)
		f[i] = math.Pi * math.Pi * math.Sin(math.Pi*xs[i]) // right-hand side
	}
	x := column(g, "x", xs)
	rhs := column(g, "f", f)
	// u and u″ at the collocation points
	d, err := net.ForwardDerivatives(x, nn.Derivatives{Second: [][2]int{{0, 0}}}, nil)
	if err != nil {
		return nil, err
	}
	// u at the boundary, sharing the learnables
	b, err := net.ForwardDerivatives(column(g, "xb", []float64{0, 1}), nn.Derivatives{}, d.Learnables)
	if err != nil {
		return nil, err
	}
	// residual r = u″ + f; loss = mean(r²) + mean(u_b²)
	r, err := gorgonia.Add(d.Second[0], rhs)
	if err != nil {
		return nil, err
	}
	interior, err := meanSquare(r)
	if err != nil {
		return nil, err
	}
	boundary, err := meanSquare(b.Output)
	if err != nil {
		return nil, err
	}
	cost, err := gorgonia.Add(interior, boundary)
	if err != nil {
		return nil, err
	}
	return autodiff.New(autodiff.Graph{Cost: cost, Params: d.Learnables}, autodiff.Options{})
}

// column returns an input node holding v as a len(v) × 1 matrix.
func column(g *gorgonia.ExprGraph, name string, v []float64) *gorgonia.Node {
	t := tensor.New(tensor.WithShape(len(v), 1), tensor.WithBacking(v))
	return gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(len(v), 1), gorgonia.WithName(name), gorgonia.WithValue(t))
}

// meanSquare returns the node mean(v²).
func meanSquare(v *gorgonia.Node) (*gorgonia.Node, error) {
	sq, err := gorgonia.Square(v)
	if err != nil {
		return nil, err
	}
	return gorgonia.Mean(sq)
}

// printErrors compares the network with sin(πx) on 201 points.
func printErrors(w io.Writer, net *nn.Network) error {
	xs := make([]float64, 201)
	for i := range xs {
		xs[i] = float64(i) / 200
	}
	u, err := net.Predict(xs)
	if err != nil {
		return err
	}
	var worst, dd, uu float64
	for i, x := range xs {
		e := u[i] - math.Sin(math.Pi*x)
		worst = max(worst, math.Abs(e))
		dd += e * e
		uu += math.Sin(math.Pi*x) * math.Sin(math.Pi*x)
	}
	fmt.Fprintf(w, "largest error against sin(πx): %.3e; relative L2 error: %.3e\n", worst, math.Sqrt(dd/uu))
	return nil
}
