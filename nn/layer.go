package nn

import (
	"fmt"
	"math"
	"strings"
)

// Defaults of the layers' fields (MATLAB's leakyReluLayer and eluLayer).
const (
	DefaultLeakyReLUScale = 0.01
	DefaultELUAlpha       = 1.0
)

// A Layer is one stage of a network: FullyConnected, ReLU, LeakyReLU,
// Tanh, Sigmoid, ELU, GELU or Softmax (the set is closed: the model file
// stores each by name). Layers are values; a network copies them, so
// changing a Layer after New has no effect on the network.
//
// Every layer has a Name field: the layer's name in the network and the
// prefix of its learnables' names ("fc1/Weights"). Default: the layer's
// type and its count among the network's layers of that type ("fc1",
// "relu2", …). Valid: unique in the network, no "/".
type Layer interface {
	// spec returns the layer's description as stored in a model file,
	// with its name as given (possibly empty).
	spec() layerSpec
}

// FullyConnected is the layer Y = X·W + b, with W of shape
// (InputSize, OutputSize) and b of length OutputSize; its learnables are,
// in this order, "Weights" then "Bias".
type FullyConnected struct {
	// Name is the layer's name; default "fc1", "fc2", … counting the
	// network's fully connected layers. Valid: unique in the network,
	// no "/".
	Name string
	// OutputSize is the number of outputs. Valid: >= 1.
	OutputSize int
	// WeightsInitializer fills W; default GlorotUniform (MATLAB's
	// "glorot").
	WeightsInitializer Initializer
	// BiasInitializer fills b; default Zeros (MATLAB's "zeros").
	BiasInitializer Initializer
}

// ReLU is max(z, 0).
type ReLU struct {
	Name string // default "relu1", "relu2", … (see Layer)
}

// LeakyReLU is z for z > 0 and Scale·z otherwise.
type LeakyReLU struct {
	Name string // default "leakyrelu1", … (see Layer)
	// Scale is the slope for z <= 0; 0 means DefaultLeakyReLUScale (0.01).
	// Valid: finite, >= 0.
	Scale float64
}

// Tanh is tanh(z).
type Tanh struct {
	Name string // default "tanh1", … (see Layer)
}

// Sigmoid is 1/(1 + e^(−z)). Before a BinaryCrossEntropy loss it must be
// the last layer; the loss is then computed from its input.
type Sigmoid struct {
	Name string // default "sigmoid1", … (see Layer)
}

// ELU is z for z > 0 and Alpha·(e^z − 1) otherwise.
type ELU struct {
	Name string // default "elu1", … (see Layer)
	// Alpha is the saturation value for z → −∞; 0 means DefaultELUAlpha
	// (1). Valid: finite, >= 0.
	Alpha float64
}

// GELU is z·Φ(z) with Φ the standard normal distribution function (the
// exact form, MATLAB's geluLayer default).
type GELU struct {
	Name string // default "gelu1", … (see Layer)
}

// Softmax normalises each row: exp(z_k) / Σ_j exp(z_j). Before a
// CrossEntropy loss it must be the last layer; the loss is then computed
// from its input.
type Softmax struct {
	Name string // default "softmax1", … (see Layer)
}

func (l FullyConnected) spec() layerSpec {
	return layerSpec{Type: typeFC, Name: l.Name, OutputSize: l.OutputSize}
}
func (l ReLU) spec() layerSpec { return layerSpec{Type: typeReLU, Name: l.Name} }
func (l LeakyReLU) spec() layerSpec {
	return layerSpec{Type: typeLeakyReLU, Name: l.Name, Alpha: orDefault(l.Scale, DefaultLeakyReLUScale)}
}
func (l Tanh) spec() layerSpec    { return layerSpec{Type: typeTanh, Name: l.Name} }
func (l Sigmoid) spec() layerSpec { return layerSpec{Type: typeSigmoid, Name: l.Name} }
func (l ELU) spec() layerSpec {
	return layerSpec{Type: typeELU, Name: l.Name, Alpha: orDefault(l.Alpha, DefaultELUAlpha)}
}
func (l GELU) spec() layerSpec    { return layerSpec{Type: typeGELU, Name: l.Name} }
func (l Softmax) spec() layerSpec { return layerSpec{Type: typeSoftmax, Name: l.Name} }

