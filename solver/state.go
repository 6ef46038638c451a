package solver

import (
	"fmt"
	"sync/atomic"
	"unsafe"
)

// LossFunc evaluates the objective at x: it writes the gradient ∇f(x) into
// grad (len(grad) == len(x)) and returns f(x) and any additional outputs
// (MATLAB's AdditionalLossFunctionOutputs: predictions, accuracy, …), or an
// error. It must not modify x, and must not keep x or grad after it
// returns. A NaN or infinite loss or gradient is not an error: the line
// search treats it as a step too long.
type LossFunc func(x, grad []float64) (loss float64, extra any, err error)

// LineSearchTrial records one loss evaluation of a line search.
type LineSearchTrial struct {
	Step       float64 // α, the trial step length along the search direction
	Loss       float64 // f(x + α·d)
	Derivative float64 // ∇f(x + α·d)ᵀd, the directional derivative
	Outcome    Outcome // why it was accepted or rejected
}

// Report is what the solver reports about the state after each update,
// under the names of MATLAB's lbfgsState, plus the counters and
// diagnostics that tell why a run behaves as it does. LBFGSState embeds it,
// so its fields read as the state's (state.Loss). The solver writes these
// fields and never reads them back: it keeps its own copy, so overwriting
// one changes nothing but what the caller sees. Before the first update
// every field is zero or nil (MATLAB shows []), except InverseHessianFactor,
// which is λ₀.
type Report struct {
	// InverseHessianFactor is λ_k in H₀ = λ_k·I: sᵀy / yᵀy of the newest
	// stored pair, or λ₀ before any pair is stored (always λ₀ when
	// Options.ScaleInitialHessian is false).
	InverseHessianFactor float64
	// StepHistory holds s_i = x_{i+1} − x_i, oldest first; len <=
	// HistorySize().
	StepHistory [][]float64
	// GradientsDifferenceHistory holds y_i = g_{i+1} − g_i, oldest first
	// (differences of clipped gradients when clipping is on).
	// The history vectors are the solver's own storage, reused when the
	// history wraps: read them, copy them to keep them, never write them.
	GradientsDifferenceHistory [][]float64
	// HistoryIndices[i] is the iteration (1-based, as in MATLAB) in which
	// StepHistory[i] and GradientsDifferenceHistory[i] were formed.
	HistoryIndices []int

	// Loss is the loss at the current parameters after the last update.
	Loss float64
	// Gradients is the gradient at the current parameters after the last
	// update, as returned by the loss closure: raw, before any clipping.
	// (The direction, line search and pairs use the clipped gradient; see
	// Options.GradientClipNorm.) The slice is a copy, overwritten by the
	// next update: copy it to keep it.
	Gradients []float64
	// AdditionalLossFunctionOutputs is the extra value the loss closure
	// returned at the current parameters.
	AdditionalLossFunctionOutputs any
	// StepNorm is ‖x_{k+1} − x_k‖₂ of the last update (0 if it did not
	// move).
	StepNorm float64
	// GradientsNorm is ‖Gradients‖₂ (raw, unclipped).
	GradientsNorm float64
	// GradientsInfNorm is ‖Gradients‖∞, the largest magnitude (raw,
	// unclipped): the norm SciPy, PyTorch and gonum test.
	GradientsInfNorm float64
	// LineSearchStatus is LineSearchNone ("") before the first update,
	// then LineSearchCompleted or LineSearchFailed.
	LineSearchStatus LineSearchStatus

	// Iteration is the number of updates performed.
	Iteration int
	// NumLossEvaluations is the total number of loss closure calls (the
	// calls of an Update that returned an error are not counted: such an
	// Update leaves the whole state as it was).
	NumLossEvaluations int
	// IterationLossEvaluations is the number of loss closure calls in the
	// last update.
	IterationLossEvaluations int
	// LearningRate is the accepted step length α of the last update,
	// x_{k+1} = x_k + α·d (0 if the update did not move).
	LearningRate float64
	// PairStatus says whether the last update's (s, y) was stored or skipped.
	PairStatus PairStatus
	// CurvatureProduct is sᵀy of the last update's pair (0 when no pair
	// was formed).
	CurvatureProduct float64
	// DirectionalDerivative is gᵀd at the start of the last update (with
	// the clipped gradient when clipping is on); negative unless the
	// update found no descent direction.
	DirectionalDerivative float64
	// DirectionReset is true when the two-loop recursion gave a direction
	// that was not a descent direction and steepest descent was used.
	DirectionReset bool
	// LineSearchTrials lists every trial of the last update's line search,
	// in order. The slice is reused by the next update: copy it to keep it.
	LineSearchTrials []LineSearchTrial

	// ProjectedGradientNorm is the ∞-norm of the first-order optimality
	// measure at the current parameters, zero exactly at a stationary
	// (KKT) point: with bounds the projected gradient ‖P(x − g) − x‖∞, with
	// an L1 penalty the pseudo-gradient ‖◇F(x)‖∞ (the minimum-norm
	// subgradient of the penalised loss), otherwise ‖g‖∞ (raw gradients).
	ProjectedGradientNorm float64
	// ActiveBounds is the number of coordinates of the current parameters
	// at a bound (x_i = Lower[i] or x_i = Upper[i]); 0 without bounds.
	ActiveBounds int
	// ZeroCoordinates is the number of penalised coordinates (λ_i > 0) of
	// the current parameters that are exactly zero; 0 without L1.
	ZeroCoordinates int
	// L1Penalty is the penalty λ·Σ w_i|x_i| included in Loss at the current
	// parameters (0 without L1): the loss closure's own value is
	// Loss − L1Penalty.
	L1Penalty float64
	// StartPointProjected is true when the point the last update started
	// from was outside the bounds and was projected onto them before the
	// loss was evaluated (by the update, or for the first update of
	// Minimize by Minimize).
	StartPointProjected bool
}

