package nn

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// normOp normalises the rows of X (layer normalisation: each row over its
// features) and then scales and offsets each column:
//
//	Y = γ ⊙ X̂ + β,  X̂_rj = (X_rj − μ_r)·ρ_r,  ρ_r = 1/√(σ²_r + ε),
//
// μ_r and σ²_r the mean and the (biased) variance of row r. It keeps X̂
// and ρ for its gradient ops, which read them after it runs (they take Y
// as an input, so the tape runs them later).
type normOp struct {
	opBase
	eps  float64
	xhat buffer    // X̂
	rho  []float64 // ρ_r
	out  buffer
}

// The methods of normOp implement gorgonia.Op and gorgonia.SDOp.
func (op *normOp) Arity() int            { return 3 }
func (op *normOp) Type() hm.Type         { return hm.NewFnType(matA, vecA, vecA, matA) }
func (op *normOp) String() string        { return "LayerNorm" }
func (op *normOp) WriteHash(h hash.Hash) { hashOp(h, "LayerNorm", op.id) }
func (op *normOp) Hashcode() uint32      { return hashCode("LayerNorm", op.id) }

func (op *normOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("LayerNorm", ds, 2, 1, 1)
	if err != nil {
		return nil, err
	}
	if s[1][0] != s[0][1] || s[2][0] != s[0][1] {
		return nil, fmt.Errorf("nn: LayerNorm: X %v, scale %v, offset %v do not match", s[0], s[1], s[2])
	}
	return s[0].Clone(), nil
}

// inputs checks and returns X, γ and β.
func normInputs(name string, vals []gorgonia.Value) (x, g, b *tensor.Dense, err error) {
	if x, err = dense(name, 0, vals[0], 2); err != nil {
		return nil, nil, nil, err
	}
	if g, err = dense(name, 1, vals[1], 1); err != nil {
		return nil, nil, nil, err
	}
	if b, err = dense(name, 2, vals[2], 1); err != nil {
		return nil, nil, nil, err
	}
	if err := sameDtype(name, x, g, b); err != nil {
		return nil, nil, nil, err
	}
	if g.Shape()[0] != x.Shape()[1] || b.Shape()[0] != x.Shape()[1] {
		return nil, nil, nil, fmt.Errorf("nn: %s: X %v, scale %v, offset %v do not match", name, x.Shape(), g.Shape(), b.Shape())
	}
	return x, g, b, nil
}

func (op *normOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("LayerNorm", vals, 3); err != nil {
		return nil, err
	}
	x, g, b, err := normInputs("LayerNorm", vals)
	if err != nil {
		return nil, err
	}
	n, m := x.Shape()[0], x.Shape()[1]
	y := op.out.get(x.Dtype(), n, m)
	xh := op.xhat.get(x.Dtype(), n, m)
	if cap(op.rho) < n {
		op.rho = make([]float64, n)
	}
	op.rho = op.rho[:n]
	if x.Dtype() == tensor.Float64 {
		normForward(m, op.eps, x.Float64s(), g.Float64s(), b.Float64s(), xh.Float64s(), op.rho, y.Float64s())
	} else {
		normForward(m, op.eps, x.Float32s(), g.Float32s(), b.Float32s(), xh.Float32s(), op.rho, y.Float32s())
	}
	return y, nil
}

// normForward normalises each row of x (m columns), accumulating in
// float64, and sets xh = X̂, rho = ρ and y = γ ⊙ X̂ + β.
func normForward[T float](m int, eps float64, x, g, b, xh []T, rho []float64, y []T) {
	for r := range rho {
		xr := x[r*m : (r+1)*m]
		mu := 0.0
		for _, v := range xr {
			mu += float64(v)
		}
		mu /= float64(m)
		v2 := 0.0
		for _, v := range xr {
			d := float64(v) - mu
			v2 += d * d
		}
		rho[r] = 1 / math.Sqrt(v2/float64(m)+eps)
		for j, v := range xr {
			h := (float64(v) - mu) * rho[r]
			xh[r*m+j] = T(h)
			y[r*m+j] = T(float64(g[j])*h + float64(b[j]))
		}
	}
}

func (op *normOp) DiffWRT(int) []bool { return []bool{true, true, true} }

// SymDiff returns dX (normGradOp), dγ = Σ_rows dY ⊙ X̂ (normScaleGradOp)
// and dβ = Σ_rows dY.
func (op *normOp) SymDiff(in gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("nn: LayerNorm: %d inputs, want 3", len(in))
	}
	dx, err := gorgonia.ApplyOp(&normGradOp{opBase: newOpBase(), fwd: op}, in[1], output, grad)
	if err != nil {
		return nil, err
	}
	dg, err := gorgonia.ApplyOp(&normScaleGradOp{opBase: newOpBase(), fwd: op}, output, grad)
	if err != nil {
		return nil, err
	}
	db, err := gorgonia.ApplyOp(&colSumOp{opBase: newOpBase()}, grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{dx, dg, db}, nil
}

// normGradOp computes dX from γ, Y (for ordering) and dY with the stored
// X̂ and ρ: with G = dY ⊙ γ, each row
//
//	dX_r = ρ_r (G_r − mean(G_r) − X̂_r·mean(G_r ⊙ X̂_r)).
type normGradOp struct {
	opBase
	fwd *normOp
	out buffer
}

