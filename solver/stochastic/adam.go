package stochastic

import (
	"fmt"
	"math"
)

// Defaults of AdamOptions (Kingma and Ba's, as PyTorch's torch.optim.Adam).
const (
	DefaultAdamLearningRate = 1e-3
	DefaultAdamBeta1        = 0.9
	DefaultAdamBeta2        = 0.999
	DefaultAdamEpsilon      = 1e-8
)

// AdamOptions configure Adam.
type AdamOptions struct {
	// LearningRate is α, the length scale of each step. Default 1e-3;
	// valid: finite, > 0.
	LearningRate float64
	// Beta1 and Beta2 are the decay rates of the moving averages of the
	// gradient and of its square. Defaults 0.9 and 0.999; valid: [0, 1).
	Beta1, Beta2 float64
	// Epsilon is added to the root of the second moment before dividing
	// by it. Default 1e-8; valid: finite, > 0.
	Epsilon float64
}

// DefaultAdamOptions returns Kingma and Ba's defaults: α = 1e-3,
// β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
func DefaultAdamOptions() AdamOptions {
	return AdamOptions{LearningRate: DefaultAdamLearningRate, Beta1: DefaultAdamBeta1, Beta2: DefaultAdamBeta2, Epsilon: DefaultAdamEpsilon}
}

// Adam is Kingma and Ba's first-order method on a flat vector: the step
// of a minibatch gradient scaled per coordinate by running moments of
// the gradients. It holds the moments and the step count; the caller
// evaluates each gradient (on the rows of its choice) and calls Step.
// A cheap way to make progress from a random start before full-batch
// L-BFGS, or a baseline beside the stochastic quasi-Newton methods.
type Adam struct {
	opts AdamOptions
	m, v []float64 // moving averages of g and g²
	t    int
}

// NewAdam returns Adam for vectors of length p with zero moments, after
// checking the options.
func NewAdam(p int, opts AdamOptions) (*Adam, error) {
	if p < 1 {
		return nil, fmt.Errorf("%w: NewAdam: length %d, want at least 1", ErrDimension, p)
	}
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 1) }
	rate := func(v float64) bool { return v >= 0 && v < 1 }
	switch {
	case !pos(opts.LearningRate):
		return nil, optionErr("LearningRate", opts.LearningRate, "must be finite and > 0")
	case !rate(opts.Beta1):
		return nil, optionErr("Beta1", opts.Beta1, "must be in [0, 1)")
	case !rate(opts.Beta2):
		return nil, optionErr("Beta2", opts.Beta2, "must be in [0, 1)")
	case !pos(opts.Epsilon):
		return nil, optionErr("Epsilon", opts.Epsilon, "must be finite and > 0")
	}
	return &Adam{opts: opts, m: make([]float64, p), v: make([]float64, p)}, nil
}

// Step moves x by one Adam step for the gradient grad at x (both of the
// length NewAdam was given); it allocates nothing. With t the number of
// steps so far, including this one, in torch.optim.Adam's order of
// operations:
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
//	x ← x − (α/(1−β₁ᵗ))·m / (√v / √(1−β₂ᵗ) + ε)
func (a *Adam) Step(x, grad []float64) error {
	if a == nil {
		return fmt.Errorf("%w: nil Adam (create it with NewAdam)", ErrInvalidOption)
	}
	if len(x) != len(a.m) || len(grad) != len(a.m) {
		return fmt.Errorf("%w: Adam.Step: len(x) = %d, len(grad) = %d, want %d", ErrDimension, len(x), len(grad), len(a.m))
	}
	a.t++
	c := a.coefficients()
	n := adamVector(x, grad, a.m, a.v, &c)
	adamLoop(x[n:], grad[n:], a.m[n:], a.v[n:], &c)
	return nil
}

// coefficients returns the constants of step a.t, each twice (a pair of
// lanes): β₁, 1−β₁, β₂, 1−β₂, the step α/(1−β₁ᵗ) and the root √(1−β₂ᵗ)
// (the bias corrections of m and v), ε.
func (a *Adam) coefficients() [7][2]float64 {
	b1, b2, eps := a.opts.Beta1, a.opts.Beta2, a.opts.Epsilon
	step := a.opts.LearningRate / (1 - math.Pow(b1, float64(a.t)))
	root := math.Sqrt(1 - math.Pow(b2, float64(a.t)))
	return [7][2]float64{{b1, b1}, {1 - b1, 1 - b1}, {b2, b2}, {1 - b2, 1 - b2}, {step, step}, {root, root}, {eps, eps}}
}

// adamLoop moves x by the step c describes (see adamVector) for the
// gradient g, updating the moments m and v; all have the length of x.
func adamLoop(x, g, m, v []float64, c *[7][2]float64) {
	b1, c1, b2, c2 := c[0][0], c[1][0], c[2][0], c[3][0]
	step, root, eps := c[4][0], c[5][0], c[6][0]
	g, m, v = g[:len(x)], m[:len(x)], v[:len(x)]
	for i, gi := range g {
		m[i] = b1*m[i] + c1*gi
		v[i] = b2*v[i] + c2*gi*gi
		x[i] -= step * m[i] / (math.Sqrt(v[i])/root + eps)
	}
}

// Steps returns the number of steps taken.
func (a *Adam) Steps() int {
	if a == nil {
		return 0
	}
	return a.t
}
