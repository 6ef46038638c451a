package autodiff

import "errors"

// Sentinel errors. Errors returned by this package wrap one of these, and
// the gorgonia error behind them when there is one, so callers match them
// with errors.Is.
var (
	// ErrInvalidGraph: a Graph cannot be evaluated as given (nil or
	// non-scalar cost, a parameter that is not an input node or has no
	// value, parameters that do not affect the cost, shards that
	// disagree, an Objective that is nil or has no shards), or an
	// Evaluator was not built by New, NewSharded or FromObjective.
	ErrInvalidGraph = errors.New("autodiff: invalid graph")
	// ErrDimension: x or grad does not have the length of the parameters.
	ErrDimension = errors.New("autodiff: dimension mismatch")
	// ErrRun: gorgonia failed while running a graph (an op's error, or a
	// panic inside gorgonia turned into an error).
	ErrRun = errors.New("autodiff: run failed")
	// ErrInvalidOption: a CheckOptions field is out of range, or
	// CheckGradient has no function or no point to check.
	ErrInvalidOption = errors.New("autodiff: invalid option")
)
