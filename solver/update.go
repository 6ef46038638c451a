package solver

import (
	"errors"
	"fmt"
	"math"
	"unsafe"
)

// workspace holds the buffers of an LBFGSState: init allocates them for the
// dimension n fixed by the first Update, except the history's, which grow as
// pairs are stored (history.go). Apart from lastX, the history and rho,
// everything here is scratch for one Update.
type workspace struct {
	n int // dimension; 0 before the first Update

	// geom is the geometry of the bounds or the L1 penalty (constraints.go),
	// nil for plain L-BFGS. primedProjected says that Minimize projected
	// its starting point before the first update, which reports it.
	geom            geometry
	primedProjected bool

	// lastX is the point at which Loss, Gradients and
	// AdditionalLossFunctionOutputs were computed, or empty (len 0, cap n)
	// when nothing is cached. Update skips the start-point evaluation when
	// its x equals lastX bit for bit. Whoever sets Loss and Gradients
	// directly (checkpoint restore, the Step interface) sets lastX too.
	lastX []float64

	// History (see history.go): the free list of pairs dropped by
	// ResetHistory, the spare pair the next pair is formed in,
	// ρ_i = 1/(s_iᵀy_i) aligned with StepHistory, and the α_i of the
	// two-loop recursion.
	freeS, freeY   [][]float64
	spareS, spareY []float64
	rho, alpha     []float64
	team           *team // runs the two-loop recursion's passes

	grad []float64 // storage behind LBFGSState.Gradients

	// One update: start point x0 with raw gradient g0 and clipped
	// gradient gc0 storage, direction d; the current trial xt with raw
	// gradient gt and clipped gradient storage gtc; the best trial so far
	// xb, gb (swapped with xt, gt, never copied).
	x0, g0, gc0, d []float64
	xt, gt, gtc    []float64
	xb, gb         []float64
	xw, gw         []float64 // the best weak-Wolfe trial of a strong Wolfe search

	search searchState

	trials []LineSearchTrial // the trials of the update in progress

	// key identifies the loss function of the cached evaluation (see
	// funcKey); anyFunc for one restored or passed in.
	key unsafe.Pointer

	// The settings of the update in progress (UpdateOptions resolved).
	method    LineSearchMethod
	maxTrials int

	// The buffers behind the published Report (see publish).
	pubS, pubY [][]float64
	pubIdx     []int
	pubGrad    []float64
	pubTrials  []LineSearchTrial
}

// UpdateOptions are the per-call options of UpdateWith, as lbfgsupdate's
// name-value arguments: they change the search of that call only, and the
// state records them (LineSearchMethod, MaxNumLineSearchIterations). A zero
// field takes the state's Options value.
type UpdateOptions struct {
	// LineSearchMethod is the search of this update; zero:
	// Options.LineSearchMethod. A Wolfe search uses Options.C1 and C2
	// (their defaults when the state was created with NoLineSearch).
	LineSearchMethod LineSearchMethod
	// MaxNumLineSearchIterations bounds the evaluations of this update's
	// search; zero: Options.MaxNumLineSearchIterations; valid: 1 to 65536,
	// and zero with NoLineSearch, which evaluates exactly one trial.
	MaxNumLineSearchIterations int
}

// Update performs one L-BFGS iteration at x, as MATLAB's lbfgsupdate does,
// and moves x in place to the accepted point:
//
//  1. the loss and gradient at x (reused without an evaluation when x is
//     bit for bit the point of the previous update's result and f is the
//     same func value as that update's);
//  2. the search direction d = −H·g from the two-loop recursion with
//     H₀ = λ·I, reset to −λ·g if it is not a descent direction;
//  3. a line search along d from the initial step given by LearningRate
//     (Options.LineSearchMethod; with NoLineSearch the step is taken as is);
//  4. x ← x + α·d, and the pair (s, y) stored when sᵀy > ε·yᵀy.
//
// A failed line search is not an error: LineSearchStatus becomes
// LineSearchFailed, no pair is stored, and x stays where it was unless a
// trial satisfied the sufficient-decrease condition with a loss strictly
// below the start, in which case x moves to the best such trial.
//
// The first Update fixes the dimension n = len(x) and allocates its buffers.
// The history grows as pairs are stored, by two n-vectors per pair up to
// HistorySize+1 pairs, so its memory follows the pairs stored rather than
// HistorySize; once it is full, updates allocate nothing outside f.
//
// Errors, with the state and x left exactly as before the call: an x of the
// wrong length (ErrDimension); NaN or Inf in x, or a non-finite loss or
// gradient at x (ErrNonFinite); an error from f, at x or at any trial point
// (ErrLossFunction, wrapping f's error too); a LearningRate schedule value
// that is not finite and > 0 (ErrInvalidOption).
func (s *LBFGSState) Update(x []float64, f LossFunc) error {
	return s.UpdateWith(x, f, UpdateOptions{})
}

