package nn

import (
	"fmt"

	"gorgonia.org/gorgonia"
)

// Derivatives selects the derivatives of a network's outputs y with
// respect to its inputs x that a Jet carries (x_i is column i of the
// batch, y is computed row by row, so ∂y/∂x_i of a row depends on that
// row's inputs only).
type Derivatives struct {
	// First lists inputs i for ∂y/∂x_i. Valid: distinct, 0 <= i <
	// InputSize.
	First []int
	// Second lists pairs (i, j) for ∂²y/∂x_i∂x_j (i = j for ∂²y/∂x_i²).
	// The first derivatives a pair needs are carried along even when
	// First does not list them. Valid: distinct pairs, (i, j) and (j, i)
	// counting as the same, 0 <= i, j < InputSize.
	Second [][2]int
}

// layout validates d for inputs of width in and returns the channels: the
// inputs of First, then those of Second not yet listed, and the pairs.
func (d Derivatives) layout(in int) (jetLayout, error) {
	var l jetLayout
	pos := map[int]int{}
	add := func(i int) error {
		if i < 0 || i >= in {
			return fmt.Errorf("%w: derivative with respect to input %d (valid: 0 to %d)", ErrInvalidOption, i, in-1)
		}
		if _, ok := pos[i]; !ok {
			pos[i] = len(l.first)
			l.first = append(l.first, i)
		}
		return nil
	}
	for k, i := range d.First {
		if _, dup := pos[i]; dup {
			return jetLayout{}, fmt.Errorf("%w: Derivatives.First lists input %d twice (at %d)", ErrInvalidOption, i, k)
		}
		if err := add(i); err != nil {
			return jetLayout{}, err
		}
	}
	seen := map[[2]int]bool{}
	for _, p := range d.Second {
		if err := add(p[0]); err != nil {
			return jetLayout{}, err
		}
		if err := add(p[1]); err != nil {
			return jetLayout{}, err
		}
		key := [2]int{min(p[0], p[1]), max(p[0], p[1])}
		if seen[key] {
			return jetLayout{}, fmt.Errorf("%w: Derivatives.Second lists the pair (%d, %d) twice", ErrInvalidOption, key[0], key[1])
		}
		seen[key] = true
		l.second = append(l.second, [2]int{pos[p[0]], pos[p[1]]})
	}
	return l, nil
}

// A Jet is a batch of values together with their first and second
// derivatives with respect to the inputs of a network, as one gorgonia
// node: the values h (rows × width) stacked on top of one block of the
// same shape per derivative. Layers propagate it forward by the chain
// rule (a fully connected layer applies its weights to every block and its
// bias to the values only; an elementwise activation f gives
// f′(z)·z_i and f″(z)·z_i·z_j + f′(z)·z_ij), each step an op with its own
// first derivative, so the gradient of a loss made of a Jet's blocks with
// respect to the learnables is one ordinary reverse pass (gorgonia.Grad
// or package autodiff), exact, and never a derivative of a derivative.
//
// A Jet is immutable: its methods return new Jets or nodes.
type Jet struct {
	node   *gorgonia.Node
	layout jetLayout
	derivs Derivatives
	inputs int // width of the input batch
}

// NewJet returns the jet of an input batch x (a rows × inputs matrix node
// of float64 or float32) carrying the derivatives d.
func NewJet(x *gorgonia.Node, d Derivatives) (*Jet, error) {
	if x == nil || x.Graph() == nil || x.Dims() != 2 {
		return nil, fmt.Errorf("%w: NewJet: x must be a matrix node in a graph", ErrGraph)
	}
	if dt := x.Dtype(); dt != gorgonia.Float64 && dt != gorgonia.Float32 {
		return nil, fmt.Errorf("%w: NewJet: x has dtype %v (valid: float64 or float32)", ErrGraph, dt)
	}
	l, err := d.layout(x.Shape()[1])
	if err != nil {
		return nil, err
	}
	s, err := gorgonia.ApplyOp(&jetSeedOp{opBase: newOpBase(), layout: l}, x)
	if err != nil {
		return nil, fmt.Errorf("%w: NewJet: %w", ErrGraph, err)
	}
	return &Jet{node: s, layout: l, derivs: d, inputs: x.Shape()[1]}, nil
}

