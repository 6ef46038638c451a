package solver

// LossFunc evaluates the objective at x: it writes the gradient ∇f(x) into
// grad (len(grad) == len(x)) and returns f(x) and any additional outputs
// (MATLAB's AdditionalLossFunctionOutputs: predictions, accuracy, …), or an
// error. It must not modify x, and must not keep x or grad after it
// returns. A NaN or infinite loss
// or gradient is not an error: the line search treats it as a step too long.
type LossFunc func(x, grad []float64) (loss float64, extra any, err error)

// LineSearchTrial records one loss evaluation of a line search.
type LineSearchTrial struct {
	Step       float64 // α, the trial step length along the search direction
	Loss       float64 // f(x + α·d)
	Derivative float64 // ∇f(x + α·d)ᵀd, the directional derivative
	Outcome    string  // one of the Trial* constants: why it was accepted or rejected
}

// Outcomes of a LineSearchTrial.
const (
	TrialAccepted   = "accepted"     // satisfies the conditions of the search
	TrialNonFinite  = "non-finite"   // NaN or Inf loss or gradient: step too long
	TrialArmijo     = "armijo"       // fails sufficient decrease
	TrialCurvature  = "curvature"    // fails the (weak or strong) curvature condition
	TrialBestOfFail = "best-of-fail" // search failed; the parameters moved to this trial, the best with sufficient decrease
	TrialRejected   = "rejected"     // sufficient decrease holds, but the loss is not below the best trial's (strong-wolfe bracketing)
)

// Values of LBFGSState.PairStatus.
const (
	PairNone    = ""        // no update yet, the line search failed, or the update did not move
	PairStored  = "stored"  // the newest (s, y) entered the history
	PairSkipped = "skipped" // sᵀy <= ε·yᵀy: the pair was discarded
)

// LBFGSState is the state of the L-BFGS solver, modelled on MATLAB's
// lbfgsState. Callers read its fields; Update writes them. Create one with
// NewLBFGSState.
type LBFGSState struct {
	// HistorySize is the number of pairs kept (fixed at creation).
	HistorySize int
	// InitialInverseHessianFactor is λ₀ (fixed at creation).
	InitialInverseHessianFactor float64
	// LineSearchMethod is the line search each update runs (fixed at creation).
	LineSearchMethod string
	// MaxNumLineSearchIterations bounds the evaluations of one line search
	// (fixed at creation).
	MaxNumLineSearchIterations int

	// InverseHessianFactor is λ_k in H₀ = λ_k·I: sᵀy / yᵀy of the newest
	// stored pair, or λ₀ before any pair is stored (always λ₀ when
	// Options.ScaleInitialHessian is false).
	InverseHessianFactor float64
	// StepHistory holds s_i = x_{i+1} − x_i, oldest first; len <= HistorySize.
	StepHistory [][]float64
	// GradientsDifferenceHistory holds y_i = g_{i+1} − g_i, oldest first
	// (differences of clipped gradients when clipping is on).
	// The history vectors are owned by the state and reused when the
	// history wraps: copy them to keep them.
	GradientsDifferenceHistory [][]float64
	// HistoryIndices[i] is the iteration (1-based, as in MATLAB) in which
	// StepHistory[i] and GradientsDifferenceHistory[i] were formed.
	HistoryIndices []int

	// Loss is the loss at the current parameters after the last update.
	Loss float64
	// Gradients is the gradient at the current parameters after the last
	// update, as returned by the loss closure: raw, before any clipping.
	// (The direction, line search and pairs use the clipped gradient; see
	// Options.GradientClipNorm.) The slice is owned by the state and
	// overwritten by the next update: copy it to keep it.
	Gradients []float64
	// AdditionalLossFunctionOutputs is the extra value the loss closure
	// returned at the current parameters.
	AdditionalLossFunctionOutputs any
	// StepNorm is ‖x_{k+1} − x_k‖₂ of the last update (0 if it did not
	// move).
	StepNorm float64
	// GradientsNorm is ‖Gradients‖₂ (raw, unclipped).
	GradientsNorm float64
	// LineSearchStatus is "" before the first update, then
	// LineSearchCompleted or LineSearchFailed.
	LineSearchStatus string

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
	PairStatus string
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

	opts Options
	work workspace
}