// withDefaults returns s with a zero Alpha of a LeakyReLU or ELU replaced
// by its default, as the Layer values mean it: a model file stores the
// resolved value, so only a file written by other means has a zero there.
func (s layerSpec) withDefaults() layerSpec {
	switch s.Type {
	case typeLeakyReLU:
		s.Alpha = orDefault(s.Alpha, DefaultLeakyReLUScale)
	case typeELU:
		s.Alpha = orDefault(s.Alpha, DefaultELUAlpha)
	}
	return s
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// Layer type names, as stored in model files; also the prefixes of the
// default layer names.
const (
	typeFC        = "fc"
	typeReLU      = "relu"
	typeLeakyReLU = "leakyrelu"
	typeTanh      = "tanh"
	typeSigmoid   = "sigmoid"
	typeELU       = "elu"
	typeGELU      = "gelu"
	typeSoftmax   = "softmax"
)

// layerSpec describes a layer in a model file.
type layerSpec struct {
	Type       string  `json:"type"`
	Name       string  `json:"name"`
	OutputSize int     `json:"outputSize,omitempty"` // fc
	Alpha      float64 `json:"alpha,omitempty"`      // leakyrelu scale, elu alpha
}

// actKinds maps the activation layers' type names to their functions.
var actKinds = map[string]actKind{
	typeReLU: actReLU, typeLeakyReLU: actLeakyReLU, typeTanh: actTanh, typeSigmoid: actSigmoid,
	typeELU: actELU, typeGELU: actGELU, typeSoftmax: actSoftmax,
}

// activation returns the activation of a non-fc layer.
func (s layerSpec) activation() (activation, bool) {
	k, ok := actKinds[s.Type]
	return activation{kind: k, alpha: s.Alpha}, ok
}

// layer rebuilds the Layer value s describes (initializers are not kept).
func (s layerSpec) layer() Layer {
	switch s.Type {
	case typeFC:
		return FullyConnected{Name: s.Name, OutputSize: s.OutputSize}
	case typeReLU:
		return ReLU{Name: s.Name}
	case typeLeakyReLU:
		return LeakyReLU{Name: s.Name, Scale: s.Alpha}
	case typeTanh:
		return Tanh{Name: s.Name}
	case typeSigmoid:
		return Sigmoid{Name: s.Name}
	case typeELU:
		return ELU{Name: s.Name, Alpha: s.Alpha}
	case typeGELU:
		return GELU{Name: s.Name}
	}
	return Softmax{Name: s.Name}
}

// validate checks the layer's own fields; i is its position.
func (s layerSpec) validate(i int) error {
	if strings.Contains(s.Name, "/") {
		return fmt.Errorf("%w: layer %d: name %q contains \"/\"", ErrInvalidNetwork, i, s.Name)
	}
	switch s.Type {
	case typeFC:
		if s.OutputSize < 1 {
			return fmt.Errorf("%w: layer %d (%s): OutputSize = %d (valid: >= 1)", ErrInvalidNetwork, i, s.Type, s.OutputSize)
		}
		return nil
	case typeLeakyReLU, typeELU:
		if math.IsNaN(s.Alpha) || math.IsInf(s.Alpha, 0) || s.Alpha < 0 {
			return fmt.Errorf("%w: layer %d (%s): parameter = %v (valid: finite, >= 0)", ErrInvalidNetwork, i, s.Type, s.Alpha)
		}
		return nil
	}
	if s.Type == "" {
		return fmt.Errorf("%w: layer %d is nil", ErrInvalidNetwork, i)
	}
	if _, ok := s.activation(); !ok {
		return fmt.Errorf("%w: layer %d: unknown type %q", ErrInvalidNetwork, i, s.Type)
	}
	return nil
}

// resolveNames fills empty names with "<type><k>", k counting layers of
// the type from 1, and checks that names are unique.
func resolveNames(specs []layerSpec) error {
	count := map[string]int{}
	seen := map[string]int{}
	for i := range specs {
		count[specs[i].Type]++
		if specs[i].Name == "" {
			specs[i].Name = fmt.Sprintf("%s%d", specs[i].Type, count[specs[i].Type])
		}
		if j, dup := seen[specs[i].Name]; dup {
			return fmt.Errorf("%w: layers %d and %d are both named %q", ErrInvalidNetwork, j, i, specs[i].Name)
		}
		seen[specs[i].Name] = i
	}
	return nil
}
