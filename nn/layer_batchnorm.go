package nn

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
)

// KindBatchNorm is the kind of BatchNorm.
const KindBatchNorm LayerKind = "batchnorm"

// BatchNorm is batch normalisation (MATLAB's batchNormalizationLayer):
// each feature (column) is normalised, then scaled and offset,
//
//	Y = Scale ⊙ (X − μ)/√(σ² + Epsilon) + Offset.
//
// In an Objective (training), μ and σ² are the mean and (biased)
// variance of each column over the rows of the evaluation: the whole
// batch in Evaluate, the rows given to EvaluateRows. An objective of a
// network with batch normalisation therefore runs one shard (its
// statistics are those of all the rows). In Predict, μ and σ² are the
// stored statistics, the learnables "TrainedMean" and
// "TrainedVariance" (LearnableSpec.Statistic: never trained, their
// gradient is zero); Network.FitStatistics sets them to the statistics of
// a batch at the current learnables, and Train does so with its batch
// when it ends, so that Predict on the training batch gives the outputs
// training saw. Its learnables are, in MATLAB's order, "Offset" (zeros),
// "Scale" (ones), "TrainedMean" (zeros) and "TrainedVariance" (ones).
type BatchNorm struct {
	Name string `json:"-"` // default "batchnorm1", … (see NamedLayer)
	// Epsilon is added to the variance; 0 means DefaultNormEpsilon
	// (1e-5). Valid: finite, >= 0.
	Epsilon float64 `json:"epsilon,omitempty"`
}

// Kind returns KindBatchNorm.
func (l BatchNorm) Kind() LayerKind { return KindBatchNorm }

// LayerName returns l.Name.
func (l BatchNorm) LayerName() string { return l.Name }

func (l BatchNorm) renamed(name string) Layer { l.Name = name; return l }

// Setup declares Offset, Scale, TrainedMean and TrainedVariance, one value
// per feature.
func (l BatchNorm) Setup(in int) (LayerSetup, error) {
	if math.IsNaN(l.Epsilon) || math.IsInf(l.Epsilon, 0) || l.Epsilon < 0 {
		return LayerSetup{}, fmt.Errorf("Epsilon = %v (valid: finite, >= 0)", l.Epsilon)
	}
	return LayerSetup{OutputSize: in, Learnables: []LearnableSpec{
		{Name: "Offset", Shape: []int{in}, Init: Zeros, FanIn: in, FanOut: in},
		{Name: "Scale", Shape: []int{in}, Init: Ones, FanIn: in, FanOut: in},
		{Name: "TrainedMean", Shape: []int{in}, Init: Zeros, FanIn: in, FanOut: in, Statistic: true},
		{Name: "TrainedVariance", Shape: []int{in}, Init: Ones, FanIn: in, FanOut: in, Statistic: true},
	}}, nil
}

// Forward applies the fused op: with the batch's statistics when
// ctx.Training, the stored ones otherwise.
func (l BatchNorm) Forward(x *gorgonia.Node, ps []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	if len(ps) != 4 {
		return nil, fmt.Errorf("%d learnables, want 4", len(ps))
	}
	op := &batchNormOp{opBase: newOpBase(), eps: orDefault(l.Epsilon, DefaultNormEpsilon), training: ctx.Training,
		statNames: [2]string{ps[2].Name(), ps[3].Name()}}
	return gorgonia.ApplyOpWithName(op, ctx.Name, x, ps[1], ps[0], ps[2], ps[3])
}
