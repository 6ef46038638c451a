package stochastic

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package wrap one of these (or
// ErrRowSubsets), so callers match them with errors.Is.
var (
	// ErrInvalidOption: an option is out of its valid range (see OptionError).
	ErrInvalidOption = errors.New("stochastic: invalid option")
	// ErrDimension: x, a table or a buffer has the wrong shape.
	ErrDimension = errors.New("stochastic: dimension mismatch")
	// ErrObjective: the objective returned an error, which is wrapped too.
	ErrObjective = errors.New("stochastic: objective failed")
	// ErrCheckpoint: a checkpoint is malformed, corrupt or does not fit the
	// solver it is loaded into.
	ErrCheckpoint = errors.New("stochastic: bad checkpoint")
)

// errNilSolver is returned by methods called on a nil solver.
var errNilSolver = fmt.Errorf("stochastic: nil solver (create it with NewSQN or NewMultiBatch): %w", ErrInvalidOption)

// OptionError reports an option out of its valid range. Option is the field
// name (oneDAL's name where oneDAL has the parameter, e.g. "BatchSize" for
// batchSize), Value the offending value and Reason the valid range.
type OptionError struct {
	Option string
	Value  any
	Reason string
}

// Error implements error: "stochastic: option BatchSize = 0: must be in
// [1, N] with N = 150".
func (e *OptionError) Error() string {
	return fmt.Sprintf("stochastic: option %s = %v: %s", e.Option, e.Value, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalidOption) hold.
func (e *OptionError) Unwrap() error { return ErrInvalidOption }

func optionErr(option string, value any, format string, args ...any) error {
	return &OptionError{Option: option, Value: value, Reason: fmt.Sprintf(format, args...)}
}
