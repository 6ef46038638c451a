package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// A FullyConnected layer followed by a built-in activation whose
// derivative is a function of its output (fusable) becomes one op when
// nn builds an Objective's or a prediction's graph: Y = f(X·W + b) is
// the bias copied into Y, one GEMM adding X·W, and f applied in place,
// so that Z = X·W + b never takes a buffer of its own; the backward pass
// computes dZ = dY ⊙ f′(Y) and the bias gradient Σ_rows dZ in one pass
// over dY, then the products dW = Xᵀ·dZ and dX = dZ·Wᵀ. The fused op
// computes what the two unfused ops compute, in the same order, so the
// results are bit-identical.

// fusable reports whether a can be fused into the dense op before it:
// its derivative is a function of y = f(z) (ReLU, LeakyReLU and ELU: z > 0
// exactly where y > 0, for slopes and saturations >= 0; Tanh: 1 − y²;
// Sigmoid: y(1 − y)).
func fusable(a activation) bool {
	switch a.kind {
	case actReLU, actLeakyReLU, actELU, actTanh, actSigmoid:
		return true
	}
	return false
}

// denseActOp computes Y = f(X·W + b) for X (n×in), W (in×out), b (out)
// and a fusable f.
type denseActOp struct {
	opBase
	act       activation
	name      string // "Dense" and the activation, named once rather than on every run
	inputGrad bool   // differentiate with respect to X too
	out       buffer
	scratch   buffer
}

// The methods of denseActOp implement gorgonia.Op and gorgonia.SDOp.
func (op *denseActOp) Arity() int            { return 3 }
func (op *denseActOp) Type() hm.Type         { return hm.NewFnType(matA, matA, vecA, matA) }
func (op *denseActOp) String() string        { return op.name }
func (op *denseActOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *denseActOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *denseActOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	return (&denseOp{}).InferShape(ds...)
}

func (op *denseActOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	x, w, b, err := denseInputs(op.name, vals)
	if err != nil {
		return nil, err
	}
	n, in, out := x.Shape()[0], x.Shape()[1], w.Shape()[1]
	y := op.out.get(x.Dtype(), n, out)
	if x.Dtype() == tensor.Float64 {
		denseActForward(op.act, n, in, out, x.Float64s(), w.Float64s(), b.Float64s(), y.Float64s(), &op.scratch)
	} else {
		denseActForward(op.act, n, in, out, x.Float32s(), w.Float32s(), b.Float32s(), y.Float32s(), &op.scratch)
	}
	return y, nil
}

// denseActForward sets y = f(x·w + b), f applied in place after the
// product.
func denseActForward[T float](a activation, n, in, out int, x, w, b, y []T, s *buffer) {
	denseForward(n, in, out, x, w, b, y, s)
	activate(a, out, y, y)
}

func (op *denseActOp) DiffWRT(int) []bool { return []bool{op.inputGrad, true, true} }

// SymDiff returns dX = dZ·Wᵀ (when inputGrad), dW = Xᵀ·dZ and db, with dZ
// and db from one pass over Y and dY.
func (op *denseActOp) SymDiff(in gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("nn: %v: %d inputs, want 3", op, len(in))
	}
	if f, ok := grad.Op().(*gatedBackOp); ok {
		// the layer above computed dZ = dY ⊙ f′(Y) and the bias gradient
		// with its own gradients (gateBelow)
		if f.y != output {
			return nil, fmt.Errorf("nn: %v: the gradient of another node's output", op)
		}
		db, err := gorgonia.ApplyOp(&biasGradOp{opBase: newOpBase(), src: f}, grad)
		if err != nil {
			return nil, err
		}
		return denseGrads(in, grad, db, op.inputGrad)
	}
	g := &actBiasGradOp{opBase: newOpBase(), act: op.act, name: op.act.gradName() + "Bias"}
	dz, err := gorgonia.ApplyOp(g, output, grad)
	if err != nil {
		return nil, err
	}
	db, err := gorgonia.ApplyOp(&biasGradOp{opBase: newOpBase(), src: g}, dz)
	if err != nil {
		return nil, err
	}
	return denseGrads(in, dz, db, op.inputGrad)
}

