package nn

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
)

// Defaults of the layers' fields (MATLAB's leakyReluLayer and eluLayer).
const (
	DefaultLeakyReLUScale = 0.01
	DefaultELUAlpha       = 1.0
)

// ReLU is max(z, 0).
type ReLU struct {
	Name string `json:"-"` // default "relu1", "relu2", … (see NamedLayer)
}

// LeakyReLU is z for z > 0 and Scale·z otherwise.
type LeakyReLU struct {
	Name string `json:"-"` // default "leakyrelu1", … (see NamedLayer)
	// Scale is the slope for z <= 0; 0 means DefaultLeakyReLUScale (0.01).
	// Valid: finite, >= 0.
	Scale float64 `json:"scale,omitempty"`
}

// Tanh is tanh(z).
type Tanh struct {
	Name string `json:"-"` // default "tanh1", … (see NamedLayer)
}

// Sigmoid is 1/(1 + e^(−z)). Before a BinaryCrossEntropy loss it must be
// the last layer; the loss is then computed from its input.
type Sigmoid struct {
	Name string `json:"-"` // default "sigmoid1", … (see NamedLayer)
}

// ELU is z for z > 0 and Alpha·(e^z − 1) otherwise.
type ELU struct {
	Name string `json:"-"` // default "elu1", … (see NamedLayer)
	// Alpha is the saturation value for z → −∞; 0 means DefaultELUAlpha
	// (1). Valid: finite, >= 0.
	Alpha float64 `json:"alpha,omitempty"`
}

// GELU is z·Φ(z) with Φ the standard normal distribution function (the
// exact form, MATLAB's geluLayer default).
type GELU struct {
	Name string `json:"-"` // default "gelu1", … (see NamedLayer)
}

// Softmax normalises each row: exp(z_k) / Σ_j exp(z_j). Before a
// CrossEntropy loss it must be the last layer; the loss is then computed
// from its input.
type Softmax struct {
	Name string `json:"-"` // default "softmax1", … (see NamedLayer)
}

// Kind, LayerName, Setup and Forward of the activation layers. An
// activation keeps the width of its input and has no learnables.

func (l ReLU) Kind() LayerKind      { return KindReLU }
func (l LeakyReLU) Kind() LayerKind { return KindLeakyReLU }
func (l Tanh) Kind() LayerKind      { return KindTanh }
func (l Sigmoid) Kind() LayerKind   { return KindSigmoid }
func (l ELU) Kind() LayerKind       { return KindELU }
func (l GELU) Kind() LayerKind      { return KindGELU }
func (l Softmax) Kind() LayerKind   { return KindSoftmax }

func (l ReLU) LayerName() string      { return l.Name }
func (l LeakyReLU) LayerName() string { return l.Name }
func (l Tanh) LayerName() string      { return l.Name }
func (l Sigmoid) LayerName() string   { return l.Name }
func (l ELU) LayerName() string       { return l.Name }
func (l GELU) LayerName() string      { return l.Name }
func (l Softmax) LayerName() string   { return l.Name }

func (l ReLU) Setup(in int) (LayerSetup, error)    { return LayerSetup{OutputSize: in}, nil }
func (l Tanh) Setup(in int) (LayerSetup, error)    { return LayerSetup{OutputSize: in}, nil }
func (l Sigmoid) Setup(in int) (LayerSetup, error) { return LayerSetup{OutputSize: in}, nil }
func (l GELU) Setup(in int) (LayerSetup, error)    { return LayerSetup{OutputSize: in}, nil }
func (l Softmax) Setup(in int) (LayerSetup, error) { return LayerSetup{OutputSize: in}, nil }
func (l LeakyReLU) Setup(in int) (LayerSetup, error) {
	return LayerSetup{OutputSize: in}, checkParameter("Scale", l.Scale)
}
func (l ELU) Setup(in int) (LayerSetup, error) {
	return LayerSetup{OutputSize: in}, checkParameter("Alpha", l.Alpha)
}

func (l ReLU) Forward(x *gorgonia.Node, _ []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	return applyActivation(x, ctx, l.act())
}
func (l LeakyReLU) Forward(x *gorgonia.Node, _ []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	return applyActivation(x, ctx, l.act())
}
func (l Tanh) Forward(x *gorgonia.Node, _ []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	return applyActivation(x, ctx, l.act())
}
func (l Sigmoid) Forward(x *gorgonia.Node, _ []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	return applyActivation(x, ctx, l.act())
}
func (l ELU) Forward(x *gorgonia.Node, _ []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	return applyActivation(x, ctx, l.act())
}
func (l GELU) Forward(x *gorgonia.Node, _ []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	return applyActivation(x, ctx, l.act())
}
func (l Softmax) Forward(x *gorgonia.Node, _ []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	return applyActivation(x, ctx, l.act())
}

// act returns the function a built-in activation layer applies, with its
// parameter.
func (l ReLU) act() activation { return activation{kind: actReLU} }
func (l LeakyReLU) act() activation {
	return activation{kind: actLeakyReLU, alpha: orDefault(l.Scale, DefaultLeakyReLUScale)}
}
func (l Tanh) act() activation    { return activation{kind: actTanh} }
func (l Sigmoid) act() activation { return activation{kind: actSigmoid} }
func (l ELU) act() activation {
	return activation{kind: actELU, alpha: orDefault(l.Alpha, DefaultELUAlpha)}
}
func (l GELU) act() activation    { return activation{kind: actGELU} }
func (l Softmax) act() activation { return activation{kind: actSoftmax} }

// activationLayer is a built-in activation layer.
type activationLayer interface {
	Layer
	act() activation
}

// ForwardJet of the activation layers propagates the values and their
// input derivatives through the elementwise function (Softmax, which is
// not elementwise, has none).

func (l ReLU) ForwardJet(j *Jet, _ []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	return j.activation(l.act(), ctx.Name)
}
func (l LeakyReLU) ForwardJet(j *Jet, _ []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	return j.activation(l.act(), ctx.Name)
}
func (l Tanh) ForwardJet(j *Jet, _ []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	return j.activation(l.act(), ctx.Name)
}
func (l Sigmoid) ForwardJet(j *Jet, _ []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	return j.activation(l.act(), ctx.Name)
}
func (l ELU) ForwardJet(j *Jet, _ []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	return j.activation(l.act(), ctx.Name)
}
func (l GELU) ForwardJet(j *Jet, _ []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	return j.activation(l.act(), ctx.Name)
}

func (l ReLU) renamed(name string) Layer      { l.Name = name; return l }
func (l LeakyReLU) renamed(name string) Layer { l.Name = name; return l }
func (l Tanh) renamed(name string) Layer      { l.Name = name; return l }
func (l Sigmoid) renamed(name string) Layer   { l.Name = name; return l }
func (l ELU) renamed(name string) Layer       { l.Name = name; return l }
func (l GELU) renamed(name string) Layer      { l.Name = name; return l }
func (l Softmax) renamed(name string) Layer   { l.Name = name; return l }

// applyActivation adds the fused activation op to x's graph.
func applyActivation(x *gorgonia.Node, ctx ForwardContext, a activation) (*gorgonia.Node, error) {
	return gorgonia.ApplyOpWithName(&actOp{opBase: newOpBase(), act: a}, ctx.Name, x)
}

// checkParameter validates a LeakyReLU scale or an ELU alpha.
func checkParameter(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("%s = %v (valid: finite, >= 0)", name, v)
	}
	return nil
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
