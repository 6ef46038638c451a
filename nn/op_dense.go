package nn

import (
	"errors"
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// errSecondOrder is returned by the SymDiff of backward ops: nn's ops
// give first derivatives only.
var errSecondOrder = errors.New("nn: second derivatives of nn's ops are not supported")

// denseOp computes Z = X·W + b for X (n×in), W (in×out), b (out): the
// fully connected layer, rows of X being observations.
type denseOp struct {
	opBase
	inputGrad    bool // differentiate with respect to X too
	out, scratch buffer
}

// The methods of denseOp implement gorgonia.Op and gorgonia.SDOp.
func (op *denseOp) Arity() int            { return 3 }
func (op *denseOp) Type() hm.Type         { return hm.NewFnType(matA, matA, vecA, matA) }
func (op *denseOp) String() string        { return "Dense" }
func (op *denseOp) WriteHash(h hash.Hash) { hashOp(h, "Dense", op.id) }
func (op *denseOp) Hashcode() uint32      { return hashCode("Dense", op.id) }

func (op *denseOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("Dense", ds, 2, 2, 1)
	if err != nil {
		return nil, err
	}
	if s[0][1] != s[1][0] || s[1][1] != s[2][0] {
		return nil, fmt.Errorf("nn: Dense: shapes X %v, W %v, b %v do not match", s[0], s[1], s[2])
	}
	return tensor.Shape{s[0][0], s[1][1]}, nil
}

func (op *denseOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	x, w, b, err := denseInputs("Dense", vals)
	if err != nil {
		return nil, err
	}
	n, in, out := x.Shape()[0], x.Shape()[1], w.Shape()[1]
	z := op.out.get(x.Dtype(), n, out)
	if x.Dtype() == tensor.Float64 {
		denseForward(n, in, out, x.Float64s(), w.Float64s(), b.Float64s(), z.Float64s(), &op.scratch)
	} else {
		denseForward(n, in, out, x.Float32s(), w.Float32s(), b.Float32s(), z.Float32s(), &op.scratch)
	}
	return z, nil
}

// denseInputs checks the inputs X (n×in), W (in×out) and b (out) of a
// dense op named name.
func denseInputs(name string, vals []gorgonia.Value) (x, w, b *tensor.Dense, err error) {
	if err := arity(name, vals, 3); err != nil {
		return nil, nil, nil, err
	}
	if x, err = dense(name, 0, vals[0], 2); err != nil {
		return nil, nil, nil, err
	}
	if w, err = dense(name, 1, vals[1], 2); err != nil {
		return nil, nil, nil, err
	}
	if b, err = dense(name, 2, vals[2], 1); err != nil {
		return nil, nil, nil, err
	}
	if err := sameDtype(name, x, w, b); err != nil {
		return nil, nil, nil, err
	}
	if w.Shape()[0] != x.Shape()[1] || b.Shape()[0] != w.Shape()[1] {
		return nil, nil, nil, fmt.Errorf("nn: %s: shapes X %v, W %v, b %v do not match", name, x.Shape(), w.Shape(), b.Shape())
	}
	return x, w, b, nil
}

// denseForward computes z = x·w + b: with few outputs on the kernel of
// denseSmall (s its scratch), else each row of z starts as b, then one
// GEMM adds x·w.
func denseForward[T float](n, in, out int, x, w, b, z []T, s *buffer) {
	if backFits[T](in, out) {
		denseSmall(n, in, out, x, w, b, z, scratch[T](s, ((out+3)&^3)*(in+1)))
		return
	}
	fillRows(z[:n*out], b[:out])
	gemm(false, false, n, out, in, 1, x, w, 1, z)
}

// fillRows sets every row of z (len(z) a multiple of len(b)) to b: b into
// the first row, then the rows filled so far copied after them, doubling
// each time, so that n rows take about log₂ n copies rather than n (a
// copy of a row of one or a few values costs a call each).
func fillRows[T float](z, b []T) {
	if len(z) == 0 || len(b) == 0 {
		return
	}
	done := copy(z, b)
	for done < len(z) {
		done += copy(z[done:], z[:done])
	}
}

func (op *denseOp) DiffWRT(int) []bool { return []bool{op.inputGrad, true, true} }

// SymDiff returns dX = dZ·Wᵀ (when inputGrad), dW = Xᵀ·dZ, db = Σ_rows dZ.
func (op *denseOp) SymDiff(in gorgonia.Nodes, _, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("nn: Dense: %d inputs, want 3", len(in))
	}
	db, err := gorgonia.ApplyOp(&colSumOp{opBase: newOpBase()}, grad)
	if err != nil {
		return nil, err
	}
	return denseGrads(in, grad, db, op.inputGrad)
}

