package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// gatedBackOp is the backward pass of a dense layer Z = Y·W + b with few
// outputs whose input Y is the output of a FullyConnected layer fused
// with ReLU or LeakyReLU (a denseActOp) and is read by nothing else: from
// Y, dZ and W it computes, in one pass over Y (backGated), the lower
// layer's dZ′ = (dZ·Wᵀ) ⊙ f′(Y), which is its value, that layer's bias
// gradient Σ_rows dZ′ and this layer's dW = Yᵀ·dZ, which biasGradOp and
// weightGradOp return. The results are those of the unfused ops: matMulOp
// runs the same kernel, and the gate and the bias sums are actBiasGrad's.
type gatedBackOp struct {
	opBase
	y           *gorgonia.Node // the lower layer's output
	wShape      tensor.Shape   // W's
	s           float64        // f′ where y ≤ 0: 0 (ReLU) or LeakyReLU's slope
	name        string
	out, db, dw buffer
	scratch     buffer
	filled      bool // db and dw hold the latest run's gradients
}

// gateBelow returns the gatedBackOp for the backward pass of the dense op
// with inputs in (Y, W, b), or nil where the layer below is not a fused
// ReLU or LeakyReLU layer read by this op alone, or the kernel does not
// serve the shapes.
func gateBelow(in gorgonia.Nodes) *gatedBackOp {
	y := in[0]
	below, ok := y.Op().(*denseActOp)
	if !ok || (below.act.kind != actReLU && below.act.kind != actLeakyReLU) {
		return nil
	}
	if y.Graph() == nil || y.Graph().To(y.ID()).Len() != 1 {
		return nil // another op reads Y, and its gradient adds to ours
	}
	ys, ws := y.Shape(), in[1].Shape()
	if len(ys) != 2 || len(ws) != 2 {
		return nil
	}
	h, k := ws[0], ws[1]
	fits := backFits[float64](h, k)
	if y.Dtype() == tensor.Float32 {
		fits = backFits[float32](h, k)
	}
	if !fits {
		return nil
	}
	s := 0.0
	if below.act.kind == actLeakyReLU {
		s = below.act.alpha
	}
	return &gatedBackOp{opBase: newOpBase(), y: y, s: s, name: "Dense" + below.act.gradName()}
}

// grads returns the gradients of the dense op's inputs Y, W and b.
func (op *gatedBackOp) grads(in gorgonia.Nodes, dz, db *gorgonia.Node) (gorgonia.Nodes, error) {
	op.wShape = in[1].Shape().Clone()
	dy, err := gorgonia.ApplyOp(op, in[0], dz, in[1])
	if err != nil {
		return nil, err
	}
	dw, err := gorgonia.ApplyOp(&weightGradOp{opBase: newOpBase(), src: op}, dy)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{dy, dw, db}, nil
}

// The methods of gatedBackOp implement gorgonia.Op and gorgonia.SDOp.
func (op *gatedBackOp) Arity() int            { return 3 }
func (op *gatedBackOp) Type() hm.Type         { return hm.NewFnType(matA, matA, matA, matA) }
func (op *gatedBackOp) String() string        { return op.name }
func (op *gatedBackOp) WriteHash(h hash.Hash) { hashOp(h, op.name, op.id) }
func (op *gatedBackOp) Hashcode() uint32      { return hashCode(op.name, op.id) }

func (op *gatedBackOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes(op.name, ds, 2, 2, 2)
	if err != nil {
		return nil, err
	}
	if s[0][0] != s[1][0] || s[0][1] != s[2][0] || s[1][1] != s[2][1] {
		return nil, fmt.Errorf("nn: %s: shapes Y %v, dZ %v, W %v do not match", op.name, s[0], s[1], s[2])
	}
	return s[0].Clone(), nil
}

func (op *gatedBackOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity(op.name, vals, 3); err != nil {
		return nil, err
	}
	var ts [3]*tensor.Dense
	for i := range ts {
		if ts[i], err = dense(op.name, i, vals[i], 2); err != nil {
			return nil, err
		}
	}
	y, dz, w := ts[0], ts[1], ts[2]
	if err := sameDtype(op.name, y, dz, w); err != nil {
		return nil, err
	}
	n, h, k := y.Shape()[0], y.Shape()[1], w.Shape()[1]
	if dz.Shape()[0] != n || dz.Shape()[1] != k || w.Shape()[0] != h {
		return nil, fmt.Errorf("nn: %s: shapes Y %v, dZ %v, W %v do not match", op.name, y.Shape(), dz.Shape(), w.Shape())
	}
	dt := y.Dtype()
	out, db, dw := op.out.get(dt, n, h), op.db.get(dt, h), op.dw.get(dt, h, k)
	if dt == tensor.Float64 {
		s := scratch[float64](&op.scratch, 3*k*h)
		backGated(n, h, k, y.Float64s(), dz.Float64s(), w.Float64s(), out.Float64s(), db.Float64s(), dw.Float64s(), s[:k*h], s[k*h:2*k*h], s[2*k*h:], op.s)
	} else {
		s := scratch[float32](&op.scratch, 3*k*h)
		backGated(n, h, k, y.Float32s(), dz.Float32s(), w.Float32s(), out.Float32s(), db.Float32s(), dw.Float32s(), s[:k*h], s[k*h:2*k*h], s[2*k*h:], float32(op.s))
	}
	op.filled = true
	return out, nil
}

func (op *gatedBackOp) DiffWRT(int) []bool { return []bool{false, false, false} }
func (op *gatedBackOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}

func (op *gatedBackOp) biasGrad() (*tensor.Dense, bool) { return op.db.t, op.filled }

// weightGradOp returns the weight gradient its gatedBackOp computed, as
// biasGradOp returns the bias gradient.
type weightGradOp struct {
	opBase
	src *gatedBackOp
}

// The methods of weightGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *weightGradOp) Arity() int            { return 1 }
func (op *weightGradOp) Type() hm.Type         { return hm.NewFnType(matA, matA) }
func (op *weightGradOp) String() string        { return "WeightGrad" }
func (op *weightGradOp) WriteHash(h hash.Hash) { hashOp(h, "WeightGrad", op.id) }
func (op *weightGradOp) Hashcode() uint32      { return hashCode("WeightGrad", op.id) }

func (op *weightGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	if _, err := shapes("WeightGrad", ds, 2); err != nil {
		return nil, err
	}
	return op.src.wShape.Clone(), nil
}

func (op *weightGradOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if err := arity("WeightGrad", vals, 1); err != nil {
		return nil, err
	}
	if !op.src.filled {
		return nil, fmt.Errorf("nn: WeightGrad: %v has not run", op.src)
	}
	return op.src.dw.t, nil
}

func (op *weightGradOp) DiffWRT(int) []bool { return []bool{false} }
func (op *weightGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}
