// Package rbf is a radial-basis-function layer for package nn, written
// outside it from gorgonia's own ops: the example of a layer of one's
// own. For an input row x it outputs, for each of its centres c_k,
//
//	y_k = exp(−γ_k ‖x − c_k‖²),  γ_k = exp(LogWidth_k),
//
// with the centres and the log-widths as learnables, so that training
// moves both. Importing the package registers the layer under Kind, so
// that networks using it save and load.
package rbf

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// Kind is the name the layer is registered under and stored as in model
// files.
const Kind nn.LayerKind = "rbf"

func init() {
	if err := nn.RegisterLayerType[Layer](Kind); err != nil {
		panic(err) // a second registration of the same kind: a program error
	}
}

// Layer is the radial-basis-function layer. Its learnables are, in this
// order, "Centers" (InputSize × Centers: column k is c_k) and "LogWidth"
// (Centers).
type Layer struct {
	// Name is the layer's name in the network; default "rbf1", ….
	Name string `json:"-"`
	// Centers is the number of centres, the layer's output width.
	// Valid: >= 1.
	Centers int `json:"centers"`
	// Spread is the half-width of the box the centres are drawn from
	// uniformly, [−Spread, Spread] in every coordinate; 0 means 1. The
	// widths start at γ = 1. Valid: finite, >= 0.
	Spread float64 `json:"spread,omitempty"`
}

// Kind returns Kind.
func (l Layer) Kind() nn.LayerKind { return Kind }

// LayerName returns l.Name.
func (l Layer) LayerName() string { return l.Name }

// Setup declares the centres and the log-widths.
func (l Layer) Setup(in int) (nn.LayerSetup, error) {
	if l.Centers < 1 {
		return nn.LayerSetup{}, fmt.Errorf("Centers = %d (valid: >= 1)", l.Centers)
	}
	if !(l.Spread >= 0 && l.Spread <= 1e300) {
		return nn.LayerSetup{}, fmt.Errorf("Spread = %v (valid: finite, >= 0)", l.Spread)
	}
	spread := l.Spread
	if spread == 0 {
		spread = 1
	}
	uniform := func(r *rand.Rand, _, _ int, dst []float64) {
		for i := range dst {
			dst[i] = spread * (2*r.Float64() - 1)
		}
	}
	return nn.LayerSetup{OutputSize: l.Centers, Learnables: []nn.LearnableSpec{
		{Name: "Centers", Shape: []int{in, l.Centers}, Init: uniform},
		{Name: "LogWidth", Shape: []int{l.Centers}},
	}}, nil
}

// Forward computes ‖x − c_k‖² = ‖x‖² − 2 x·c_k + ‖c_k‖² for all rows and
// centres at once, then exp(−γ ⊙ ·).
func (l Layer) Forward(x *gorgonia.Node, ps []*gorgonia.Node, ctx nn.ForwardContext) (*gorgonia.Node, error) {
	if len(ps) != 2 {
		return nil, fmt.Errorf("%d learnables, want 2", len(ps))
	}
	c, logWidth := ps[0], ps[1]
	var minus2 *gorgonia.Node
	if ctx.Dtype == tensor.Float32 {
		minus2 = gorgonia.NewConstant(float32(-2))
	} else {
		minus2 = gorgonia.NewConstant(-2.0)
	}
	sq := func(n *gorgonia.Node, axis int) (*gorgonia.Node, error) { // Σ n² along axis
		s, err := gorgonia.Square(n)
		if err != nil {
			return nil, err
		}
		return gorgonia.Sum(s, axis)
	}
	xx, err := sq(x, 1) // ‖x‖², one per row
	if err != nil {
		return nil, err
	}
	cc, err := sq(c, 0) // ‖c_k‖², one per centre
	if err != nil {
		return nil, err
	}
	xc, err := gorgonia.Mul(x, c)
	if err != nil {
		return nil, err
	}
	if xc, err = gorgonia.Mul(xc, minus2); err != nil { // −2 x·c_k
		return nil, err
	}
	d2, err := gorgonia.BroadcastAdd(xc, xx, nil, []byte{1}) // + ‖x‖² along each row
	if err != nil {
		return nil, err
	}
	if d2, err = gorgonia.BroadcastAdd(d2, cc, nil, []byte{0}); err != nil { // + ‖c_k‖² down each column
		return nil, err
	}
	gamma, err := gorgonia.Exp(logWidth)
	if err != nil {
		return nil, err
	}
	scaled, err := gorgonia.BroadcastHadamardProd(d2, gamma, nil, []byte{0}) // γ_k ‖x − c_k‖²
	if err != nil {
		return nil, err
	}
	neg, err := gorgonia.Neg(scaled)
	if err != nil {
		return nil, err
	}
	return gorgonia.Exp(neg)
}
