package solver

import "errors"

// Sentinel errors. Errors returned by this package wrap one of these, so
// callers match them with errors.Is.
var (
	// ErrInvalidOption: an option is out of its valid range (see OptionError).
	ErrInvalidOption = errors.New("solver: invalid option")
	// ErrDimension: x or a buffer has the wrong length.
	ErrDimension = errors.New("solver: dimension mismatch")
	// ErrNonFinite: the loss or gradient at the starting point of an update
	// is NaN or infinite, or x itself is.
	ErrNonFinite = errors.New("solver: non-finite value")
	// ErrLossFunction: the loss closure returned an error; the closure's error
	// is wrapped too.
	ErrLossFunction = errors.New("solver: loss function failed")
)
