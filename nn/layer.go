package nn

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LayerKind names a type of layer: the name it is registered under
// (RegisterLayer), stored in model files, and the prefix of the layer's
// default name ("fc1", "relu2", …).
type LayerKind string

// The kinds of the built-in layers.
const (
	KindFullyConnected LayerKind = "fc"
	KindReLU           LayerKind = "relu"
	KindLeakyReLU      LayerKind = "leakyrelu"
	KindTanh           LayerKind = "tanh"
	KindSigmoid        LayerKind = "sigmoid"
	KindELU            LayerKind = "elu"
	KindGELU           LayerKind = "gelu"
	KindSoftmax        LayerKind = "softmax"
)

// A Layer is one stage of a network: it maps a rows × InputSize matrix
// node to a rows × OutputSize matrix node, rows being observations. The
// built-in layers (FullyConnected, ReLU, …) and a caller's own types
// implement it alike; a network treats them the same way.
//
// Layers are values: a network keeps the Layer it was given and calls its
// methods, so a layer must not change after New. A layer that is to be
// saved and loaded is registered under its Kind (RegisterLayerType) and
// is stored as its JSON encoding.
type Layer interface {
	// Kind returns the name the layer's type is registered under.
	Kind() LayerKind
	// Setup validates the layer's fields for inputs of width in and
	// returns its output width and its learnables, in a fixed order.
	Setup(in int) (LayerSetup, error)
	// Forward adds the layer to x's graph: x is rows × in, ps are the
	// nodes of the layer's learnables in Setup's order, and the result
	// must be rows × OutputSize. A layer built from gorgonia's own ops is
	// differentiated by gorgonia.
	Forward(x *gorgonia.Node, ps []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error)
}

// NamedLayer is a Layer that carries its own name (the built-in layers'
// Name field). A layer without one, or with an empty name, gets the
// default "<kind><k>", k counting the network's layers of that kind from 1.
// Valid names are unique in the network and contain no "/".
type NamedLayer interface {
	Layer
	LayerName() string
}

// LayerSetup is what a layer declares for a given input width.
type LayerSetup struct {
	// OutputSize is the width of the layer's output. Valid: >= 1.
	OutputSize int
	// Learnables are the layer's learnable parameters, in the order
	// Forward receives their nodes and the flat vector stores them.
	Learnables []LearnableSpec
}

// LearnableSpec describes one learnable parameter of a layer.
type LearnableSpec struct {
	// Name is the parameter's name within the layer ("Weights"); the
	// network's key for it is "<layer>/<Name>". Valid: non-empty, unique
	// in the layer, no "/".
	Name string
	// Shape is the parameter's shape, each dimension >= 1; its values are
	// stored row-major.
	Shape []int
	// Init fills the values at New; nil means Zeros.
	Init Initializer
	// FanIn and FanOut are passed to Init.
	FanIn, FanOut int
	// L2 says whether ObjectiveOptions.L2 regularises the parameter
	// (weights yes, biases no).
	L2 bool
	// Statistic marks a value the layer computes from data rather than
	// learns (BatchNorm's TrainedMean): the loss's gradient for it is
	// zero, so a solver leaves it where it is, and
	// Network.FitStatistics sets it.
	Statistic bool
}

// ForwardContext tells a layer's Forward where it is built.
type ForwardContext struct {
	// Name is the layer's resolved name, for naming its nodes.
	Name string
	// Dtype is the network's dtype: tensor.Float64 or tensor.Float32.
	Dtype tensor.Dtype
	// Training is true in the graphs of an Objective, false in those of
	// Predict: a layer that behaves differently when trained (batch
	// normalisation) reads it.
	Training bool
	// InputGradient says whether x needs a gradient: false for the data
	// input of the first layers before any learnable, true after it (and
	// throughout with ForwardOptions.InputGradient). A fused op may skip
	// the product nobody needs.
	InputGradient bool
}

// size returns the number of values of the shape.
func (s LearnableSpec) size() int {
	n := 1
	for _, d := range s.Shape {
		n *= d
	}
	return n
}

// layerName returns the name l carries, or "".
func layerName(l Layer) string {
	if nl, ok := l.(NamedLayer); ok {
		return nl.LayerName()
	}
	return ""
}

// setupOf calls l.Setup(in), turning a panic (a nil pointer layer) into
// an error.
func setupOf(l Layer, in int) (s LayerSetup, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("setup panicked: %v", r)
		}
	}()
	return l.Setup(in)
}

// kindOf returns l.Kind(), or "" for a nil layer or one whose Kind panics.
func kindOf(l Layer) (k LayerKind) {
	if l == nil {
		return ""
	}
	defer func() {
		if recover() != nil {
			k = ""
		}
	}()
	return l.Kind()
}
