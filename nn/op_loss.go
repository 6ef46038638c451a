package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// lossOp computes a Loss of Z (logits or outputs) against targets T,
// divided by norm (the number of observations of the whole batch, so that
// shards of a batch sum to the batch's loss). For CrossEntropy it keeps
// the softmax of Z for its gradient op, which reads it after the loss is
// computed (the gradient op takes the loss as an input, so the tape runs
// it later).
type lossOp struct {
	opBase
	loss  Loss
	norm  float64
	probs buffer // CrossEntropy: softmax(Z), private to this op and its gradient
	out   scalarOut
}

// The methods of lossOp implement gorgonia.Op and gorgonia.SDOp.
func (op *lossOp) Arity() int            { return 2 }
func (op *lossOp) Type() hm.Type         { return hm.NewFnType(matA, matA, scalar) }
func (op *lossOp) String() string        { return op.loss.String() }
func (op *lossOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *lossOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *lossOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes(op.String(), ds, 2, 2)
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(s[1]) {
		return nil, fmt.Errorf("nn: %v: outputs %v and targets %v differ in shape", op, s[0], s[1])
	}
	return tensor.ScalarShape(), nil
}

// inputs checks and returns Z and T.
func (op *lossOp) inputs(name string, vals []gorgonia.Value) (z, t *tensor.Dense, err error) {
	if z, err = dense(name, 0, vals[0], 2); err != nil {
		return nil, nil, err
	}
	if t, err = dense(name, 1, vals[1], 2); err != nil {
		return nil, nil, err
	}
	if err = sameDtype(name, z, t); err != nil {
		return nil, nil, err
	}
	if !z.Shape().Eq(t.Shape()) {
		return nil, nil, fmt.Errorf("nn: %s: outputs %v and targets %v differ in shape", name, z.Shape(), t.Shape())
	}
	return z, t, nil
}

func (op *lossOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity(op.String(), vals, 2); err != nil {
		return nil, err
	}
	z, t, err := op.inputs(op.String(), vals)
	if err != nil {
		return nil, err
	}
	s := z.Shape()
	var sum float64
	if z.Dtype() == tensor.Float64 {
		sum = lossValue(op.loss, s[1], z.Float64s(), t.Float64s(), op.probs64(s))
	} else {
		sum = lossValue(op.loss, s[1], z.Float32s(), t.Float32s(), op.probs32(s))
	}
	return op.out.set(z.Dtype(), sum/op.norm), nil
}

// probs64 and probs32 return the softmax buffer for CrossEntropy, nil for
// the other losses.
func (op *lossOp) probs64(s tensor.Shape) []float64 {
	if op.loss != CrossEntropy {
		return nil
	}
	return op.probs.get(tensor.Float64, s[0], s[1]).Float64s()
}

func (op *lossOp) probs32(s tensor.Shape) []float32 {
	if op.loss != CrossEntropy {
		return nil
	}
	return op.probs.get(tensor.Float32, s[0], s[1]).Float32s()
}

// DiffWRT: Z only; the targets are data.
func (op *lossOp) DiffWRT(int) []bool { return []bool{true, false} }

func (op *lossOp) SymDiff(in gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("nn: %v: %d inputs, want 2", op, len(in))
	}
	g, err := gorgonia.ApplyOp(&lossGradOp{opBase: newOpBase(), fwd: op}, in[0], in[1], output, grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{g, nil}, nil
}

// lossGradOp computes dZ = dL·∂loss/∂Z from Z, T, the loss (unused but for
// ordering) and dL.
type lossGradOp struct {
	opBase
	fwd *lossOp
	out buffer
}

// The methods of lossGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *lossGradOp) Arity() int { return 4 }
func (op *lossGradOp) Type() hm.Type {
	return hm.NewFnType(matA, matA, scalar, scalar, matA)
}
func (op *lossGradOp) String() string        { return op.fwd.loss.gradName() }
func (op *lossGradOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *lossGradOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *lossGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != 4 {
		return nil, fmt.Errorf("nn: %v: %d inputs, want 4", op, len(ds))
	}
	s, err := shapes(op.String(), ds[:2], 2, 2)
	if err != nil {
		return nil, err
	}
	return s[0].Clone(), nil
}

func (op *lossGradOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	name := op.String()
	if err := arity(name, vals, 4); err != nil {
		return nil, err
	}
	z, t, err := op.fwd.inputs(name, vals[:2])
	if err != nil {
		return nil, err
	}
	dl, err := scalarValue(name, vals[3])
	if err != nil {
		return nil, err
	}
	s := z.Shape()
	p := op.fwd.probs.t
	if op.fwd.loss == CrossEntropy && (p == nil || !p.Shape().Eq(s) || p.Dtype() != z.Dtype()) {
		return nil, fmt.Errorf("nn: %s: run before its loss", name)
	}
	dz := op.out.get(z.Dtype(), s[0], s[1])
	scale := dl / op.fwd.norm
	if z.Dtype() == tensor.Float64 {
		lossGrad(op.fwd.loss, s[1], scale, z.Float64s(), t.Float64s(), op.fwd.probs64(s), dz.Float64s())
	} else {
		lossGrad(op.fwd.loss, s[1], scale, z.Float32s(), t.Float32s(), op.fwd.probs32(s), dz.Float32s())
	}
	return dz, nil
}

func (op *lossGradOp) DiffWRT(int) []bool { return []bool{false, false, false, false} }
func (op *lossGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}
