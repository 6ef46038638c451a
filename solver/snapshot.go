package solver

import (
	"errors"
	"fmt"
	"math"
)

// Snapshot is the whole state of an LBFGSState as plain values: what a
// file format saves (package solver/checkpoint) and what Restore rebuilds a
// state from, such that the restored state continues bit for bit as the
// original would have.
type Snapshot struct {
	// Options are the options the state was created with.
	Options Options
	// Dimension is n, fixed by the first update; 0 before it.
	Dimension int
	// InitialInverseHessianFactor is λ₀ in effect (0 while
	// Options.InitialStepSize has not fixed it yet).
	InitialInverseHessianFactor float64
	// LineSearchMethod and MaxNumLineSearchIterations are the settings of
	// the last update (zero before the first).
	LineSearchMethod           LineSearchMethod
	MaxNumLineSearchIterations int
	// Report holds every reported field; its history slices are deep
	// copies, oldest pair first. Gradients is the cached gradient when
	// CachedX is set, and nil otherwise.
	Report Report
	// Rho[i] = 1/(s_iᵀy_i) of the history pair i, as the state computed it.
	Rho []float64
	// CachedX is the point of the cached evaluation (Report.Loss,
	// Report.Gradients), or nil when the state holds none.
	CachedX []float64
}

// Snapshot returns a deep copy of the state (the zero Snapshot for a nil
// state). AdditionalLossFunctionOutputs is copied as is (it can hold any
// value; formats do not save it).
func (s *LBFGSState) Snapshot() Snapshot {
	if s == nil {
		return Snapshot{}
	}
	w := &s.work
	sn := Snapshot{
		Options: s.opts.cloneConstraints(), Dimension: w.n, InitialInverseHessianFactor: s.lambda0,
		LineSearchMethod: s.lastMethod, MaxNumLineSearchIterations: s.lastMaxTrials,
		Report: s.own,
	}
	r := &sn.Report
	r.StepHistory, r.GradientsDifferenceHistory = nil, nil
	for i := range s.own.StepHistory {
		r.StepHistory = append(r.StepHistory, append([]float64(nil), s.own.StepHistory[i]...))
		r.GradientsDifferenceHistory = append(r.GradientsDifferenceHistory, append([]float64(nil), s.own.GradientsDifferenceHistory[i]...))
	}
	r.HistoryIndices = append([]int(nil), s.own.HistoryIndices...)
	sn.Rho = append([]float64(nil), w.rho...)
	r.Gradients = nil
	if s.hasCache() {
		sn.CachedX = append([]float64(nil), w.lastX...)
		r.Gradients = append([]float64(nil), s.own.Gradients...)
	}
	r.LineSearchTrials = append([]LineSearchTrial(nil), s.own.LineSearchTrials...)
	return sn
}

// Restore returns a state rebuilt from sn. It checks everything a state
// cannot hold: options out of range (an *OptionError), sizes that disagree,
// counters below zero or above 2^53, history indices out of order,
// non-finite or non-positive λ and ρ, a ρ that is not 1/(sᵀy) of its pair,
// a non-finite history vector or cached evaluation, enumerations out of
// range. Its errors wrap ErrInvalidSnapshot (or are the *OptionError) and
// name the field. The cached evaluation is taken by the next update as
// that update's loss function's, as a resumed run needs.
func Restore(sn Snapshot) (*LBFGSState, error) {
	s, err := NewLBFGSState(sn.Options)
	if err != nil {
		return nil, fmt.Errorf("solver: restore: %w", inner(err))
	}
	if err := sn.check(); err != nil {
		return nil, fmt.Errorf("solver: restore: %w: %w", inner(ErrInvalidSnapshot), err)
	}
	r := &sn.Report
	s.lambda0 = sn.InitialInverseHessianFactor
	s.lastMethod, s.lastMaxTrials = sn.LineSearchMethod, sn.MaxNumLineSearchIterations
	if n := sn.Dimension; n > 0 {
		if err := s.init(n); err != nil {
			return nil, fmt.Errorf("solver: restore: %w", inner(err))
		}
		for i := range r.StepHistory {
			s.appendPair(r.StepHistory[i], r.GradientsDifferenceHistory[i], sn.Rho[i], r.HistoryIndices[i])
		}
		if sn.CachedX != nil {
			copy(s.work.grad, r.Gradients)
			s.work.lastX = append(s.work.lastX[:0], sn.CachedX...)
			s.work.key = anyFunc
		}
	}
	hist, hgd, hidx, trials, grad := s.own.StepHistory, s.own.GradientsDifferenceHistory, s.own.HistoryIndices, s.own.LineSearchTrials, s.own.Gradients
	s.own = *r
	s.own.StepHistory, s.own.GradientsDifferenceHistory, s.own.HistoryIndices = hist, hgd, hidx
	s.own.LineSearchTrials = append(trials, r.LineSearchTrials...)
	s.own.Gradients = grad
	if sn.CachedX != nil {
		s.own.Gradients = s.work.grad
	}
	s.publish()
	return s, nil
}

// ErrInvalidSnapshot: a Snapshot given to Restore holds values no state can
// hold.
var ErrInvalidSnapshot = errors.New("solver: invalid snapshot")

// maxCounter bounds the counters of a restored state: 2^53, beyond which
// float64 no longer counts by one, far beyond any run.
const maxCounter int64 = 1 << 53

