package nn

import (
	"errors"
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ForwardOptions configures Forward.
type ForwardOptions struct {
	// InputGradient lets gradients flow back to the input node. Default
	// false: the input is data, and a first FullyConnected layer skips the
	// product dX = dZ·Wᵀ nobody needs (asking gorgonia.Grad for x's
	// gradient then fails).
	InputGradient bool
	// Training builds the layers as an Objective does (ForwardContext.
	// Training); default false, as Predict does.
	Training bool
}

// ForwardNodes are the nodes Forward adds to a graph.
type ForwardNodes struct {
	// Input is the node the network was applied to.
	Input *gorgonia.Node
	// Output is the network's output, rows × OutputSize.
	Output *gorgonia.Node
	// Logits is the input of the final layer when that layer is a Softmax
	// or Sigmoid (what a stable loss is computed from), else Output.
	Logits *gorgonia.Node
	// Layers holds each layer's output, in order; the last is Output.
	Layers []*gorgonia.Node
	// Learnables are input nodes for the learnables, in Learnables order,
	// named "fc1/Weights" etc. and bound to copies of the network's
	// current values (Params): pass them with a cost to gorgonia.Grad or
	// as autodiff.Graph.Params, whose flat vector then has Params' layout.
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
	outs, err := n.forward(x, ps, opts.InputGradient, opts.Training, len(n.layers))
	if err != nil {
		return fn, err
	}
	fn = ForwardNodes{Input: x, Output: outs[len(outs)-1], Layers: outs, Learnables: ps}
	fn.Logits = fn.Output
	if end := n.logitsEnd(); end < len(n.layers) {
		fn.Logits = x
		if end > 0 {
			fn.Logits = outs[end-1]
		}
	}
	return fn, nil
}

// logitsEnd returns the index of a final Softmax or Sigmoid layer, or
// len(layers) if the last layer is neither.
func (n *Network) logitsEnd() int {
	last := len(n.layers) - 1
	if k := n.layers[last].layer.Kind(); k == KindSoftmax || k == KindSigmoid {
		return last
	}
	return len(n.layers)
}

// cloneTensors returns copies of the learnables' values as tensors of the
// network's dtype.
func (n *Network) cloneTensors() []*tensor.Dense {
	ts := make([]*tensor.Dense, len(n.params))
	for i := range n.params {
		p := &n.params[i]
		ts[i] = tensor.New(tensor.Of(n.dtype), tensor.WithShape(p.spec.Shape...))
		setFloats(ts[i], n.flat[p.offset:p.offset+p.size()])
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

// learnableNodes creates the learnables' input nodes in g, bound to ts
// (unbound when ts is nil).
func (n *Network) learnableNodes(g *gorgonia.ExprGraph, ts []*tensor.Dense) []*gorgonia.Node {
	ps := make([]*gorgonia.Node, len(n.params))
	for i := range n.params {
		p := &n.params[i]
		opts := []gorgonia.NodeConsOpt{gorgonia.WithShape(p.spec.Shape...), gorgonia.WithName(p.name())}
		if ts != nil {
			opts = append(opts, gorgonia.WithValue(ts[i]))
		}
		ps[i] = gorgonia.NewTensor(g, n.dtype, len(p.spec.Shape), opts...)
	}
	return ps
}

// forward applies layers [0, end) to x and returns each one's output;
// ps are all the network's learnable nodes; inputGrad says whether x
// needs a gradient. Each layer's output is checked against its Setup.
func (n *Network) forward(x *gorgonia.Node, ps []*gorgonia.Node, inputGrad, training bool, end int) ([]*gorgonia.Node, error) {
	return n.layersForward(x, ps, inputGrad, training, end, false)
}

// forwardFused is forward on data x (no input gradient) with each
// FullyConnected layer and a fusable built-in activation after it (see
// fusable) as one op, whose node is the activation's output; the
// FullyConnected layer's entry in the outputs is nil. For graphs whose
// intermediate outputs nobody reads: an Objective's built-in loss and
// Predict.
func (n *Network) forwardFused(x *gorgonia.Node, ps []*gorgonia.Node, training bool, end int) ([]*gorgonia.Node, error) {
	return n.layersForward(x, ps, false, training, end, true)
}

func (n *Network) layersForward(x *gorgonia.Node, ps []*gorgonia.Node, inputGrad, training bool, end int, fuse bool) ([]*gorgonia.Node, error) {
	outs := make([]*gorgonia.Node, 0, end)
	h := x
	for i := 0; i < end; i++ {
		l := n.layers[i]
		ctx := ForwardContext{Name: l.name, Dtype: n.dtype, Training: training, InputGradient: inputGrad}
		k := len(l.setup.Learnables)
		var out *gorgonia.Node
		var err error
		if a, ok := n.fusedActivation(i, end, fuse); ok {
			outs = append(outs, nil)
			i++
			l = n.layers[i]
			op := &denseActOp{opBase: newOpBase(), act: a, name: "Dense" + a.String(), inputGrad: inputGrad}
			out, err = gorgonia.ApplyOpWithName(op, l.name, h, ps[n.layers[i-1].first], ps[n.layers[i-1].first+1])
		} else {
			out, err = forwardOf(l.layer, h, ps[l.first:l.first+k], ctx)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: layer %d (%s) on input %v: %w", ErrGraph, i, l.name, h.Shape(), err)
		}
		want := tensor.Shape{h.Shape()[0], l.setup.OutputSize}
		if out == nil || !out.Shape().Eq(want) || out.Dtype() != n.dtype {
			return nil, fmt.Errorf("%w: layer %d (%s): output %s, its Setup declares %v %v for input %v", ErrInvalidNetwork, i, l.name, describe(out), n.dtype, want, h.Shape())
		}
		outs = append(outs, out)
		// once a layer with learnables has been applied, its output
		// depends on them and needs a gradient
		inputGrad = inputGrad || k > 0
		h = out
	}
	return outs, nil
}

// fusedActivation returns the activation of layer i+1 when fuse is set,
// layer i is a FullyConnected layer and layer i+1 < end a fusable
// built-in activation.
func (n *Network) fusedActivation(i, end int, fuse bool) (activation, bool) {
	if !fuse || i+1 >= end {
		return activation{}, false
	}
	if _, ok := n.layers[i].layer.(FullyConnected); !ok {
		return activation{}, false
	}
	al, ok := n.layers[i+1].layer.(activationLayer)
	if !ok || !fusable(al.act()) {
		return activation{}, false
	}
	return al.act(), true
}

// forwardOf calls l.Forward, turning a panic into an error.
func forwardOf(l Layer, x *gorgonia.Node, ps []*gorgonia.Node, ctx ForwardContext) (out *gorgonia.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("forward panicked: %v", r)
		}
	}()
	return l.Forward(x, ps, ctx)
}

// describe names a node's dtype and shape, or nil.
func describe(x *gorgonia.Node) string {
	if x == nil {
		return "nil"
	}
	return fmt.Sprintf("%v %v", x.Dtype(), x.Shape())
}

// probeRows is the row count of the graph New builds to check the layers.
const probeRows = 2

// probe builds the forward pass on an unbound input of probeRows rows,
// so that a layer whose output does not have the shape its Setup declares
// is an error at construction.
func (n *Network) probe() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %w", ErrInvalidNetwork, graphPanic("check layers", r))
		}
	}()
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, n.dtype, gorgonia.WithShape(probeRows, n.inputSize), gorgonia.WithName("X"))
	if _, err = n.forward(x, n.learnableNodes(g, nil), false, true, len(n.layers)); err != nil && !errors.Is(err, ErrInvalidNetwork) {
		err = fmt.Errorf("%w: %w", ErrInvalidNetwork, inner(err))
	}
	return err
}

// graphPanic turns a panic recovered from gorgonia into an error
// wrapping ErrGraph.
func graphPanic(what string, r any) error {
	return fmt.Errorf("%w: %s: gorgonia panicked: %v", ErrGraph, what, r)
}
