package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// param is one learnable parameter: a view into the network's flat vector.
type param struct {
	layer  string
	spec   LearnableSpec
	offset int           // position in the flat vector
	t      *tensor.Dense // float64: a view into the flat vector; float32: a rounded copy
}

// size returns the number of values, the product of the shape.
func (p *param) size() int { return p.spec.size() }

// name returns the key "layer/parameter".
func (p *param) name() string { return p.layer + "/" + p.spec.Name }

// setFloats copies v into the values of t, a float64 or float32 tensor
// of len(v) values, converting to t's dtype.
func setFloats(t *tensor.Dense, v []float64) {
	if t.Dtype() == tensor.Float64 {
		copy(t.Float64s(), v)
		return
	}
	dst := t.Float32s()
	for i, x := range v {
		dst[i] = float32(x)
	}
}

// getFloats copies the values of t, a float64 or float32 tensor of len(v)
// values, into v as float64.
func getFloats(t *tensor.Dense, v []float64) {
	if t.Dtype() == tensor.Float64 {
		copy(v, t.Float64s())
		return
	}
	for i, x := range t.Float32s() {
		v[i] = float64(x)
	}
}

// syncTensors makes the float32 copies of the learnables equal to the
// flat vector, rounded; a float64 network's tensors are views and always
// are. The caller holds n.mu.
func (n *Network) syncTensors() {
	if n.dtype == tensor.Float64 {
		return
	}
	for i := range n.params {
		p := &n.params[i]
		setFloats(p.t, n.flat[p.offset:p.offset+p.size()])
	}
}

// NumLearnables returns the number of learnable values, the length of the
// flat vector.
func (n *Network) NumLearnables() int {
	if n == nil {
		return 0
	}
	return n.size
}

// Params returns the network's flat vector of learnables itself, not a
// copy: the values of Learnables concatenated in order, each row-major.
// Hand it to the solver, which moves it in place; Predict, Classify,
// Save and Learnables read it. A float32 network rounds the values to
// float32 where it uses them. Nil for a nil or zero Network.
func (n *Network) Params() []float64 {
	if n.valid() != nil {
		return nil
	}
	return n.flat
}

// errFlatLen reports a flat vector of the wrong length.
func (n *Network) errFlatLen(what string, got int) error {
	return fmt.Errorf("%w: %s has length %d, the network has %d learnables", ErrShape, what, got, n.size)
}

// FlatLearnables copies Params into dst (len NumLearnables). It allocates
// nothing.
func (n *Network) FlatLearnables(dst []float64) error {
	if err := n.valid(); err != nil {
		return err
	}
	if len(dst) != n.size {
		return n.errFlatLen("dst", len(dst))
	}
	copy(dst, n.flat)
	return nil
}

// SetFlatLearnables copies src (len NumLearnables) into Params. It
// allocates nothing. Graphs built before by NewObjective and Forward
// take their values from the x of each evaluation and are not affected.
func (n *Network) SetFlatLearnables(src []float64) error {
	if err := n.valid(); err != nil {
		return err
	}
	if len(src) != n.size {
		return n.errFlatLen("src", len(src))
	}
	copy(n.flat, src)
	return nil
}

// Flat returns a copy of Params (nil for a nil or zero Network).
func (n *Network) Flat() []float64 {
	if n.valid() != nil {
		return nil
	}
	return append([]float64(nil), n.flat...)
}

// Learnable is one row of the Learnables table.
type Learnable struct {
	Layer     string    // layer name, e.g. "fc1"
	Parameter string    // the name the layer gives it, e.g. "Weights"
	Shape     []int     // e.g. (in, out) for Weights, (out) for Bias
	Offset    int       // position of the first value in Params
	Statistic bool      // computed from data, not trained (LearnableSpec.Statistic)
	Value     []float64 // a copy of the values, row-major (rounded to float32 for a float32 network)
}

// Name returns "Layer/Parameter", e.g. "fc1/Weights": a stable key for
// checkpoints.
func (l Learnable) Name() string { return l.Layer + "/" + l.Parameter }

// Learnables returns the table of learnable parameters, in flat order,
// with copies of their values.
func (n *Network) Learnables() []Learnable {
	if n == nil {
		return nil
	}
	ls := make([]Learnable, len(n.params))
	for i := range n.params {
		p := &n.params[i]
		v := append([]float64(nil), n.flat[p.offset:p.offset+p.size()]...)
		if n.dtype == tensor.Float32 {
			roundFloat32(v)
		}
		ls[i] = Learnable{Layer: p.layer, Parameter: p.spec.Name, Shape: append([]int(nil), p.spec.Shape...), Offset: p.offset, Value: v, Statistic: p.spec.Statistic}
	}
	return ls
}
