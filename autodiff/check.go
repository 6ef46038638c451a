package autodiff

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Defaults of CheckOptions, as returned by DefaultCheckOptions.
const (
	DefaultCheckStep        = 1e-5
	DefaultCheckCoordinates = -1 // every coordinate
	DefaultCheckDirections  = 10
	DefaultCheckFloor       = 1e-3
)

// CheckOptions configures CheckGradient. Start from DefaultCheckOptions.
type CheckOptions struct {
	// Step is h of the central differences (f(x+h·d) − f(x−h·d)) / 2h,
	// d a unit vector; for coordinate i it is scaled to h·max(1, |x_i|).
	// Default 1e-5; valid: finite, > 0.
	Step float64
	// Coordinates is how many coordinates to check, drawn at random
	// without replacement; -1 checks every coordinate. Default -1; valid:
	// >= -1.
	Coordinates int
	// Directions is how many random unit directions to check (each
	// component drawn from N(0, 1), then normalised). Default 10; valid:
	// >= 0. Coordinates and Directions must not both be 0.
	Directions int
	// Floor keeps checks of tiny derivatives from dividing by nearly
	// zero: the relative error of a coordinate is
	// |a − n| / max(|a|, |n|, Floor·‖g‖∞) and that of a direction
	// |a − n| / max(|a|, |n|, Floor·‖g‖₂), g the analytic gradient (so
	// Floor·‖g‖ bounds from below the derivatives compared in full
	// relative terms). Default 1e-3; valid: finite, >= 0.
	Floor float64
	// Rand draws the coordinates and directions. Required unless every
	// coordinate and no direction is checked.
	Rand *rand.Rand
}

// DefaultCheckOptions returns the defaults listed in the CheckOptions
// field docs, with Rand nil.
func DefaultCheckOptions() CheckOptions {
	return CheckOptions{Step: DefaultCheckStep, Coordinates: DefaultCheckCoordinates, Directions: DefaultCheckDirections, Floor: DefaultCheckFloor}
}

// Check is one comparison of the analytic and the numerical derivative.
type Check struct {
	// Coordinate is the index checked, or -1 for a direction.
	Coordinate int
	// Direction is the index of the random direction, or -1.
	Direction int
	// Analytic is g_i, or gᵀd along a direction d.
	Analytic float64
	// Numeric is the central difference.
	Numeric float64
	// RelativeError is |Analytic − Numeric| divided by
	// max(|Analytic|, |Numeric|, Floor·‖g‖₂) for a direction and by
	// max(|Analytic|, |Numeric|, Floor·‖g‖∞) for a coordinate (0 when
	// both are 0); +Inf if a value is not finite.
	RelativeError float64
}

// CheckResult reports a gradient check.
type CheckResult struct {
	// Loss is f(x) and Gradient ∇f(x) as the function computed them.
	Loss     float64
	Gradient []float64
	// MaxRelativeError is the largest RelativeError of Checks, Worst the
	// check that had it.
	MaxRelativeError float64
	Worst            Check
	// Checks lists every comparison: directions first, then coordinates.
	Checks []Check
	// Evaluations counts the calls of the function.
	Evaluations int
}

// String summarises the result: the worst error and where it occurred.
func (r CheckResult) String() string {
	where := fmt.Sprintf("coordinate %d", r.Worst.Coordinate)
	if r.Worst.Coordinate < 0 {
		where = fmt.Sprintf("direction %d", r.Worst.Direction)
	}
	return fmt.Sprintf("max relative error %.3g at %s (analytic %.6g, numeric %.6g) over %d checks",
		r.MaxRelativeError, where, r.Worst.Analytic, r.Worst.Numeric, len(r.Checks))
}

func (o CheckOptions) validate(n int) error {
	bad := func(field string, v any, valid string) error {
		return fmt.Errorf("%w: CheckOptions.%s = %v (valid: %s)", ErrInvalidOption, field, v, valid)
	}
	switch {
	case !(o.Step > 0) || math.IsInf(o.Step, 0):
		return bad("Step", o.Step, "finite, > 0")
	case o.Coordinates < -1:
		return bad("Coordinates", o.Coordinates, ">= -1")
	case o.Directions < 0:
		return bad("Directions", o.Directions, ">= 0")
	case !(o.Floor >= 0) || math.IsInf(o.Floor, 0):
		return bad("Floor", o.Floor, "finite, >= 0")
	case o.Coordinates == 0 && o.Directions == 0:
		return bad("Coordinates", "0 with Directions 0", "at least one check: Coordinates != 0 or Directions > 0")
	case o.Rand == nil && (o.Directions > 0 || (o.Coordinates >= 0 && o.Coordinates < n)):
		return bad("Rand", "nil", "non-nil when checking directions or a sample of coordinates")
	}
	return nil
}

