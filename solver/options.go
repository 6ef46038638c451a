package solver

import (
	"fmt"
	"math"
)

// Defaults of Options, as returned by DefaultOptions.
const (
	DefaultHistorySize                 = 10
	DefaultInitialInverseHessianFactor = 1.0
	DefaultLineSearchMethod            = WeakWolfe
	DefaultMaxNumLineSearchIterations  = 20
	DefaultC1                          = 1e-4
	DefaultC2                          = 0.9
	DefaultCurvatureEpsilon            = 2.220446049250313e-16 // float64 machine epsilon
	DefaultLearningRate                = 1.0
	DefaultScaleInitialHessian         = true
	DefaultInitialStepSize             = 0 // off: λ₀ = InitialInverseHessianFactor
)

// Options configures an LBFGSState. They are fixed when the state is created.
// Start from DefaultOptions and change the fields you need; NewLBFGSState
// validates every field and names the first one out of range.
type Options struct {
	// HistorySize is the number of curvature pairs (s, y) kept, m.
	// Default 10; valid: 1 to 65536.
	HistorySize int

	// InitialInverseHessianFactor is λ₀, the scale of the initial inverse
	// Hessian approximation H₀ = λ₀·I used until the first pair is stored
	// (and throughout when ScaleInitialHessian is false). The first update
	// searches along d = −λ₀·g from the learning rate, so λ₀ sets the
	// length of the first step, as in MATLAB.
	// Default 1; valid: finite and > 0; must keep its default when
	// InitialStepSize is set.
	InitialInverseHessianFactor float64

	// InitialStepSize, when > 0, sets λ₀ from the gradient g₀ at the first
	// update, λ₀ = InitialStepSize / ‖g₀‖∞, so that the first step moves
	// no parameter by more than InitialStepSize times the learning rate
	// (MATLAB trainingOptions("lbfgs") InitialStepSize). The state's
	// InitialInverseHessianFactor method reports the λ₀ so fixed.
	// Default 0 (off); valid: finite and >= 0.
	InitialStepSize float64

	// LineSearchMethod is the search of every update that does not choose
	// its own (UpdateOptions): WeakWolfe (default), StrongWolfe,
	// Backtracking or NoLineSearch.
	LineSearchMethod LineSearchMethod

	// MaxNumLineSearchIterations bounds the loss evaluations of one line
	// search; an update evaluates the loss at most this many times plus one
	// (the plus one is the starting point, skipped when it is cached).
	// Default 20; valid: 1 to 65536. Must keep its default with
	// NoLineSearch, which evaluates exactly one trial.
	MaxNumLineSearchIterations int

	// C1 is the sufficient-decrease (Armijo) constant c₁. Default 1e-4;
	// valid: 0 < C1 < C2 for the Wolfe searches, 0 < C1 < 1 for
	// Backtracking; must keep its default with NoLineSearch.
	C1 float64

	// C2 is the curvature constant c₂ of the Wolfe conditions. Default 0.9;
	// valid: C1 < C2 < 1. Used by WeakWolfe and StrongWolfe only; must keep
	// its default with Backtracking and NoLineSearch.
	C2 float64

	// CurvatureEpsilon is ε in the pair-acceptance test sᵀy > ε·yᵀy.
	// Default 2.22e-16 (float64 machine epsilon); valid: finite and >= 0.
	CurvatureEpsilon float64

	// LearningRate gives, for each iteration k (0 for the first Update),
	// the initial trial step α₀ of the line search along d = −H·g, or the
	// step itself when LineSearchMethod is NoLineSearch. As in MATLAB the
	// first update tries α₀ along d = −λ₀·g, so λ₀ (or InitialStepSize)
	// sets its length; one safeguard remains for a scaled steepest-descent
	// direction: a first trial that would move more than
	// 10·max(1, ‖x‖₂)·α₀ is shortened to that length (Backtracking, which
	// can only shorten it, then also tries Polyak's step f/|gᵀd|, up to α₀).
	// Default ConstantRate(1); valid: non-nil, returning finite values > 0
	// (checked at creation for k = 0, through a Validate() error method if
	// the schedule has one, and at every Update).
	LearningRate Schedule

	// ScaleInitialHessian rescales λ_k = sᵀy / yᵀy from the newest stored
	// pair at every step (braintools' scale_init_hess). When false,
	// InverseHessianFactor stays InitialInverseHessianFactor. Default true.
	ScaleInitialHessian bool

	// GradientClipNorm, when > 0, rescales every gradient whose Euclidean
	// norm exceeds it to that norm. The clipped gradient is what the
	// direction, the line search and the curvature pairs use; the state
	// reports the raw one (see clip.go). Default 0 (off); valid: finite and
	// >= 0.
	GradientClipNorm float64

	// GradientClipValue, when > 0, clips every gradient component to
	// [-GradientClipValue, GradientClipValue], after clipping by norm.
	// Default 0 (off); valid: finite and >= 0.
	GradientClipValue float64

	// Lower and Upper, when either is non-nil, bound x coordinate by
	// coordinate, Lower[i] <= x[i] <= Upper[i], and the state runs
	// L-BFGS-B (see lbfgsb.go): −Inf and +Inf mean no bound, and
	// Lower[i] = Upper[i] fixes x[i]. A nil slice means no bound on that
	// side. A starting point outside the bounds is projected onto them
	// (StartPointProjected says so). Default nil (no bounds); valid: no NaN,
	// Lower[i] < +Inf, Upper[i] > −Inf, Lower[i] <= Upper[i], both of
	// length len(x) (checked at the first Update), not combined with L1.
	Lower, Upper []float64

	// L1 is the weight λ of an L1 penalty λ·Σ w_i|x_i| added to the loss,
	// minimised with OWL-QN (see owlqn.go); w_i = L1Weights[i], or 1 when
	// L1Weights is nil. Loss then reports the penalised objective.
	// Default 0 (off); valid: finite and >= 0; > 0 requires LineSearchMethod
	// Backtracking (the orthant-wise search backtracks) and no bounds.
	L1 float64

	// L1Weights gives each coordinate's weight in the L1 penalty, so that
	// λ_i = L1·L1Weights[i]; a weight of 0 exempts a coordinate (a
	// network's biases, say). Default nil (every weight 1); valid: finite
	// and >= 0, of length len(x) (checked at the first Update), only with
	// L1 > 0.
	L1Weights []float64
}

