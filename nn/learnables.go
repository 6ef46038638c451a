package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// param is one learnable parameter.
type param struct {
	layer, name string
	shape       []int
	offset      int // position in the flat vector
	t           *tensor.Dense
}

// size returns the number of values, the product of the shape.
func (p *param) size() int {
	s := 1
	for _, d := range p.shape {
		s *= d
	}
	return s
}

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

// NumLearnables returns the number of learnable values, the length of the
// flat vector.
func (n *Network) NumLearnables() int {
	if n == nil {
		return 0
	}
	return n.size
}

// errFlatLen reports a flat vector of the wrong length.
func (n *Network) errFlatLen(what string, got int) error {
	return fmt.Errorf("%w: %s has length %d, the network has %d learnables", ErrShape, what, got, n.size)
}

// FlatLearnables copies the learnables into dst (len NumLearnables) in
// the documented order, converting float32 values exactly to float64. It
// allocates nothing.
func (n *Network) FlatLearnables(dst []float64) error {
	if err := n.valid(); err != nil {
		return err
	}
	if len(dst) != n.size {
		return n.errFlatLen("dst", len(dst))
	}
	for i := range n.params {
		p := &n.params[i]
		getFloats(p.t, dst[p.offset:p.offset+p.size()])
	}
	return nil
}

// SetFlatLearnables copies src (len NumLearnables) into the learnables,
// rounding to float32 for a float32 network. It allocates nothing. Graphs
// built before by NewObjective and Forward keep their own copies and are
// not affected; Predict is.
func (n *Network) SetFlatLearnables(src []float64) error {
	if err := n.valid(); err != nil {
		return err
	}
	if len(src) != n.size {
		return n.errFlatLen("src", len(src))
	}
	for i := range n.params {
		p := &n.params[i]
		setFloats(p.t, src[p.offset:p.offset+p.size()])
	}
	return nil
}

// Flat returns a new slice holding FlatLearnables (nil for a nil or zero
// Network).
func (n *Network) Flat() []float64 {
	if n.valid() != nil {
		return nil
	}
	v := make([]float64, n.size)
	_ = n.FlatLearnables(v) // cannot fail: v has the right length
	return v
}

// Learnable is one row of the Learnables table.
type Learnable struct {
	Layer     string    // layer name, e.g. "fc1"
	Parameter string    // "Weights" or "Bias"
	Shape     []int     // (in, out) for Weights, (out) for Bias
	Offset    int       // position of the first value in the flat vector
	Value     []float64 // a copy of the values, row-major
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
		v := make([]float64, p.size())
		getFloats(p.t, v)
		ls[i] = Learnable{Layer: p.layer, Parameter: p.name, Shape: append([]int(nil), p.shape...), Offset: p.offset, Value: v}
	}
	return ls
}
