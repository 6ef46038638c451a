package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// The network problem of the benchmark: 100,000 rows of 64 standard normal
// features labelled by the argmax of a fixed random 64-128-10 tanh teacher,
// learnt by a 64-128-10 tanh network with softmax cross-entropy.
const (
	mlpRows    = 100000
	mlpInputs  = 64
	mlpHidden  = 128
	mlpClasses = 10
	// teacherScale widens the teacher's initial weights so that its
	// classes are not determined by a few features alone.
	teacherScale = 3
)

func mlpLayers() []nn.Layer {
	return []nn.Layer{&nn.FullyConnected{OutputSize: mlpHidden}, &nn.Tanh{}, &nn.FullyConnected{OutputSize: mlpClasses}, &nn.Softmax{}}
}

func newMLPBench(dump string) (*bench, error) {
	rng := rand.New(rand.NewPCG(dataSeed, 2))
	teacher, err := nn.New(nn.Config{InputSize: mlpInputs, Layers: mlpLayers()}, rng)
	if err != nil {
		return nil, err
	}
	w := teacher.Flat()
	for i := range w {
		w[i] *= teacherScale
	}
	if err := teacher.SetFlatLearnables(w); err != nil {
		return nil, err
	}
	x := make([]float64, mlpRows*mlpInputs)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	labels, _, err := teacher.Classify(x)
	if err != nil {
		return nil, err
	}
	t, err := data.OneHot(labels, mlpClasses)
	if err != nil {
		return nil, err
	}
	student, err := nn.New(nn.Config{InputSize: mlpInputs, Layers: mlpLayers()}, rand.New(rand.NewPCG(dataSeed, 3)))
	if err != nil {
		return nil, err
	}
	obj, err := student.NewObjective(x, t, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil {
		return nil, fmt.Errorf("mlp objective: %w", err)
	}
	x0 := student.Flat()
	b := &bench{name: "mlp", obj: obj, x0: x0, all: allRows(mlpRows), scratch: make([]float64, len(x0)),
		monitorEvery: 0.25, onedalEpochs: 2, hvCost: 2, referenceRuns: 1}
	// The record loss: a forward pass of the network, the mean of −log p
	// of the true class.
	b.loss = func(w []float64) (float64, error) {
		if err := student.SetFlatLearnables(w); err != nil {
			return 0, err
		}
		out, err := student.Predict(x)
		if err != nil {
			return 0, err
		}
		var s float64
		for i, l := range labels {
			s -= math.Log(out[i*mlpClasses+l])
		}
		return s / mlpRows, nil
	}
	if dump != "" {
		y := make([]float64, len(labels))
		for i, l := range labels {
			y[i] = float64(l)
		}
		meta := map[string]any{"problem": "mlp", "rows": mlpRows, "sizes": []int{mlpInputs, mlpHidden, mlpClasses}, "activation": "tanh", "lambda": 0.0,
			"monitor_every": b.monitorEvery}
		if err := writeDump(dump, meta, map[string][]float64{"x": x, "y": y, "x0": x0}); err != nil {
			return nil, err
		}
	}
	return b, nil
}