// DefaultOptions returns the defaults listed in the Options field docs.
func DefaultOptions() Options {
	return Options{
		HistorySize:                 DefaultHistorySize,
		InitialInverseHessianFactor: DefaultInitialInverseHessianFactor,
		LineSearchMethod:            DefaultLineSearchMethod,
		MaxNumLineSearchIterations:  DefaultMaxNumLineSearchIterations,
		C1:                          DefaultC1,
		C2:                          DefaultC2,
		CurvatureEpsilon:            DefaultCurvatureEpsilon,
		LearningRate:                ConstantRate(DefaultLearningRate),
		ScaleInitialHessian:         DefaultScaleInitialHessian,
	}
}

// Schedule gives the learning rate for an iteration. Iterations count from 0
// (the first Update).
type Schedule interface {
	LearningRate(iteration int) float64
}

// ConstantRate is a Schedule that returns the same rate at every iteration.
type ConstantRate float64

// LearningRate returns r.
func (r ConstantRate) LearningRate(int) float64 { return float64(r) }

// OptionError reports an option outside its valid range.
type OptionError struct {
	Option string // field name, e.g. "HistorySize"
	Value  any    // the rejected value
	Valid  string // the valid range, e.g. "> 0"
}

// Error returns "solver: option NAME = VALUE out of range (valid: RANGE)".
func (e *OptionError) Error() string {
	return fmt.Sprintf("solver: option %s = %v out of range (valid: %s)", e.Option, e.Value, e.Valid)
}

// Unwrap lets errors.Is(err, ErrInvalidOption) match.
func (e *OptionError) Unwrap() error { return ErrInvalidOption }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
