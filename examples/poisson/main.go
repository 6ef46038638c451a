// Command poisson solves a one-dimensional Poisson problem with a
// physics-informed network: the pattern of examples/burgers for a user's
// own equation, in one file.
//
//	−u″(x) = π²·sin(πx),  x ∈ (0, 1),  u(0) = u(1) = 0,
//
// whose solution is u(x) = sin(πx). The network 1 → [fully connected 16,
// tanh] × 2 → fully connected 1 is trained in one call (nn.Train) on the
// loss
//
//	mean over the collocation points of (u″ + π²·sin(πx))² + mean of u² at x = 0 and 1,
//
// a Cost whose u″ the objective computes (ObjectiveOptions.Derivatives);
// it then prints the largest error against sin(πx) on 201 points.
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
	// 64 equally spaced collocation points in (0, 1): the objective's rows
	xs := make([]float64, 64)
	for i := range xs {
		xs[i] = (float64(i) + 0.5) / float64(len(xs))
	}
	stop := solver.DefaultStopOptions()
	stop.MaxIterations, stop.GradientTolerance, stop.StepTolerance = maxIterations, 1e-7, 0
	res, err := nn.Train(context.Background(), net, xs, nil, nn.TrainOptions{
		Objective: nn.ObjectiveOptions{
			Cost:        poissonCost,
			Derivatives: nn.Derivatives{Second: [][2]int{{0, 0}}}, // u″ = ∂²u/∂x₀²
		},
		Stop: &stop,
	})
	if err != nil {
		return err
	}
	r := res.Result
	fmt.Fprintf(w, "%v after %d iterations (%d loss evaluations): loss %.3e, gradient norm %.3e\n",
		r.Status, r.Iterations, r.LossEvaluations, r.Loss, r.GradientsNorm)
	return printErrors(w, net)
}

// poissonCost builds the loss on one graph of the objective: the rows of
// b.X are collocation points, b.Derivatives holds u and u″ there.
func poissonCost(b nn.BatchNodes) (*gorgonia.Node, error) {
	var e ops
	// residual r = u″ + π²·sin(πx); its mean square over all rows of the evaluation
	f := e.scale(e.keep(gorgonia.Sin(e.scale(b.X, math.Pi))), math.Pi*math.Pi)
	r := e.keep(gorgonia.Add(b.Derivatives.Second[0], f))
	interior := e.scale(e.keep(gorgonia.Sum(e.keep(gorgonia.Square(r)))), 1/float64(b.TotalRows))
	// u at the boundary x = 0, 1, sharing the learnables; each graph adds
	// its share of the rows so that the graphs add up to the term once
	xb := gorgonia.NewMatrix(b.X.Graph(), tensor.Float64, gorgonia.WithShape(2, 1), gorgonia.WithName("xb"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(2, 1), tensor.WithBacking([]float64{0, 1}))))
	ub, err := b.ForwardDerivatives(xb, nn.Derivatives{})
	if err != nil {
		return nil, err
	}
	share := float64(b.Rows) / float64(b.TotalRows)
	boundary := e.scale(e.keep(gorgonia.Mean(e.keep(gorgonia.Square(ub.Output)))), share)
	cost := e.keep(gorgonia.Add(interior, boundary))
	return cost, e.err
}

// ops keeps the first error of a chain of gorgonia ops; after an error,
// the remaining ops are skipped (their nodes are nil).
type ops struct{ err error }

// keep returns n, recording err if it is the first.
func (e *ops) keep(n *gorgonia.Node, err error) *gorgonia.Node {
	if e.err == nil && err != nil {
		e.err = err
	}
	if e.err != nil {
		return nil
	}
	return n
}

// scale returns c·x.
func (e *ops) scale(x *gorgonia.Node, c float64) *gorgonia.Node {
	if e.err != nil {
		return nil
	}
	return e.keep(gorgonia.Mul(x, gorgonia.NewConstant(c)))
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
