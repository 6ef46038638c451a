package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// actOp applies an activation to a matrix: Y = f(Z), elementwise (row-wise
// for Softmax).
type actOp struct {
	opBase
	act activation
	out buffer
}

// The methods of actOp implement gorgonia.Op and gorgonia.SDOp.
func (op *actOp) Arity() int            { return 1 }
func (op *actOp) Type() hm.Type         { return hm.NewFnType(matA, matA) }
func (op *actOp) String() string        { return op.act.String() }
func (op *actOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *actOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *actOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes(op.String(), ds, 2)
	if err != nil {
		return nil, err
	}
	return s[0].Clone(), nil
}

func (op *actOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity(op.String(), vals, 1); err != nil {
		return nil, err
	}
	z, err := dense(op.String(), 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	s := z.Shape()
	y := op.out.get(z.Dtype(), s[0], s[1])
	if z.Dtype() == tensor.Float64 {
		activate(op.act, s[1], z.Float64s(), y.Float64s())
	} else {
		activate(op.act, s[1], z.Float32s(), y.Float32s())
	}
	return y, nil
}

func (op *actOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff returns dZ = activationGrad(Z, Y, dY).
func (op *actOp) SymDiff(in gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("nn: %v: %d inputs, want 1", op, len(in))
	}
	g, err := gorgonia.ApplyOp(&actGradOp{opBase: newOpBase(), act: op.act}, in[0], output, grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{g}, nil
}

// actGradOp computes dZ from Z, Y = f(Z) and dY.
type actGradOp struct {
	opBase
	act activation
	out buffer
}

// The methods of actGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *actGradOp) Arity() int            { return 3 }
func (op *actGradOp) Type() hm.Type         { return hm.NewFnType(matA, matA, matA, matA) }
func (op *actGradOp) String() string        { return op.act.gradName() }
func (op *actGradOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *actGradOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *actGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes(op.String(), ds, 2, 2, 2)
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(s[1]) || !s[0].Eq(s[2]) {
		return nil, fmt.Errorf("nn: %v: shapes %v, %v, %v differ", op, s[0], s[1], s[2])
	}
	return s[0].Clone(), nil
}

func (op *actGradOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	name := op.String()
	if err := arity(name, vals, 3); err != nil {
		return nil, err
	}
	var t [3]*tensor.Dense
	for i := range t {
		var err error
		if t[i], err = dense(name, i, vals[i], 2); err != nil {
			return nil, err
		}
	}
	if err := sameDtype(name, t[0], t[1], t[2]); err != nil {
		return nil, err
	}
	s := t[0].Shape()
	if !s.Eq(t[1].Shape()) || !s.Eq(t[2].Shape()) {
		return nil, fmt.Errorf("nn: %s: shapes %v, %v, %v differ", name, s, t[1].Shape(), t[2].Shape())
	}
	dz := op.out.get(t[0].Dtype(), s[0], s[1])
	if t[0].Dtype() == tensor.Float64 {
		activateGrad(op.act, s[1], t[0].Float64s(), t[1].Float64s(), t[2].Float64s(), dz.Float64s())
	} else {
		activateGrad(op.act, s[1], t[0].Float32s(), t[1].Float32s(), t[2].Float32s(), dz.Float32s())
	}
	return dz, nil
}

func (op *actGradOp) DiffWRT(int) []bool { return []bool{false, false, false} }
func (op *actGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}
