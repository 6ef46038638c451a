package burgers

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// derivatives are those the residual needs: u_x, u_t and u_xx (inputs are
// (x, t), so x is input 0 and t input 1).
var derivatives = nn.Derivatives{First: []int{0, 1}, Second: [][2]int{{0, 0}}}

// NewLoss returns MATLAB's modelLoss for net on the points p, an
// nn.Objective over net's flat learnables (its Evaluate is the solver's
// loss function):
//
//	loss = mean over the collocation points of (u_t + u·u_x − ν·u_xx)²
//	     + mean over the initial and boundary points of (u − U0)²
//
// The collocation points are the objective's rows, split into shards
// (0 picks nn.AutoShards) evaluated in parallel; each shard adds the data
// term weighted by its share of the rows, so the shards add up to it once.
func NewLoss(net *nn.Network, p Points, shards int) (*nn.Objective, error) {
	if len(p.Targets) == 0 || len(p.Data) != 2*len(p.Targets) {
		return nil, fmt.Errorf("burgers: %d data values for %d targets (want 2 per target, at least one)", len(p.Data), len(p.Targets))
	}
	return net.NewObjective(p.Collocation, nil, nn.ObjectiveOptions{
		Cost:        func(b nn.BatchNodes) (*gorgonia.Node, error) { return cost(b, p) },
		Derivatives: derivatives,
		Shards:      shards,
	})
}

// cost builds the loss of one shard of collocation points.
func cost(b nn.BatchNodes, p Points) (*gorgonia.Node, error) {
	bl := builder{dt: b.X.Dtype()}
	d := b.Derivatives
	u, ux, ut, uxx := d.Output, d.First[0], d.First[1], d.Second[0]
	// f = u_t + u·u_x − ν·u_xx
	f := bl.sub(bl.add(ut, bl.hadamard(u, ux)), bl.scale(uxx, Nu))
	c := bl.scale(bl.sumSquares(f), 1/float64(b.TotalRows))
	// U0Pred = forward(net, XT0); lossU = mse(U0Pred, U0), this shard's share
	n0 := len(p.Targets)
	x0 := bl.matrix(b.X.Graph(), "X0", p.Data, n0, 2)
	u0 := bl.matrix(b.X.Graph(), "U0", p.Targets, n0, 1)
	d0, err := b.ForwardDerivatives(x0, nn.Derivatives{})
	if err != nil {
		return nil, err
	}
	share := float64(b.Rows) / float64(b.TotalRows)
	c = bl.add(c, bl.scale(bl.sumSquares(bl.sub(d0.Output, u0)), share/float64(n0)))
	if bl.err != nil {
		return nil, fmt.Errorf("burgers: build loss: %w", bl.err)
	}
	return c, nil
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
