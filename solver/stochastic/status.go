package stochastic

import (
	"errors"
	"fmt"
	"strconv"
)

// Status says why a run stopped. It is not an error: a run that reaches
// NIterations has done what it was asked.
type Status int

// Statuses of a run. Traces and checkpoints store the name given by String.
const (
	// NotTerminated: the run has not stopped (the zero value; what the hook
	// sees on every iteration but the last).
	NotTerminated Status = iota
	// FullSetAccuracy: the full-set gradient passed oneDAL's test
	// ‖g‖² < AccuracyThreshold·max(1, ‖x‖²).
	FullSetAccuracy
	// BatchAccuracy: the batch gradient passed that test (oneDAL's stopping
	// rule); the iteration stopped before moving x, as in oneDAL.
	BatchAccuracy
	// IterationLimit: the run performed NIterations iterations.
	IterationLimit
	// EpochLimit: the terms evaluated reached MaxEpochs·N.
	EpochLimit
	// Diverged: the batch loss or gradient was NaN or infinite, or a step
	// would have made x so; x is left at the last finite iterate.
	Diverged
	// Cancelled: the context was cancelled between two iterations.
	Cancelled
	// HookStopped: the hook returned an error (ErrStop for a clean stop).
	HookStopped
	// Failure: the objective returned an error, which Run returns.
	Failure
	// LineSearchFailed: the line search of ProgressiveBatch found no step
	// that decreases the batch loss enough within MaxLineSearchTrials
	// trials, which on the full set means the loss cannot decrease within
	// the precision of float64; x is left where it was.
	LineSearchFailed
)

var statusNames = [...]string{"NotTerminated", "FullSetAccuracy", "BatchAccuracy", "IterationLimit", "EpochLimit", "Diverged", "Cancelled", "HookStopped", "Failure", "LineSearchFailed"}

// String returns the status name, e.g. "FullSetAccuracy".
func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return "Status(" + strconv.Itoa(int(s)) + ")"
	}
	return statusNames[s]
}

// Converged reports whether the run stopped on an accuracy test.
func (s Status) Converged() bool { return s == FullSetAccuracy || s == BatchAccuracy }

// MarshalText encodes the status as its name.
func (s Status) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(statusNames) {
		return nil, fmt.Errorf("stochastic: unknown status %d", int(s))
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText decodes a name written by MarshalText.
func (s *Status) UnmarshalText(text []byte) error {
	for i, name := range statusNames {
		if name == string(text) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("stochastic: unknown status %q", text)
}

// ErrStop, returned (or wrapped) by a hook, stops the run cleanly: Run
// reports HookStopped and a nil error.
var ErrStop = errors.New("stochastic: stop requested")

// PairStatus says what happened to the correction pair of an iteration.
type PairStatus int

const (
	// NoPair: the iteration formed no pair (SQN forms one every L
	// iterations, from the second block on; multi-batch from its second
	// iteration).
	NoPair PairStatus = iota
	// PairStored: the pair passed sᵀy > ε·‖s‖·‖y‖ and was stored.
	PairStored
	// PairDamped: Powell damping replaced y by θy + (1−θ)Bs, and the damped
	// pair was stored.
	PairDamped
	// PairSkipped: sᵀy was not safely positive; the pair was not stored.
	PairSkipped
)

var pairNames = [...]string{"none", "stored", "damped", "skipped"}

// String returns "none", "stored", "damped" or "skipped".
func (p PairStatus) String() string {
	if p < 0 || int(p) >= len(pairNames) {
		return "PairStatus(" + strconv.Itoa(int(p)) + ")"
	}
	return pairNames[p]
}

// MarshalText encodes the pair status as its name.
func (p PairStatus) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText decodes a name written by MarshalText.
func (p *PairStatus) UnmarshalText(text []byte) error {
	for i, name := range pairNames {
		if name == string(text) {
			*p = PairStatus(i)
			return nil
		}
	}
	return fmt.Errorf("stochastic: unknown pair status %q", text)
}

// State is the per-iteration state of a run, the stochastic counterpart of
// the full-batch solver's state. The solver writes it; callers read it (the
// hook receives it after every iteration).
type State struct {
	// Iteration counts the iterations performed since the run began,
	// across resumed runs (oneDAL's iteration index plus one).
	Iteration int
	// Epoch is TermsEvaluated / N.
	Epoch float64
	// TermsEvaluated counts the gradient and Hessian-vector terms evaluated:
	// a product the objective provides (HessianVectorProducer) counts one
	// term per row whatever it costs, the solver's own finite difference
	// (FiniteDifferenceHessianVector) the two gradient terms per row it
	// evaluates. Full-set evaluations, which only watch the run, are not
	// counted.
	TermsEvaluated int64
	// HessianVectorTerms counts the rows of the Hessian-vector products the
	// objective provided (a part of TermsEvaluated), so that a caller who
	// knows what one costs can convert TermsEvaluated into gradient
	// evaluations: nn's product, a central difference, costs two gradient
	// terms per row.
	HessianVectorTerms int64
	// BatchSize is the number of terms of the iteration's batch gradient
	// (constant for SQN and MultiBatch, growing for ProgressiveBatch).
	BatchSize int
	// LineSearchTrials is the number of points the iteration's line search
	// evaluated (ProgressiveBatch; 0 for the methods with a fixed step).
	LineSearchTrials int
	// BatchLoss is F_S(x) on the iteration's batch, before the step.
	BatchLoss float64
	// GradientsNorm is ‖∇F_S(x)‖₂ on that batch.
	GradientsNorm float64
	// StepLength is the α of the iteration (from StepLengthSequence).
	StepLength float64
	// StepNorm is ‖x_{k+1} − x_k‖₂, after any MaxStepNorm shortening.
	StepNorm float64
	// StepClipped reports that MaxStepNorm shortened the step.
	StepClipped bool
	// PairStatus says what happened to the iteration's correction pair.
	PairStatus PairStatus
	// PairsStored and PairsSkipped count pairs since the run began.
	PairsStored, PairsSkipped int
	// FullSetEvaluated reports that FullLoss and FullGradientsNorm were
	// computed at this iteration (at x after the step).
	FullSetEvaluated bool
	// FullLoss is F(x) on all N terms, and FullGradientsNorm ‖∇F(x)‖₂; both
	// keep the value of the last full-set evaluation (NaN before the first).
	FullLoss, FullGradientsNorm float64
	// FullSetIteration is the Iteration of the last full-set evaluation
	// (−1 before the first).
	FullSetIteration int
	// Status is NotTerminated until the iteration that ends the run.
	Status Status
}
