package burgers

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// Nu is the viscosity ν = 0.01/π of MATLAB's example.
const Nu = 0.01 / math.Pi

// DefaultHermiteNodes is the number of Gauss–Hermite nodes Exact uses:
// at ν = 0.01/π it agrees with a trapezoid rule on 2·10⁵ points to 1e-12
// at every t ≤ 1 (TestExactAgainstTrapezoid).
const DefaultHermiteNodes = 200

// Exact evaluates the exact solution of the problem by the Cole–Hopf
// transformation: with f(y) = exp(−cos(πy)/(2πν)),
//
//	u(x, t) = −∫ sin(π(x−η))·f(x−η)·e^(−η²/4νt) dη / ∫ f(x−η)·e^(−η²/4νt) dη,
//
// and, substituting η = √(4νt)·s, both integrals are Gauss–Hermite sums
// Σ w_k·g(x − √(4νt)·s_k). The terms are scaled by their largest
// exponent, so f's range (e^(±1/(2πν)) = e^(±50)) cannot overflow.
type Exact struct {
	nu      float64
	s, logW []float64 // nodes and log weights
}

// NewExact returns the solution for viscosity nu with n Gauss–Hermite
// nodes.
func NewExact(nu float64, n int) (*Exact, error) {
	if !(nu > 0) || math.IsInf(nu, 0) {
		return nil, fmt.Errorf("burgers: viscosity %v (valid: finite, > 0)", nu)
	}
	if n < 1 {
		return nil, fmt.Errorf("burgers: %d Gauss–Hermite nodes (valid: >= 1)", n)
	}
	e := &Exact{nu: nu, s: make([]float64, n), logW: make([]float64, n)}
	w := make([]float64, n)
	quad.Hermite{}.FixedLocations(e.s, w, math.Inf(-1), math.Inf(1))
	for i, v := range w {
		e.logW[i] = math.Log(v)
	}
	return e, nil
}

// At returns u(x, t) for x in [−1, 1] and t >= 0; u(±1, t) = 0 exactly
// (the boundary condition, which the integrals meet only to rounding).
func (e *Exact) At(x, t float64) float64 {
	if t == 0 {
		return -math.Sin(math.Pi * x)
	}
	if math.Abs(x) == 1 {
		return 0
	}
	c := math.Sqrt(4 * e.nu * t)
	k := 1 / (2 * math.Pi * e.nu)
	// log of w_k·f(y_k), y_k = x − c·s_k; shifted by the largest
	top := math.Inf(-1)
	for i, s := range e.s {
		top = max(top, e.logW[i]-k*math.Cos(math.Pi*(x-c*s)))
	}
	var num, den float64
	for i, s := range e.s {
		y := x - c*s
		v := math.Exp(e.logW[i] - k*math.Cos(math.Pi*y) - top)
		num += math.Sin(math.Pi*y) * v
		den += v
	}
	return -num / den
}