// actBiasGradOp computes dZ = dY ⊙ f′(Y) from Y and dY, and in the same
// pass the bias gradient Σ_rows dZ, which it keeps for the biasGradOp
// that reads it.
type actBiasGradOp struct {
	opBase
	act    activation
	name   string // the activation's gradient and "Bias", named once rather than on every run
	out    buffer
	dbias  buffer
	filled bool // dbias holds the sums of the latest run
}

// The methods of actBiasGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *actBiasGradOp) Arity() int            { return 2 }
func (op *actBiasGradOp) Type() hm.Type         { return hm.NewFnType(matA, matA, matA) }
func (op *actBiasGradOp) String() string        { return op.name }
func (op *actBiasGradOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *actBiasGradOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *actBiasGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes(op.String(), ds, 2, 2)
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(s[1]) {
		return nil, fmt.Errorf("nn: %v: shapes %v, %v differ", op, s[0], s[1])
	}
	return s[0].Clone(), nil
}

func (op *actBiasGradOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	name := op.String()
	if err := arity(name, vals, 2); err != nil {
		return nil, err
	}
	y, err := dense(name, 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	dy, err := dense(name, 1, vals[1], 2)
	if err != nil {
		return nil, err
	}
	if err := sameDtype(name, y, dy); err != nil {
		return nil, err
	}
	s := y.Shape()
	if !s.Eq(dy.Shape()) {
		return nil, fmt.Errorf("nn: %s: shapes %v, %v differ", name, s, dy.Shape())
	}
	dz := op.out.get(y.Dtype(), s[0], s[1])
	db := op.dbias.get(y.Dtype(), s[1])
	if y.Dtype() == tensor.Float64 {
		actBiasGrad(op.act, s[0], s[1], y.Float64s(), dy.Float64s(), dz.Float64s(), db.Float64s())
	} else {
		actBiasGrad(op.act, s[0], s[1], y.Float32s(), dy.Float32s(), dz.Float32s(), db.Float32s())
	}
	op.filled = true
	return dz, nil
}

// actBiasRows is the number of rows actBiasGrad treats at a time: a
// multiple of four (addRows' grouping), few enough that the block of dZ
// it has just written is still in the first-level cache when its rows are
// summed.
const actBiasRows = 8

// actBiasGrad sets dz = dy ⊙ f′(y) and db = Σ_rows dz for n×m matrices,
// a block of rows at a time: the sums are those of colSum.
func actBiasGrad[T float](a activation, n, m int, y, dy, dz, db []T) {
	db = db[:m]
	clear(db)
	for i := 0; i < n; i += actBiasRows {
		r := min(actBiasRows, n-i)
		lo, hi := i*m, (i+r)*m
		// f′ from y alone: z > 0 exactly where y > 0 (see fusable)
		activateGrad(a, m, y[lo:hi], y[lo:hi], dy[lo:hi], dz[lo:hi])
		addRows(r, m, dz[lo:hi], db)
	}
}

func (op *actBiasGradOp) DiffWRT(int) []bool { return []bool{false, false} }
func (op *actBiasGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}

// biasSource is an op that computes a bias gradient with its output.
type biasSource interface {
	fmt.Stringer
	// biasGrad returns the bias gradient of the latest run, false before
	// the first.
	biasGrad() (*tensor.Dense, bool)
}

func (op *actBiasGradOp) biasGrad() (*tensor.Dense, bool) { return op.dbias.t, op.filled }

// biasGradOp returns the bias gradient its source op computed with dZ,
// its input: the input orders it after that op in every run.
type biasGradOp struct {
	opBase
	src biasSource
}

// The methods of biasGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *biasGradOp) Arity() int            { return 1 }
func (op *biasGradOp) Type() hm.Type         { return hm.NewFnType(matA, vecA) }
func (op *biasGradOp) String() string        { return "BiasGrad" }
func (op *biasGradOp) WriteHash(h hash.Hash) { hashOp(h, "BiasGrad", op.id) }
func (op *biasGradOp) Hashcode() uint32      { return hashCode("BiasGrad", op.id) }

func (op *biasGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("BiasGrad", ds, 2)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{s[0][1]}, nil
}

func (op *biasGradOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if err := arity("BiasGrad", vals, 1); err != nil {
		return nil, err
	}
	db, ok := op.src.biasGrad()
	if !ok {
		return nil, fmt.Errorf("nn: BiasGrad: %v has not run", op.src)
	}
	return db, nil
}

func (op *biasGradOp) DiffWRT(int) []bool { return []bool{false} }
func (op *biasGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}