// Node returns the stacked node: the values, then the first derivatives
// in the order of Derivatives.First (followed by those only Second
// needs), then the second derivatives in the order of Derivatives.Second,
// each block Rows() × Width().
func (j *Jet) Node() *gorgonia.Node { return j.node }

// Rows returns the number of rows of the batch.
func (j *Jet) Rows() int { return j.node.Shape()[0] / j.layout.channels() }

// Width returns the number of columns of each block.
func (j *Jet) Width() int { return j.node.Shape()[1] }

// Derivatives returns the derivatives the jet carries.
func (j *Jet) Derivatives() Derivatives { return j.derivs }

// with returns a Jet like j around node.
func (j *Jet) with(node *gorgonia.Node) *Jet {
	return &Jet{node: node, layout: j.layout, derivs: j.derivs, inputs: j.inputs}
}

// Dense applies the fully connected map h·W + b to the jet: h·W + b for
// the values and ∂h·W for every derivative block. w is an in × out matrix
// node, b an out vector node or nil (no bias). inputGrad says whether the
// gradient flows back into the jet (false only for a jet built directly
// on the data by NewJet, which needs none).
func (j *Jet) Dense(w, b *gorgonia.Node, inputGrad bool) (*Jet, error) {
	op := &jetDenseOp{opBase: newOpBase(), c: j.layout.channels(), bias: b != nil, inputGrad: inputGrad}
	in := gorgonia.Nodes{j.node, w}
	if b != nil {
		in = append(in, b)
	}
	z, err := gorgonia.ApplyOp(op, in...)
	if err != nil {
		return nil, fmt.Errorf("%w: Jet.Dense: %w", ErrGraph, err)
	}
	return j.with(z), nil
}

// activation applies an elementwise activation to the jet.
func (j *Jet) activation(act activation, name string) (*Jet, error) {
	if !act.elementwise() {
		return nil, fmt.Errorf("%w: layer %s (%v) is not elementwise: no input derivatives through it", ErrInvalidNetwork, name, act)
	}
	op := &jetActOp{opBase: newOpBase(), act: act, layout: j.layout}
	var a *gorgonia.Node
	var err error
	if name == "" {
		a, err = gorgonia.ApplyOp(op, j.node)
	} else {
		a, err = gorgonia.ApplyOpWithName(op, name, j.node)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: layer %s: %w", ErrGraph, name, err)
	}
	return j.with(a), nil
}

// Value returns the values, rows × width.
func (j *Jet) Value() (*gorgonia.Node, error) { return j.channel(0) }

// D returns ∂h/∂x_i, rows × width; i must be listed in the Jet's
// Derivatives (in First, or in a pair of Second).
func (j *Jet) D(i int) (*gorgonia.Node, error) {
	for k, f := range j.layout.first {
		if f == i {
			return j.channel(1 + k)
		}
	}
	return nil, fmt.Errorf("%w: the jet carries no derivative with respect to input %d", ErrInvalidOption, i)
}

// D2 returns ∂²h/∂x_i∂x_k, rows × width; the pair (i, k) or (k, i) must be
// listed in the Jet's Derivatives.Second.
func (j *Jet) D2(i, k int) (*gorgonia.Node, error) {
	for s, p := range j.derivs.Second {
		if (p[0] == i && p[1] == k) || (p[0] == k && p[1] == i) {
			return j.channel(1 + len(j.layout.first) + s)
		}
	}
	return nil, fmt.Errorf("%w: the jet carries no second derivative with respect to inputs %d and %d", ErrInvalidOption, i, k)
}

// channel returns a node copying block k.
func (j *Jet) channel(k int) (*gorgonia.Node, error) {
	n, err := gorgonia.ApplyOp(&channelOp{opBase: newOpBase(), c: j.layout.channels(), k: k}, j.node)
	if err != nil {
		return nil, fmt.Errorf("%w: jet channel %d: %w", ErrGraph, k, err)
	}
	return n, nil
}

