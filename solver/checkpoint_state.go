package solver

import (
	"errors"
	"fmt"
)

// The body of a checkpoint, in the order written (docs/checkpoint-format.md).

// encodeState writes the options, the state and x.
func encodeState(e *encoder, s *LBFGSState, x []float64) {
	encodeOptions(e, s.opts)
	w := &s.work
	e.i64(w.n)
	e.i64(s.Iteration)
	e.i64(s.NumLossEvaluations)
	e.i64(s.IterationLossEvaluations)
	for _, v := range []float64{s.InverseHessianFactor, s.Loss, s.GradientsNorm, s.StepNorm,
		s.LearningRate, s.CurvatureProduct, s.DirectionalDerivative} {
		e.f64(v)
	}
	e.str(s.LineSearchStatus)
	e.str(s.PairStatus)
	e.boolean(s.DirectionReset)
	e.i64(len(s.LineSearchTrials))
	for _, t := range s.LineSearchTrials {
		e.f64(t.Step)
		e.f64(t.Loss)
		e.f64(t.Derivative)
		e.str(t.Outcome)
	}
	e.i64(len(x))
	e.floats(x)
	// The cached evaluation: the point and the gradient there.
	cached := s.hasCache()
	e.boolean(cached)
	if cached {
		e.floats(w.lastX)
		e.floats(s.Gradients)
	}
	// The history, oldest first.
	e.i64(len(s.StepHistory))
	for i := range s.StepHistory {
		e.i64(s.HistoryIndices[i])
		e.f64(w.rho[i])
		e.floats(s.StepHistory[i])
		e.floats(s.GradientsDifferenceHistory[i])
	}
}

func encodeOptions(e *encoder, o Options) {
	e.i64(o.HistorySize)
	e.f64(o.InitialInverseHessianFactor)
	e.str(o.LineSearchMethod)
	e.i64(o.MaxNumLineSearchIterations)
	e.f64(o.C1)
	e.f64(o.C2)
	e.f64(o.CurvatureEpsilon)
	sp := specOf(o.LearningRate)
	e.str(sp.Kind)
	e.f64(sp.Initial)
	e.f64(sp.Factor)
	e.f64(sp.Final)
	e.i64(sp.Steps)
	e.str(sp.Type)
	e.boolean(o.ScaleInitialHessian)
	e.f64(o.GradientClipNorm)
	e.f64(o.GradientClipValue)
}

// decodeOptions reads the options and resolves the schedule (lr overrides).
func decodeOptions(d *decoder, lr Schedule) Options {
	var o Options
	o.HistorySize = d.i64()
	o.InitialInverseHessianFactor = d.f64()
	o.LineSearchMethod = d.str()
	o.MaxNumLineSearchIterations = d.i64()
	o.C1 = d.f64()
	o.C2 = d.f64()
	o.CurvatureEpsilon = d.f64()
	var sp scheduleSpec
	sp.Kind = d.str()
	sp.Initial, sp.Factor, sp.Final = d.f64(), d.f64(), d.f64()
	sp.Steps = d.i64()
	sp.Type = d.str()
	o.ScaleInitialHessian = d.boolean()
	o.GradientClipNorm = d.f64()
	o.GradientClipValue = d.f64()
	if d.err != nil {
		return o
	}
	saved, err := sp.schedule()
	switch {
	case err != nil:
		d.fail("%v", err)
	case lr != nil:
		o.LearningRate = lr
	case saved == nil:
		d.err = inner(&OptionError{"LearningRate", "a schedule of type " + sp.Type,
			"a schedule of this package, or the schedule passed to LoadCheckpoint / ReadCheckpoint"})
	default:
		o.LearningRate = saved
	}
	return o
}

