package solver

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
	"unsafe"
)

// ErrStop is the error a hook returns to end Minimize early on purpose: the
// run stops with status HookStopped and Minimize returns a nil error. Hooks
// may wrap it.
var ErrStop = errors.New("solver: stop requested by the hook")

// LineSearchFailurePolicy says what Minimize does when an update's line
// search fails.
type LineSearchFailurePolicy int

const (
	// StopOnFailure ends the run with status LineSearchFailure (default).
	StopOnFailure LineSearchFailurePolicy = iota
	// ResetAndRetry drops the curvature history (ResetHistory) and tries
	// one more update from the scaled steepest-descent direction; if that
	// search fails too, the run ends with LineSearchFailure. A failure with
	// an empty history and λ = λ₀, where the retry would repeat the same
	// search, ends the run at once.
	ResetAndRetry
)

// Defaults of StopOptions, as returned by DefaultStopOptions. The gradient
// and step tolerances are those of MATLAB's trainingOptions("lbfgs").
const (
	DefaultGradientTolerance          = 1e-5
	DefaultRelativeGradientTolerance  = 0 // off
	DefaultProjectedGradientTolerance = 0 // off
	DefaultStepTolerance              = 1e-5
	DefaultFunctionTolerance          = 0 // off
	DefaultMaxIterations              = 1000
	DefaultMaxLossEvaluations         = 0 // no limit
	DefaultOnLineSearchFailure        = StopOnFailure
)

// StopOptions says when Minimize stops. Every tolerance and limit is tested
// after each iteration (the gradient tests and limits also once before the
// first); the first that holds gives the Status. For each field, 0 turns
// the rule off, so the zero StopOptions runs until a line search fails, the
// gradient is exactly zero, the hook stops it or the context is cancelled;
// start from DefaultStopOptions.
type StopOptions struct {
	// GradientTolerance stops when ‖g‖ <= GradientTolerance, g the raw,
	// unclipped gradient and ‖·‖ the norm GradientNorm selects
	// (GradientsNorm or GradientsInfNorm). Default 1e-5; valid: finite and
	// >= 0; 0 = off, except that a gradient of exactly zero (where no
	// update can move) always stops the run with GradientTolerance.
	GradientTolerance float64

	// RelativeGradientTolerance stops when ‖g‖ <=
	// RelativeGradientTolerance·‖g_start‖, where g_start is the gradient
	// at the point this Minimize call started from, in the norm
	// GradientNorm selects. Default 0 (off); valid: 0 <=
	// RelativeGradientTolerance < 1.
	RelativeGradientTolerance float64

	// GradientNorm is the norm of both gradient tolerances: TwoNorm
	// (default, ‖g‖₂ as MATLAB) or InfNorm (‖g‖∞, the test of SciPy,
	// PyTorch and gonum). Either stop is a converged Status.
	GradientNorm Norm

	// ProjectedGradientTolerance stops when ProjectedGradientNorm <=
	// ProjectedGradientTolerance: the ∞-norm of the projected gradient
	// with bounds and of the pseudo-gradient with an L1 penalty, which
	// vanish at a constrained or penalised minimiser where the gradient of
	// the loss does not (SciPy's pgtol); ‖g‖∞ for plain L-BFGS. Default 0
	// (off); valid: finite and >= 0. With bounds or L1, a
	// ProjectedGradientNorm of exactly zero always stops the run with this
	// status, as a zero gradient does with GradientTolerance.
	ProjectedGradientTolerance float64

	// StepTolerance stops when StepNorm <= StepTolerance after an update
	// whose line search completed. Default 1e-5; valid: finite and >= 0;
	// 0 = off.
	StepTolerance float64

	// FunctionTolerance stops when an update whose line search completed
	// changed the loss by at most FunctionTolerance relative to its size:
	// |f_{k−1} − f_k| <= FunctionTolerance·max(|f_{k−1}|, |f_k|, 1).
	// Default 0 (off); valid: 0 <= FunctionTolerance < 1.
	FunctionTolerance float64

	// MaxIterations stops when LBFGSState.Iteration reaches it. The count
	// is the state's, so a run resumed from a checkpoint stops at the same
	// total. Default 1000; valid: >= 0; 0 = no limit.
	MaxIterations int

	// MaxLossEvaluations stops when LBFGSState.NumLossEvaluations reaches
	// it (a state count, like MaxIterations). It is tested between
	// iterations, so a run can exceed it by up to one update's evaluations
	// (MaxNumLineSearchIterations + 1). Default 0 (no limit); valid: >= 0.
	MaxLossEvaluations int

	// OnLineSearchFailure is StopOnFailure (default) or ResetAndRetry.
	OnLineSearchFailure LineSearchFailurePolicy

	// Hook, when non-nil, is called with the state after every iteration,
	// before the stopping rules are tested. Returning ErrStop (or an error
	// wrapping it) ends the run with HookStopped and a nil error,
	// ErrValidationPatience (a Validator's hook) with ValidationPatience
	// and a nil error; any other
	// error ends it with HookStopped and that error, wrapped. Compose
	// several hooks (a Recorder and your own) with ChainHooks.
	Hook func(*LBFGSState) error
}