// The methods of normGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *normGradOp) Arity() int            { return 3 }
func (op *normGradOp) Type() hm.Type         { return hm.NewFnType(vecA, matA, matA, matA) }
func (op *normGradOp) String() string        { return "LayerNormGrad" }
func (op *normGradOp) WriteHash(h hash.Hash) { hashOp(h, "LayerNormGrad", op.id) }
func (op *normGradOp) Hashcode() uint32      { return hashCode("LayerNormGrad", op.id) }

func (op *normGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("LayerNormGrad", ds, 1, 2, 2)
	if err != nil {
		return nil, err
	}
	return s[1].Clone(), nil
}

// stored returns the forward op's X̂ if it matches dy.
func (f *normOp) stored(name string, dy *tensor.Dense) (*tensor.Dense, error) {
	xh := f.xhat.t
	if xh == nil || !xh.Shape().Eq(dy.Shape()) || xh.Dtype() != dy.Dtype() || len(f.rho) != dy.Shape()[0] {
		return nil, fmt.Errorf("nn: %s: run before its forward op", name)
	}
	return xh, nil
}

func (op *normGradOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("LayerNormGrad", vals, 3); err != nil {
		return nil, err
	}
	g, err := dense("LayerNormGrad", 0, vals[0], 1)
	if err != nil {
		return nil, err
	}
	dy, err := dense("LayerNormGrad", 2, vals[2], 2)
	if err != nil {
		return nil, err
	}
	xh, err := op.fwd.stored("LayerNormGrad", dy)
	if err != nil {
		return nil, err
	}
	if err := sameDtype("LayerNormGrad", g, dy); err != nil {
		return nil, err
	}
	n, m := dy.Shape()[0], dy.Shape()[1]
	dx := op.out.get(dy.Dtype(), n, m)
	if dy.Dtype() == tensor.Float64 {
		normBackward(m, g.Float64s(), xh.Float64s(), op.fwd.rho, dy.Float64s(), dx.Float64s())
	} else {
		normBackward(m, g.Float32s(), xh.Float32s(), op.fwd.rho, dy.Float32s(), dx.Float32s())
	}
	return dx, nil
}

// normBackward sets dx = ρ (G − mean(G) − X̂ mean(G ⊙ X̂)) row by row,
// G = dy ⊙ γ.
func normBackward[T float](m int, g, xh []T, rho []float64, dy, dx []T) {
	for r, rr := range rho {
		a, b := 0.0, 0.0 // Σ G, Σ G ⊙ X̂
		for j := range m {
			gj := float64(dy[r*m+j]) * float64(g[j])
			a += gj
			b += gj * float64(xh[r*m+j])
		}
		a, b = a/float64(m), b/float64(m)
		for j := range m {
			gj := float64(dy[r*m+j]) * float64(g[j])
			dx[r*m+j] = T(rr * (gj - a - float64(xh[r*m+j])*b))
		}
	}
}

func (op *normGradOp) DiffWRT(int) []bool { return []bool{false, false, false} }
func (op *normGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}

// normalised is a normalisation op (normOp, batchNormOp) that keeps X̂
// for its gradient ops.
type normalised interface {
	// stored returns X̂ if the op ran on data of dy's shape.
	stored(name string, dy *tensor.Dense) (*tensor.Dense, error)
}

// normScaleGradOp computes dγ = Σ_rows dY ⊙ X̂ from Y (for ordering) and
// dY with the X̂ its forward op stored: the scale's gradient of layer and
// batch normalisation.
type normScaleGradOp struct {
	opBase
	fwd normalised
	out buffer
}

// The methods of normScaleGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *normScaleGradOp) Arity() int            { return 2 }
func (op *normScaleGradOp) Type() hm.Type         { return hm.NewFnType(matA, matA, vecA) }
func (op *normScaleGradOp) String() string        { return "NormScaleGrad" }
func (op *normScaleGradOp) WriteHash(h hash.Hash) { hashOp(h, "NormScaleGrad", op.id) }
func (op *normScaleGradOp) Hashcode() uint32      { return hashCode("NormScaleGrad", op.id) }

func (op *normScaleGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("NormScaleGrad", ds, 2, 2)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{s[1][1]}, nil
}

func (op *normScaleGradOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("NormScaleGrad", vals, 2); err != nil {
		return nil, err
	}
	dy, err := dense("NormScaleGrad", 1, vals[1], 2)
	if err != nil {
		return nil, err
	}
	xh, err := op.fwd.stored("NormScaleGrad", dy)
	if err != nil {
		return nil, err
	}
	n, m := dy.Shape()[0], dy.Shape()[1]
	dg := op.out.get(dy.Dtype(), m)
	if dy.Dtype() == tensor.Float64 {
		productColSum(n, m, dy.Float64s(), xh.Float64s(), dg.Float64s())
	} else {
		productColSum(n, m, dy.Float32s(), xh.Float32s(), dg.Float32s())
	}
	return dg, nil
}

// productColSum sets s[j] = Σ_i a[i, j]·b[i, j], accumulating in float64.
func productColSum[T float](n, m int, a, b, s []T) {
	for j := range m {
		acc := 0.0
		for i := range n {
			acc += float64(a[i*m+j]) * float64(b[i*m+j])
		}
		s[j] = T(acc)
	}
}

func (op *normScaleGradOp) DiffWRT(int) []bool { return []bool{false, false} }
func (op *normScaleGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}