// UpdateWith is Update with per-call options, as lbfgsupdate(…,
// LineSearchMethod=…, MaxNumLineSearchIterations=…): o changes the search
// of this call only. Options out of range give an *OptionError
// (ErrInvalidOption) naming the field, with the state and x unchanged.
func (s *LBFGSState) UpdateWith(x []float64, f LossFunc, o UpdateOptions) error {
	if s != nil {
		if err := s.enter(); err != nil {
			return fmt.Errorf("solver: update: %w", err)
		}
		defer s.exit()
	}
	if err := s.iterate(x, f, funcKey(f), o); err != nil {
		return fmt.Errorf("solver: update: %w", err)
	}
	return nil
}

// iterate is UpdateWith with the key of f's evaluations given (Optimizer
// passes anyFunc for the evaluation it seeded) and errors that leave the
// package and the operation for the caller to name (Update, Minimize).
func (s *LBFGSState) iterate(x []float64, f LossFunc, key unsafe.Pointer, o UpdateOptions) error {
	if err := s.checkUpdate(x, f); err != nil {
		return err
	}
	if err := s.resolve(o); err != nil {
		return inner(err)
	}
	lr, err := s.learningRate()
	if err != nil {
		return inner(err)
	}
	fresh := s.work.n == 0
	if fresh {
		if err := s.init(len(x)); err != nil {
			return inner(err)
		}
	}
	err = s.update(x, f, key, lr)
	s.work.search.release()
	if err != nil && fresh {
		s.uninit()
	}
	return err
}

// resolve sets the search settings of the next update from o and the
// state's options, or returns an *OptionError.
func (s *LBFGSState) resolve(o UpdateOptions) error {
	m, k := o.LineSearchMethod, o.MaxNumLineSearchIterations
	if m == 0 {
		m = s.opts.LineSearchMethod
	}
	switch {
	case !m.Valid():
		return &OptionError{"UpdateOptions.LineSearchMethod", m, "WeakWolfe, StrongWolfe, Backtracking or NoLineSearch"}
	case k < 0 || k > maxLineSearchIterations:
		return &OptionError{"UpdateOptions.MaxNumLineSearchIterations", k, fmt.Sprintf("0 (the state's) or 1 to %d", maxLineSearchIterations)}
	case m == NoLineSearch && k != 0:
		return &OptionError{"UpdateOptions.MaxNumLineSearchIterations", k, "0: NoLineSearch evaluates exactly one trial"}
	case k == 0 && m == NoLineSearch:
		k = 1
	case k == 0:
		k = s.opts.MaxNumLineSearchIterations
	}
	if s.opts.L1 > 0 && m != Backtracking {
		return &OptionError{"UpdateOptions.LineSearchMethod", m, "Backtracking when Options.L1 > 0 (OWL-QN's orthant-wise search backtracks)"}
	}
	s.work.method, s.work.maxTrials = m, k
	return nil
}

// checkUpdate validates the arguments of Update.
func (s *LBFGSState) checkUpdate(x []float64, f LossFunc) error {
	switch {
	case s == nil || s.opts.LearningRate == nil || s.opts.HistorySize <= 0:
		return fmt.Errorf("state not created by NewLBFGSState: %w", inner(ErrInvalidOption))
	case f == nil:
		return fmt.Errorf("nil loss function: %w", inner(ErrLossFunction))
	}
	return s.checkPoint(x)
}

// learningRate returns the schedule's rate for the next update, or an
// *OptionError when it is not finite and > 0.
func (s *LBFGSState) learningRate() (float64, error) {
	lr := s.opts.LearningRate.LearningRate(s.own.Iteration)
	if !finite(lr) || lr <= 0 {
		return 0, &OptionError{"LearningRate", lr, fmt.Sprintf("finite and > 0 (at iteration %d)", s.own.Iteration)}
	}
	return lr, nil
}

