package nn

import "gorgonia.org/gorgonia"

// The kinds of the smooth activations of this file.
const (
	KindSoftplus LayerKind = "softplus"
	KindSwish    LayerKind = "swish"
)

// Softplus is log(1 + e^z), a smooth ReLU (MATLAB's softplusLayer).
type Softplus struct {
	Name string `json:"-"` // default "softplus1", … (see NamedLayer)
}

// Swish is z·σ(z), σ the logistic sigmoid (MATLAB's swishLayer; SiLU).
type Swish struct {
	Name string `json:"-"` // default "swish1", … (see NamedLayer)
}

func init() {
	if err := RegisterLayerType[Softplus](KindSoftplus); err != nil {
		panic(err)
	}
	if err := RegisterLayerType[Swish](KindSwish); err != nil {
		panic(err)
	}
}

// Kind, LayerName, Setup, Forward and ForwardJet of Softplus and Swish.

func (l Softplus) Kind() LayerKind                  { return KindSoftplus }
func (l Swish) Kind() LayerKind                     { return KindSwish }
func (l Softplus) LayerName() string                { return l.Name }
func (l Swish) LayerName() string                   { return l.Name }
func (l Softplus) Setup(in int) (LayerSetup, error) { return LayerSetup{OutputSize: in}, nil }
func (l Swish) Setup(in int) (LayerSetup, error)    { return LayerSetup{OutputSize: in}, nil }
func (l Softplus) renamed(name string) Layer        { l.Name = name; return l }
func (l Swish) renamed(name string) Layer           { l.Name = name; return l }
func (l Softplus) Forward(x *gorgonia.Node, _ []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	return applyActivation(x, ctx, activation{kind: actSoftplus})
}
func (l Swish) Forward(x *gorgonia.Node, _ []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	return applyActivation(x, ctx, activation{kind: actSwish})
}
func (l Softplus) ForwardJet(j *Jet, _ []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	return j.activation(activation{kind: actSoftplus}, ctx.Name)
}
func (l Swish) ForwardJet(j *Jet, _ []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	return j.activation(activation{kind: actSwish}, ctx.Name)
}
