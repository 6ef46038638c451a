package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// activationLayer returns the layer for an --activation value (checked
// against nn.Activations by the flag).
func activationLayer(name string) nn.Layer {
	a, err := nn.ParseActivation(name)
	if err != nil {
		return nn.ReLU{}
	}
	return a.Layer()
}

// dtypeOf returns the tensor dtype for a --dtype value.
func dtypeOf(name string) tensor.Dtype {
	if name == "float32" {
		return tensor.Float32
	}
	return tensor.Float64
}

// buildNetwork creates the network the flags describe for inputs features
// and outputs classes or targets: hidden fully connected layers each
// followed by the activation, an output layer, and a softmax for
// classification. The learnables are drawn from --seed.
func buildNetwork(cfg *trainConfig, inputs, outputs int, task data.Task) (*nn.Network, error) {
	var layers []nn.Layer
	for _, h := range cfg.hidden {
		layers = append(layers, nn.FullyConnected{OutputSize: h}, activationLayer(cfg.activation.value))
	}
	layers = append(layers, nn.FullyConnected{OutputSize: outputs})
	switch {
	case task == data.Classification:
		layers = append(layers, nn.Softmax{})
	case cfg.multiLabel():
		layers = append(layers, nn.Sigmoid{})
	}
	rng := rand.New(rand.NewPCG(cfg.seed, initStream))
	net, err := nn.New(nn.Config{InputSize: inputs, Layers: layers, Dtype: dtypeOf(cfg.dtype.value)}, rng)
	if err != nil {
		return nil, fmt.Errorf("build network: %w", err)
	}
	return net, nil
}

// newEvaluator returns the loss closure of net on the batch (x, t): the
// loss of oo (with nn.Metrics as its extra output) and the L2 term l2.
func newEvaluator(net *nn.Network, x, t []float64, oo nn.ObjectiveOptions, l2 float64) (*nn.Objective, error) {
	oo.L2 = l2
	obj, err := net.NewObjective(x, t, oo)
	if err != nil {
		return nil, fmt.Errorf("build objective: %w", err)
	}
	return obj, nil
}

// fit is how well the network fits one set of rows, in the data's own
// units: the accuracy for classification, the RMSE of each target for
// regression.
type fit struct {
	rows, correct int       // classification; multi-label: labels right
	labels, exact int       // multi-label: labels in all, rows with every label right
	accuracy      float64   // correct / rows (multi-label: / labels); NaN for regression
	rmse          []float64 // per target, in the targets' units; nil for classification
}

// measureFit predicts the rows of ds (features x already standardised) and
// compares with ds's labels or targets.
func measureFit(net *nn.Network, x []float64, ds *data.Dataset, targStd *data.Standardizer) (fit, error) {
	f := fit{rows: ds.Rows, accuracy: math.NaN()}
	if ds.Task == data.Classification {
		labels, _, err := net.Classify(x)
		if err != nil {
			return f, err
		}
		for i, l := range labels {
			if l == ds.Labels[i] {
				f.correct++
			}
		}
		f.accuracy = float64(f.correct) / float64(ds.Rows)
		return f, nil
	}
	if multiLabelNet(net) {
		return f, measureLabels(&f, net, x, ds)
	}
	y, err := net.Predict(x)
	if err != nil {
		return f, err
	}
	if targStd != nil {
		if err := targStd.InverseTransform(y); err != nil {
			return f, err
		}
	}
	k := len(ds.TargetNames)
	f.rmse = make([]float64, k)
	for i, v := range y {
		d := v - ds.Targets[i]
		f.rmse[i%k] += d * d
	}
	for j := range f.rmse {
		f.rmse[j] = math.Sqrt(f.rmse[j] / float64(ds.Rows))
	}
	return f, nil
}