// Apply applies the layer l, a JetLayer, to the jet with its learnable
// nodes ps (in the order of l.Setup; for FullyConnected, Weights then
// Bias), the gradient flowing back into the jet. A layer that is not a
// JetLayer, such as Softmax, which is not elementwise, is an error.
func (j *Jet) Apply(l Layer, ps []*gorgonia.Node) (*Jet, error) {
	jl, ok := l.(JetLayer)
	if !ok || kindOf(l) == "" {
		return nil, fmt.Errorf("%w: Jet.Apply: layer %T does not propagate input derivatives", ErrInvalidOption, l)
	}
	s, err := setupOf(l, j.Width())
	if err != nil {
		return nil, fmt.Errorf("%w: Jet.Apply: layer of kind %s: %w", ErrInvalidOption, l.Kind(), err)
	}
	if len(ps) != len(s.Learnables) {
		return nil, fmt.Errorf("%w: Jet.Apply: layer of kind %s takes %d learnable nodes, got %d", ErrInvalidOption, l.Kind(), len(s.Learnables), len(ps))
	}
	return jl.ForwardJet(j, ps, ForwardContext{Name: layerName(l), Dtype: j.node.Dtype(), Training: true, InputGradient: true})
}

// A JetLayer is a Layer that also propagates a Jet: the values with their
// derivatives with respect to the network's inputs, which
// ForwardDerivatives and ObjectiveOptions.Derivatives need of every layer
// of a network. The built-in layers implement it, except Softmax.
//
// ForwardJet applies the layer to every block of j: for y = g(x), the
// values g(h), the first derivatives g′(h)·h_i and the second derivatives
// g″(h)[h_i, h_j] + g′(h)·h_ij (see Jet). ps are the nodes of the layer's
// learnables in Setup's order, ctx as for Forward. A layer made of
// gorgonia's own ops builds its blocks from j.Blocks() and returns
// j.WithBlocks(...); gorgonia differentiates them (first derivatives
// only, which gorgonia gets right).
type JetLayer interface {
	Layer
	ForwardJet(j *Jet, ps []*gorgonia.Node, ctx ForwardContext) (*Jet, error)
}

// Blocks returns the jet's blocks as nodes, each Rows() × Width(): the
// values, then the first derivatives in FirstInputs order, then the second
// derivatives in Derivatives().Second order. A JetLayer made of
// gorgonia's ops computes its output blocks from these.
func (j *Jet) Blocks() ([]*gorgonia.Node, error) {
	bs := make([]*gorgonia.Node, j.layout.channels())
	for k := range bs {
		var err error
		if bs[k], err = j.channel(k); err != nil {
			return nil, err
		}
	}
	return bs, nil
}

// FirstInputs returns the input index i of each first-derivative block
// ∂h/∂x_i, in order: Derivatives().First, then the inputs only Second
// names.
func (j *Jet) FirstInputs() []int { return append([]int(nil), j.layout.first...) }

// SecondFactors returns, for each second-derivative block ∂²h/∂x_i∂x_j,
// the positions among the first-derivative blocks (FirstInputs) of
// ∂h/∂x_i and ∂h/∂x_j.
func (j *Jet) SecondFactors() [][2]int { return append([][2]int(nil), j.layout.second...) }

// WithBlocks returns a jet carrying j's derivatives made of blocks, in the
// order of Blocks, each Rows() × w for one width w, stacked with
// gorgonia.Concat.
func (j *Jet) WithBlocks(blocks []*gorgonia.Node) (*Jet, error) {
	if len(blocks) != j.layout.channels() {
		return nil, fmt.Errorf("%w: Jet.WithBlocks: %d blocks, the jet has %d", ErrShape, len(blocks), j.layout.channels())
	}
	for k, b := range blocks {
		if b == nil || b.Dims() != 2 || b.Shape()[0] != j.Rows() || b.Shape()[1] != blocks[0].Shape()[1] || b.Dtype() != j.node.Dtype() {
			return nil, fmt.Errorf("%w: Jet.WithBlocks: block %d is %s, want a %v matrix of %d rows like block 0", ErrShape, k, describe(b), j.node.Dtype(), j.Rows())
		}
	}
	s, err := gorgonia.Concat(0, blocks...)
	if err != nil {
		return nil, fmt.Errorf("%w: Jet.WithBlocks: %w", ErrGraph, err)
	}
	return j.with(s), nil
}
