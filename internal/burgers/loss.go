package burgers

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// derivatives are those the residual needs: u_x, u_t and u_xx (inputs are
// (x, t), so x is input 0 and t input 1).
var derivatives = nn.Derivatives{First: []int{0, 1}, Second: [][2]int{{0, 0}}}

// NewLoss returns the loss closure of MATLAB's modelLoss for net on the
// points p, over net's flat learnables:
//
//	loss = mean over the collocation points of (u_t + u·u_x − ν·u_xx)²
//	     + mean over the initial and boundary points of (u − U0)²
//
// The collocation points are split into shards (0 picks
// nn.AutoShards), each evaluated on a graph of its own, in parallel; the
// data term belongs to shard 0.
func NewLoss(net *nn.Network, p Points, shards int) (*autodiff.Evaluator, error) {
	rows := len(p.Collocation) / 2
	if shards == 0 {
		shards = nn.AutoShards(rows, net.NumLearnables())
	}
	if shards < 1 || shards > rows {
		return nil, fmt.Errorf("burgers: %d shards (valid: 0 to %d)", shards, rows)
	}
	graphs := make([]autodiff.Graph, shards)
	for s := range graphs {
		lo, hi := s*rows/shards, (s+1)*rows/shards
		var err error
		if graphs[s], err = shardGraph(net, p, lo, hi, s == 0); err != nil {
			return nil, err
		}
	}
	return autodiff.NewSharded(graphs, autodiff.Options{})
}

// shardGraph builds the loss of collocation rows [lo, hi), plus the data
// term if withData.
func shardGraph(net *nn.Network, p Points, lo, hi int, withData bool) (autodiff.Graph, error) {
	g := gorgonia.NewGraph()
	b := builder{dt: net.Dtype()}
	x := b.matrix(g, "X", p.Collocation[2*lo:2*hi], hi-lo, 2)
	d, err := net.ForwardDerivatives(x, derivatives, nil)
	if err != nil {
		return autodiff.Graph{}, err
	}
	u, ux, ut, uxx := d.Output, d.First[0], d.First[1], d.Second[0]
	// f = u_t + u·u_x − ν·u_xx
	f := b.sub(b.add(ut, b.hadamard(u, ux)), b.scale(uxx, Nu))
	rows := len(p.Collocation) / 2
	cost := b.scale(b.sumSquares(f), 1/float64(rows))
	if withData {
		x0 := b.matrix(g, "X0", p.Data, len(p.Targets), 2)
		u0 := b.matrix(g, "U0", p.Targets, len(p.Targets), 1)
		d0, err := net.ForwardDerivatives(x0, nn.Derivatives{}, d.Learnables)
		if err != nil {
			return autodiff.Graph{}, err
		}
		cost = b.add(cost, b.scale(b.sumSquares(b.sub(d0.Output, u0)), 1/float64(len(p.Targets))))
	}
	if b.err != nil {
		return autodiff.Graph{}, fmt.Errorf("burgers: build loss: %w", b.err)
	}
	return autodiff.Graph{Cost: cost, Params: d.Learnables}, nil
}

// builder applies gorgonia ops, keeping the first error.
type builder struct {
	dt  tensor.Dtype
	err error
}

func (b *builder) keep(n *gorgonia.Node, err error) *gorgonia.Node {
	if b.err == nil {
		b.err = err
	}
	return n
}

func (b *builder) matrix(g *gorgonia.ExprGraph, name string, v []float64, rows, cols int) *gorgonia.Node {
	t := tensor.New(tensor.Of(b.dt), tensor.WithShape(rows, cols))
	if b.dt == tensor.Float32 {
		f := t.Float32s()
		for i, e := range v {
			f[i] = float32(e)
		}
	} else {
		copy(t.Float64s(), v)
	}
	return gorgonia.NewMatrix(g, b.dt, gorgonia.WithShape(rows, cols), gorgonia.WithName(name), gorgonia.WithValue(t))
}

func (b *builder) constant(v float64) *gorgonia.Node {
	if b.dt == tensor.Float32 {
		return gorgonia.NewConstant(float32(v))
	}
	return gorgonia.NewConstant(v)
}

func (b *builder) add(x, y *gorgonia.Node) *gorgonia.Node { return b.keep(gorgonia.Add(x, y)) }
func (b *builder) sub(x, y *gorgonia.Node) *gorgonia.Node { return b.keep(gorgonia.Sub(x, y)) }
func (b *builder) hadamard(x, y *gorgonia.Node) *gorgonia.Node {
	return b.keep(gorgonia.HadamardProd(x, y))
}
func (b *builder) scale(x *gorgonia.Node, c float64) *gorgonia.Node {
	return b.keep(gorgonia.Mul(x, b.constant(c)))
}
func (b *builder) sumSquares(x *gorgonia.Node) *gorgonia.Node {
	return b.keep(gorgonia.Sum(b.keep(gorgonia.Square(x))))
}
