package solver

import (
	"errors"
	"fmt"
	"math"
)

// NewLBFGSState validates opts and returns a state ready for its first
// Update. Every option is checked; the error for the first one out of range
// is an *OptionError naming it and its valid range (errors.Is(err,
// ErrInvalidOption) holds). An option that the chosen LineSearchMethod does
// not use must keep its default value, so that no setting is silently
// ignored: C2 is used by the Wolfe searches only, and C1 and
// MaxNumLineSearchIterations by the searches only (not by NoLineSearch).
//
// The problem dimension is fixed by the first Update.
func NewLBFGSState(opts Options) (*LBFGSState, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	opts = opts.cloneConstraints()
	s := &LBFGSState{opts: opts, lambda0: opts.initialLambda()}
	s.own.InverseHessianFactor = s.lambda0
	s.publish()
	return s, nil
}

// initialLambda returns λ₀ before the first update:
// InitialInverseHessianFactor, or 0 when InitialStepSize will fix it.
func (o Options) initialLambda() float64 {
	if o.InitialStepSize > 0 {
		return 0
	}
	return o.InitialInverseHessianFactor
}

// Options returns a copy of the options the state was created with (the
// zero Options for a nil state).
func (s *LBFGSState) Options() Options {
	if s == nil {
		return Options{}
	}
	return s.opts.cloneConstraints()
}

// maxHistorySize bounds HistorySize so that the history buffers' sizes
// cannot overflow; no practical use needs more pairs.
const maxHistorySize = 1 << 16

// maxLineSearchIterations bounds MaxNumLineSearchIterations so that the
// trial record, preallocated at the first Update, stays small.
const maxLineSearchIterations = 1 << 16

// validate checks every field of o and returns an *OptionError for the first
// field out of range, in field order.
func (o Options) validate() error {
	if o.HistorySize <= 0 || o.HistorySize > maxHistorySize {
		return &OptionError{"HistorySize", o.HistorySize, fmt.Sprintf("1 to %d", maxHistorySize)}
	}
	if !finite(o.InitialInverseHessianFactor) || o.InitialInverseHessianFactor <= 0 {
		return &OptionError{"InitialInverseHessianFactor", o.InitialInverseHessianFactor, "finite and > 0"}
	}
	if !finite(o.InitialStepSize) || o.InitialStepSize < 0 {
		return &OptionError{"InitialStepSize", o.InitialStepSize, "finite and >= 0 (0 = off)"}
	}
	if o.InitialStepSize > 0 && o.InitialInverseHessianFactor != DefaultInitialInverseHessianFactor {
		return &OptionError{"InitialInverseHessianFactor", o.InitialInverseHessianFactor,
			fmt.Sprintf("the default %v: InitialStepSize = %v sets λ₀", DefaultInitialInverseHessianFactor, o.InitialStepSize)}
	}
	search := true
	wolfe := false
	switch o.LineSearchMethod {
	case WeakWolfe, StrongWolfe:
		wolfe = true
	case Backtracking:
	case NoLineSearch:
		search = false
	default:
		return &OptionError{"LineSearchMethod", fmt.Sprintf("%q", o.LineSearchMethod),
			"WeakWolfe, StrongWolfe, Backtracking or NoLineSearch"}
	}
	if err := o.validateSearch(search, wolfe); err != nil {
		return err
	}
	if !finite(o.CurvatureEpsilon) || o.CurvatureEpsilon < 0 {
		return &OptionError{"CurvatureEpsilon", o.CurvatureEpsilon, "finite and >= 0"}
	}
	if o.LearningRate == nil {
		return &OptionError{"LearningRate", nil, "a non-nil Schedule"}
	}
	if v, ok := o.LearningRate.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			var inner *OptionError
			if errors.As(err, &inner) {
				// Name the schedule field inside the range, once.
				return &OptionError{"LearningRate", inner.Value, inner.Option + ": " + inner.Valid}
			}
			return &OptionError{"LearningRate", o.LearningRate, err.Error()}
		}
	}
	if r := o.LearningRate.LearningRate(0); !finite(r) || r <= 0 {
		return &OptionError{"LearningRate", r, "a Schedule returning finite values > 0 (checked at iteration 0)"}
	}
	if !finite(o.GradientClipNorm) || o.GradientClipNorm < 0 {
		return &OptionError{"GradientClipNorm", o.GradientClipNorm, "finite and >= 0 (0 = off)"}
	}
	if !finite(o.GradientClipValue) || o.GradientClipValue < 0 {
		return &OptionError{"GradientClipValue", o.GradientClipValue, "finite and >= 0 (0 = off)"}
	}
	return o.validateConstraints()
}

// validateSearch checks the line-search options. search reports whether the
// method searches at all, wolfe whether it tests the curvature condition.
func (o Options) validateSearch(search, wolfe bool) error {
	unused := func(name string, v any) error {
		return &OptionError{name, v, fmt.Sprintf("the default %v: %q does not use it", defaultOf(name), o.LineSearchMethod)}
	}
	if !search {
		if o.MaxNumLineSearchIterations != DefaultMaxNumLineSearchIterations {
			return unused("MaxNumLineSearchIterations", o.MaxNumLineSearchIterations)
		}
		if o.C1 != DefaultC1 {
			return unused("C1", o.C1)
		}
		if o.C2 != DefaultC2 {
			return unused("C2", o.C2)
		}
		return nil
	}
	if o.MaxNumLineSearchIterations < 1 || o.MaxNumLineSearchIterations > maxLineSearchIterations {
		return &OptionError{"MaxNumLineSearchIterations", o.MaxNumLineSearchIterations,
			fmt.Sprintf("1 to %d", maxLineSearchIterations)}
	}
	if !wolfe {
		if math.IsNaN(o.C1) || o.C1 <= 0 || o.C1 >= 1 {
			return &OptionError{"C1", o.C1, "0 < C1 < 1"}
		}
		if o.C2 != DefaultC2 {
			return unused("C2", o.C2)
		}
		return nil
	}
	if math.IsNaN(o.C1) || o.C1 <= 0 || o.C1 >= 1 {
		return &OptionError{"C1", o.C1, "0 < C1 < C2 < 1"}
	}
	if math.IsNaN(o.C2) || o.C2 <= o.C1 || o.C2 >= 1 {
		return &OptionError{"C2", o.C2, fmt.Sprintf("C1 < C2 < 1 (C1 = %v)", o.C1)}
	}
	return nil
}

// defaultOf returns the default value of the named option, for messages.
func defaultOf(name string) any {
	switch name {
	case "MaxNumLineSearchIterations":
		return DefaultMaxNumLineSearchIterations
	case "C1":
		return DefaultC1
	case "C2":
		return DefaultC2
	}
	return nil
}