// check validates sn against its (valid) options.
func (sn *Snapshot) check() error {
	r, o, n := &sn.Report, &sn.Options, sn.Dimension
	k := len(r.StepHistory)
	switch {
	case n < 0 || r.Iteration < 0 || r.NumLossEvaluations < 0 || r.IterationLossEvaluations < 0:
		return errors.New("negative dimension or counter")
	case int64(r.Iteration) > maxCounter || int64(r.NumLossEvaluations) > maxCounter || int64(r.IterationLossEvaluations) > maxCounter:
		// A counter no run reaches, which further updates would wrap.
		return fmt.Errorf("counter above 2^53 (Iteration %d, NumLossEvaluations %d, IterationLossEvaluations %d)",
			r.Iteration, r.NumLossEvaluations, r.IterationLossEvaluations)
	case sn.LineSearchMethod != 0 && !sn.LineSearchMethod.Valid():
		return fmt.Errorf("LineSearchMethod %v", sn.LineSearchMethod)
	case sn.MaxNumLineSearchIterations < 0 || sn.MaxNumLineSearchIterations > maxLineSearchIterations:
		return fmt.Errorf("MaxNumLineSearchIterations %d", sn.MaxNumLineSearchIterations)
	case len(r.LineSearchTrials) > max(o.MaxNumLineSearchIterations, sn.MaxNumLineSearchIterations):
		return fmt.Errorf("%d line-search trials (at most %d)", len(r.LineSearchTrials), max(o.MaxNumLineSearchIterations, sn.MaxNumLineSearchIterations))
	case int(r.LineSearchStatus) >= len(lsNames) || int(r.PairStatus) >= len(pairNames):
		return errors.New("line-search or pair status out of range")
	case k > o.HistorySize:
		return fmt.Errorf("%d history pairs (HistorySize %d)", k, o.HistorySize)
	case len(r.GradientsDifferenceHistory) != k || len(r.HistoryIndices) != k || len(sn.Rho) != k:
		return errors.New("history slices of different lengths")
	case n == 0 && (k > 0 || sn.CachedX != nil):
		return errors.New("history or cached evaluation in a state of no dimension")
	}
	if err := sn.checkLambda(); err != nil {
		return err
	}
	for _, t := range r.LineSearchTrials {
		if t.Outcome == 0 || int(t.Outcome) >= len(outcomeNames) {
			return fmt.Errorf("trial outcome %v", t.Outcome)
		}
	}
	prev := 0
	for i := range k {
		idx, rho := r.HistoryIndices[i], sn.Rho[i]
		switch {
		case len(r.StepHistory[i]) != n || len(r.GradientsDifferenceHistory[i]) != n:
			return fmt.Errorf("history pair %d has length %d, %d, want %d", i, len(r.StepHistory[i]), len(r.GradientsDifferenceHistory[i]), n)
		case idx <= prev || idx > r.Iteration:
			return fmt.Errorf("history index %d after %d (iteration %d)", idx, prev, r.Iteration)
		case !finite(rho) || rho <= 0:
			return fmt.Errorf("history pair %d has 1/(sᵀy) = %v", i, rho)
		case !allFinite(r.StepHistory[i]) || !allFinite(r.GradientsDifferenceHistory[i]):
			return fmt.Errorf("history pair %d holds a non-finite value", i)
		}
		if err := checkRho(i, rho, r.StepHistory[i], r.GradientsDifferenceHistory[i]); err != nil {
			return err
		}
		prev = idx
	}
	if sn.CachedX != nil && (len(sn.CachedX) != n || len(r.Gradients) != n ||
		!finite(r.Loss) || !allFinite(sn.CachedX) || !allFinite(r.Gradients)) {
		return errors.New("cached evaluation of the wrong length or non-finite")
	}
	return nil
}

// checkLambda checks λ₀ against the options and λ.
func (sn *Snapshot) checkLambda() error {
	l0, l, o := sn.InitialInverseHessianFactor, sn.Report.InverseHessianFactor, &sn.Options
	switch {
	case o.InitialStepSize == 0 && l0 != o.InitialInverseHessianFactor:
		return fmt.Errorf("InitialInverseHessianFactor %v, options say %v", l0, o.InitialInverseHessianFactor)
	case o.InitialStepSize > 0 && l0 == 0 && l == 0:
		return nil // λ₀ not fixed yet
	case !finite(l0) || l0 <= 0:
		return fmt.Errorf("InitialInverseHessianFactor %v", l0)
	case !finite(l) || l <= 0:
		return fmt.Errorf("InverseHessianFactor %v", l)
	}
	return nil
}

// checkRho reports a pair whose ρ is not 1/(sᵀy) of its vectors. sᵀy is
// summed as the update sums it, so a state saved and restored on one
// machine agrees exactly; the bound n·10⁻¹⁵·Σ|s_i·y_i| on |1/ρ − sᵀy|
// (far above the rounding error of any summation order, or of fused
// multiply-adds on another machine) only lets through what rounding can
// explain.
func checkRho(i int, rho float64, sv, yv []float64) error {
	var sy, abs float64
	for j := range sv {
		sy += sv[j] * yv[j]
		abs += math.Abs(sv[j] * yv[j])
	}
	if !(math.Abs(1/rho-sy) <= float64(len(sv))*1e-15*abs) {
		return fmt.Errorf("history pair %d has 1/(sᵀy) = %v, but its vectors give sᵀy = %v", i, rho, sy)
	}
	return nil
}
