package nn

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// batchNormOp normalises each column of X (a feature over the rows of the
// batch) and then scales and offsets it:
//
//	Y = γ ⊙ X̂ + β,  X̂_ij = (X_ij − μ_j)·ρ_j,  ρ_j = 1/√(σ²_j + ε).
//
// In training, μ and σ² are the mean and (biased) variance of the
// column over the batch; otherwise they are the stored statistics, the
// op's inputs 3 and 4, which get a zero gradient either way. It keeps X̂,
// ρ and the batch statistics for its gradient ops and for
// Network.FitStatistics.
type batchNormOp struct {
	opBase
	eps       float64
	training  bool
	statNames [2]string // names of the mean and variance nodes
	xhat      buffer
	rho       []float64
	mean, vr  []float64 // the batch statistics of the last run (training)
	out       buffer
}

// The methods of batchNormOp implement gorgonia.Op and gorgonia.SDOp.
func (op *batchNormOp) Arity() int            { return 5 }
func (op *batchNormOp) Type() hm.Type         { return hm.NewFnType(matA, vecA, vecA, vecA, vecA, matA) }
func (op *batchNormOp) String() string        { return fmt.Sprintf("BatchNorm{training: %t}", op.training) }
func (op *batchNormOp) WriteHash(h hash.Hash) { hashOp(h, "BatchNorm", op.id) }
func (op *batchNormOp) Hashcode() uint32      { return hashCode("BatchNorm", op.id) }

func (op *batchNormOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("BatchNorm", ds, 2, 1, 1, 1, 1)
	if err != nil {
		return nil, err
	}
	for _, v := range s[1:] {
		if v[0] != s[0][1] {
			return nil, fmt.Errorf("nn: BatchNorm: X %v and parameters %v do not match", s[0], v)
		}
	}
	return s[0].Clone(), nil
}

func (op *batchNormOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("BatchNorm", vals, 5); err != nil {
		return nil, err
	}
	x, err := dense("BatchNorm", 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	var p [4]*tensor.Dense // γ, β, mean, variance
	for i := range p {
		if p[i], err = dense("BatchNorm", i+1, vals[i+1], 1); err != nil {
			return nil, err
		}
		if p[i].Shape()[0] != x.Shape()[1] {
			return nil, fmt.Errorf("nn: BatchNorm: X %v and input %d %v do not match", x.Shape(), i+1, p[i].Shape())
		}
	}
	if err := sameDtype("BatchNorm", x, p[0], p[1], p[2], p[3]); err != nil {
		return nil, err
	}
	n, m := x.Shape()[0], x.Shape()[1]
	op.rho, op.mean, op.vr = resize(op.rho, m), resize(op.mean, m), resize(op.vr, m)
	y, xh := op.out.get(x.Dtype(), n, m), op.xhat.get(x.Dtype(), n, m)
	if x.Dtype() == tensor.Float64 {
		op.statistics(x.Float64s(), p[2].Float64s(), p[3].Float64s(), n, m)
		batchNormForward(m, x.Float64s(), p[0].Float64s(), p[1].Float64s(), op.mean, op.rho, xh.Float64s(), y.Float64s())
	} else {
		op.statistics32(x.Float32s(), p[2].Float32s(), p[3].Float32s(), n, m)
		batchNormForward(m, x.Float32s(), p[0].Float32s(), p[1].Float32s(), op.mean, op.rho, xh.Float32s(), y.Float32s())
	}
	return y, nil
}

// resize returns s with length n, reallocated if too small.
func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// statistics sets op.mean, op.vr and op.rho: from the batch in training,
// from the stored mean and variance otherwise.
func (op *batchNormOp) statistics(x, mean, vr []float64, n, m int) {
	if op.training {
		columnStatistics(x, n, m, op.mean, op.vr)
	} else {
		copy(op.mean, mean)
		copy(op.vr, vr)
	}
	op.setRho()
}

func (op *batchNormOp) statistics32(x, mean, vr []float32, n, m int) {
	if op.training {
		columnStatistics(x, n, m, op.mean, op.vr)
	} else {
		for j := range m {
			op.mean[j], op.vr[j] = float64(mean[j]), float64(vr[j])
		}
	}
	op.setRho()
}

// setRho sets ρ = 1/√(σ² + ε); a negative stored variance counts as 0.
func (op *batchNormOp) setRho() {
	for j, v := range op.vr {
		op.rho[j] = 1 / math.Sqrt(max(v, 0)+op.eps)
	}
}

// columnStatistics sets the mean and the biased variance of each column,
// in float64, rows in order.
func columnStatistics[T float](x []T, n, m int, mean, vr []float64) {
	clear(mean)
	clear(vr)
	for i := range n {
		for j, v := range x[i*m : (i+1)*m] {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for i := range n {
		for j, v := range x[i*m : (i+1)*m] {
			d := float64(v) - mean[j]
			vr[j] += d * d
		}
	}
	for j := range vr {
		vr[j] /= float64(n)
	}
}

// batchNormForward sets xh = (x − μ)ρ and y = γ ⊙ xh + β column by column.
func batchNormForward[T float](m int, x, g, b []T, mean, rho []float64, xh, y []T) {
	for i, v := range x {
		j := i % m
		h := (float64(v) - mean[j]) * rho[j]
		xh[i] = T(h)
		y[i] = T(float64(g[j])*h + float64(b[j]))
	}
}

func (op *batchNormOp) DiffWRT(int) []bool { return []bool{true, true, true, true, true} }

// SymDiff returns dX, dγ = Σ_rows dY ⊙ X̂, dβ = Σ_rows dY, and zeros for
// the stored statistics.
func (op *batchNormOp) SymDiff(in gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 5 {
		return nil, fmt.Errorf("nn: BatchNorm: %d inputs, want 5", len(in))
	}
	out := make(gorgonia.Nodes, 5)
	var err error
	if out[0], err = gorgonia.ApplyOp(&batchNormGradOp{opBase: newOpBase(), fwd: op}, in[1], output, grad); err != nil {
		return nil, err
	}
	if out[1], err = gorgonia.ApplyOp(&normScaleGradOp{opBase: newOpBase(), fwd: op}, output, grad); err != nil {
		return nil, err
	}
	if out[2], err = gorgonia.ApplyOp(&colSumOp{opBase: newOpBase()}, grad); err != nil {
		return nil, err
	}
	for k := 3; k < 5; k++ {
		if out[k], err = gorgonia.ApplyOp(&zerosOp{opBase: newOpBase()}, in[k]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// stored returns X̂ if the forward op ran on data of dy's shape.
func (op *batchNormOp) stored(name string, dy *tensor.Dense) (*tensor.Dense, error) {
	xh := op.xhat.t
	if xh == nil || !xh.Shape().Eq(dy.Shape()) || xh.Dtype() != dy.Dtype() {
		return nil, fmt.Errorf("nn: %s: run before its forward op", name)
	}
	return xh, nil
}
