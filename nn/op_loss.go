package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// lossOp computes a loss of Z (logits or outputs) against targets T,
// each row weighted by W (rows × 1) when the op has that third input, divided by
// norm (the number of observations, or of entries, of the whole
// evaluation, so that shards of a batch sum to the batch's loss). For
// CrossEntropy it keeps the softmax of Z for its gradient op, which reads
// it after the loss is computed (the gradient op takes the loss as an
// input, so the tape runs it later).
type lossOp struct {
	opBase
	spec     lossSpec
	weighted bool // a third input: per-row weights
	norm     float64
	probs    buffer // CrossEntropy: softmax(Z), private to this op and its gradient
	out      scalarOut
}

// arity is the number of data inputs: Z, T and possibly W.
func (op *lossOp) arity() int {
	if op.weighted {
		return 3
	}
	return 2
}

// The methods of lossOp implement gorgonia.Op and gorgonia.SDOp.
func (op *lossOp) Arity() int { return op.arity() }
func (op *lossOp) Type() hm.Type {
	if op.weighted {
		return hm.NewFnType(matA, matA, matA, scalar)
	}
	return hm.NewFnType(matA, matA, scalar)
}
func (op *lossOp) String() string        { return op.spec.loss.String() }
func (op *lossOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *lossOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *lossOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	dims := []int{2, 2, 2}[:op.arity()]
	s, err := shapes(op.String(), ds, dims...)
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(s[1]) {
		return nil, fmt.Errorf("nn: %v: outputs %v and targets %v differ in shape", op, s[0], s[1])
	}
	if op.weighted && (s[2][0] != s[0][0] || s[2][1] != 1) {
		return nil, fmt.Errorf("nn: %v: %d row weights for %d rows", op, s[2][0], s[0][0])
	}
	return tensor.ScalarShape(), nil
}

// inputs checks and returns Z, T and W (nil without weights).
func (op *lossOp) inputs(name string, vals []gorgonia.Value) (z, t, w *tensor.Dense, err error) {
	if z, err = dense(name, 0, vals[0], 2); err != nil {
		return nil, nil, nil, err
	}
	if t, err = dense(name, 1, vals[1], 2); err != nil {
		return nil, nil, nil, err
	}
	if err = sameDtype(name, z, t); err != nil {
		return nil, nil, nil, err
	}
	if !z.Shape().Eq(t.Shape()) {
		return nil, nil, nil, fmt.Errorf("nn: %s: outputs %v and targets %v differ in shape", name, z.Shape(), t.Shape())
	}
	if op.weighted {
		if w, err = dense(name, 2, vals[2], 2); err != nil {
			return nil, nil, nil, err
		}
		if err = sameDtype(name, z, w); err != nil {
			return nil, nil, nil, err
		}
		if w.Shape()[0] != z.Shape()[0] || w.Shape()[1] != 1 {
			return nil, nil, nil, fmt.Errorf("nn: %s: %d row weights for %d rows", name, w.Shape()[0], z.Shape()[0])
		}
	}
	return z, t, w, nil
}

func (op *lossOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity(op.String(), vals, op.arity()); err != nil {
		return nil, err
	}
	z, t, w, err := op.inputs(op.String(), vals)
	if err != nil {
		return nil, err
	}
	s := z.Shape()
	var sum float64
	if z.Dtype() == tensor.Float64 {
		sum = lossValue(op.spec, s[1], z.Float64s(), t.Float64s(), floats64(w), op.probs64(s))
	} else {
		sum = lossValue(op.spec, s[1], z.Float32s(), t.Float32s(), floats32(w), op.probs32(s))
	}
	return op.out.set(z.Dtype(), sum/op.norm), nil
}

// floats64 and floats32 return w's values, nil for a nil w.
func floats64(w *tensor.Dense) []float64 {
	if w == nil {
		return nil
	}
	return w.Float64s()
}

func floats32(w *tensor.Dense) []float32 {
	if w == nil {
		return nil
	}
	return w.Float32s()
}

// probs64 and probs32 return the softmax buffer for CrossEntropy, nil for
// the other losses.
func (op *lossOp) probs64(s tensor.Shape) []float64 {
	if op.spec.loss != CrossEntropy {
		return nil
	}
	return op.probs.get(tensor.Float64, s[0], s[1]).Float64s()
}

func (op *lossOp) probs32(s tensor.Shape) []float32 {
	if op.spec.loss != CrossEntropy {
		return nil
	}
	return op.probs.get(tensor.Float32, s[0], s[1]).Float32s()
}

// DiffWRT: Z only; the targets and weights are data.
func (op *lossOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	d[0] = true
	return d
}

func (op *lossOp) SymDiff(in gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != op.arity() {
		return nil, fmt.Errorf("nn: %v: %d inputs, want %d", op, len(in), op.arity())
	}
	args := append(append(gorgonia.Nodes{}, in...), output, grad)
	g, err := gorgonia.ApplyOp(&lossGradOp{opBase: newOpBase(), fwd: op}, args...)
	if err != nil {
		return nil, err
	}
	out := make(gorgonia.Nodes, len(in))
	out[0] = g
	return out, nil
}

// lossGradOp computes dZ = dL·∂loss/∂Z from Z, T, W (when weighted), the
// loss (unused but for ordering) and dL.
type lossGradOp struct {
	opBase
	fwd *lossOp
	out buffer
}

// The methods of lossGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *lossGradOp) Arity() int { return op.fwd.arity() + 2 }
func (op *lossGradOp) Type() hm.Type {
	if op.fwd.weighted {
		return hm.NewFnType(matA, matA, matA, scalar, scalar, matA)
	}
	return hm.NewFnType(matA, matA, scalar, scalar, matA)
}
func (op *lossGradOp) String() string        { return op.fwd.spec.gradName() }
func (op *lossGradOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *lossGradOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *lossGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ds) != op.Arity() {
		return nil, fmt.Errorf("nn: %v: %d inputs, want %d", op, len(ds), op.Arity())
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
	if err := arity(name, vals, op.Arity()); err != nil {
		return nil, err
	}
	k := op.fwd.arity()
	z, t, w, err := op.fwd.inputs(name, vals[:k])
	if err != nil {
		return nil, err
	}
	dl, err := scalarValue(name, vals[k+1])
	if err != nil {
		return nil, err
	}
	s := z.Shape()
	p := op.fwd.probs.t
	if op.fwd.spec.loss == CrossEntropy && (p == nil || !p.Shape().Eq(s) || p.Dtype() != z.Dtype()) {
		return nil, fmt.Errorf("nn: %s: run before its loss", name)
	}
	dz := op.out.get(z.Dtype(), s[0], s[1])
	scale := dl / op.fwd.norm
	if z.Dtype() == tensor.Float64 {
		lossGrad(op.fwd.spec, s[1], scale, z.Float64s(), t.Float64s(), floats64(w), op.fwd.probs64(s), dz.Float64s())
	} else {
		lossGrad(op.fwd.spec, s[1], scale, z.Float32s(), t.Float32s(), floats32(w), op.fwd.probs32(s), dz.Float32s())
	}
	return dz, nil
}

func (op *lossGradOp) DiffWRT(n int) []bool { return make([]bool, n) }
func (op *lossGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}
