package nn

import (
	"fmt"

	"gorgonia.org/gorgonia"
)

// FullyConnected is the layer Y = X·W + b, with W of shape
// (InputSize, OutputSize) and b of length OutputSize; its learnables are,
// in this order, "Weights" then "Bias". It is one fused op (a GEMM plus
// the bias); its backward pass is two GEMMs and a column sum.
type FullyConnected struct {
	// Name is the layer's name; default "fc1", "fc2", … counting the
	// network's fully connected layers. Valid: unique in the network,
	// no "/".
	Name string `json:"-"`
	// OutputSize is the number of outputs. Valid: >= 1.
	OutputSize int `json:"outputSize"`
	// WeightsInitializer fills W; default GlorotUniform (MATLAB's
	// "glorot"). Not stored in model files.
	WeightsInitializer Initializer `json:"-"`
	// BiasInitializer fills b; default Zeros (MATLAB's "zeros"). Not
	// stored in model files.
	BiasInitializer Initializer `json:"-"`
}

// Kind returns KindFullyConnected.
func (l FullyConnected) Kind() LayerKind { return KindFullyConnected }

// LayerName returns l.Name.
func (l FullyConnected) LayerName() string { return l.Name }

// Setup declares W (in × OutputSize, regularised by L2) and b.
func (l FullyConnected) Setup(in int) (LayerSetup, error) {
	if l.OutputSize < 1 {
		return LayerSetup{}, fmt.Errorf("OutputSize = %d (valid: >= 1)", l.OutputSize)
	}
	out := l.OutputSize
	return LayerSetup{OutputSize: out, Learnables: []LearnableSpec{
		{Name: "Weights", Shape: []int{in, out}, Init: orInit(l.WeightsInitializer, GlorotUniform), FanIn: in, FanOut: out, L2: true},
		{Name: "Bias", Shape: []int{out}, Init: orInit(l.BiasInitializer, Zeros), FanIn: in, FanOut: out},
	}}, nil
}

// Forward applies the fused dense op.
func (l FullyConnected) Forward(x *gorgonia.Node, ps []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	if len(ps) != 2 {
		return nil, fmt.Errorf("%d learnables, want 2", len(ps))
	}
	return gorgonia.ApplyOpWithName(&denseOp{opBase: newOpBase(), inputGrad: ctx.InputGradient}, ctx.Name, x, ps[0], ps[1])
}

// ForwardJet applies the layer to a jet (Jet.Dense).
func (l FullyConnected) ForwardJet(j *Jet, ps []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	if len(ps) != 2 {
		return nil, fmt.Errorf("%d learnables, want 2", len(ps))
	}
	return j.Dense(ps[0], ps[1], ctx.InputGradient)
}

func (l FullyConnected) renamed(name string) Layer { l.Name = name; return l }

func orInit(f, def Initializer) Initializer {
	if f == nil {
		return def
	}
	return f
}
