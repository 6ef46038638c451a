package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// l2Op computes (λ/2) Σ_i ‖W_i‖² over its k tensor inputs, accumulated in
// float64: L2 regularisation of a network's weights.
type l2Op struct {
	opBase
	lambda float64
	dims   []int // the inputs' numbers of dimensions
	out    scalarOut
}

// The methods of l2Op implement gorgonia.Op and gorgonia.SDOp.
func (op *l2Op) Arity() int { return len(op.dims) }
func (op *l2Op) Type() hm.Type {
	ts := make([]hm.Type, len(op.dims)+1)
	for i, d := range op.dims {
		ts[i] = gorgonia.TensorType{Dims: d, Of: typeA}
	}
	ts[len(op.dims)] = scalar
	return hm.NewFnType(ts...)
}
func (op *l2Op) String() string        { return fmt.Sprintf("L2{%g}", op.lambda) }
func (op *l2Op) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *l2Op) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *l2Op) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if _, err := shapes("L2", ds, op.dims...); err != nil {
		return nil, err
	}
	return tensor.ScalarShape(), nil
}

func (op *l2Op) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("L2", vals, len(op.dims)); err != nil {
		return nil, err
	}
	sum := 0.0
	var dt tensor.Dtype
	for i, v := range vals {
		w, err := dense("L2", i, v, op.dims[i])
		if err != nil {
			return nil, err
		}
		dt = w.Dtype()
		if dt == tensor.Float64 {
			sum += sumSquares(w.Float64s())
		} else {
			sum += sumSquares(w.Float32s())
		}
	}
	return op.out.set(dt, 0.5*op.lambda*sum), nil
}

// sumSquares returns Σ w² in float64.
func sumSquares[T float](w []T) float64 {
	s := 0.0
	for _, v := range w {
		s += float64(v) * float64(v)
	}
	return s
}

func (op *l2Op) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}

// SymDiff returns dW_i = dL·λ·W_i.
func (op *l2Op) SymDiff(in gorgonia.Nodes, _, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	out := make(gorgonia.Nodes, len(in))
	for i, w := range in {
		var err error
		if out[i], err = gorgonia.ApplyOp(&scaleOp{opBase: newOpBase(), factor: op.lambda, dims: op.dims[i]}, w, grad); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scaleOp computes factor·s·A for a tensor A of dims dimensions and a
// scalar s.
type scaleOp struct {
	opBase
	factor float64
	dims   int
	out    buffer
}

// The methods of scaleOp implement gorgonia.Op and gorgonia.SDOp.
func (op *scaleOp) Arity() int { return 2 }
func (op *scaleOp) Type() hm.Type {
	t := gorgonia.TensorType{Dims: op.dims, Of: typeA}
	return hm.NewFnType(t, scalar, t)
}
func (op *scaleOp) String() string        { return fmt.Sprintf("Scale{%g}", op.factor) }
func (op *scaleOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *scaleOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *scaleOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != 2 {
		return nil, fmt.Errorf("nn: %v: %d inputs, want 2", op, len(ds))
	}
	s, err := shapes("Scale", ds[:1], op.dims)
	if err != nil {
		return nil, err
	}
	return s[0].Clone(), nil
}

func (op *scaleOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("Scale", vals, 2); err != nil {
		return nil, err
	}
	a, err := dense("Scale", 0, vals[0], op.dims)
	if err != nil {
		return nil, err
	}
	s, err := scalarValue("Scale", vals[1])
	if err != nil {
		return nil, err
	}
	c := op.out.get(a.Dtype(), a.Shape()...)
	if a.Dtype() == tensor.Float64 {
		scaleInto(op.factor*s, a.Float64s(), c.Float64s())
	} else {
		scaleInto(op.factor*s, a.Float32s(), c.Float32s())
	}
	return c, nil
}

// scaleInto sets c = f·a.
func scaleInto[T float](f float64, a, c []T) {
	for i, v := range a {
		c[i] = T(f * float64(v))
	}
}

func (op *scaleOp) DiffWRT(int) []bool { return []bool{false, false} }
func (op *scaleOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}