// update runs steps 1–4 of Update on an initialised state. Nothing
// exported changes before commit. Its errors, like iterate's, do not name
// the package.
func (s *LBFGSState) update(x []float64, f LossFunc, key unsafe.Pointer, lr float64) error {
	w := &s.work
	ls := &w.search
	*ls = searchState{f: f, trials: w.trials[:0], best: -1, weak: -1, maxStep: math.Inf(1)}
	projected := s.startPoint(w.x0, x)
	if !projected && s.hasEvaluation(x, key) {
		ls.f0, ls.extra0 = s.own.Loss, s.own.AdditionalLossFunctionOutputs
		copy(w.g0, s.own.Gradients)
	} else {
		var err error
		ls.evals++
		ls.f0, ls.extra0, err = f(w.x0, w.g0)
		if err != nil {
			return fmt.Errorf("loss at the starting point: %w: %w", inner(ErrLossFunction), err)
		}
		s.startPoint(w.x0, x) // in case f wrote into its argument
		if w.geom != nil {
			ls.f0 += w.geom.penalty(w.x0)
		}
	}
	if !finite(ls.f0) || !allFinite(w.g0) {
		return fmt.Errorf("loss %v or its gradient at the starting point: %w", ls.f0, inner(ErrNonFinite))
	}
	gc0 := s.clipGradient(w.gc0, w.g0)
	fixed := s.fixLambda0(gc0)

	// Search direction, with the ascent guard.
	var reset bool
	if w.geom != nil {
		ls.dg0, reset = w.geom.direction(s, w.x0, gc0, w.d)
		ls.dirScale = 1
		if len(s.own.StepHistory) == 0 || reset {
			// The first-step safeguard of descentDirection; gᵀd is linear in d.
			ls.dirScale = scaleTo(w.d, s.firstStepLimit())
			ls.dg0 *= ls.dirScale
		}
		ls.maxStep = w.geom.maxStep(w.x0, w.d)
	} else {
		ls.dg0, reset, ls.dirScale = s.descentDirection(w.d, gc0, s.firstStepLimit())
	}

	status := LineSearchFailed
	switch {
	case !(ls.dg0 < 0) || !finite(ls.dg0):
		// No descent direction: a stationary point (g = 0, or a zero
		// projected or pseudo-gradient, where d = 0) is a completed update
		// that does not move; otherwise the search fails.
		if norm2(gc0) == 0 || (w.geom != nil && ls.dg0 == 0 && norm2(w.d) == 0) {
			status = LineSearchCompleted
		}
	default:
		a0 := s.initialStep(lr)
		if w.geom != nil {
			a0 = w.geom.firstStep(s, a0, lr, w.d, reset)
		}
		ok, err := s.lineSearch(math.Min(ls.maxStep, a0))
		if err != nil {
			if fixed {
				s.unfixLambda0()
			}
			return err
		}
		if ok {
			status = LineSearchCompleted
		}
	}
	s.commit(x, gc0, status, reset)
	s.own.StartPointProjected = projected || w.primedProjected
	w.primedProjected = false
	w.key = key
	s.publish()
	return nil
}

// startPoint copies x into x0 and moves it into the feasible set of the
// bounds, reporting whether it moved.
func (s *LBFGSState) startPoint(x0, x []float64) bool {
	copy(x0, x)
	return s.work.geom != nil && s.work.geom.start(x0)
}

// fixLambda0 fixes λ₀ = InitialStepSize / ‖g‖∞ from the gradient g of the
// first update, when InitialStepSize is set and λ₀ is not fixed yet, and
// reports whether it did. A zero g fixes nothing: no step is taken from a
// stationary point.
func (s *LBFGSState) fixLambda0(g []float64) bool {
	if s.lambda0 != 0 || s.opts.InitialStepSize <= 0 {
		return false
	}
	gi := normInf(g)
	lam := s.opts.InitialStepSize / gi
	if !(gi > 0) || !finite(lam) || lam <= 0 {
		return false
	}
	s.lambda0, s.own.InverseHessianFactor = lam, lam
	return true
}

// unfixLambda0 undoes fixLambda0, for an update that returns an error.
func (s *LBFGSState) unfixLambda0() {
	s.lambda0 = 0
	s.own.InverseHessianFactor = s.opts.initialLambda()
}

// initialStep returns the first trial step of the line search: the
// learning rate lr, as in MATLAB. Along the scaled steepest-descent
// direction d = −λ·g (no stored pairs, or a reset), where λ = λ₀ sets the
// length of the step (InitialInverseHessianFactor, InitialStepSize), one
// safeguard remains, applied to d by descentDirection: a first trial that
// would move more than firstStepLimit()·lr = maxFirstStep·max(1, ‖x₀‖₂)·lr,
// ten times the size of the parameters, is shortened to that length. It
// never binds for a sensible λ₀ and keeps an unscaled gradient
// (BrownBadlyScaled's is 2·10⁶ at (1, 1)) from throwing the first trial out
// of every reasonable region. Backtracking, which cannot lengthen a step,
// then also considers Polyak's step f/|gᵀd| (where the linear model of a
// positive loss reaches zero) and takes the longer of the two, up to the
// unshortened step. NoLineSearch always takes lr.
func (s *LBFGSState) initialStep(lr float64) float64 {
	w := &s.work
	ls := &w.search
	if w.method == Backtracking && ls.dirScale < 1 && ls.f0 > 0 {
		// In units of the shortened d: at most 1/c, the unshortened step.
		return lr * math.Min(1/ls.dirScale, math.Max(1, ls.f0/-ls.dg0))
	}
	return lr
}

