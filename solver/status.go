package solver

import (
	"errors"
	"fmt"
)

// Status says why Minimize stopped. It is not an error: a run that reaches
// its iteration limit has done what it was asked. Converged reports the
// statuses that mean a stationary point was approached; Early the ones that
// mean the run ended before that.
type Status int

// Statuses of a run. The numeric values are not part of the API (traces and
// checkpoints store the name given by String).
const (
	// NotTerminated: the run has not stopped (the zero value).
	NotTerminated Status = iota
	// GradientTolerance: GradientsNorm <= StopOptions.GradientTolerance.
	GradientTolerance
	// RelativeGradientTolerance: GradientsNorm <=
	// StopOptions.RelativeGradientTolerance × the gradient norm where the
	// run started.
	RelativeGradientTolerance
	// ProjectedGradientTolerance: ProjectedGradientNorm (the projected
	// gradient with bounds, the pseudo-gradient with L1, ‖g‖∞ otherwise)
	// <= StopOptions.ProjectedGradientTolerance.
	ProjectedGradientTolerance
	// StepTolerance: StepNorm <= StopOptions.StepTolerance.
	StepTolerance
	// FunctionTolerance: the relative loss change of the last iteration was
	// at most StopOptions.FunctionTolerance.
	FunctionTolerance
	// IterationLimit: the state reached StopOptions.MaxIterations.
	IterationLimit
	// EvaluationLimit: the state reached StopOptions.MaxLossEvaluations.
	EvaluationLimit
	// LineSearchFailure: a line search failed (and, under ResetAndRetry, so
	// did the retry from steepest descent).
	LineSearchFailure
	// Cancelled: the context was cancelled or its deadline passed; the run
	// stopped between two iterations.
	Cancelled
	// HookStopped: the hook returned an error. With ErrStop (or an error
	// wrapping it) Minimize returns a nil error; with any other error it
	// returns that error.
	HookStopped
	// Failure: the loss function or the update returned an error, which
	// Minimize returns.
	Failure
	// ValidationPatience: the validation loss failed to improve on its
	// best for ValidationOptions.Patience validations in a row (MATLAB's
	// ValidationPatience); a Validator's hook returned
	// ErrValidationPatience.
	ValidationPatience
)

var statusInfo = [...]struct {
	name      string
	converged bool
	err       error
}{
	NotTerminated:              {"NotTerminated", false, errors.New("solver: run not terminated")},
	GradientTolerance:          {"GradientTolerance", true, nil},
	RelativeGradientTolerance:  {"RelativeGradientTolerance", true, nil},
	ProjectedGradientTolerance: {"ProjectedGradientTolerance", true, nil},
	StepTolerance:              {"StepTolerance", true, nil},
	FunctionTolerance:          {"FunctionTolerance", true, nil},
	IterationLimit:             {"IterationLimit", false, errors.New("solver: iteration limit reached")},
	EvaluationLimit:            {"EvaluationLimit", false, errors.New("solver: loss evaluation limit reached")},
	LineSearchFailure:          {"LineSearchFailure", false, errors.New("solver: line search failed")},
	Cancelled:                  {"Cancelled", false, errors.New("solver: run cancelled")},
	HookStopped:                {"HookStopped", false, errors.New("solver: stopped by the hook")},
	Failure:                    {"Failure", false, errors.New("solver: run failed")},
	ValidationPatience:         {"ValidationPatience", false, errors.New("solver: validation patience exhausted")},
}

// String returns the status name, e.g. "GradientTolerance".
func (s Status) String() string {
	if s < 0 || int(s) >= len(statusInfo) {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusInfo[s].name
}

// Converged reports whether the run stopped on a tolerance (gradient, step
// or function), that is near a stationary point as far as the tolerances
// can tell.
func (s Status) Converged() bool {
	return s >= 0 && int(s) < len(statusInfo) && statusInfo[s].converged
}

// Early reports whether the run stopped before any tolerance was met: a
// limit, a failed line search, cancellation, the hook or an error.
func (s Status) Early() bool { return !s.Converged() }

// Err returns an error describing an early stop, for callers that want to
// treat one as an error, or nil when the run converged. The errors are
// distinct values per status, so errors.Is(err, IterationLimit.Err())
// matches.
func (s Status) Err() error {
	if s < 0 || int(s) >= len(statusInfo) {
		return fmt.Errorf("solver: unknown status %d", int(s))
	}
	return statusInfo[s].err
}

// MarshalText encodes the status as its name (used by the JSON trace).
func (s Status) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(statusInfo) {
		return nil, fmt.Errorf("solver: unknown status %d", int(s))
	}
	return []byte(statusInfo[s].name), nil
}

// UnmarshalText decodes a status name written by MarshalText.
func (s *Status) UnmarshalText(text []byte) error {
	for i, info := range statusInfo {
		if info.name == string(text) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("solver: unknown status %q", text)
}
