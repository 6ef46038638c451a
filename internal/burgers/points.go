package burgers

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// Sizes of MATLAB's example.
const (
	NumBoundaryPoints    = 25     // per boundary x = −1 and x = 1, equally spaced in t ∈ [0, 1]
	NumInitialPoints     = 50     // equally spaced in x ∈ [−1, 1] at t = 0
	NumCollocationPoints = 10000  // interior points where the residual is penalised
	NumLayers            = 9      // fully connected layers
	NumNeurons           = 20     // width of the hidden layers
	NumLearnables        = 3021   // of MATLAB's network: 2·20+20 + 7·(20·20+20) + 20+1
	MaxIterations        = 1500   // MATLAB's maxIterations
	GradientTolerance    = 1e-5   // MATLAB's gradientTolerance
	StepTolerance        = 1e-5   // MATLAB's stepTolerance
	SliceSize            = 1001   // points per time slice of the comparison
	collocationStream    = 0xb0b5 // second word of the PCG seed of the collocation points
)

// SliceTimes are the times at which the example compares with the exact
// solution.
var SliceTimes = []float64{0.25, 0.5, 0.75, 1}

// Points are the training points, each row (x, t).
type Points struct {
	// Collocation holds the interior points, NumCollocation rows of (x, t).
	Collocation []float64
	// Data holds the initial points then the boundary points (x = −1, then
	// x = 1), rows of (x, t), and Targets their values u: −sin(πx) at
	// t = 0, 0 on the boundaries (MATLAB's X0, T0, U0).
	Data, Targets []float64
}

// NewPoints returns MATLAB's training points with n collocation points
// drawn uniformly from [−1, 1] × [0, 1] by a PCG generator seeded with
// seed (MATLAB's example draws them with rand; the draw here is seeded, so
// the same seed gives the same points).
func NewPoints(n int, seed uint64) (Points, error) {
	if n < 1 {
		return Points{}, fmt.Errorf("burgers: %d collocation points (valid: >= 1)", n)
	}
	r := rand.New(rand.NewPCG(seed, collocationStream))
	var p Points
	p.Collocation = make([]float64, 0, 2*n)
	for range n {
		x, t := 2*r.Float64()-1, r.Float64()
		p.Collocation = append(p.Collocation, x, t)
	}
	for _, x := range linspace(-1, 1, NumInitialPoints) {
		p.Data = append(p.Data, x, 0)
		p.Targets = append(p.Targets, -math.Sin(math.Pi*x))
	}
	for _, xb := range []float64{-1, 1} {
		for _, t := range linspace(0, 1, NumBoundaryPoints) {
			p.Data = append(p.Data, xb, t)
			p.Targets = append(p.Targets, 0)
		}
	}
	return p, nil
}

// linspace returns n equally spaced values from a to b, both included
// (MATLAB's linspace).
func linspace(a, b float64, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	v[n-1] = b
	return v
}

// NewNetwork returns MATLAB's network, (x, t) → 8 × [fully connected 20,
// tanh] → fully connected 1, with Glorot-uniform weights and zero biases
// drawn from seed (MATLAB's defaults).
func NewNetwork(seed uint64) (*nn.Network, error) {
	var layers []nn.Layer
	for range NumLayers - 1 {
		layers = append(layers, nn.FullyConnected{OutputSize: NumNeurons}, nn.Tanh{})
	}
	layers = append(layers, nn.FullyConnected{OutputSize: 1})
	return nn.New(nn.Config{InputSize: 2, Layers: layers}, rand.New(rand.NewPCG(seed, 0)))
}