// LBFGSState is the state of the L-BFGS solver, modelled on MATLAB's
// lbfgsState. Its settings are read through methods (HistorySize,
// InitialInverseHessianFactor, LineSearchMethod,
// MaxNumLineSearchIterations, Options); what each update reports is in the
// embedded Report's fields. Create one with NewLBFGSState.
//
// An LBFGSState is not safe for concurrent use: one goroutine at a time
// may update it or read its fields. A second Update, UpdateWith or
// Minimize on a state that a call is still updating (from another
// goroutine, or from within the loss function) returns ErrConcurrentUse at
// once and changes nothing, rather than racing; reading the fields while
// an update runs is still a data race, which the race detector reports.
type LBFGSState struct {
	Report

	opts Options
	own  Report // the solver's copy of Report, the one it reads
	// lambda0 is λ₀ in effect: Options.InitialInverseHessianFactor, or
	// with InitialStepSize the value fixed at the first update (0 until
	// then).
	lambda0 float64
	// lastMethod and lastMaxTrials are the search settings of the last
	// update (zero before the first).
	lastMethod    LineSearchMethod
	lastMaxTrials int
	work          workspace
	busy          uint32 // 1 while an update or Minimize runs (sync/atomic)
}

// enter marks the state as being updated, or reports ErrConcurrentUse if
// another call is updating it; a successful enter is paired with exit.
func (s *LBFGSState) enter() error {
	if !atomic.CompareAndSwapUint32(&s.busy, 0, 1) {
		return fmt.Errorf("the state is being updated by another call (an LBFGSState is not safe for concurrent use): %w", inner(ErrConcurrentUse))
	}
	return nil
}

// exit ends what enter began.
func (s *LBFGSState) exit() { atomic.StoreUint32(&s.busy, 0) }

// HistorySize returns the number of curvature pairs kept, m (fixed at
// creation; 0 for a nil state).
func (s *LBFGSState) HistorySize() int {
	if s == nil {
		return 0
	}
	return s.opts.HistorySize
}

// InitialInverseHessianFactor returns λ₀ in effect:
// Options.InitialInverseHessianFactor, or with Options.InitialStepSize the
// value InitialStepSize/‖g₀‖∞ fixed by the first update (0 before it).
func (s *LBFGSState) InitialInverseHessianFactor() float64 {
	if s == nil {
		return 0
	}
	return s.lambda0
}

// LineSearchMethod returns the line search the last update used (its
// UpdateOptions or the state's default); the zero LineSearchMethod, whose
// String is "", before the first update, as MATLAB shows "".
func (s *LBFGSState) LineSearchMethod() LineSearchMethod {
	if s == nil {
		return 0
	}
	return s.lastMethod
}

// MaxNumLineSearchIterations returns the evaluation budget of the last
// update's line search; 0 before the first update, as in MATLAB.
func (s *LBFGSState) MaxNumLineSearchIterations() int {
	if s == nil {
		return 0
	}
	return s.lastMaxTrials
}

// publish copies the solver's own report to the caller's: the scalars, a
// copy of the gradient and of the history headers (never the history
// vectors), and the trial record, into buffers of the workspace (never into
// slices a caller may have put in the fields). It allocates nothing once
// those buffers have grown to the history's and the search's sizes.
func (s *LBFGSState) publish() {
	w := &s.work
	s.Report = s.own
	if s.own.StepHistory != nil {
		w.pubS = append(w.pubS[:0], s.own.StepHistory...)
		w.pubY = append(w.pubY[:0], s.own.GradientsDifferenceHistory...)
		w.pubIdx = append(w.pubIdx[:0], s.own.HistoryIndices...)
		s.StepHistory, s.GradientsDifferenceHistory, s.HistoryIndices = w.pubS, w.pubY, w.pubIdx
	}
	if s.own.Gradients != nil {
		s.Gradients = append(w.pubGrad[:0], s.own.Gradients...)
	}
	if s.own.LineSearchTrials != nil {
		w.pubTrials = append(w.pubTrials[:0], s.own.LineSearchTrials...)
		s.LineSearchTrials = w.pubTrials
	}
}

// funcKey identifies a LossFunc value: the address of its closure object,
// the same for every copy of one func value and different for two
// closures or method values created separately. The state keeps the
// pointer, so the closure stays alive and its address cannot be reused
// while the cached evaluation refers to it.
func funcKey(f LossFunc) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&f))
}

// anyFunc is the key of an evaluation that did not come from a loss
// function the state saw (restored from a checkpoint, or passed in by
// Optimizer.Step): the next update takes it as its own function's.
var anyFunc = unsafe.Pointer(new(byte))
