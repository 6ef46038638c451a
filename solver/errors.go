package solver

import (
	"errors"
	"strings"
)

// Sentinel errors. Errors returned by this package wrap one of these, so
// callers match them with errors.Is. A message names the package once, at
// its start: inside it a sentinel reads without its "solver: ", as in
// "solver: update: x[1] = NaN: non-finite value".
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
	// ErrConcurrentUse: Update, UpdateWith or Minimize was called on a
	// state that another call (another goroutine, or the loss function of
	// the running update) is still updating. An LBFGSState is not safe for
	// concurrent use; this error is returned instead of a data race, with
	// the state untouched by the refused call.
	ErrConcurrentUse = errors.New("solver: state in use by another call")
)

// prefix opens the message of every error of this package.
const prefix = "solver: "

// inner wraps err, an error of this package (a sentinel, an *OptionError,
// an error built on one, or a hook's error, which may be a Recorder's), for
// use inside another message of this package: its text drops a leading
// "solver: ", so that each message names the package once, while errors.Is
// and errors.As still reach err.
func inner(err error) error { return innerError{err} }

type innerError struct{ err error }

func (e innerError) Error() string { return strings.TrimPrefix(e.err.Error(), prefix) }

func (e innerError) Unwrap() error { return e.err }
