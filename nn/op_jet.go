package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// This file holds the ops that propagate derivatives with respect to a
// network's inputs forward through its layers (Jet). A jet value is one
// matrix of C·n rows: C blocks ("channels") of n rows each, block 0 the
// layer's values h, then one block per first derivative ∂h/∂x_i, then one
// per second derivative ∂²h/∂x_i∂x_j. Every op here has a first
// derivative of its own (SymDiff), so the training gradient of a loss
// built from the channels is one ordinary reverse pass: no derivative of a
// derivative is ever taken by gorgonia.

// jetLayout describes the channels of a jet value.
type jetLayout struct {
	first  []int    // input index i of each first-derivative channel
	second [][2]int // positions in first of the two factors of each second-derivative channel
}

// channels returns C, the number of blocks.
func (l jetLayout) channels() int { return 1 + len(l.first) + len(l.second) }

// blockRows returns n, the rows per block of a C·n-row matrix of shape s.
func blockRows(op string, s tensor.Shape, c int) (int, error) {
	if len(s) != 2 || s[0]%c != 0 {
		return 0, fmt.Errorf("nn: %s: shape %v does not hold %d blocks of rows", op, s, c)
	}
	return s[0] / c, nil
}

// jetSeedOp turns the input batch X (n × d) into its jet: block 0 is X,
// the block of ∂x/∂x_i has a 1 in column i of every row, and the
// second-derivative blocks are 0.
type jetSeedOp struct {
	opBase
	layout jetLayout
	out    buffer
}

// The methods of jetSeedOp implement gorgonia.Op and gorgonia.SDOp.
func (op *jetSeedOp) Arity() int            { return 1 }
func (op *jetSeedOp) Type() hm.Type         { return hm.NewFnType(matA, matA) }
func (op *jetSeedOp) String() string        { return "JetSeed" }
func (op *jetSeedOp) WriteHash(h hash.Hash) { hashOp(h, "JetSeed", op.id) }
func (op *jetSeedOp) Hashcode() uint32      { return hashCode("JetSeed", op.id) }

func (op *jetSeedOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("JetSeed", ds, 2)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{op.layout.channels() * s[0][0], s[0][1]}, nil
}

