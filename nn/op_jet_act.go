package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// jetActOp applies an elementwise activation f to a jet, by the chain
// rule for each block (z the values, z_i, z_ij the derivative blocks):
//
//	a    = f(z)
//	a_i  = f′(z)·z_i
//	a_ij = f″(z)·z_i·z_j + f′(z)·z_ij
type jetActOp struct {
	opBase
	act    activation
	layout jetLayout
	out    buffer
	d      derivScratch
}

// The methods of jetActOp implement gorgonia.Op and gorgonia.SDOp.
func (op *jetActOp) Arity() int            { return 1 }
func (op *jetActOp) Type() hm.Type         { return hm.NewFnType(matA, matA) }
func (op *jetActOp) String() string        { return "Jet" + op.act.String() }
func (op *jetActOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *jetActOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *jetActOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes(op.String(), ds, 2)
	if err != nil {
		return nil, err
	}
	if _, err := blockRows(op.String(), s[0], op.layout.channels()); err != nil {
		return nil, err
	}
	return s[0].Clone(), nil
}

func (op *jetActOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	name := op.String()
	if err := arity(name, vals, 1); err != nil {
		return nil, err
	}
	z, err := dense(name, 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	s := z.Shape()
	n, err := blockRows(name, s, op.layout.channels())
	if err != nil {
		return nil, err
	}
	a := op.out.get(z.Dtype(), s[0], s[1])
	m := n * s[1]
	d1, d2, _ := op.d.get(m, false)
	if z.Dtype() == tensor.Float64 {
		jetActivate(op.act, op.layout, m, z.Float64s(), a.Float64s(), d1, d2)
	} else {
		jetActivate(op.act, op.layout, m, z.Float32s(), a.Float32s(), d1, d2)
	}
	return a, nil
}

func (op *jetActOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff returns dZ computed by jetActGradOp from Z, A and dA.
func (op *jetActOp) SymDiff(in gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("nn: %v: %d inputs, want 1", op, len(in))
	}
	g, err := gorgonia.ApplyOp(&jetActGradOp{opBase: newOpBase(), act: op.act, layout: op.layout}, in[0], output, grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{g}, nil
}

// jetActGradOp computes the gradient dZ of a jet activation from Z, its
// output A (whose values give tanh′ and σ′ without another tanh or exp)
// and the gradient dA of A (g, g_i, g_ij the blocks of dA):
//
//	dz    = g·f′ + Σ_i g_i·f″·z_i + Σ_ij g_ij·(f‴·z_i·z_j + f″·z_ij)
//	dz_i  = g_i·f′ + Σ_{ij ∋ i} g_ij·f″·z_j   (z_i² counts twice for ii)
//	dz_ij = g_ij·f′
type jetActGradOp struct {
	opBase
	act    activation
	layout jetLayout
	out    buffer
	d      derivScratch
}

// The methods of jetActGradOp implement gorgonia.Op and gorgonia.SDOp.
func (op *jetActGradOp) Arity() int            { return 3 }
func (op *jetActGradOp) Type() hm.Type         { return hm.NewFnType(matA, matA, matA, matA) }
func (op *jetActGradOp) String() string        { return "Jet" + op.act.gradName() }
func (op *jetActGradOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *jetActGradOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *jetActGradOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes(op.String(), ds, 2, 2, 2)
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(s[1]) || !s[0].Eq(s[2]) {
		return nil, fmt.Errorf("nn: %v: shapes %v, %v and %v differ", op, s[0], s[1], s[2])
	}
	return s[0].Clone(), nil
}

func (op *jetActGradOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	name := op.String()
	if err := arity(name, vals, 3); err != nil {
		return nil, err
	}
	var t [3]*tensor.Dense // Z, A, dA
	for i := range t {
		if t[i], err = dense(name, i, vals[i], 2); err != nil {
			return nil, err
		}
	}
	if err := sameDtype(name, t[0], t[1], t[2]); err != nil {
		return nil, err
	}
	s := t[0].Shape()
	if !s.Eq(t[1].Shape()) || !s.Eq(t[2].Shape()) {
		return nil, fmt.Errorf("nn: %s: shapes %v, %v and %v differ", name, s, t[1].Shape(), t[2].Shape())
	}
	n, err := blockRows(name, s, op.layout.channels())
	if err != nil {
		return nil, err
	}
	dz := op.out.get(t[0].Dtype(), s[0], s[1])
	m := n * s[1]
	d1, d2, d3 := op.d.get(m, true)
	if t[0].Dtype() == tensor.Float64 {
		jetActivateGrad(op.act, op.layout, m, t[0].Float64s(), t[1].Float64s(), t[2].Float64s(), dz.Float64s(), d1, d2, d3)
	} else {
		jetActivateGrad(op.act, op.layout, m, t[0].Float32s(), t[1].Float32s(), t[2].Float32s(), dz.Float32s(), d1, d2, d3)
	}
	return dz, nil
}

func (op *jetActGradOp) DiffWRT(int) []bool { return []bool{false, false, false} }
func (op *jetActGradOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}

// channelOp copies block k of a jet of c blocks: a value (k = 0) or one
// derivative of the layer's output, n × width.
type channelOp struct {
	opBase
	c, k int
	out  buffer
}

// The methods of channelOp implement gorgonia.Op and gorgonia.SDOp.
func (op *channelOp) Arity() int            { return 1 }
func (op *channelOp) Type() hm.Type         { return hm.NewFnType(matA, matA) }
func (op *channelOp) String() string        { return fmt.Sprintf("JetChannel{%d of %d}", op.k, op.c) }
func (op *channelOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *channelOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *channelOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("JetChannel", ds, 2)
	if err != nil {
		return nil, err
	}
	n, err := blockRows("JetChannel", s[0], op.c)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{n, s[0][1]}, nil
}

func (op *channelOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("JetChannel", vals, 1); err != nil {
		return nil, err
	}
	j, err := dense("JetChannel", 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	n, err := blockRows("JetChannel", j.Shape(), op.c)
	if err != nil {
		return nil, err
	}
	w := j.Shape()[1]
	out := op.out.get(j.Dtype(), n, w)
	lo, hi := op.k*n*w, (op.k+1)*n*w
	if j.Dtype() == tensor.Float64 {
		copy(out.Float64s(), j.Float64s()[lo:hi])
	} else {
		copy(out.Float32s(), j.Float32s()[lo:hi])
	}
	return out, nil
}

func (op *channelOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff returns the gradient placed in block k of a zero jet.
func (op *channelOp) SymDiff(in gorgonia.Nodes, _, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("nn: %v: %d inputs, want 1", op, len(in))
	}
	g, err := gorgonia.ApplyOp(&unchannelOp{opBase: newOpBase(), c: op.c, k: op.k}, grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{g}, nil
}

// unchannelOp places an n × width matrix in block k of an otherwise zero
// jet of c blocks: the gradient of channelOp.
type unchannelOp struct {
	opBase
	c, k int
	out  buffer
}

// The methods of unchannelOp implement gorgonia.Op and gorgonia.SDOp.
func (op *unchannelOp) Arity() int            { return 1 }
func (op *unchannelOp) Type() hm.Type         { return hm.NewFnType(matA, matA) }
func (op *unchannelOp) String() string        { return fmt.Sprintf("JetUnchannel{%d of %d}", op.k, op.c) }
func (op *unchannelOp) WriteHash(h hash.Hash) { hashOp(h, op.String(), op.id) }
func (op *unchannelOp) Hashcode() uint32      { return hashCode(op.String(), op.id) }

func (op *unchannelOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapes("JetUnchannel", ds, 2)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{op.c * s[0][0], s[0][1]}, nil
}

func (op *unchannelOp) Do(vals ...gorgonia.Value) (_ gorgonia.Value, err error) {
	defer recoverOp(&err, op)
	if err := arity("JetUnchannel", vals, 1); err != nil {
		return nil, err
	}
	g, err := dense("JetUnchannel", 0, vals[0], 2)
	if err != nil {
		return nil, err
	}
	n, w := g.Shape()[0], g.Shape()[1]
	out := op.out.get(g.Dtype(), op.c*n, w)
	lo, hi := op.k*n*w, (op.k+1)*n*w
	// the whole buffer is rewritten: a consumer may have reused it
	if g.Dtype() == tensor.Float64 {
		o := out.Float64s()
		clear(o)
		copy(o[lo:hi], g.Float64s())
	} else {
		o := out.Float32s()
		clear(o)
		copy(o[lo:hi], g.Float32s())
	}
	return out, nil
}

func (op *unchannelOp) DiffWRT(int) []bool { return []bool{false} }
func (op *unchannelOp) SymDiff(gorgonia.Nodes, *gorgonia.Node, *gorgonia.Node) (gorgonia.Nodes, error) {
	return nil, errSecondOrder
}
