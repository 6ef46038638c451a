package nn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// MATLAB's iris network and its table of learnables.
func ExampleNew() {
	net, err := nn.New(nn.Config{InputSize: 4, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
		nn.FullyConnected{OutputSize: 3}, nn.Softmax{},
	}}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range net.Learnables() {
		fmt.Printf("%-12s %-8s offset %d\n", l.Name(), fmt.Sprint(l.Shape), l.Offset)
	}
	fmt.Println("learnables:", net.NumLearnables())
	// Output:
	// fc1/Weights  [4 32]   offset 0
	// fc1/Bias     [32]     offset 128
	// fc2/Weights  [32 32]  offset 160
	// fc2/Bias     [32]     offset 1184
	// fc3/Weights  [32 3]   offset 1216
	// fc3/Bias     [3]      offset 1312
	// learnables: 1315
}

// Training the iris network MATLAB's way, one Update per iteration: the
// objective is the solver's loss function, with the training accuracy as
// its extra output, and the solver moves the network's own Params.
func ExampleNetwork_NewObjective() {
	ds := data.Iris()
	std, _ := data.FitStandardizer(ds.Features, ds.Cols)
	x := append([]float64(nil), ds.Features...)
	_ = std.Transform(x)
	t, _ := data.OneHot(ds.Labels, ds.NumClasses())

	net, _ := nn.New(nn.Config{InputSize: 4, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
		nn.FullyConnected{OutputSize: 3}, nn.Softmax{},
	}}, rand.New(rand.NewPCG(1, 2)))
	obj, err := net.NewObjective(x, t, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Metrics: true})
	if err != nil {
		fmt.Println(err)
		return
	}

	opts := solver.DefaultOptions()
	opts.HistorySize, opts.InitialInverseHessianFactor = 3, 1.1
	state, _ := solver.NewLBFGSState(opts)
	for range 30 {
		if err := state.Update(net.Params(), obj.Evaluate); err != nil {
			fmt.Println(err)
			return
		}
	}
	m := state.AdditionalLossFunctionOutputs.(nn.Metrics)
	fmt.Println("training accuracy >= 97%:", m.Accuracy >= 0.97)
	labels, _, _ := net.Classify(x) // the trained network: no copy needed
	fmt.Println("first flower's class:", labels[0])
	// Output:
	// training accuracy >= 97%: true
	// first flower's class: 0
}

// A network inside a larger gorgonia graph, with a loss of the caller's
// own: here the mean absolute error.
func ExampleNetwork_Forward() {
	net, _ := nn.New(nn.Config{InputSize: 2, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 4}, nn.Tanh{}, nn.FullyConnected{OutputSize: 1},
	}}, rand.New(rand.NewPCG(1, 2)))

	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(3, 2), gorgonia.WithName("x"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(3, 2), tensor.WithBacking([]float64{0, 1, 1, 0, 1, 1}))))
	y := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(3, 1), gorgonia.WithName("y"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(3, 1), tensor.WithBacking([]float64{1, 1, 0}))))
	fw, err := net.Forward(x, nn.ForwardOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	cost := gorgonia.Must(gorgonia.Mean(gorgonia.Must(gorgonia.Abs(gorgonia.Must(gorgonia.Sub(fw.Output, y))))))

	ev, err := autodiff.New(autodiff.Graph{Cost: cost, Params: fw.Learnables}, autodiff.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	grad := make([]float64, ev.NumParams())
	loss, _, err := ev.Evaluate(net.Flat(), grad)
	fmt.Printf("%d parameters, loss %.4f, error %v\n", ev.NumParams(), loss, err)
	// Output:
	// 17 parameters, loss 0.6252, error <nil>
}

// Saving a network with the data's standardisation attached, and loading
// both back to predict on new, raw measurements.
func ExampleNetwork_Save() {
	ds := data.Iris()
	std, _ := data.FitStandardizer(ds.Features, ds.Cols)
	net, _ := nn.New(nn.Config{InputSize: 4, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 3}, nn.Softmax{},
	}}, rand.New(rand.NewPCG(1, 2)))
	// ... train net on the standardised features ...

	dir, _ := os.MkdirTemp("", "model")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "iris.model")
	stdJSON, _ := json.Marshal(std)
	if err := net.Save(path, map[string][]byte{"standardization": stdJSON}); err != nil {
		fmt.Println(err)
		return
	}

	loaded, att, err := nn.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	var loadedStd data.Standardizer
	if err := json.Unmarshal(att["standardization"], &loadedStd); err != nil {
		fmt.Println(err)
		return
	}
	raw := []float64{5.1, 3.5, 1.4, 0.2} // a new flower, in cm
	x := slices.Clone(raw)
	if err := loadedStd.Transform(x); err != nil {
		fmt.Println(err)
		return
	}
	probs, _ := loaded.Predict(x)

	// The same prediction as the network that was saved, with the
	// standardisation it was trained with.
	x0 := slices.Clone(raw)
	_ = std.Transform(x0)
	want, _ := net.Predict(x0)
	fmt.Println("same standardisation:", slices.Equal(loadedStd.Mean, std.Mean) && slices.Equal(loadedStd.Scale, std.Scale))
	fmt.Println("same predictions:", slices.Equal(probs, want))
	// Output:
	// same standardisation: true
	// same predictions: true
}

// Class labels and probabilities of a network with known weights: a
// softmax over (x0, x1) picks the larger feature.
func ExampleNetwork_Classify() {
	net, _ := nn.New(nn.Config{InputSize: 2, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 2}, nn.Softmax{},
	}}, rand.New(rand.NewPCG(1, 2)))
	// Weights (2×2, row-major) = identity, Bias = 0.
	if err := net.SetFlatLearnables([]float64{1, 0, 0, 1, 0, 0}); err != nil {
		fmt.Println(err)
		return
	}
	labels, probs, err := net.Classify([]float64{
		2, 0,
		0, 1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, l := range labels {
		fmt.Printf("row %d: class %d, probabilities %.4f\n", i, l, probs[2*i:2*i+2])
	}
	// Output:
	// row 0: class 0, probabilities [0.8808 0.1192]
	// row 1: class 1, probabilities [0.2689 0.7311]
}

// ExampleTrain_validation trains on 24 noisy rows and keeps the network of
// the lowest validation loss; the run stops once 5 validations in a row
// have not improved on it.
func ExampleTrain_validation() {
	noisy := func(rows int, seed uint64, noise float64) (x, t []float64) {
		r := rand.New(rand.NewPCG(seed, 1))
		for i := range rows {
			c := i % 2
			x = append(x, r.NormFloat64()+float64(2*c-1), r.NormFloat64())
			if r.Float64() < noise {
				c = 1 - c
			}
			t = append(t, float64(1-c), float64(c))
		}
		return x, t
	}
	x, t := noisy(24, 1, 0.25)
	vx, vt := noisy(200, 2, 0)
	net, err := nn.New(nn.Config{InputSize: 2, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 64}, nn.ReLU{}, nn.FullyConnected{OutputSize: 2}, nn.Softmax{},
	}}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := nn.Train(context.Background(), net, x, t, nn.TrainOptions{
		Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy},
		Validation: &nn.Validation{X: vx, T: vt, Options: solver.ValidationOptions{
			Frequency: 1, Patience: 5, OutputNetwork: solver.BestValidationLoss}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	best := res.Validation.Best
	fmt.Println(res.Status, "after", res.Iterations, "iterations")
	fmt.Println("network of iteration", best.Iteration, "kept:", res.Iterations-best.Iteration == 5)
	// Output:
	// ValidationPatience after 7 iterations
	// network of iteration 2 kept: true
}