// CheckGradient compares the gradient f writes with central finite
// differences of the loss f returns, at x (not modified), along random
// unit directions and per coordinate. It works for any function with the
// solver's LossFunc signature. An error of f is returned; non-finite
// values are not errors but give a relative error of +Inf. A nil f, an
// empty x or options that check nothing give an error wrapping
// ErrInvalidOption.
//
// In float64, a correct gradient of a smooth function typically gives
// relative errors of 1e-8 to 1e-6 with the default Step. Larger errors
// point at a wrong gradient, or at a kink (ReLU) or a float32 loss within
// the step: see the package documentation.
func CheckGradient(f func(x, grad []float64) (float64, any, error), x []float64, opts CheckOptions) (CheckResult, error) {
	n := len(x)
	if f == nil || n == 0 {
		return CheckResult{}, fmt.Errorf("%w: CheckGradient: nil function or empty x (len %d)", ErrInvalidOption, n)
	}
	if err := opts.validate(n); err != nil {
		return CheckResult{}, err
	}
	c := checker{f: f, x: append([]float64(nil), x...), g: make([]float64, n)}
	loss, _, err := f(c.x, c.g)
	if err != nil {
		return CheckResult{}, fmt.Errorf("autodiff: check gradient: at x: %w", err)
	}
	res := CheckResult{Loss: loss, Gradient: append([]float64(nil), c.g...), Evaluations: 1}
	gmax, gnorm := 0.0, math.Sqrt(dot(res.Gradient, res.Gradient))
	for _, v := range res.Gradient {
		gmax = max(gmax, math.Abs(v))
	}
	for k := range opts.Directions {
		d := randomDirection(opts.Rand, n)
		num, err := c.central(d, opts.Step)
		if err != nil {
			return res, err
		}
		a := dot(res.Gradient, d)
		res.Checks = append(res.Checks, Check{Coordinate: -1, Direction: k, Analytic: a, Numeric: num, RelativeError: relErr(a, num, opts.Floor*gnorm)})
	}
	for _, i := range coordinates(opts, n) {
		num, err := c.coordinate(i, opts.Step*max(1, math.Abs(x[i])))
		if err != nil {
			return res, err
		}
		a := res.Gradient[i]
		res.Checks = append(res.Checks, Check{Coordinate: i, Direction: -1, Analytic: a, Numeric: num, RelativeError: relErr(a, num, opts.Floor*gmax)})
	}
	res.Evaluations += c.evals
	for k, ch := range res.Checks {
		if k == 0 || ch.RelativeError > res.MaxRelativeError || math.IsNaN(ch.RelativeError) {
			res.MaxRelativeError, res.Worst = ch.RelativeError, ch
		}
	}
	return res, nil
}

// relErr returns |a − b| / max(|a|, |b|, floor), 0 when a == b, +Inf when
// either is not finite.
func relErr(a, b, floor float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return math.Inf(1)
	}
	if a == b {
		return 0
	}
	return math.Abs(a-b) / max(math.Abs(a), math.Abs(b), floor)
}

// coordinates returns the indices to check, in increasing order.
func coordinates(o CheckOptions, n int) []int {
	if o.Coordinates < 0 || o.Coordinates >= n {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	perm := o.Rand.Perm(n)[:o.Coordinates]
	slices.Sort(perm)
	return perm
}

func randomDirection(r *rand.Rand, n int) []float64 {
	d := make([]float64, n)
	for i := range d {
		d[i] = r.NormFloat64()
	}
	norm := math.Sqrt(dot(d, d))
	for i := range d {
		d[i] /= norm
	}
	return d
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// checker evaluates f at perturbed copies of x.
type checker struct {
	f     func(x, grad []float64) (float64, any, error)
	x, g  []float64 // x is the caller's point (copied)
	xp    []float64 // the perturbed point
	e     []float64 // a unit vector, zero between calls of coordinate
	evals int
}

// at returns f(x + t·d).
func (c *checker) at(d []float64, t float64) (float64, error) {
	if c.xp == nil {
		c.xp = make([]float64, len(c.x))
	}
	for i := range c.x {
		c.xp[i] = c.x[i] + t*d[i]
	}
	c.evals++
	v, _, err := c.f(c.xp, c.g)
	if err != nil {
		return 0, fmt.Errorf("autodiff: check gradient: %w", err)
	}
	return v, nil
}

// central returns (f(x+h·d) − f(x−h·d)) / 2h.
func (c *checker) central(d []float64, h float64) (float64, error) {
	fp, err := c.at(d, h)
	if err != nil {
		return 0, err
	}
	fm, err := c.at(d, -h)
	if err != nil {
		return 0, err
	}
	return (fp - fm) / (2 * h), nil
}

// coordinate returns the central difference along e_i, dividing by the
// step actually taken in floating point, (x_i+h) − (x_i−h).
func (c *checker) coordinate(i int, h float64) (float64, error) {
	if c.e == nil {
		c.e = make([]float64, len(c.x))
	}
	c.e[i] = 1
	defer func() { c.e[i] = 0 }()
	fp, err := c.at(c.e, h)
	if err != nil {
		return 0, err
	}
	fm, err := c.at(c.e, -h)
	if err != nil {
		return 0, err
	}
	return (fp - fm) / ((c.x[i] + h) - (c.x[i] - h)), nil
}
