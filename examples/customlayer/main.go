// Command customlayer trains a network with a layer defined outside nn:
// the radial-basis-function layer of package rbf, built from gorgonia's
// own ops and differentiated by gorgonia. The network, 2-rbf(24)-1, fits
// f(x₁, x₂) = sin(2x₁)·cos(x₂) on 400 random points of [−1.5, 1.5]²; it is
// trained in one call, saved to a model file (the layer is registered by
// name, so the file names it), loaded back and checked on new points.
//
//	go run ./examples/customlayer
package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/lbfgsnet/lbfgsnet/examples/customlayer/rbf"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// The problem and the network.
const (
	samples = 400
	tests   = 100
	box     = 1.5
	centers = 24
	seed    = 1
	iters   = 300
)

func f(a, b float64) float64 { return math.Sin(2*a) * math.Cos(b) }

// result is what run measured, for the test.
type result struct {
	initial, final float64 // training mean squared error
	testRMSE       float64 // on new points, by the loaded network
	iterations     int
	layers         []string // the loaded network's layer names
}

func main() {
	dir, err := os.MkdirTemp("", "customlayer")
	if err != nil {
		fmt.Fprintln(os.Stderr, "customlayer:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	if _, err := run(os.Stdout, filepath.Join(dir, "rbf.model")); err != nil {
		fmt.Fprintln(os.Stderr, "customlayer:", err)
		os.Exit(1)
	}
}

// points returns n random points of the box and f at them.
func points(r *rand.Rand, n int) (x, y []float64) {
	for range n {
		a, b := box*(2*r.Float64()-1), box*(2*r.Float64()-1)
		x, y = append(x, a, b), append(y, f(a, b))
	}
	return x, y
}

// run trains, saves, loads and tests the network, writing a report to w.
func run(w io.Writer, modelPath string) (result, error) {
	var res result
	x, y := points(rand.New(rand.NewPCG(seed, 1)), samples)
	net, err := nn.New(nn.Config{InputSize: 2, Layers: []nn.Layer{
		rbf.Layer{Centers: centers, Spread: box},
		nn.FullyConnected{OutputSize: 1},
	}}, rand.New(rand.NewPCG(seed, 2)))
	if err != nil {
		return res, err
	}
	for _, l := range net.Learnables() {
		fmt.Fprintf(w, "%-15s %v\n", l.Name(), l.Shape)
	}
	stop := solver.DefaultStopOptions()
	stop.MaxIterations = iters
	stop.Hook = func(s *solver.LBFGSState) error {
		if s.Iteration == 1 || s.Iteration%50 == 0 {
			fmt.Fprintf(w, "iteration %3d  mean squared error %.3e\n", s.Iteration, s.Loss)
		}
		return nil
	}
	tr, err := nn.Train(context.Background(), net, x, y, nn.TrainOptions{
		Objective: nn.ObjectiveOptions{Loss: nn.MeanSquaredError},
		Stop:      &stop,
	})
	if err != nil {
		return res, err
	}
	res.iterations, res.final = tr.Iterations, tr.Loss
	if len(tr.History) > 0 {
		res.initial = tr.History[0].Loss
	}
	fmt.Fprintf(w, "%v after %d iterations: mean squared error %.3e\n", tr.Status, tr.Iterations, tr.Loss)

	// The trained network, saved and loaded: the file names the layer
	// kind "rbf", which importing package rbf registered.
	if err := net.Save(modelPath, nil); err != nil {
		return res, err
	}
	loaded, _, err := nn.Load(modelPath)
	if err != nil {
		return res, err
	}
	res.layers = loaded.LayerNames()
	xt, yt := points(rand.New(rand.NewPCG(seed, 3)), tests)
	pred, err := loaded.Predict(xt)
	if err != nil {
		return res, err
	}
	for i, p := range pred {
		res.testRMSE += (p - yt[i]) * (p - yt[i])
	}
	res.testRMSE = math.Sqrt(res.testRMSE / tests)
	fmt.Fprintf(w, "loaded %v; RMSE on %d new points %.3e\n", res.layers, tests, res.testRMSE)
	return res, nil
}