// DefaultStopOptions returns the defaults listed in the StopOptions field
// docs.
func DefaultStopOptions() StopOptions {
	return StopOptions{
		GradientTolerance:          DefaultGradientTolerance,
		RelativeGradientTolerance:  DefaultRelativeGradientTolerance,
		ProjectedGradientTolerance: DefaultProjectedGradientTolerance,
		StepTolerance:              DefaultStepTolerance,
		FunctionTolerance:          DefaultFunctionTolerance,
		MaxIterations:              DefaultMaxIterations,
		MaxLossEvaluations:         DefaultMaxLossEvaluations,
		OnLineSearchFailure:        DefaultOnLineSearchFailure,
	}
}

// Validate returns an *OptionError for the first field out of range, in
// field order.
func (o StopOptions) Validate() error {
	switch {
	case !finite(o.GradientTolerance) || o.GradientTolerance < 0:
		return &OptionError{"GradientTolerance", o.GradientTolerance, "finite and >= 0 (0 = off)"}
	case !(o.RelativeGradientTolerance >= 0 && o.RelativeGradientTolerance < 1):
		return &OptionError{"RelativeGradientTolerance", o.RelativeGradientTolerance, "0 <= RelativeGradientTolerance < 1 (0 = off)"}
	case o.GradientNorm != TwoNorm && o.GradientNorm != InfNorm:
		return &OptionError{"GradientNorm", o.GradientNorm, "TwoNorm or InfNorm"}
	case !finite(o.ProjectedGradientTolerance) || o.ProjectedGradientTolerance < 0:
		return &OptionError{"ProjectedGradientTolerance", o.ProjectedGradientTolerance, "finite and >= 0 (0 = off)"}
	case !finite(o.StepTolerance) || o.StepTolerance < 0:
		return &OptionError{"StepTolerance", o.StepTolerance, "finite and >= 0 (0 = off)"}
	case !(o.FunctionTolerance >= 0 && o.FunctionTolerance < 1):
		return &OptionError{"FunctionTolerance", o.FunctionTolerance, "0 <= FunctionTolerance < 1 (0 = off)"}
	case o.MaxIterations < 0:
		return &OptionError{"MaxIterations", o.MaxIterations, ">= 0 (0 = no limit)"}
	case o.MaxLossEvaluations < 0:
		return &OptionError{"MaxLossEvaluations", o.MaxLossEvaluations, ">= 0 (0 = no limit)"}
	case o.OnLineSearchFailure != StopOnFailure && o.OnLineSearchFailure != ResetAndRetry:
		return &OptionError{"OnLineSearchFailure", o.OnLineSearchFailure, "StopOnFailure (0) or ResetAndRetry (1)"}
	}
	return nil
}

// Result is the outcome of Minimize.
type Result struct {
	Status          Status        // why the run stopped
	Iterations      int           // updates performed by this call
	LossEvaluations int           // loss evaluations made by this call
	Elapsed         time.Duration // wall time of this call
	Loss            float64       // LBFGSState.Loss at the returned x (NaN if never evaluated)
	GradientsNorm   float64       // LBFGSState.GradientsNorm at the returned x (NaN if never evaluated)
}

// ChainHooks returns a hook that calls each non-nil hook in order and
// returns the first error, without calling the hooks after it.
func ChainHooks(hooks ...func(*LBFGSState) error) func(*LBFGSState) error {
	return func(s *LBFGSState) error {
		for _, h := range hooks {
			if h == nil {
				continue
			}
			if err := h(s); err != nil {
				return err
			}
		}
		return nil
	}
}