// decodeState reads what encodeState wrote into a new state.
func decodeState(d *decoder, lr Schedule) (*LBFGSState, []float64) {
	o := decodeOptions(d, lr)
	if d.err != nil {
		return nil, nil
	}
	s, err := NewLBFGSState(o)
	var oe *OptionError
	switch {
	case err != nil && lr != nil && errors.As(err, &oe) && oe.Option == "LearningRate":
		d.err = fmt.Errorf("the schedule passed: %w", inner(err)) // the caller's, not the file's
		return nil, nil
	case err != nil:
		d.fail("options: %v", inner(err))
		return nil, nil
	}
	n := d.i64()
	s.Iteration, s.NumLossEvaluations, s.IterationLossEvaluations = d.i64(), d.i64(), d.i64()
	for _, p := range []*float64{&s.InverseHessianFactor, &s.Loss, &s.GradientsNorm, &s.StepNorm,
		&s.LearningRate, &s.CurvatureProduct, &s.DirectionalDerivative} {
		*p = d.f64()
	}
	s.LineSearchStatus, s.PairStatus = d.str(), d.str()
	s.DirectionReset = d.boolean()
	trials := decodeTrials(d, s.MaxNumLineSearchIterations)
	nx := d.i64()
	switch {
	case d.err != nil:
		return nil, nil
	case n < 0 || s.Iteration < 0 || s.NumLossEvaluations < 0 || s.IterationLossEvaluations < 0:
		d.fail("negative size or counter")
		return nil, nil
	case nx < 1 || (n != 0 && nx != n):
		d.fail("len(x) = %d, state dimension %d", nx, n)
		return nil, nil
	}
	x := d.vector(nx)
	if d.err == nil && !allFinite(x) {
		d.fail("non-finite value in x")
	}
	if n == 0 {
		// Never updated: only the options, counters and x.
		if cached := d.boolean(); cached || d.i64() != 0 {
			d.fail("history or cached evaluation in a state of no dimension")
		} else if err := checkRestored(s); err != nil {
			d.fail("%v", err)
		}
		return s, x
	}
	restoreHistory(d, s, n, trials)
	return s, x
}

// decodeTrials reads the last update's line-search trials.
func decodeTrials(d *decoder, maxTrials int) []LineSearchTrial {
	k := d.i64()
	if d.err == nil && (k < 0 || k > maxTrials) {
		d.fail("%d line-search trials (at most %d)", k, maxTrials)
	}
	if d.err != nil {
		return nil
	}
	trials := make([]LineSearchTrial, k)
	for i := range trials {
		trials[i] = LineSearchTrial{Step: d.f64(), Loss: d.f64(), Derivative: d.f64(), Outcome: d.str()}
	}
	return trials
}

// restoreHistory allocates the state for dimension n and reads the cached
// evaluation and the history into it.
func restoreHistory(d *decoder, s *LBFGSState, n int, trials []LineSearchTrial) {
	lambda := s.InverseHessianFactor
	cached := d.boolean()
	var lastX, grad []float64
	if cached {
		lastX, grad = d.vector(n), d.vector(n)
		if d.err == nil && (!finite(s.Loss) || !allFinite(lastX) || !allFinite(grad)) {
			d.fail("non-finite cached loss, point or gradient")
		}
	}
	k := d.i64()
	if d.err == nil && (k < 0 || k > s.HistorySize) {
		d.fail("%d history pairs (HistorySize %d)", k, s.HistorySize)
	}
	if d.err != nil {
		return
	}
	// The pairs are stored as an update stores them, each allocated after
	// its data is read, so a corrupt count cannot make the reader allocate
	// ahead of the input.
	s.init(n) // resets λ; restored below
	sv, yv := make([]float64, n), make([]float64, n)
	prev := 0
	for i := 0; i < k && d.err == nil; i++ {
		idx, rho := d.i64(), d.f64()
		d.floats(sv)
		d.floats(yv)
		if d.err == nil && (idx <= prev || idx > s.Iteration) {
			d.fail("history index %d after %d (iteration %d)", idx, prev, s.Iteration)
		}
		if d.err != nil {
			return
		}
		prev = idx
		s.appendPair(sv, yv, rho, idx) // ρ exactly as saved, not recomputed
	}
	s.InverseHessianFactor = lambda
	s.LineSearchTrials = append(s.LineSearchTrials[:0], trials...)
	if cached {
		copy(s.work.grad, grad)
		s.Gradients = s.work.grad
		s.work.lastX = append(s.work.lastX[:0], lastX...)
	}
	if err := checkRestored(s); err != nil {
		d.fail("%v", err)
	}
}

// checkRestored checks values a valid state cannot hold.
func checkRestored(s *LBFGSState) error {
	if !finite(s.InverseHessianFactor) || s.InverseHessianFactor <= 0 {
		return fmt.Errorf("InverseHessianFactor %v", s.InverseHessianFactor)
	}
	for i, r := range s.work.rho {
		if !finite(r) || r <= 0 {
			return fmt.Errorf("history pair %d has 1/(sᵀy) = %v", i, r)
		}
	}
	return nil
}