func (op *jetSeedOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("JetSeed", vals, 1); err != nil {
		return nil, err
	}
	x, err := dense("JetSeed", 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	n, d := x.Shape()[0], x.Shape()[1]
	for _, i := range op.layout.first {
		if i >= d {
			return nil, fmt.Errorf("nn: JetSeed: derivative with respect to input %d of %d", i, d)
		}
	}
	s := op.out.get(x.Dtype(), op.layout.channels()*n, d)
	if x.Dtype() == tensor.Float64 {
		jetSeed(op.layout, n, d, x.Float64s(), s.Float64s())
	} else {
		jetSeed(op.layout, n, d, x.Float32s(), s.Float32s())
	}
	return s, nil
}

// jetSeed writes the jet of x (n × d) into s.
func jetSeed[T float](l jetLayout, n, d int, x, s []T) {
	copy(s, x)
	clear(s[n*d:])
	for k, i := range l.first {
		b := s[(1+k)*n*d : (2+k)*n*d]
		for r := 0; r < n; r++ {
			b[r*d+i] = 1 // ∂x_i/∂x_i
		}
	}
}

// The input is data: no derivative flows back to it.
func (op *jetSeedOp) DiffWRT(int) []bool { return []bool{false} }
func (op *jetSeedOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, fmt.Errorf("nn: JetSeed: the input batch is data and has no gradient")
}

// jetDenseOp is a fully connected layer on a jet: Z = A·W for every
// block, plus the bias b on block 0 only (the derivatives of a constant
// vanish), as one GEMM over all C·n rows.
type jetDenseOp struct {
	opBase
	c         int  // channels
	bias      bool // a third input b
	inputGrad bool // differentiate with respect to A too
	out       buffer
}

// The methods of jetDenseOp implement gorgonia.Op and gorgonia.SDOp.
func (op *jetDenseOp) Arity() int {
	if op.bias {
		return 3
	}
	return 2
}
func (op *jetDenseOp) Type() hm.Type {
	if op.bias {
		return hm.NewFnType(matA, matA, vecA, matA)
	}
	return hm.NewFnType(matA, matA, matA)
}
func (op *jetDenseOp) String() string        { return "JetDense" }
func (op *jetDenseOp) WriteHash(h hash.Hash) { hashOp(h, "JetDense", op.id) }
func (op *jetDenseOp) Hashcode() uint32      { return hashCode("JetDense", op.id) }

func (op *jetDenseOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	dims := []int{2, 2, 1}[:op.Arity()]
	s, err := shapes("JetDense", ds, dims...)
	if err != nil {
		return nil, err
	}
	if s[0][1] != s[1][0] || (op.bias && s[1][1] != s[2][0]) {
		return nil, fmt.Errorf("nn: JetDense: shapes %v do not match", s)
	}
	if _, err := blockRows("JetDense", s[0], op.c); err != nil {
		return nil, err
	}
	return tensor.Shape{s[0][0], s[1][1]}, nil
}

func (op *jetDenseOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("JetDense", vals, op.Arity()); err != nil {
		return nil, err
	}
	ts := make([]*tensor.Dense, len(vals))
	for i, v := range vals {
		if ts[i], err = dense("JetDense", i, v, []int{2, 2, 1}[i]); err != nil {
			return nil, err
		}
	}
	if err := sameDtype("JetDense", ts...); err != nil {
		return nil, err
	}
	a, w := ts[0], ts[1]
	m, in, out := a.Shape()[0], a.Shape()[1], w.Shape()[1]
	n, err := blockRows("JetDense", a.Shape(), op.c)
	if err != nil {
		return nil, err
	}
	if w.Shape()[0] != in || (op.bias && ts[2].Shape()[0] != out) {
		return nil, fmt.Errorf("nn: JetDense: shapes %v, %v do not match", a.Shape(), w.Shape())
	}
	z := op.out.get(a.Dtype(), m, out)
	if a.Dtype() == tensor.Float64 {
		var b []float64
		if op.bias {
			b = ts[2].Float64s()
		}
		jetDense(m, n, in, out, a.Float64s(), w.Float64s(), b, z.Float64s())
	} else {
		var b []float32
		if op.bias {
			b = ts[2].Float32s()
		}
		jetDense(m, n, in, out, a.Float32s(), w.Float32s(), b, z.Float32s())
	}
	return z, nil
}

// jetDense sets z = a·w (m rows) and adds b to its first n rows.
func jetDense[T float](m, n, in, out int, a, w, b, z []T) {
	gemm(false, false, m, out, in, 1, a, w, 0, z)
	if b == nil {
		return
	}
	for r := 0; r < n; r++ {
		row := z[r*out : (r+1)*out]
		for j, v := range b {
			row[j] += v
		}
	}
}

func (op *jetDenseOp) DiffWRT(int) []bool { return []bool{op.inputGrad, true, true}[:op.Arity()] }

// SymDiff returns dA = dZ·Wᵀ (when inputGrad), dW = Aᵀ·dZ and
// db = Σ over the rows of block 0 of dZ.
func (op *jetDenseOp) SymDiff(in gorgonia.Nodes, _, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("nn: JetDense: %d inputs, want %d", len(in), op.Arity())
	}
	out := make(gorgonia.Nodes, len(in))
	var err error
	if op.inputGrad {
		if out[0], err = gorgonia.ApplyOp(&matMulOp{opBase: newOpBase(), transB: true}, grad, in[1]); err != nil {
			return nil, err
		}
	}
	if out[1], err = gorgonia.ApplyOp(&matMulOp{opBase: newOpBase(), transA: true}, in[0], grad); err != nil {
		return nil, err
	}
	if op.bias {
		g0, err := gorgonia.ApplyOp(&channelOp{opBase: newOpBase(), c: op.c}, grad)
		if err != nil {
			return nil, err
		}
		if out[2], err = gorgonia.ApplyOp(&colSumOp{opBase: newOpBase()}, g0); err != nil {
			return nil, err
		}
	}
	return out, nil
}