// firstStepLimit returns the longest direction without step length that
// the line search starts along at the learning rate (which multiplies it):
// maxFirstStep·max(1, ‖x₀‖₂), or +Inf with NoLineSearch, whose step is
// never cut.
func (s *LBFGSState) firstStepLimit() float64 {
	if s.work.method == NoLineSearch {
		return math.Inf(1)
	}
	return maxFirstStep * math.Max(1, norm2(s.work.x0))
}

// maxFirstStep bounds the first trial along an uninformed direction, as a
// multiple of max(1, ‖x₀‖₂) (see initialStep).
const maxFirstStep = 10

// commit writes the result of an update into the state and x.
func (s *LBFGSState) commit(x, gc0 []float64, status LineSearchStatus, reset bool) {
	w := &s.work
	ls := &w.search
	s.own.PairStatus, s.own.CurvatureProduct = PairNone, 0
	moved := ls.best >= 0 && (status == LineSearchCompleted || ls.fb < ls.f0)
	if moved {
		if status == LineSearchCompleted {
			gcb := s.clipGradient(w.gtc, w.gb)
			s.pushPair(w.xb, w.x0, gcb, gc0, s.own.Iteration+1)
		} else {
			ls.trials[ls.best].Outcome = TrialBestOfFail
		}
		s.own.StepNorm = diffNorm(w.xt, w.xb, w.x0) // ‖x_{k+1} − x_k‖₂
		s.own.LearningRate = ls.ab
		copy(x, w.xb)
		copy(w.grad, w.gb)
		s.own.Loss, s.own.AdditionalLossFunctionOutputs = ls.fb, ls.extrab
	} else {
		s.own.StepNorm, s.own.LearningRate = 0, 0
		copy(x, w.x0)
		copy(w.grad, w.g0)
		s.own.Loss, s.own.AdditionalLossFunctionOutputs = ls.f0, ls.extra0
	}
	w.lastX = append(w.lastX[:0], x...)
	s.own.Gradients = w.grad
	s.own.GradientsNorm, s.own.GradientsInfNorm = norm2(w.grad), normInf(w.grad)
	s.report(x, w.grad)
	s.own.LineSearchStatus = status
	s.own.Iteration++
	s.own.NumLossEvaluations += ls.evals
	s.own.IterationLossEvaluations = ls.evals
	s.own.DirectionalDerivative = ls.dg0
	s.own.DirectionReset = reset
	s.lastMethod, s.lastMaxTrials = w.method, w.maxTrials
	// Hand the trial record to the state and keep the old one as scratch.
	s.own.LineSearchTrials, w.trials = ls.trials, s.own.LineSearchTrials[:0]
}

// sameBits reports whether a and b hold the same float64 bit patterns.
func sameBits(a, b []float64) bool {
	b = b[:len(a)]
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// allFinite reports whether every element of v is finite: x·0 is ±0 for
// finite x and NaN for ±Inf and NaN, so the sums of v_i·0 (four, which the
// processor runs side by side, checked every 512 elements) stay 0 exactly
// while the elements are finite.
func allFinite(v []float64) bool {
	for len(v) > 0 {
		b := v[:min(len(v), 512)]
		v = v[len(b):]
		var s0, s1, s2, s3 float64
		i := 0
		for ; i+4 <= len(b); i += 4 {
			s0 += b[i] * 0
			s1 += b[i+1] * 0
			s2 += b[i+2] * 0
			s3 += b[i+3] * 0
		}
		for ; i < len(b); i++ {
			s0 += b[i] * 0
		}
		if (s0+s1)+(s2+s3) != 0 {
			return false
		}
	}
	return true
}

// diffNorm sets dst = a − b and returns ‖dst‖₂.
func diffNorm(dst, a, b []float64) float64 {
	a, b = a[:len(dst)], b[:len(dst)]
	for i := range dst {
		dst[i] = a[i] - b[i]
	}
	return norm2(dst)
}

// errLossAt wraps an error returned by the loss closure at a trial step.
func errLossAt(alpha float64, err error) error {
	if errors.Is(err, ErrLossFunction) {
		return fmt.Errorf("loss at step %v: %w", alpha, err)
	}
	return fmt.Errorf("loss at step %v: %w: %w", alpha, inner(ErrLossFunction), err)
}
