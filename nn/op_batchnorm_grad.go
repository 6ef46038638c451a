package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// batchNormGradOp computes dX from γ, Y (for ordering) and dY with the
// forward op's X̂ and ρ. With G = dY ⊙ γ, in training (the statistics
// depend on X)
//
//	dX_ij = ρ_j (G_ij − mean_i G_ij − X̂_ij·mean_i(G ⊙ X̂)_j),
//
// and with stored statistics dX = ρ ⊙ G.
type batchNormGradOp struct {
	opBase
	fwd  *batchNormOp
	a, b []float64 // the column means of G and G ⊙ X̂
	out  buffer
}

// The methods of batchNormGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *batchNormGradOp) Arity() int            { return 3 }
func (op *batchNormGradOp) Type() hm.Type         { return hm.NewFnType(vecA, matA, matA, matA) }
func (op *batchNormGradOp) String() string        { return "BatchNormGrad" }
func (op *batchNormGradOp) WriteHash(h hash.Hash) { hashOp(h, "BatchNormGrad", op.id) }
func (op *batchNormGradOp) Hashcode() uint32      { return hashCode("BatchNormGrad", op.id) }

func (op *batchNormGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("BatchNormGrad", ds, 1, 2, 2)
	if err != nil {
		return nil, err
	}
	return s[1].Clone(), nil
}

func (op *batchNormGradOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("BatchNormGrad", vals, 3); err != nil {
		return nil, err
	}
	g, err := dense("BatchNormGrad", 0, vals[0], 1)
	if err != nil {
		return nil, err
	}
	dy, err := dense("BatchNormGrad", 2, vals[2], 2)
	if err != nil {
		return nil, err
	}
	xh, err := op.fwd.stored("BatchNormGrad", dy)
	if err != nil {
		return nil, err
	}
	if err := sameDtype("BatchNormGrad", g, dy); err != nil {
		return nil, err
	}
	n, m := dy.Shape()[0], dy.Shape()[1]
	dx := op.out.get(dy.Dtype(), n, m)
	op.a, op.b = resize(op.a, m), resize(op.b, m)
	if dy.Dtype() == tensor.Float64 {
		batchNormBackward(n, m, op.fwd.training, g.Float64s(), xh.Float64s(), op.fwd.rho, dy.Float64s(), dx.Float64s(), op.a, op.b)
	} else {
		batchNormBackward(n, m, op.fwd.training, g.Float32s(), xh.Float32s(), op.fwd.rho, dy.Float32s(), dx.Float32s(), op.a, op.b)
	}
	return dx, nil
}

// batchNormBackward sets dx as batchNormGradOp describes, using a and b
// (m values each) for mean_i G_ij and mean_i (G ⊙ X̂)_ij.
func batchNormBackward[T float](n, m int, training bool, g, xh []T, rho []float64, dy, dx []T, a, b []float64) {
	clear(a)
	clear(b)
	if training {
		for i, v := range dy {
			j := i % m
			gj := float64(v) * float64(g[j])
			a[j] += gj
			b[j] += gj * float64(xh[i])
		}
		for j := range m {
			a[j], b[j] = a[j]/float64(n), b[j]/float64(n)
		}
	}
	for i, v := range dy {
		j := i % m
		gj := float64(v) * float64(g[j])
		dx[i] = T(rho[j] * (gj - a[j] - float64(xh[i])*b[j]))
	}
}

func (op *batchNormGradOp) DiffWRT(int) []bool { return []bool{false, false, false} }
func (op *batchNormGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}

// zerosOp returns zeros of its input's shape: the gradient of a value
// that does not affect the loss, such as stored statistics.
type zerosOp struct {
	opBase
	out buffer
}

// The methods of zerosOp implement gorgonia.Op and gorgonia.SDOp.
func (op *zerosOp) Arity() int            { return 1 }
func (op *zerosOp) Type() hm.Type         { return hm.NewFnType(vecA, vecA) }
func (op *zerosOp) String() string        { return "Zeros" }
func (op *zerosOp) WriteHash(h hash.Hash) { hashOp(h, "Zeros", op.id) }
func (op *zerosOp) Hashcode() uint32      { return hashCode("Zeros", op.id) }

func (op *zerosOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("Zeros", ds, 1)
	if err != nil {
		return nil, err
	}
	return s[0].Clone(), nil
}

func (op *zerosOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("Zeros", vals, 1); err != nil {
		return nil, err
	}
	v, err := dense("Zeros", 0, vals[0], 1)
	if err != nil {
		return nil, err
	}
	z := op.out.get(v.Dtype(), v.Shape()...)
	if z.Dtype() == tensor.Float64 {
		clear(z.Float64s())
	} else {
		clear(z.Float32s())
	}
	return z, nil
}

func (op *zerosOp) DiffWRT(int) []bool { return []bool{false} }
func (op *zerosOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, fmt.Errorf("nn: Zeros: %w", errSecondOrder)
}
