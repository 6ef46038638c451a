package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// initStream is the PCG stream "lbfgsnet train" draws the initial network
// from (cmd/lbfgsnet/train_data.go), so that seed s here is --seed s there.
const initStream = 1

// hiddenUnits is the width of both hidden layers of MATLAB's iris network
// (the lbfgsState example, and "lbfgsnet train"'s default --hidden 32,32).
const hiddenUnits = 32

// problem is the training problem: the iris data prepared for the network.
type problem struct {
	ds      *data.Dataset
	x, t    []float64 // standardised features and one-hot targets, row-major
	classes int
}

// dataDescription says in the dump how the features were prepared.
const dataDescription = "iris (embedded), 150 rows; features standardised as by lbfgsnet train's default " +
	"--standardize: z-scores with the mean and population standard deviation of all rows"

// newProblem loads the embedded iris data and standardises its features as
// "lbfgsnet train" does without --validation-split.
func newProblem() (*problem, error) {
	ds := data.Iris()
	std, err := data.FitStandardizer(ds.Features, ds.Cols)
	if err != nil {
		return nil, fmt.Errorf("standardise iris: %w", err)
	}
	x := append([]float64(nil), ds.Features...)
	if err := std.Transform(x); err != nil {
		return nil, fmt.Errorf("standardise iris: %w", err)
	}
	t, err := data.OneHot(ds.Labels, ds.NumClasses())
	if err != nil {
		return nil, fmt.Errorf("one-hot iris labels: %w", err)
	}
	return &problem{ds: ds, x: x, t: t, classes: ds.NumClasses()}, nil
}

// network returns the iris network with the learnables of seed.
func (p *problem) network(seed uint64) (*nn.Network, error) {
	net, err := nn.New(nn.Config{
		InputSize: p.ds.Cols,
		Layers: []nn.Layer{
			nn.FullyConnected{OutputSize: hiddenUnits}, nn.ReLU{},
			nn.FullyConnected{OutputSize: hiddenUnits}, nn.ReLU{},
			nn.FullyConnected{OutputSize: p.classes}, nn.Softmax{},
		},
	}, rand.New(rand.NewPCG(seed, initStream)))
	if err != nil {
		return nil, fmt.Errorf("seed %d: build network: %w", seed, err)
	}
	return net, nil
}

// evaluator returns the loss closure of net on the whole batch: the mean
// cross-entropy, its gradient and nn.Metrics (the training accuracy) as the
// extra output. shards is ObjectiveOptions.Shards (0: nn.AutoShards, as
// the command uses).
func (p *problem) evaluator(net *nn.Network, shards int) (*nn.Objective, error) {
	obj, err := net.NewObjective(p.x, p.t, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Shards: shards, Metrics: true})
	if err != nil {
		return nil, fmt.Errorf("build objective: %w", err)
	}
	return obj, nil
}

// dumpFile is the JSON the PyTorch side reads.
type dumpFile struct {
	Settings   settings    `json:"settings"`
	Data       string      `json:"data"`
	Rows       int         `json:"rows"`
	Cols       int         `json:"cols"`
	ClassNames []string    `json:"class_names"`
	Features   []float64   `json:"features"` // Rows×Cols, row-major, standardised
	Labels     []int       `json:"labels"`   // class index per row
	Learnables []learnable `json:"learnables"`
	Seeds      []seedDump  `json:"seeds"`
}

// learnable is one block of the flat parameter vector: per layer the
// Weights, shape (in, out), row-major, then the Bias, shape (out).
type learnable struct {
	Name   string `json:"name"`
	Shape  []int  `json:"shape"`
	Offset int    `json:"offset"`
}

// seedDump is one seed's initial parameters and the loss there.
type seedDump struct {
	Seed         uint64    `json:"seed"`
	Params       []float64 `json:"params"`
	Loss         float64   `json:"loss"`
	GradientNorm float64   `json:"gradient_norm"`
	Accuracy     float64   `json:"accuracy"`
}

// dump draws the initial network of every seed and evaluates the loss at
// its parameters.
func (p *problem) dump(s settings) (*dumpFile, error) {
	d := &dumpFile{
		Settings: s, Data: dataDescription, Rows: p.ds.Rows, Cols: p.ds.Cols,
		ClassNames: p.ds.ClassNames, Features: p.x, Labels: p.ds.Labels,
	}
	var ev *nn.Objective
	for seed := uint64(1); seed <= uint64(s.Seeds); seed++ {
		net, err := p.network(seed)
		if err != nil {
			return nil, err
		}
		if ev == nil { // the closure depends on the data and shapes only
			if ev, err = p.evaluator(net, 0); err != nil {
				return nil, err
			}
			for _, l := range net.Learnables() {
				d.Learnables = append(d.Learnables, learnable{Name: l.Name(), Shape: l.Shape, Offset: l.Offset})
			}
		}
		sd := seedDump{Seed: seed, Params: net.Flat()}
		grad := make([]float64, len(sd.Params))
		var extra any
		if sd.Loss, extra, err = ev.Evaluate(sd.Params, grad); err != nil {
			return nil, fmt.Errorf("seed %d: initial loss: %w", seed, err)
		}
		m, ok := extra.(nn.Metrics)
		if !ok {
			return nil, fmt.Errorf("seed %d: extra output is %T, want nn.Metrics", seed, extra)
		}
		sd.GradientNorm, sd.Accuracy = norm(grad), m.Accuracy
		d.Seeds = append(d.Seeds, sd)
	}
	return d, nil
}

// norm returns ‖v‖₂.
func norm(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}
