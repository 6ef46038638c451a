package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// addOp computes C = A + B for two matrices of one shape: the sum of a
// residual block's input and its branch. Its gradient passes dC to both.
type addOp struct {
	opBase
	out buffer
}

// The methods of addOp implement gorgonia.Op and gorgonia.SDOp.
func (op *addOp) Arity() int            { return 2 }
func (op *addOp) Type() hm.Type         { return hm.NewFnType(matA, matA, matA) }
func (op *addOp) String() string        { return "Add" }
func (op *addOp) WriteHash(h hash.Hash) { hashOp(h, "Add", op.id) }
func (op *addOp) Hashcode() uint32      { return hashCode("Add", op.id) }

func (op *addOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("Add", ds, 2, 2)
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(s[1]) {
		return nil, fmt.Errorf("nn: Add: shapes %v and %v differ", s[0], s[1])
	}
	return s[0].Clone(), nil
}

func (op *addOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("Add", vals, 2); err != nil {
		return nil, err
	}
	a, err := dense("Add", 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	b, err := dense("Add", 1, vals[1], 2)
	if err != nil {
		return nil, err
	}
	if err := sameDtype("Add", a, b); err != nil {
		return nil, err
	}
	if !a.Shape().Eq(b.Shape()) {
		return nil, fmt.Errorf("nn: Add: shapes %v and %v differ", a.Shape(), b.Shape())
	}
	c := op.out.get(a.Dtype(), a.Shape()...)
	if a.Dtype() == tensor.Float64 {
		addInto(a.Float64s(), b.Float64s(), c.Float64s())
	} else {
		addInto(a.Float32s(), b.Float32s(), c.Float32s())
	}
	return c, nil
}

// addInto sets c = a + b.
func addInto[T float](a, b, c []T) {
	for i, v := range a {
		c[i] = v + b[i]
	}
}

func (op *addOp) DiffWRT(int) []bool { return []bool{true, true} }

// SymDiff returns dA = dB = dC.
func (op *addOp) SymDiff(in gorgonia.Nodes, _, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("nn: Add: %d inputs, want 2", len(in))
	}
	return gorgonia.Nodes{grad, grad}, nil
}