// denseGrads returns the gradients of a dense op's inputs X, W and b
// given dZ and the bias gradient db: dX = dZ·Wᵀ (when inputGrad, else
// nil) and dW = Xᵀ·dZ.
func denseGrads(in gorgonia.Nodes, dz, db *gorgonia.Node, inputGrad bool) (gorgonia.Nodes, error) {
	out := gorgonia.Nodes{nil, nil, db}
	var err error
	if inputGrad {
		if f := gateBelow(in); f != nil {
			return f.grads(in, dz, db)
		}
		if out[0], err = gorgonia.ApplyOp(&matMulOp{opBase: newOpBase(), transB: true}, dz, in[1]); err != nil {
			return nil, err
		}
	}
	if out[1], err = gorgonia.ApplyOp(&matMulOp{opBase: newOpBase(), transA: true}, in[0], dz); err != nil {
		return nil, err
	}
	return out, nil
}

// matMulOp computes C = op(A)·op(B), op transposing when the flag is set:
// the backward products of a dense layer.
type matMulOp struct {
	opBase
	transA, transB bool
	out, scratch   buffer
}

// The methods of matMulOp implement gorgonia.Op and gorgonia.SDOp.
func (op *matMulOp) Arity() int    { return 2 }
func (op *matMulOp) Type() hm.Type { return hm.NewFnType(matA, matA, matA) }
func (op *matMulOp) String() string {
	return fmt.Sprintf("MatMul{transA: %t, transB: %t}", op.transA, op.transB)
}
func (op *matMulOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *matMulOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

// dims returns m, k of op(A) and k2, n of op(B) for shapes a and b.
func (op *matMulOp) dims(a, b tensor.Shape) (m, k, k2, n int) {
	m, k = a[0], a[1]
	if op.transA {
		m, k = k, m
	}
	k2, n = b[0], b[1]
	if op.transB {
		k2, n = n, k2
	}
	return m, k, k2, n
}

func (op *matMulOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("MatMul", ds, 2, 2)
	if err != nil {
		return nil, err
	}
	m, k, k2, n := op.dims(s[0], s[1])
	if k != k2 {
		return nil, fmt.Errorf("nn: %v: inner dimensions of %v and %v differ", op, s[0], s[1])
	}
	return tensor.Shape{m, n}, nil
}

func (op *matMulOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("MatMul", vals, 2); err != nil {
		return nil, err
	}
	a, err := dense("MatMul", 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	b, err := dense("MatMul", 1, vals[1], 2)
	if err != nil {
		return nil, err
	}
	if err := sameDtype("MatMul", a, b); err != nil {
		return nil, err
	}
	m, k, k2, n := op.dims(a.Shape(), b.Shape())
	if k != k2 {
		return nil, fmt.Errorf("nn: %v: inner dimensions of %v and %v differ", op, a.Shape(), b.Shape())
	}
	c := op.out.get(a.Dtype(), m, n)
	if a.Dtype() == tensor.Float64 {
		matMul(op, m, n, k, a.Float64s(), b.Float64s(), c.Float64s())
	} else {
		matMul(op, m, n, k, a.Float32s(), b.Float32s(), c.Float32s())
	}
	return c, nil
}

// matMul sets c = op(a)·op(b) (m×n, inner dimension k): the backward
// products of a layer with few outputs on the kernel of kernel_back.go
// where it fits (dZ·Wᵀ with k small, Yᵀ·dZ with n small), GEMM otherwise.
func matMul[T float](op *matMulOp, m, n, k int, a, b, c []T) {
	switch {
	case op.transB && !op.transA && backFits[T](n, k):
		backInput(m, n, k, a, b, scratch[T](&op.scratch, k*n), c)
	case op.transA && !op.transB && backFits[T](m, n):
		s := scratch[T](&op.scratch, 2*m*n)
		backWeights(k, m, n, a, b, c, s[:m*n], s[m*n:])
	default:
		gemm(op.transA, op.transB, m, n, k, 1, a, b, 0, c)
	}
}

// scratch returns n values of b's tensor, (re)allocated as needed.
func scratch[T float](b *buffer, n int) []T {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(b.get(tensor.Float32, n).Float32s()).([]T)
	}
	return any(b.get(tensor.Float64, n).Float64s()).([]T)
}

func (op *matMulOp) DiffWRT(int) []bool { return []bool{false, false} }
func (op *matMulOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}

// colSumOp sums a matrix over its rows: the bias gradient Σ_i dZ[i, :].
type colSumOp struct {
	opBase
	out buffer
}

// The methods of colSumOp implement gorgonia.Op and gorgonia.SDOp.
func (op *colSumOp) Arity() int            { return 1 }
func (op *colSumOp) Type() hm.Type         { return hm.NewFnType(matA, vecA) }
func (op *colSumOp) String() string        { return "ColumnSum" }
func (op *colSumOp) WriteHash(h hash.Hash) { hashOp(h, "ColumnSum", op.id) }
func (op *colSumOp) Hashcode() uint32      { return hashCode("ColumnSum", op.id) }

func (op *colSumOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("ColumnSum", ds, 2)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{s[0][1]}, nil
}

func (op *colSumOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("ColumnSum", vals, 1); err != nil {
		return nil, err
	}
	a, err := dense("ColumnSum", 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	n, m := a.Shape()[0], a.Shape()[1]
	s := op.out.get(a.Dtype(), m)
	if a.Dtype() == tensor.Float64 {
		colSum(n, m, a.Float64s(), s.Float64s())
	} else {
		colSum(n, m, a.Float32s(), s.Float32s())
	}
	return s, nil
}

// colSum sets s[j] = Σ_i a[i, j] (addRows on a cleared s).
func colSum[T float](n, m int, a, s []T) {
	s = s[:m]
	clear(s)
	addRows(n, m, a, s)
}

// addRows adds the n rows of the n×m matrix a to s: four rows at a time,
// (a_i + a_i+1) + (a_i+2 + a_i+3) added to s, so that s is loaded and
// stored once per four rows (1.6 times faster than row by row on a
// 1797×128 matrix); the remaining rows one by one. The order is fixed, so
// the sum is deterministic, and adding a matrix's rows in blocks of a
// multiple of four rows gives the same sums as adding them at once.
func addRows[T float](n, m int, a, s []T) {
	s = s[:m]
	i := 0
	for ; i+4 <= n; i += 4 {
		r0 := a[i*m : (i+1)*m]
		r1 := a[(i+1)*m : (i+2)*m][:len(r0)]
		r2 := a[(i+2)*m : (i+3)*m][:len(r0)]
		r3 := a[(i+3)*m : (i+4)*m][:len(r0)]
		s := s[:len(r0)]
		j := 0
		if haveAVX {
			j = sum4(s, r0, r1, r2, r3)
		}
		for ; j < len(s); j++ {
			s[j] += (r0[j] + r1[j]) + (r2[j] + r3[j])
		}
	}
	for ; i < n; i++ {
		row := a[i*m : (i+1)*m]
		s := s[:len(row)]
		for j, v := range row {
			s[j] += v
		}
	}
}

func (op *colSumOp) DiffWRT(int) []bool { return []bool{false} }
func (op *colSumOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}
