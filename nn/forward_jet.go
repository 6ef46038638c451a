package nn

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// DerivativeNodes are the nodes ForwardDerivatives adds to a graph.
type DerivativeNodes struct {
	// Output is the network's output y, rows × OutputSize.
	Output *gorgonia.Node
	// First holds ∂y/∂x_i for each i of Derivatives.First, in order.
	First []*gorgonia.Node
	// Second holds ∂²y/∂x_i∂x_j for each pair of Derivatives.Second, in
	// order.
	Second []*gorgonia.Node
	// Jet is the network's output jet, for derivatives not listed above.
	Jet *Jet
	// Learnables are the learnable nodes the pass used, in Learnables
	// order: those passed to ForwardDerivatives, or new input nodes bound
	// to copies of the network's values. Pass them with a cost to
	// package autodiff.
	Learnables []*gorgonia.Node
}

// ForwardDerivatives adds to x's graph the network's forward pass for the
// batch x (a rows × InputSize matrix node of the network's dtype)
// together with the derivatives d of its output with respect to its
// inputs: MATLAB's dlgradient(..., EnableHigherDerivatives=true) and
// PyTorch's autograd.grad(..., create_graph=True) for first and second
// derivatives, computed forward (see Jet), so that a loss containing them
// has an exact gradient with respect to the learnables in one reverse
// pass.
//
// learnables are the learnable nodes to use, in Learnables order, from an
// earlier ForwardDerivatives or Forward on the same graph, so that several
// batches (collocation points, boundary points) share one set of
// parameters; nil creates them. With no derivatives, d the zero value,
// Output is the plain forward pass.
//
// Every layer must be a JetLayer: every built-in layer except Softmax
// propagates derivatives, and a user's layer can (JetLayer). Tanh,
// Sigmoid, Softplus, Swish, GELU and ELU give exact second derivatives
// (ELU's jumps at 0, where the left value is used). ReLU and LeakyReLU are
// piecewise linear: their second derivative is 0 wherever it exists, so
// second derivatives of a ReLU network are 0 almost everywhere, as in
// MATLAB and PyTorch; use a smooth activation when a loss needs them.
func (n *Network) ForwardDerivatives(x *gorgonia.Node, d Derivatives, learnables []*gorgonia.Node) (dn DerivativeNodes, err error) {
	defer func() {
		if r := recover(); r != nil {
			dn, err = DerivativeNodes{}, graphPanic("forward derivatives", r)
		}
	}()
	if err := n.valid(); err != nil {
		return dn, err
	}
	if x == nil || x.Graph() == nil {
		return dn, fmt.Errorf("%w: ForwardDerivatives: x is nil or in no graph", ErrGraph)
	}
	if x.Dims() != 2 || x.Shape()[1] != n.inputSize || x.Dtype() != n.dtype {
		return dn, fmt.Errorf("%w: ForwardDerivatives: x is %v %v, want a (rows, %d) %v matrix", ErrShape, x.Dtype(), x.Shape(), n.inputSize, n.dtype)
	}
	ps, err := n.checkLearnableNodes(x.Graph(), learnables)
	if err != nil {
		return dn, err
	}
	j, err := NewJet(x, d)
	if err != nil {
		return dn, err
	}
	if j, err = n.forwardJet(j, ps); err != nil {
		return dn, err
	}
	dn = DerivativeNodes{Jet: j, Learnables: ps}
	if dn.Output, err = j.Value(); err != nil {
		return DerivativeNodes{}, err
	}
	for _, i := range d.First {
		node, err := j.D(i)
		if err != nil {
			return DerivativeNodes{}, err
		}
		dn.First = append(dn.First, node)
	}
	for _, p := range d.Second {
		node, err := j.D2(p[0], p[1])
		if err != nil {
			return DerivativeNodes{}, err
		}
		dn.Second = append(dn.Second, node)
	}
	return dn, nil
}

// forwardJet applies every layer to j; ps are all the network's
// learnable nodes.
func (n *Network) forwardJet(j *Jet, ps []*gorgonia.Node) (*Jet, error) {
	inputGrad := false
	for i, l := range n.layers {
		k := len(l.setup.Learnables)
		ctx := ForwardContext{Name: l.name, Dtype: n.dtype, Training: true, InputGradient: inputGrad}
		out, err := forwardJetOf(l.layer, j, ps[l.first:l.first+k], ctx)
		if err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, l.name, err)
		}
		if out == nil || out.Width() != l.setup.OutputSize || out.Rows() != j.Rows() || out.layout.channels() != j.layout.channels() {
			return nil, fmt.Errorf("%w: layer %d (%s): ForwardJet returned a jet of another shape than its Setup declares (%d columns)", ErrInvalidNetwork, i, l.name, l.setup.OutputSize)
		}
		j = out
		inputGrad = inputGrad || k > 0
	}
	return j, nil
}

// checkLearnableNodes returns ps if they fit the network and g, or new
// learnable nodes in g, bound to copies of Params, if ps is nil.
func (n *Network) checkLearnableNodes(g *gorgonia.ExprGraph, ps []*gorgonia.Node) ([]*gorgonia.Node, error) {
	if ps == nil {
		return n.learnableNodes(g, n.cloneTensors()), nil
	}
	if len(ps) != len(n.params) {
		return nil, fmt.Errorf("%w: %d learnable nodes, the network has %d learnables", ErrShape, len(ps), len(n.params))
	}
	for i, p := range ps {
		want := n.params[i].spec.Shape
		if p == nil || p.Graph() != g || p.Dtype() != n.dtype || !p.Shape().Eq(tensor.Shape(want)) {
			return nil, fmt.Errorf("%w: learnable node %d (%s) is not a %v %v node of x's graph", ErrShape, i, n.params[i].name(), n.dtype, want)
		}
	}
	return ps, nil
}
