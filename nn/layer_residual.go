package nn

import (
	"encoding/json"
	"fmt"

	"gorgonia.org/gorgonia"
)

// KindResidual is the kind of Residual.
const KindResidual LayerKind = "residual"

// Residual is an additive skip connection around a stack of layers, a
// residual block: Y = X + f(X), f the Layers applied in order (MATLAB's
// additionLayer joining a branch to its input). f must keep the width.
// The block's learnables are its layers', in order, named
// "<position>.<name>" with positions from 1 ("res1/1.Weights" for the
// Weights of its first layer), so that they do not depend on the inner
// layers' names. A model file stores the inner layers as a network's
// (kind and configuration), so they must be registered kinds too.
type Residual struct {
	// Name is the layer's name; default "residual1", … (see NamedLayer).
	Name string `json:"-"`
	// Layers are the block's branch, at least one.
	Layers []Layer `json:"-"`
}

// Kind returns KindResidual.
func (l Residual) Kind() LayerKind { return KindResidual }

// LayerName returns l.Name.
func (l Residual) LayerName() string { return l.Name }

func (l Residual) renamed(name string) Layer { l.Name = name; return l }

// setups returns the inner layers' setups for inputs of width in.
func (l Residual) setups(in int) ([]LayerSetup, error) {
	if len(l.Layers) == 0 {
		return nil, fmt.Errorf("no layers in the block")
	}
	ss := make([]LayerSetup, len(l.Layers))
	w := in
	for i, inner := range l.Layers {
		if kindOf(inner) == "" {
			return nil, fmt.Errorf("inner layer %d is nil", i+1)
		}
		s, err := setupOf(inner, w)
		if err != nil {
			return nil, fmt.Errorf("inner layer %d (kind %s): %w", i+1, inner.Kind(), err)
		}
		ss[i], w = s, s.OutputSize
	}
	if w != in {
		return nil, fmt.Errorf("the block maps width %d to %d; the sum X + f(X) needs the same width", in, w)
	}
	return ss, nil
}

// Setup declares the inner layers' learnables, prefixed by their
// positions.
func (l Residual) Setup(in int) (LayerSetup, error) {
	ss, err := l.setups(in)
	if err != nil {
		return LayerSetup{}, err
	}
	var ls []LearnableSpec
	for i, s := range ss {
		for _, p := range s.Learnables {
			p.Name = fmt.Sprintf("%d.%s", i+1, p.Name)
			ls = append(ls, p)
		}
	}
	return LayerSetup{OutputSize: in, Learnables: ls}, nil
}

// branch applies the inner layers to h with fwd, passing each its
// learnables.
func (l Residual) branch(in int, ps []*gorgonia.Node, ctx ForwardContext, fwd func(inner Layer, ps []*gorgonia.Node, ctx ForwardContext) error) error {
	ss, err := l.setups(in)
	if err != nil {
		return err
	}
	k := 0
	for i, inner := range l.Layers {
		n := len(ss[i].Learnables)
		if k+n > len(ps) {
			return fmt.Errorf("%d learnables, the block has more", len(ps))
		}
		sub := ctx
		sub.Name = fmt.Sprintf("%s.%d", ctx.Name, i+1)
		if err := fwd(inner, ps[k:k+n], sub); err != nil {
			return fmt.Errorf("inner layer %d (kind %s): %w", i+1, inner.Kind(), err)
		}
		ctx.InputGradient = ctx.InputGradient || n > 0
		k += n
	}
	return nil
}

// Forward applies the branch and adds its input.
func (l Residual) Forward(x *gorgonia.Node, ps []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	h := x
	err := l.branch(x.Shape()[1], ps, ctx, func(inner Layer, ps []*gorgonia.Node, ctx ForwardContext) error {
		out, err := forwardOf(inner, h, ps, ctx)
		h = out
		return err
	})
	if err != nil {
		return nil, err
	}
	return gorgonia.ApplyOpWithName(&addOp{opBase: newOpBase()}, ctx.Name, x, h)
}

// ForwardJet applies the branch to the jet and adds the jet itself: the
// derivatives of X + f(X) are those of X plus those of f(X). Every inner
// layer must be a JetLayer.
func (l Residual) ForwardJet(j *Jet, ps []*gorgonia.Node, ctx ForwardContext) (*Jet, error) {
	h := j
	err := l.branch(j.Width(), ps, ctx, func(inner Layer, ps []*gorgonia.Node, ctx ForwardContext) error {
		jl, ok := inner.(JetLayer)
		if !ok {
			return fmt.Errorf("does not propagate input derivatives (it does not implement nn.JetLayer)")
		}
		out, err := jl.ForwardJet(h, ps, ctx)
		h = out
		return err
	})
	if err != nil {
		return nil, err
	}
	sum, err := gorgonia.ApplyOpWithName(&addOp{opBase: newOpBase()}, ctx.Name, j.node, h.node)
	if err != nil {
		return nil, err
	}
	return j.with(sum), nil
}

// residualJSON is a Residual's stored configuration: its inner layers as
// a model file stores a network's.
type residualJSON struct {
	Layers []layerEntry `json:"layers"`
}

// MarshalJSON stores the inner layers by kind and configuration; an
// unregistered kind is an error.
func (l Residual) MarshalJSON() ([]byte, error) {
	var r residualJSON
	for i, inner := range l.Layers {
		if kindOf(inner) == "" {
			return nil, fmt.Errorf("inner layer %d is nil", i+1)
		}
		config, err := encodeLayer(inner)
		if err != nil {
			return nil, fmt.Errorf("inner layer %d: %w", i+1, err)
		}
		r.Layers = append(r.Layers, layerEntry{Type: inner.Kind(), Name: layerName(inner), Config: config})
	}
	return json.Marshal(r)
}

// UnmarshalJSON rebuilds the inner layers through the registry.
func (l *Residual) UnmarshalJSON(b []byte) error {
	var r residualJSON
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	l.Layers = make([]Layer, len(r.Layers))
	for i, e := range r.Layers {
		inner, err := decodeLayer(e.Type, e.Config)
		if err != nil {
			return fmt.Errorf("inner layer %d: %w", i+1, err)
		}
		if rn, ok := inner.(renamer); ok && e.Name != "" {
			inner = rn.renamed(e.Name)
		}
		l.Layers[i] = inner
	}
	return nil
}