// Minimize runs Update on x until a stopping rule of opts fires, and
// returns which in Result.Status; x holds the last accepted point and state
// its loss, gradient and history.
//
// It first evaluates f at x (unless state already holds the evaluation at
// exactly this x, as after an earlier Update or a checkpoint load); the next
// Update reuses that evaluation, so this costs nothing extra. A point that
// already meets a gradient tolerance, or a state already at a limit, ends
// the run with 0 iterations.
//
// The context is checked before each update, never during one: a loss
// closure is not interrupted, and after cancellation x and state are those
// of the last completed iteration (status Cancelled, nil error).
//
// Stopping is a status, not an error. The error is non-nil for misuse (nil
// ctx, f or state; StopOptions out of range, as *OptionError), for errors from the loss closure or Update
// (status Failure, the state and x as after the last completed iteration),
// and for a hook error other than ErrStop (status HookStopped). Result is
// filled in every case.
func Minimize(ctx context.Context, x []float64, f LossFunc, state *LBFGSState, opts StopOptions) (Result, error) {
	start := time.Now()
	res := Result{Status: NotTerminated, Loss: math.NaN(), GradientsNorm: math.NaN()}
	if err := checkMinimize(ctx, f, state, opts); err != nil {
		return res, err
	}
	if err := state.enter(); err != nil {
		return res, fmt.Errorf("solver: minimize: %w", err)
	}
	defer state.exit()
	run := minimizeRun{x: x, f: f, s: state, opts: opts, it0: state.own.Iteration, ev0: state.own.NumLossEvaluations, key: funcKey(f)}
	st, err := run.loop(ctx)
	res.Status = st
	res.Iterations = state.own.Iteration - run.it0
	res.LossEvaluations = state.own.NumLossEvaluations - run.ev0
	if len(state.own.Gradients) > 0 {
		res.Loss, res.GradientsNorm = state.own.Loss, state.own.GradientsNorm
	}
	res.Elapsed = time.Since(start)
	return res, err
}

// checkMinimize validates the arguments of Minimize.
func checkMinimize(ctx context.Context, f LossFunc, s *LBFGSState, opts StopOptions) error {
	switch {
	case ctx == nil:
		return fmt.Errorf("solver: minimize: nil context: %w", inner(ErrInvalidOption))
	case f == nil:
		return fmt.Errorf("solver: minimize: nil loss function: %w", inner(ErrLossFunction))
	case s == nil || s.opts.LearningRate == nil:
		return fmt.Errorf("solver: minimize: state not created by NewLBFGSState: %w", inner(ErrInvalidOption))
	}
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("solver: minimize: %w", inner(err))
	}
	return nil
}

// minimizeRun is one call of Minimize.
type minimizeRun struct {
	x        []float64
	f        LossFunc
	s        *LBFGSState
	opts     StopOptions
	it0, ev0 int            // state counters when the call started
	g0       float64        // ‖g‖ at the starting point, in opts.GradientNorm
	key      unsafe.Pointer // funcKey(f)
}

// loop runs the updates and returns the status and error of the run.
func (r *minimizeRun) loop(ctx context.Context) (Status, error) {
	s := r.s
	if ctx.Err() != nil {
		return Cancelled, nil
	}
	if err := s.prime(r.x, r.f); err != nil {
		return Failure, fmt.Errorf("solver: minimize: %w", err)
	}
	r.g0 = r.gradientNorm()
	if st := r.gradientStatus(); st != NotTerminated {
		return st, nil
	}
	if st := r.limitStatus(); st != NotTerminated {
		return st, nil
	}
	retried := false
	for {
		if ctx.Err() != nil {
			return Cancelled, nil
		}
		prev := s.own.Loss
		if err := s.iterate(r.x, r.f, r.key, UpdateOptions{}); err != nil {
			return Failure, fmt.Errorf("solver: minimize: iteration %d: %w", s.own.Iteration+1, err)
		}
		if h := r.opts.Hook; h != nil {
			if err := h(s); err != nil {
				if errors.Is(err, ErrValidationPatience) {
					return ValidationPatience, nil
				}
				if errors.Is(err, ErrStop) {
					return HookStopped, nil
				}
				// inner: a Recorder's error would name the package twice.
				return HookStopped, fmt.Errorf("solver: minimize: hook at iteration %d: %w", s.own.Iteration, inner(err))
			}
		}
		if st := r.gradientStatus(); st != NotTerminated {
			return st, nil
		}
		if s.own.LineSearchStatus == LineSearchFailed {
			if r.opts.OnLineSearchFailure != ResetAndRetry || retried || !r.canRetry() {
				return LineSearchFailure, nil
			}
			s.ResetHistory()
			retried = true
			continue
		}
		retried = false
		if st := r.progressStatus(prev); st != NotTerminated {
			return st, nil
		}
		if st := r.limitStatus(); st != NotTerminated {
			return st, nil
		}
	}
}

// errNilState reports a nil *LBFGSState argument.
var errNilState = fmt.Errorf("nil *LBFGSState: %w", inner(ErrInvalidOption))
