package nn

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ForwardOptions configures Forward.
type ForwardOptions struct {
	// InputGradient lets gradients flow back to the input node. Default
	// false: the input is data, and the first layer skips the product
	// dX = dZ·Wᵀ nobody needs (asking gorgonia.Grad for x's gradient then
	// fails).
	InputGradient bool
}

// ForwardNodes are the nodes Forward adds to a graph.
type ForwardNodes struct {
	// Output is the network's output, rows × OutputSize.
	Output *gorgonia.Node
	// Logits is the input of the final layer when that layer is a Softmax
	// or Sigmoid (what a stable loss is computed from), else Output.
	Logits *gorgonia.Node
	// Learnables are input nodes for the learnables, in Learnables order,
	// named "fc1/Weights" etc. and bound to copies of the network's current
	// values: pass them with a cost to gorgonia.Grad or to autodiff.
	Learnables []*gorgonia.Node
}

// Forward adds the network's forward pass for x (a rows × InputSize
// matrix node of the network's dtype) to x's graph, so that the network
// can be part of any graph: a custom loss, or a larger model.
func (n *Network) Forward(x *gorgonia.Node, opts ForwardOptions) (fn ForwardNodes, err error) {
	defer func() {
		if r := recover(); r != nil {
			fn, err = ForwardNodes{}, graphPanic("forward", r)
		}
	}()
	if err := n.valid(); err != nil {
		return fn, err
	}
	if x == nil || x.Graph() == nil {
		return fn, fmt.Errorf("%w: Forward: x is nil or in no graph", ErrGraph)
	}
	if x.Dims() != 2 || x.Shape()[1] != n.inputSize || x.Dtype() != n.dtype {
		return fn, fmt.Errorf("%w: Forward: x is %v %v, want a (rows, %d) %v matrix", ErrShape, x.Dtype(), x.Shape(), n.inputSize, n.dtype)
	}
	ps := n.learnableNodes(x.Graph(), n.cloneTensors())
	logits, err := n.forward(x, ps, opts.InputGradient, n.logitsEnd())
	if err != nil {
		return fn, err
	}
	out := logits
	if end := n.logitsEnd(); end < len(n.specs) {
		if out, err = n.forwardFrom(logits, ps, false, end, len(n.specs)); err != nil {
			return fn, err
		}
	}
	return ForwardNodes{Output: out, Logits: logits, Learnables: ps}, nil
}

// logitsEnd returns the index of a final Softmax or Sigmoid layer, or
// len(specs) if the last layer is neither.
func (n *Network) logitsEnd() int {
	last := len(n.specs) - 1
	if t := n.specs[last].Type; t == typeSoftmax || t == typeSigmoid {
		return last
	}
	return len(n.specs)
}

// cloneTensors returns copies of the learnables' tensors.
func (n *Network) cloneTensors() []*tensor.Dense {
	ts := make([]*tensor.Dense, len(n.params))
	for i := range n.params {
		ts[i] = n.params[i].t.Clone().(*tensor.Dense)
	}
	return ts
}

// liveTensors returns the learnables' own tensors.
func (n *Network) liveTensors() []*tensor.Dense {
	ts := make([]*tensor.Dense, len(n.params))
	for i := range n.params {
		ts[i] = n.params[i].t
	}
	return ts
}

// learnableNodes creates the learnables' input nodes in g, bound to ts.
func (n *Network) learnableNodes(g *gorgonia.ExprGraph, ts []*tensor.Dense) []*gorgonia.Node {
	ps := make([]*gorgonia.Node, len(n.params))
	for i := range n.params {
		p := &n.params[i]
		opts := []gorgonia.NodeConsOpt{gorgonia.WithShape(p.shape...), gorgonia.WithName(p.layer + "/" + p.name), gorgonia.WithValue(ts[i])}
		if len(p.shape) == 2 {
			ps[i] = gorgonia.NewMatrix(g, n.dtype, opts...)
		} else {
			ps[i] = gorgonia.NewVector(g, n.dtype, opts...)
		}
	}
	return ps
}

// forward applies layers [0, end) to x.
func (n *Network) forward(x *gorgonia.Node, ps []*gorgonia.Node, inputGrad bool, end int) (*gorgonia.Node, error) {
	return n.forwardFrom(x, ps, inputGrad, 0, end)
}

// forwardFrom applies layers [start, end) to h; ps are all the network's
// learnable nodes; inputGrad says whether h needs a gradient.
func (n *Network) forwardFrom(h *gorgonia.Node, ps []*gorgonia.Node, inputGrad bool, start, end int) (*gorgonia.Node, error) {
	k := n.paramIndex(start)
	var err error
	for _, s := range n.specs[start:end] {
		if s.Type == typeFC {
			op := &denseOp{opBase: newOpBase(), inputGrad: inputGrad}
			h, err = gorgonia.ApplyOpWithName(op, s.Name, h, ps[k], ps[k+1])
			k += 2
		} else {
			act, _ := s.activation() // validated by build
			h, err = gorgonia.ApplyOpWithName(&actOp{opBase: newOpBase(), act: act}, s.Name, h)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: layer %s: %w", ErrGraph, s.Name, err)
		}
		// a layer's input depends on learnables once a FullyConnected
		// layer has been applied
		inputGrad = inputGrad || s.Type == typeFC
	}
	return h, nil
}

// paramIndex returns the index in params of the first learnable of layer
// start or later.
func (n *Network) paramIndex(start int) int {
	k := 0
	for _, s := range n.specs[:start] {
		if s.Type == typeFC {
			k += 2
		}
	}
	return k
}

// graphPanic turns a panic recovered from gorgonia into an error
// wrapping ErrGraph.
func graphPanic(what string, r any) error {
	return fmt.Errorf("%w: %s: gorgonia panicked: %v", ErrGraph, what, r)
}
