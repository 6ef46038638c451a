package nn

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
)

// KindLayerNorm is the kind of LayerNorm.
const KindLayerNorm LayerKind = "layernorm"

// DefaultNormEpsilon is the default Epsilon of LayerNorm (MATLAB's
// layerNormalizationLayer).
const DefaultNormEpsilon = 1e-5

// LayerNorm is layer normalisation (MATLAB's layerNormalizationLayer for
// feature rows): each row is normalised over its features, then each
// column scaled and offset,
//
//	Y = Scale ⊙ (X − μ_row)/√(σ²_row + Epsilon) + Offset,
//
// with μ_row and σ²_row the mean and (biased) variance of the row. It
// depends on each row alone, so it is the same in training and
// prediction and on any rows. Its learnables are "Offset" (zeros) and
// "Scale" (ones), MATLAB's order, one value per feature.
type LayerNorm struct {
	Name string `json:"-"` // default "layernorm1", … (see NamedLayer)
	// Epsilon is added to the variance; 0 means DefaultNormEpsilon
	// (1e-5). Valid: finite, >= 0.
	Epsilon float64 `json:"epsilon,omitempty"`
}

// Kind returns KindLayerNorm.
func (l LayerNorm) Kind() LayerKind { return KindLayerNorm }

// LayerName returns l.Name.
func (l LayerNorm) LayerName() string { return l.Name }

func (l LayerNorm) renamed(name string) Layer { l.Name = name; return l }

// Setup declares Offset and Scale, one value per feature.
func (l LayerNorm) Setup(in int) (LayerSetup, error) {
	if math.IsNaN(l.Epsilon) || math.IsInf(l.Epsilon, 0) || l.Epsilon < 0 {
		return LayerSetup{}, fmt.Errorf("Epsilon = %v (valid: finite, >= 0)", l.Epsilon)
	}
	return LayerSetup{OutputSize: in, Learnables: []LearnableSpec{
		{Name: "Offset", Shape: []int{in}, Init: Zeros, FanIn: in, FanOut: in},
		{Name: "Scale", Shape: []int{in}, Init: Ones, FanIn: in, FanOut: in},
	}}, nil
}

// Forward applies the fused normalisation op.
func (l LayerNorm) Forward(x *gorgonia.Node, ps []*gorgonia.Node, ctx ForwardContext) (*gorgonia.Node, error) {
	if len(ps) != 2 {
		return nil, fmt.Errorf("%d learnables, want 2", len(ps))
	}
	op := &normOp{opBase: newOpBase(), eps: orDefault(l.Epsilon, DefaultNormEpsilon)}
	return gorgonia.ApplyOpWithName(op, ctx.Name, x, ps[1], ps[0])
}
